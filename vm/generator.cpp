// Generators and coroutines on Boost.Context fibers. A generator's frame runs in the normal
// eval loop, but on a stack of its own; YIELD_VALUE switches back to the resumer, and the
// next send() switches in again. Stacks come from a small per-thread pool, so a generator
// expression in a hot loop costs a context switch, not an mmap.
#include "vm/generator.h"

#include <sys/mman.h>
#include <unistd.h>

#include <boost/context/fiber.hpp>
#include <cstring>
#include <new>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/code.h"
#include "runtime/errors.h"
#include "runtime/function.h"
#include "runtime/str.h"
#include "runtime/type.h"
#include "vm/eval.h"
#include "vm/frame.h"
#include "vm/thread_state.h"

namespace mvm {

namespace ctx = boost::context;

// ---------------------------------------------------------------------------------------
// Stacks

namespace {

// Usable bytes above a guard page. Virtual memory only: pages are committed when touched,
// and the compiler (exec() inside a generator) may need most of it for deep nesting.
constexpr size_t kGeneratorStackSize = 1024 * 1024;
constexpr size_t kStackMargin = 48 * 1024;            // RecursionError before this little is left
constexpr size_t kPooledStacksPerThread = 16;

size_t page_size() {
  static const size_t size = size_t(sysconf(_SC_PAGESIZE));
  return size;
}

// Free stacks of this thread, most recently used last (its pages are likely still hot).
struct StackPool {
  std::vector<void*> free_bases;
  ~StackPool() {
    for (void* base : free_bases) munmap(base, kGeneratorStackSize + page_size());
  }
};
thread_local StackPool stack_pool;

// A Boost.Context StackAllocator that reuses stacks through the thread's pool. Each stack
// has an inaccessible guard page below it, so an overflow faults instead of corrupting.
struct PooledStack {
  ctx::stack_context allocate() {
    void* base;
    if (!stack_pool.free_bases.empty()) {
      base = stack_pool.free_bases.back();
      stack_pool.free_bases.pop_back();
    } else {
      size_t total = kGeneratorStackSize + page_size();
      base = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (base == MAP_FAILED) throw std::bad_alloc();
      mprotect(base, page_size(), PROT_NONE);
    }
    ctx::stack_context sc;
    sc.size = kGeneratorStackSize;
    sc.sp = static_cast<char*>(base) + page_size() + kGeneratorStackSize;
    return sc;
  }
  void deallocate(ctx::stack_context& sc) noexcept {
    void* base = static_cast<char*>(sc.sp) - kGeneratorStackSize - page_size();
    if (stack_pool.free_bases.size() < kPooledStacksPerThread) stack_pool.free_bases.push_back(base);
    else munmap(base, kGeneratorStackSize + page_size());
  }
};

}  // namespace

// ---------------------------------------------------------------------------------------
// The generator object

struct Generator : Object {
  enum class State : uint8_t { Created, Suspended, Running, Finished };
  Frame* frame = nullptr;          // owned; null once finished
  Function* func = nullptr;        // owned; keeps the code and globals alive
  Str* name = nullptr;
  Str* qualname = nullptr;
  State state = State::Created;
  // Set while some thread runs the generator; claimed atomically, so that a generator
  // shared by threads raises "already executing" in the second one instead of running twice.
  std::atomic<bool> executing{false};
  ctx::fiber fiber;                // suspended: the generator; running: the resumer
  char* stack_bottom = nullptr;    // lowest usable address of the generator's stack
  Value transfer;                  // the value crossing the switch (owned)
  bool throwing = false;           // transfer is an exception to raise at the yield point
  bool returned = false;           // the frame finished; transfer is its result (null: raised)
  Value saved_handled;             // the generator's handled exception while suspended
};

static Value gen_repr(ThreadState&, Value self) {
  Generator* g = self.as<Generator>();
  char buf[256];
  std::snprintf(buf, sizeof buf, "<%s object %.*s at %p>", type_of(self)->name, int(g->qualname->size),
                g->qualname->data, static_cast<void*>(g));
  return str_value(buf);
}

Value generator_new(ThreadState& ts, Function* func, Frame* frame) {
  uint32_t flags = func->code->flags;
  Type* type = (flags & kCodeAsyncGenerator) ? &async_generator_type
               : (flags & kCodeCoroutine)    ? &coroutine_type
                                             : &generator_type;
  Generator* g = new_object<Generator>(type);
  g->frame = frame;
  g->func = static_cast<Function*>(newref(Value::from_obj(func)).obj());
  g->name = static_cast<Str*>(newref(Value::from_obj(func->name)).obj());
  g->qualname = static_cast<Str*>(newref(Value::from_obj(func->qualname)).obj());
  frame->generator = g;
  return Value::from_obj(g);
}

bool is_generator_like(Value v) {
  return v.is_obj() && (v.obj()->ob_type == &generator_type || v.obj()->ob_type == &coroutine_type);
}

// Switches into the generator until it yields or finishes.
static void resume(ThreadState& ts, Generator* g) {
  if (g->state == Generator::State::Created) {
    g->fiber = ctx::fiber(std::allocator_arg, PooledStack(), [g](ctx::fiber&& resumer) {
      g->fiber = std::move(resumer);
      ThreadState& running = *current_thread_state();
      // The fiber starts near the top of its stack; below it lie about kGeneratorStackSize bytes.
      char probe;
      g->stack_bottom = &probe - kGeneratorStackSize + 4096;
      running.stack_limit = reinterpret_cast<uintptr_t>(g->stack_bottom) + kStackMargin;
      Value result = run_generator_frame(running, g->frame);
      g->transfer = result;
      g->returned = true;
      return std::move(g->fiber);
    });
  }
  // The generator runs with its own "exception being handled" and its own stack limit.
  Value caller_handled = ts.handled_exception;
  ts.handled_exception = g->saved_handled;
  g->saved_handled = Value();
  uintptr_t caller_limit = ts.stack_limit;
  Generator* caller_generator = ts.current_generator;
  Frame* caller_frame = ts.frame;
  ts.current_generator = g;
  g->frame->previous = ts.frame;
  if (g->stack_bottom) ts.stack_limit = reinterpret_cast<uintptr_t>(g->stack_bottom) + kStackMargin;
  g->state = Generator::State::Running;
  g->fiber = std::move(g->fiber).resume();
  ts.current_generator = caller_generator;
  ts.frame = caller_frame;
  ts.stack_limit = caller_limit;
  g->saved_handled = ts.handled_exception;
  ts.handled_exception = caller_handled;
  if (g->returned) {
    g->state = Generator::State::Finished;
    decref(g->saved_handled);
    g->saved_handled = Value();
    frame_clear(g->frame);
    object_free(g->frame);
    g->frame = nullptr;
  } else {
    g->state = Generator::State::Suspended;
  }
}

Value generator_yield(ThreadState& ts, Value value) {
  Generator* g = ts.current_generator;
  g->transfer = newref(value);
  g->fiber = std::move(g->fiber).resume();
  // Resumed, possibly by another thread: the caller reloads its ThreadState.
  ThreadState& now = *current_thread_state();
  now.frame = g->frame;
  now.stack_limit = reinterpret_cast<uintptr_t>(g->stack_bottom) + kStackMargin;
  Value sent = g->transfer;
  g->transfer = Value();
  if (g->throwing) {
    g->throwing = false;
    restore_error(now, sent);
    return Value();
  }
  return sent;
}

// Runs the generator with `value` sent in (or `exc` thrown in, when throwing).
static Value gen_send_ex_claimed(ThreadState& ts, Generator* g, Value value, bool throwing, bool* done);

static Value gen_send_ex(ThreadState& ts, Generator* g, Value value, bool throwing, bool* done) {
  *done = false;
  if (g->executing.exchange(true, std::memory_order_acquire)) {
    return raise_fmt(ts, &ValueError_type, "%s already executing", type_of(Value::from_obj(g))->name);
  }
  Value result = gen_send_ex_claimed(ts, g, value, throwing, done);
  g->executing.store(false, std::memory_order_release);
  return result;
}

// gen_send_ex with the generator claimed by the calling thread.
static Value gen_send_ex_claimed(ThreadState& ts, Generator* g, Value value, bool throwing, bool* done) {
  if (g->state == Generator::State::Finished) {
    *done = true;
    if (throwing) {
      restore_error(ts, newref(value));
      return Value();
    }
    return newref(none());
  }
  if (g->state == Generator::State::Created && !throwing && !is_none(value)) {
    return raise_fmt(ts, &TypeError_type, "can't send non-None value to a just-started %s",
                     type_of(Value::from_obj(g))->name);
  }
  if (g->state == Generator::State::Created && throwing) {
    // Throwing into an unstarted generator finishes it without running it.
    g->state = Generator::State::Finished;
    frame_clear(g->frame);
    object_free(g->frame);
    g->frame = nullptr;
    *done = true;
    restore_error(ts, newref(value));
    return Value();
  }
  if (!enter_recursive_call(ts, "")) return Value();
  g->transfer = newref(value);
  g->throwing = throwing;
  resume(ts, g);
  leave_recursive_call(ts);
  Value out = g->transfer;
  g->transfer = Value();
  if (g->state != Generator::State::Finished) return out;
  *done = true;
  if (!out && error_matches(ts, &StopIteration_type)) {
    // PEP 479: a StopIteration escaping a generator body becomes a RuntimeError.
    const Type* kind = type_of(Value::from_obj(g));
    const char* what = kind == &coroutine_type         ? "coroutine raised StopIteration"
                       : kind == &async_generator_type ? "async generator raised StopIteration"
                                                       : "generator raised StopIteration";
    raise_from_pending(ts, &RuntimeError_type, what);
  }
  return out;
}

Value generator_send(ThreadState& ts, Value gen, Value value, bool* done) {
  return gen_send_ex(ts, gen.as<Generator>(), value, false, done);
}

Value generator_throw(ThreadState& ts, Value gen, Value exc, bool* done) {
  return gen_send_ex(ts, gen.as<Generator>(), exc, true, done);
}

static Value gen_iternext(ThreadState& ts, Value self) {
  bool done;
  Value r = gen_send_ex(ts, self.as<Generator>(), none(), false, &done);
  if (done && r) {
    // As in CPython, a return value travels in StopIteration, which next() passes on and
    // for loops (and iter_next) treat as plain exhaustion.
    if (!is_none(r)) raise_stop_iteration(ts, r);
    decref(r);
    return Value();
  }
  return r;
}

// gen.send(value): the yielded value, or StopIteration(return value).
static Value gen_send_method(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "send", nargs, 2, 2)) return Value();
  bool done;
  Value r = gen_send_ex(ts, args[0].as<Generator>(), args[1], false, &done);
  if (done && r) {
    Value result = r;
    raise_stop_iteration(ts, is_none(result) ? Value() : result);
    decref(result);
    return Value();
  }
  return r;
}

