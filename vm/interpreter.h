// An Interpreter: everything a script can change (modules, sys, builtins) plus its threads.
// Several Interpreters can live in one process; they share only the immutable Runtime.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/parser.h"
#include "runtime/object.h"
#include "vm/gil.h"
#include "vm/thread_state.h"

namespace mvm {

struct Module;
struct List;
struct Code;

struct InterpreterConfig {
  std::vector<std::string> argv;    // sys.argv
  std::vector<std::string> path;    // extra module search directories (sys.path)
  int gil = -1;                     // 1: GIL, 0: free-threaded, -1: build default
  bool gil_stats = false;           // -X gilstats
  std::string gil_trace;            // -X giltrace[=FILE]: "-" for the terminal picture
  bool install_signal_handlers = false;   // SIGINT -> KeyboardInterrupt (main interpreter)
};

struct Interpreter {
  InterpreterConfig config;
  int64_t id = 0;                   // 0 for the main interpreter
  Dict* modules = nullptr;          // sys.modules
  Module* builtins = nullptr;
  Dict* builtins_dict = nullptr;    // builtins.__dict__, used by LOAD_GLOBAL
  Module* sys = nullptr;
  List* sys_path = nullptr;
  int recursion_limit = 1000;       // sys.setrecursionlimit
  bool gil_enabled = true;          // fixed at creation
  Gil gil;                          // used only when gil_enabled
  std::atomic<int> running_threads{0};   // threads started by _thread still running
  std::atomic<int> finishing_threads{0}; // of those, the ones tearing down after their function
  bool finalizing = false;          // set once the main thread starts shutting down
  std::mutex threads_mutex;
  ThreadState* threads = nullptr;   // linked through ThreadState::next
  ThreadState* main_thread = nullptr;
  // Source text of every compiled file, -c string and embedded module, by file name, so
  // that tracebacks can show source lines.
  std::mutex sources_mutex;
  std::unordered_map<std::string, std::string> sources;
  // Modules whose body is running, and the thread running it, so that another thread
  // importing one of them waits until it is initialised (vm/import.cpp). Guarded by
  // import_mutex, as is the record of which module each waiting thread waits for.
  std::mutex import_mutex;
  std::condition_variable import_finished;
  std::unordered_map<std::string, ThreadState*> modules_initialising;
  std::unordered_map<ThreadState*, std::string> threads_waiting_for_module;
  Module* main_module = nullptr;
  // The embedding API's host thread (main_thread) between API calls: it has released the
  // GIL / gone offline, and `host_calls` counts the API calls it is inside (they nest when
  // a script calls a host function that uses the API). See vm/embed_api.cpp.
  std::optional<GilReleased> host_released;
  int host_calls = 0;
  // Functions that came from other interpreters run this interpreter's copies of their
  // code, with inline caches of its own (vm/subinterpreters.cpp). Guarded by the mutex.
  std::mutex code_copies_mutex;
  std::unordered_map<const Code*, Code*> code_copies;
};

// Starts the process-wide runtime if needed, then a new interpreter with its builtins, sys
// and __main__ modules. The calling thread gets the interpreter's main ThreadState and is
// attached to it.
Interpreter* create_interpreter(const InterpreterConfig& config);
// Flushes the standard streams and frees the interpreter and its main ThreadState.
void destroy_interpreter(Interpreter* interp);

ThreadState* thread_state_new(Interpreter* interp);
void thread_state_delete(ThreadState* ts);

// Compiles source and runs it in module's namespace; returns the code's value (None for
// File mode) or null with an exception set.
Value run_source(ThreadState& ts, std::string_view source, const std::string& filename, Module* module,
                 ParseMode mode);

// Takes the pending exception: SystemExit gives its exit status; anything else is printed
// as a traceback to sys.stderr and gives 1. Returns 0 when nothing is pending.
int handle_uncaught_exception(ThreadState& ts);

}  // namespace mvm
