// OS threads running Python code: each gets a ThreadState in its interpreter, takes the
// GIL (in GIL mode) and runs its function; an exception that escapes is reported, not fatal.
#include "vm/threads.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/function.h"
#include "runtime/module.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "vm/free_threading.h"
#include "vm/interpreter.h"
#include "vm/traceback.h"

namespace mvm {

uint64_t native_thread_id() { return uint64_t(syscall(SYS_gettid)); }

void attach_gil(ThreadState& ts) {
  Interpreter* interp = ts.interp;
  if (!interp->gil_enabled) return free_threaded_thread_start(ts);
  interp->gil.register_thread(ts, ts.thread_name);
  interp->gil.take(ts);
}

void detach_gil(ThreadState& ts) {
  if (ts.holds_gil) ts.interp->gil.drop(ts);
  free_threaded_thread_end(ts);
}

namespace {

struct ThreadStart {
  ThreadState* ts;
  Value function;   // owned
  Tuple* args;      // owned
  Dict* kwargs;     // owned, may be null
};

// An exception that escaped a thread's function: reported like CPython's unraisable hook.
void report_thread_exception(ThreadState& ts, Value function) {
  Value exc = fetch_error(ts);
  if (is_instance_of(exc, &SystemExit_type)) {
    decref(exc);
    return;
  }
  std::string text = "Exception ignored in thread started by: " + repr_string(ts, function) + "\n" +
                     format_exception(ts, exc);
  decref(exc);
  write_to_stderr(ts, text);
}

void thread_main(ThreadStart start) {
  ThreadState& ts = *start.ts;
  Interpreter* interp = ts.interp;
  set_current_thread_state(&ts);
  ts.thread_id = current_thread_id();
  ts.stack_limit = thread_stack_limit();
  attach_gil(ts);
  Value result = call_with_tuple(ts, start.function, start.args, start.kwargs);
  mark_thread_finishing(ts);   // if threading has not already done so
  if (result) decref(result);
  else report_thread_exception(ts, start.function);
  decref(start.function);
  decref(Value::from_obj(start.args));
  decref(Value::from_obj(start.kwargs));
  clear_error(ts);
  Value handled = ts.handled_exception;
  ts.handled_exception = Value();
  decref(handled);
  detach_gil(ts);
  set_current_thread_state(nullptr);
  thread_state_delete(&ts);
  interp->running_threads.fetch_sub(1, std::memory_order_acq_rel);
  // The last touch of the interpreter: after this it may be freed.
  interp->finishing_threads.fetch_sub(1, std::memory_order_acq_rel);
}

// Free-threaded mode, when the process starts its first thread: the objects bound to
// module globals at that moment (the shared list, dict or instance a script's threads all
// read) become immortal, so that threads reading them do not contend on their reference
// counts. This extends what CPython 3.13 did for functions, classes and modules, and stands
// in for deferred reference counting; the price is that these objects are never freed
// (docs/free-threading.md). Safe only now: no other thread can be counting them.
void immortalize_module_globals(ThreadState& ts) {
#if MINIVM_FREE_THREADING
  static std::atomic<bool> done{false};
  if (!RefcountMode::free_threaded || done.exchange(true)) return;
  size_t module_pos = 0;
  Value name, module;
  while (dict_next(ts.interp->modules, &module_pos, &name, &module)) {
    if (!is_instance_of(module, &module_type)) continue;
    size_t pos = 0;
    Value key, value;
    while (dict_next(module.as<Module>()->dict, &pos, &key, &value)) {
      if (!value.is_obj()) continue;
      Object* o = value.obj();
      bool owned_here = o->ob_tid == refcount_owner() && o->ob_ref_shared.load(std::memory_order_relaxed) == 0;
      if (owned_here && !(o->ob_flags & kFlagStatic)) make_immortal(o);
    }
  }
#endif
}

}  // namespace

void mark_thread_finishing(ThreadState& ts) {
  if (!ts.started_by_thread_module || ts.counted_as_finishing) return;
  ts.counted_as_finishing = true;
  ts.interp->finishing_threads.fetch_add(1, std::memory_order_acq_rel);
}

bool start_new_thread(ThreadState& ts, Value function, Tuple* args, Dict* kwargs, uint64_t* ident) {
  Interpreter* interp = ts.interp;
  if (interp->running_threads.load(std::memory_order_acquire) == 0) immortalize_module_globals(ts);
  ThreadState* child = thread_state_new(interp);
  child->started_by_thread_module = true;
  free_threaded_register_new_thread(*child);
  ThreadStart start{child, newref(function), static_cast<Tuple*>(newref(Value::from_obj(args)).obj()),
                    kwargs ? static_cast<Dict*>(newref(Value::from_obj(kwargs)).obj()) : nullptr};
  interp->running_threads.fetch_add(1, std::memory_order_acq_rel);
  try {
    std::thread thread(thread_main, start);
    *ident = uint64_t(thread.native_handle());
    thread.detach();
  } catch (const std::system_error& e) {
    interp->running_threads.fetch_sub(1, std::memory_order_acq_rel);
    decref(start.function);
    decref(Value::from_obj(start.args));
    decref(Value::from_obj(start.kwargs));
    thread_state_delete(child);
    raise_fmt(ts, &RuntimeError_type, "can't start new thread: %s", e.what());
    return false;
  }
  return true;
}

}  // namespace mvm