Value generator_thrown_exception(ThreadState& ts, const Value* args, size_t nargs) {
  Value type = args[0];
  if (is_exception_type(type)) {
    Value arg = nargs > 1 ? args[1] : Value();
    if (arg && is_exception_instance(arg)) return newref(arg);
    return object_call(ts, type, arg && !is_none(arg) ? &arg : nullptr, arg && !is_none(arg) ? 1 : 0);
  }
  if (is_exception_instance(type)) return newref(type);
  return raise(ts, &TypeError_type, "exceptions must be classes or instances deriving from BaseException, not str");
}

static Value gen_throw_method(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "throw", nargs, 2, 4)) return Value();
  Ref exc(generator_thrown_exception(ts, args + 1, nargs - 1));
  if (!exc) return Value();
  bool done;
  Value r = gen_send_ex(ts, args[0].as<Generator>(), exc.get(), true, &done);
  if (done && r) {
    Value result = r;
    raise_stop_iteration(ts, is_none(result) ? Value() : result);
    decref(result);
    return Value();
  }
  return r;
}

static bool generator_close(ThreadState& ts, Generator* g) {
  if (g->state == Generator::State::Finished) return true;
  if (g->state == Generator::State::Created) {
    g->state = Generator::State::Finished;
    frame_clear(g->frame);
    object_free(g->frame);
    g->frame = nullptr;
    return true;
  }
  Ref exc(object_call(ts, Value::from_obj(&GeneratorExit_type), nullptr, 0));
  if (!exc) return false;
  bool done;
  Value r = gen_send_ex(ts, g, exc.get(), true, &done);
  if (r) {
    decref(r);
    if (!done) {
      raise_fmt(ts, &RuntimeError_type, "%s ignored GeneratorExit", type_of(Value::from_obj(g))->name);
      return false;
    }
    return true;
  }
  if (error_matches(ts, &GeneratorExit_type) || error_matches(ts, &StopIteration_type)) {
    clear_error(ts);
    return true;
  }
  return false;
}

