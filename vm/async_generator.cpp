// Async generators (PEP 525): an `async def` that yields. One runs on a fiber like any
// generator (vm/generator.cpp); what makes it asynchronous is how it is driven. Its consumer
// awaits the objects that __anext__, asend, athrow and aclose return. Each of those steps
// the generator until it yields a wrapped value (ASYNC_GEN_WRAP), which ends the await with
// that value, and passes everything else the generator yields out to the event loop: those
// are the futures its own awaits wait on. docs/asyncio.md tells the story.
#include <cstdint>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/errors.h"
#include "runtime/type.h"
#include "vm/generator.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {

// What ASYNC_GEN_WRAP makes of a yielded value.
struct AsyncGenWrapped : Object {
  Value value;   // owned
};

Type async_gen_wrapped_type;

// The awaitable that one __anext__/asend (Kind::Send), athrow (Throw) or aclose (Close)
// returns. It is its own iterator: the awaiting coroutine's YIELD_FROM drives it.
struct AsyncGenStep : Object {
  enum class Kind : uint8_t { Send, Throw, Close };
  enum class State : uint8_t { Init, Iter, Closed };
  Value gen;     // the async generator (owned)
  Value first;   // Send: the value sent first; Throw and Close: the exception thrown first
  Kind kind = Kind::Send;
  State state = State::Init;
};

Type async_gen_asend_type;
Type async_gen_athrow_type;

Value new_step(ThreadState& ts, Value gen, Value first, AsyncGenStep::Kind kind) {
  Type* type = kind == AsyncGenStep::Kind::Send ? &async_gen_asend_type : &async_gen_athrow_type;
  AsyncGenStep* step = try_new_object<AsyncGenStep>(type);
  if (!step) return raise_memory_error(ts);
  step->gen = newref(gen);
  step->first = newref(first);
  step->kind = kind;
  step->state = AsyncGenStep::State::Init;
  return Value::from_obj(step);
}

// What the generator's step means for the await: the next value to pass out to the event
// loop, or null with an error set, StopIteration(value) when the await is over.
Value interpret(ThreadState& ts, AsyncGenStep* step, Value out, bool done) {
  using Kind = AsyncGenStep::Kind;
  if (out && !done) {
    if (type_of(out) != &async_gen_wrapped_type) return out;   // a future, for the loop
    Value value = newref(out.as<AsyncGenWrapped>()->value);
    decref(out);
    step->state = AsyncGenStep::State::Closed;
    if (step->kind == Kind::Close) {
      decref(value);
      return raise(ts, &RuntimeError_type, "async generator ignored GeneratorExit");
    }
    raise_stop_iteration(ts, value);
    decref(value);
    return Value();
  }
  step->state = AsyncGenStep::State::Closed;
  if (out) {
    // The generator returned: the iteration is over, or aclose() has done its work.
    decref(out);
    if (step->kind == Kind::Close) return raise_stop_iteration(ts, Value());
    return raise_with_args(ts, &StopAsyncIteration_type, nullptr, 0);
  }
  if (step->kind == Kind::Close &&
      (error_matches(ts, &StopAsyncIteration_type) || error_matches(ts, &GeneratorExit_type))) {
    clear_error(ts);
    return raise_stop_iteration(ts, Value());
  }
  if (error_matches(ts, &StopAsyncIteration_type)) {
    // Raised inside the body, it would read as the end of the iteration (PEP 525).
    raise_from_pending(ts, &RuntimeError_type, "async generator raised StopAsyncIteration");
  }
  return Value();
}

Value reuse_error(ThreadState& ts, AsyncGenStep* step) {
  return raise(ts, &RuntimeError_type, step->kind == AsyncGenStep::Kind::Send
                                           ? "cannot reuse already awaited __anext__()/asend()"
                                           : "cannot reuse already awaited aclose()/athrow()");
}

Value step_send(ThreadState& ts, AsyncGenStep* step, Value arg) {
  if (step->state == AsyncGenStep::State::Closed) return reuse_error(ts, step);
  bool done = false;
  Value out;
  if (step->state == AsyncGenStep::State::Init) {
    step->state = AsyncGenStep::State::Iter;
    if (step->kind == AsyncGenStep::Kind::Send)
      out = generator_send(ts, step->gen, is_none(arg) ? step->first : arg, &done);
    else
      out = generator_throw(ts, step->gen, step->first, &done);
  } else {
    out = generator_send(ts, step->gen, arg, &done);
  }
  return interpret(ts, step, out, done);
}

