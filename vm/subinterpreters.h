// Subinterpreters: interpreters that a script creates (concurrent.interpreters). Each one
// runs on a worker thread of its own, which is its main thread; other threads hand it jobs
// and wait. Values cross between interpreters only as copies (Shareable), never as objects,
// so no object is ever touched by two interpreters, whose GILs (in GIL mode) are separate.
// docs/subinterpreters.md tells the story.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/object.h"

namespace mvm {

struct Code;
struct CrossQueue;

// A value copied out of one interpreter, to be rebuilt in another: None, bool, int, float,
// str, bytes, tuples of those, plain functions (their code is immortal and shared; their
// globals become the receiving interpreter's __main__, into which they bring the globals
// they use, as cloudpickle does), built-in functions and modules (by name, as pickle does)
// and cross-interpreter queues.
struct Shareable {
  enum class Kind : uint8_t {
    None, Bool, Int, Float, Str, Bytes, Tuple, Function, Builtin, Module, Queue,
    List, Dict, Set, FrozenSet,   // copies, for call() (CPython pickles there)
  };
  Kind kind = Kind::None;
  bool flag = false;               // Bool
  double number = 0;               // Float
  std::string text;                // Int (decimal), Str (UTF-8), Bytes, Function: qualname,
                                   // Builtin: its module's name, Module: its name
  std::string name;                // Builtin: its name in the module; Function: __name__
  std::vector<Shareable> items;    // Tuple, List, Set, FrozenSet; Dict: key, value, key...;
                                   // Function: its defaults
  // Function: the module globals its code refers to that can cross (functions, modules,
  // shareable values), by name: they are bound in the receiving __main__ if it lacks them.
  std::vector<std::pair<std::string, Shareable>> globals;
  Code* code = nullptr;            // Function
  std::shared_ptr<CrossQueue> queue;
};

// Copies `obj` out of the calling thread's interpreter. With copy_containers, lists,
// dicts and sets cross as copies too (what pickling gives Interpreter.call in CPython).
// False with ValueError ("... is not shareable") when it cannot cross.
bool share_value(ThreadState& ts, Value obj, Shareable* out, bool copy_containers = false);
// Rebuilds a shared value as a new object of ts's interpreter; null with an error set.
Value unshare_value(ThreadState& ts, const Shareable& shared);

// What an exception that ended a job in a subinterpreter looked like, for the caller's
// ExecutionFailed: its type's name, str(exc), the "Type: message" line, the traceback.
struct ExceptionInfo {
  std::string type_name;
  std::string message;
  std::string formatted;
  std::string traceback;
};

// A job runs on the subinterpreter's main thread with its ThreadState; it must not touch
// the caller's objects (pass Shareables and strings).
using SubinterpreterJob = std::function<void(ThreadState& sub)>;

// Starts a new interpreter, in the caller's GIL mode, on a new thread; returns its id (> 0)
// or -1 with an error set.
int64_t subinterpreter_create(ThreadState& caller);
// Runs `job` in interpreter `id` and waits for it, with the caller's GIL released (or the
// caller offline). One job at a time per interpreter. False with an error set when there
// is no such interpreter, or when it is the caller's own.
bool subinterpreter_run(ThreadState& caller, int64_t id, const SubinterpreterJob& job);
// Ends interpreter `id`: it waits for its own non-daemon threads, then its thread exits.
bool subinterpreter_destroy(ThreadState& caller, int64_t id);
// True while a job runs in interpreter `id`.
bool subinterpreter_is_running(int64_t id);
// The ids of the live interpreters: 0 (the main one) first, then the subinterpreters.
std::vector<int64_t> interpreter_ids();
// An interpreter's exit ends the subinterpreters it created that are still alive.
void subinterpreters_close_owned(ThreadState& ts);

// The exception pending on ts (taken), described for another interpreter.
ExceptionInfo take_exception_info(ThreadState& ts);

}  // namespace mvm