static Value gen_close_method(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "close", nargs, 1, 1)) return Value();
  return generator_close(ts, args[0].as<Generator>()) ? newref(none()) : Value();
}

Value get_awaitable_iterator(ThreadState& ts, Value v) {
  static Str* const await_name = intern("__await__");
  Ref await_method(object_lookup_attr(ts, v, await_name));
  if (!await_method) {
    if (ts.has_error()) return Value();
    return raise_fmt(ts, &TypeError_type, "object %s can't be used in 'await' expression", type_name(v));
  }
  Value it = object_call(ts, await_method.get(), nullptr, 0);
  if (!it) return Value();
  // __await__ must return an iterator, and not a coroutine (CPython's rules).
  if (type_of(it) == &coroutine_type) {
    decref(it);
    return raise(ts, &TypeError_type, "__await__() returned a coroutine");
  }
  if (!type_of(it)->iternext) {
    raise_fmt(ts, &TypeError_type, "__await__() returned non-iterator of type '%s'", type_name(it));
    decref(it);
    return Value();
  }
  return it;
}

Value get_async_iterator(ThreadState& ts, Value obj) {
  static Str* const aiter_name = intern("__aiter__");
  static Str* const anext_name = intern("__anext__");
  Ref aiter_method(object_lookup_attr(ts, obj, aiter_name));
  if (!aiter_method) {
    if (ts.has_error()) return Value();
    return raise_fmt(ts, &TypeError_type, "'async for' requires an object with __aiter__ method, got %s",
                     type_name(obj));
  }
  Value aiter = object_call(ts, aiter_method.get(), nullptr, 0);
  if (!aiter) return Value();
  Ref anext(object_lookup_attr(ts, aiter, anext_name));
  if (!anext) {
    if (!ts.has_error())
      raise_fmt(ts, &TypeError_type,
                "'async for' received an object from __aiter__ that does not implement __anext__: %s",
                type_name(aiter));
    decref(aiter);
    return Value();
  }
  return aiter;
}

