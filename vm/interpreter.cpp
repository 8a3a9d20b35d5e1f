// Creating and running interpreters: process-wide start-up (the Runtime), the per-
// interpreter modules (builtins, sys, __main__), running source as __main__, and turning an
// uncaught exception or SystemExit into an exit status.
#include "vm/interpreter.h"

#include <unistd.h>

#include <cstdio>
#include <mutex>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/code.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/function.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/str.h"
#include "runtime/type.h"
#include "stdlib/modules.h"
#include "vm/builtins_core.h"
#include "vm/code_loader.h"
#include "vm/eval.h"
#include "vm/eval_breaker.h"
#include "vm/free_threading.h"
#include "vm/subinterpreters.h"
#include "vm/gil_report.h"
#include "vm/threads.h"
#include "vm/traceback.h"

namespace mvm {

// The Runtime: what every interpreter in the process shares and nothing mutates after
// start-up (built-in types, singletons, the intern table).
static void start_runtime() {
  static std::once_flag once;
  std::call_once(once, [] {
    ThreadState bootstrap;   // type_ready needs a ThreadState for dict operations
    ThreadState* previous = current_thread_state();
    set_current_thread_state(&bootstrap);
    ready_builtin_types();
    set_current_thread_state(previous);
  });
}

ThreadState* thread_state_new(Interpreter* interp) {
  auto* ts = new ThreadState();
  ts->interp = interp;
  ts->thread_id = current_thread_id();
  std::lock_guard<std::mutex> guard(interp->threads_mutex);
  ts->next = interp->threads;
  interp->threads = ts;
  return ts;
}

void thread_state_delete(ThreadState* ts) {
  Interpreter* interp = ts->interp;
  {
    std::lock_guard<std::mutex> guard(interp->threads_mutex);
    for (ThreadState** p = &interp->threads; *p; p = &(*p)->next)
      if (*p == ts) {
        *p = ts->next;
        break;
      }
  }
  decref(ts->current_exception);
  decref(ts->handled_exception);
#if MINIVM_FREE_THREADING
  // A thread that could not be started was registered for QSBR by its parent.
  if (ts->qsbr.registered) qsbr_unregister(ts->qsbr);
#endif
  delete ts;
}

static bool init_sys_path(ThreadState& ts, Interpreter* interp) {
  interp->sys_path = list_new(ts);
  if (!interp->sys_path) return false;
  // The script's directory first (or "" for -c and the REPL), then the configured paths.
  std::string first;
  if (!interp->config.argv.empty() && !interp->config.argv[0].empty() && interp->config.argv[0] != "-c" &&
      interp->config.argv[0] != "-") {
    const std::string& script = interp->config.argv[0];
    size_t slash = script.rfind('/');
    first = slash == std::string::npos ? "" : script.substr(0, slash == 0 ? 1 : slash);
  }
  Ref entry(str_value(first));
  if (list_append(ts, interp->sys_path, entry.get()) < 0) return false;
  for (const std::string& p : interp->config.path) {
    Ref e(str_value(p));
    if (list_append(ts, interp->sys_path, e.get()) < 0) return false;
  }
  return true;
}

Interpreter* create_interpreter(const InterpreterConfig& config) {
  start_runtime();
  auto* interp = new Interpreter();
  interp->config = config;
  // The build's default: free-threaded when the build supports it, as CPython's
  // --disable-gil builds do.
  interp->gil_enabled = config.gil == -1 ? !MINIVM_FREE_THREADING : config.gil != 0;
#if MINIVM_FREE_THREADING
  // The refcount mode is process-wide; the first free-threaded interpreter switches it on,
  // which is safe while no other thread runs Python code (objects keep their owners).
  // Later ones (subinterpreters, created while threads run) find it on and leave it alone.
  if (!interp->gil_enabled && !RefcountMode::free_threaded) RefcountMode::free_threaded = true;
#endif
  ThreadState* ts = thread_state_new(interp);
  interp->main_thread = ts;
  // ts->stack_limit stays 0, unknown: enter_recursive_call looks it up when calls get deep.
  set_current_thread_state(ts);
  ts->thread_name = "MainThread";
  if (interp->gil_enabled) {
    // The main thread holds the GIL whenever it runs bytecode, from now on.
    interp->gil.enable_recording(config.gil_stats || !config.gil_trace.empty());
    interp->gil.register_thread(*ts, "MainThread");
    interp->gil.take(*ts);
  } else {
    free_threaded_thread_start(*ts);
  }

  bool ok = (interp->modules = dict_new(*ts)) && init_sys_path(*ts, interp);
  if (ok) {
    interp->builtins = module_new(*ts, "builtins");
    ok = interp->builtins != nullptr;
  }
  if (ok) {
    interp->builtins_dict = interp->builtins->dict;
    ok = init_builtins_module(*ts, interp->builtins) == 0 && add_core_builtins(*ts, interp->builtins) == 0;
  }
  if (ok) ok = dict_set_str(*ts, interp->modules, intern("builtins"), Value::from_obj(interp->builtins)) == 0;
  if (ok) {
    interp->sys = module_new(*ts, "sys");
    ok = interp->sys && dict_set_str(*ts, interp->modules, intern("sys"), Value::from_obj(interp->sys)) == 0 &&
         init_sys_module(*ts, interp->sys) == 0 && add_gil_sys_entries(*ts, interp->sys) == 0;
  }
  if (ok) {
    interp->main_module = module_new(*ts, "__main__");
    ok = interp->main_module &&
         module_add(*ts, interp->main_module, "__builtins__", Value::from_obj(interp->builtins)) == 0 &&
         dict_set_str(*ts, interp->modules, intern("__main__"), Value::from_obj(interp->main_module)) == 0;
  }
  if (!ok) {
    std::string text = ts->has_error() ? format_exception(*ts, ts->current_exception) : "unknown error";
    std::fprintf(stderr, "minivm: fatal error while starting the interpreter:\n%s", text.c_str());
    std::abort();
  }
  if (config.install_signal_handlers) install_signal_handlers(*ts);
  return interp;
}

// threading._shutdown(): wait for the non-daemon threads, as Python does at exit.
static void join_non_daemon_threads(ThreadState& ts) {
  Value threading = dict_get_str(ts.interp->modules, intern("threading"));
  if (!threading) return;
  Value pending = fetch_error(ts);
  Ref r(call_method(ts, threading, "_shutdown", {}));
  if (!r) {
    Value exc = fetch_error(ts);
    if (!is_instance_of(exc, &KeyboardInterrupt_type)) print_exception(ts, exc);
    decref(exc);
  }
  restore_error(ts, pending);
}

// Threads that have returned from their function (joined ones among them) may still be
// releasing their ThreadState: wait for that, with the GIL released so they can finish.
static void wait_for_finishing_threads(ThreadState& ts) {
  Interpreter* interp = ts.interp;
  if (interp->finishing_threads.load(std::memory_order_acquire) == 0) return;
  GilReleased released(ts);
  // Bounded (10 s) in case a finishing thread is stuck; a sanitizer build under load can
  // take a good fraction of a second.
  for (int i = 0; i < 10000 && interp->finishing_threads.load(std::memory_order_acquire) > 0; i++)
    usleep(1000);
}

void destroy_interpreter(Interpreter* interp) {
  ThreadState* ts = interp->main_thread;
  join_non_daemon_threads(*ts);
  wait_for_finishing_threads(*ts);
  subinterpreters_close_owned(*ts);
  interp->finalizing = true;
  flush_std_streams(*ts);
  report_gil_activity(interp);
  if (interp->running_threads.load() > 0 || interp->finishing_threads.load() > 0) {
    // Daemon threads are still running: they may be blocked on the GIL, which this thread
    // keeps, or on locks of this interpreter. Leave the interpreter in place rather than
    // free what they use; the process is about to end. A host application goes on,
    // though: in free-threaded mode its thread leaves QSBR, whose other threads would
    // otherwise wait for it forever (the GIL stays taken, so the daemons stop).
    free_threaded_thread_end(*ts);
    set_current_thread_state(nullptr);
    return;
  }
  // Objects reachable from the modules are left to the process exit: tearing down module
  // dicts in order is a job for a cycle collector, which minivm does not have yet.
  detach_gil(*ts);
  set_current_thread_state(nullptr);
  thread_state_delete(ts);
  delete interp;
}

Value run_source(ThreadState& ts, std::string_view source, const std::string& filename, Module* module,
                 ParseMode mode) {
  Code* code = compile_to_code(ts, source, filename, mode);
  if (!code) return Value();
  if (!filename.empty() && filename[0] != '<') {
    Ref f(str_value(filename));
    if (module_add(ts, module, "__file__", f.get()) < 0) return Value();
  }
  return eval_code(ts, code, module->dict, module->dict);
}

int handle_uncaught_exception(ThreadState& ts) {
  Value exc = fetch_error(ts);
  if (!exc) return 0;
  Ref guard(exc);
  if (is_instance_of(exc, &SystemExit_type)) {
    Value code = exc.as<ExceptionObject>()->value;
    if (!code || is_none(code)) return 0;
    if (is_int(code)) {
      int64_t status = 1;
      if (!int_to_int64(ts, code, &status)) clear_error(ts);
      return int(status & 0xff);
    }
    // sys.exit("message") prints the message to stderr and exits with status 1.
    write_to_stderr(ts, str_string(ts, code) + "\n");
    return 1;
  }
  Value hook = ts.interp->sys ? module_get(ts.interp->sys, "excepthook") : Value();
  if (hook && is_function(hook)) {
    Value args[3] = {Value::from_obj(type_of(exc)), exc,
                     exc.as<ExceptionObject>()->traceback ? exc.as<ExceptionObject>()->traceback : none()};
    Ref r(object_call(ts, hook, args, 3));
    if (r) return 1;
    clear_error(ts);
  }
  print_exception(ts, exc);
  return 1;
}

}  // namespace mvm