Value step_iternext(ThreadState& ts, Value self) { return step_send(ts, self.as<AsyncGenStep>(), none()); }

Value step_send_method(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "send", nargs, 2, 2)) return Value();
  return step_send(ts, args[0].as<AsyncGenStep>(), args[1]);
}

Value step_throw_method(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "throw", nargs, 2, 4)) return Value();
  AsyncGenStep* step = args[0].as<AsyncGenStep>();
  if (step->state == AsyncGenStep::State::Closed) return reuse_error(ts, step);
  Ref exc(generator_thrown_exception(ts, args + 1, nargs - 1));
  if (!exc) return Value();
  step->state = AsyncGenStep::State::Iter;
  bool done = false;
  Value out = generator_throw(ts, step->gen, exc.get(), &done);
  return interpret(ts, step, out, done);
}

Value step_close_method(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "close", nargs, 1, 1)) return Value();
  args[0].as<AsyncGenStep>()->state = AsyncGenStep::State::Closed;
  return newref(none());
}

Value return_self(ThreadState&, const Value* args, size_t, Tuple*) { return newref(args[0]); }
Value iter_self(ThreadState&, Value self) { return newref(self); }

void step_dealloc(Object* self) {
  auto* step = static_cast<AsyncGenStep*>(self);
  decref(step->gen);
  decref(step->first);
  free_object(self);
}

void wrapped_dealloc(Object* self) {
  decref(static_cast<AsyncGenWrapped*>(self)->value);
  free_object(self);
}

// The async generator's own methods.
Value agen_anext(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "__anext__", nargs, 1, 1)) return Value();
  return new_step(ts, args[0], none(), AsyncGenStep::Kind::Send);
}

Value agen_asend(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "asend", nargs, 2, 2)) return Value();
  return new_step(ts, args[0], args[1], AsyncGenStep::Kind::Send);
}

Value agen_athrow(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "athrow", nargs, 2, 4)) return Value();
  Ref exc(generator_thrown_exception(ts, args + 1, nargs - 1));
  if (!exc) return Value();
  return new_step(ts, args[0], exc.get(), AsyncGenStep::Kind::Throw);
}

Value agen_aclose(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "aclose", nargs, 1, 1)) return Value();
  Ref exc(object_call(ts, Value::from_obj(&GeneratorExit_type), nullptr, 0));
  if (!exc) return Value();
  return new_step(ts, args[0], exc.get(), AsyncGenStep::Kind::Close);
}

const MethodDef step_methods[] = {
    {"send", step_send_method},
    {"throw", step_throw_method},
    {"close", step_close_method},
    {"__await__", return_self},
    {nullptr, nullptr},
};

const MethodDef agen_methods[] = {
    {"__aiter__", return_self},
    {"__anext__", agen_anext},
    {"asend", agen_asend},
    {"athrow", agen_athrow},
    {"aclose", agen_aclose},
    {nullptr, nullptr},
};

void step_type_common(Type& t) {
  t.basic_size = sizeof(AsyncGenStep);
  t.flags = kTypeImmutable;
  t.dealloc = step_dealloc;
  t.iter = iter_self;
  t.iternext = step_iternext;
  t.methods = step_methods;
}

}  // namespace

Value async_gen_wrap(ThreadState& ts, Value value) {
  AsyncGenWrapped* wrapped = try_new_object<AsyncGenWrapped>(&async_gen_wrapped_type);
  if (!wrapped) return raise_memory_error(ts);
  wrapped->value = value;
  return Value::from_obj(wrapped);
}

Type async_generator_type;
MINIVM_TYPE_SETUP(async_generator_type) {
  t.name = "async_generator";
  generator_type_common(t);
  t.methods = agen_methods;
}

MINIVM_TYPE_SETUP(async_gen_asend_type) {
  t.name = "async_generator_asend";
  step_type_common(t);
}

MINIVM_TYPE_SETUP(async_gen_athrow_type) {
  t.name = "async_generator_athrow";
  step_type_common(t);
}

MINIVM_TYPE_SETUP(async_gen_wrapped_type) {
  t.name = "async_generator_wrapped_value";
  t.basic_size = sizeof(AsyncGenWrapped);
  t.flags = kTypeImmutable;
  t.dealloc = wrapped_dealloc;
}

}  // namespace mvm