Value async_iterator_next(ThreadState& ts, Value aiter) {
  static Str* const anext_name = intern("__anext__");
  Ref anext(object_lookup_attr(ts, aiter, anext_name));
  if (!anext) {
    if (ts.has_error()) return Value();
    return raise_fmt(ts, &TypeError_type, "'async for' requires an iterator with __anext__ method, got %s",
                     type_name(aiter));
  }
  return object_call(ts, anext.get(), nullptr, 0);
}

// Closes a sub-iterator of `yield from`: generators directly, other objects through
// their close method if they have one. False with an error set when closing failed.
static bool close_sub_iterator(ThreadState& ts, Value sub) {
  if (is_generator_like(sub)) return generator_close(ts, sub.as<Generator>());
  static Str* const close_name = intern("close");
  Ref close(object_lookup_attr(ts, sub, close_name));
  if (!close) return !ts.has_error();
  Ref result(object_call(ts, close.get(), nullptr, 0));
  return bool(result);
}

Value yield_from_throw(ThreadState& ts, Value sub, Value exc, bool* done) {
  *done = false;
  if (is_instance_of(exc, &GeneratorExit_type)) {
    if (!close_sub_iterator(ts, sub)) {
      decref(exc);   // the error from closing replaces GeneratorExit
      return Value();
    }
    restore_error(ts, exc);
    return Value();
  }
  if (is_generator_like(sub)) {
    Value out = gen_send_ex(ts, sub.as<Generator>(), exc, true, done);
    decref(exc);
    return out;
  }
  static Str* const throw_name = intern("throw");
  Ref throw_method(object_lookup_attr(ts, sub, throw_name));
  if (!throw_method) {
    if (ts.has_error()) {
      decref(exc);
      return Value();
    }
    restore_error(ts, exc);   // no throw method: the exception is raised at the yield from
    return Value();
  }
  Value out = object_call(ts, throw_method.get(), &exc, 1);
  decref(exc);
  if (!out && (out = take_stop_iteration_value(ts))) *done = true;
  return out;
}

static void gen_dealloc(Object* self) {
  Generator* g = static_cast<Generator*>(self);
  if (g->state == Generator::State::Suspended) {
    // Run the generator's finally blocks, as CPython does when a generator is collected.
    ThreadState* ts = current_thread_state();
    if (ts) {
      Value pending = fetch_error(*ts);
      begin_resurrection(self);   // close() runs Python code, which needs a live object
      if (!generator_close(*ts, g)) clear_error(*ts);
      bool unreferenced = end_resurrection(self);
      restore_error(*ts, pending);
      // A finally block stored the generator somewhere: it lives on, closed.
      if (!unreferenced) return;
    }
  }
  if (g->frame) {
    frame_clear(g->frame);
    object_free(g->frame);
  }
  g->fiber.~fiber();
  decref(Value::from_obj(g->func));
  decref(Value::from_obj(g->name));
  decref(Value::from_obj(g->qualname));
  decref(g->saved_handled);
  decref(g->transfer);
  free_object(self);
}

static Value gen_iter(ThreadState&, Value self) { return newref(self); }

static Value gen_get_name(ThreadState&, Value self) { return newref(Value::from_obj(self.as<Generator>()->name)); }
static Value gen_get_qualname(ThreadState&, Value self) {
  return newref(Value::from_obj(self.as<Generator>()->qualname));
}
static Value gen_get_running(ThreadState&, Value self) {
  return bool_value(self.as<Generator>()->state == Generator::State::Running);
}
static Value gen_get_code(ThreadState&, Value self) {
  return newref(Value::from_obj(self.as<Generator>()->func->code));
}
static Value gen_get_frame(ThreadState&, Value self) { return newref(none()); }

static Value coro_await(ThreadState&, const Value* args, size_t, Tuple*) { return newref(args[0]); }

static const MethodDef gen_methods[] = {
    {"send", gen_send_method},
    {"throw", gen_throw_method},
    {"close", gen_close_method},
    {nullptr, nullptr},
};
static const MethodDef coro_methods[] = {
    {"send", gen_send_method},
    {"throw", gen_throw_method},
    {"close", gen_close_method},
    {"__await__", coro_await},
    {nullptr, nullptr},
};
static const GetSetDef gen_getsets[] = {
    {"__name__", gen_get_name},
    {"__qualname__", gen_get_qualname},
    {"gi_running", gen_get_running},
    {"gi_code", gen_get_code},
    {"gi_frame", gen_get_frame},
    {"cr_running", gen_get_running},
    {"cr_code", gen_get_code},
    {nullptr, nullptr},
};

void generator_type_common(Type& t) {
  t.basic_size = sizeof(Generator);
  t.flags = kTypeImmutable;
  t.dealloc = gen_dealloc;
  t.repr = gen_repr;
  t.getsets = gen_getsets;
}

Type generator_type;
MINIVM_TYPE_SETUP(generator_type) {
  t.name = "generator";
  generator_type_common(t);
  t.iter = gen_iter;
  t.iternext = gen_iternext;
  t.methods = gen_methods;
}

Type coroutine_type;
MINIVM_TYPE_SETUP(coroutine_type) {
  t.name = "coroutine";
  generator_type_common(t);
  t.methods = coro_methods;
}

}  // namespace mvm
