// The registry of native (C++) standard-library modules that `import` can find, and the
// start-up hooks the Interpreter calls to create `builtins` and `sys`.
#pragma once

#include "runtime/module.h"

namespace mvm {

// Every native module by name; terminated by an entry whose name is null.
extern const NativeModuleDef kNativeModules[];

// Fill the fresh `builtins` and `sys` modules; the Interpreter calls these first, before any
// other module exists (builtins, then sys). 0, or -1 with an exception set.
int init_builtins_module(ThreadState& ts, Module* m);
int init_sys_module(ThreadState& ts, Module* m);

// Flushes sys.stdout and sys.stderr (and the original streams behind them) at interpreter
// shutdown. Errors are reported to nobody, as CPython ignores them at exit.
void flush_std_streams(ThreadState& ts);

// Per-module initialisers (one file each).
int init_time_module(ThreadState& ts, Module* m);
int init_math_module(ThreadState& ts, Module* m);
int init_random_module(ThreadState& ts, Module* m);
int init_os_module(ThreadState& ts, Module* m);
int init_os_path_module(ThreadState& ts, Module* m);
int init_io_module(ThreadState& ts, Module* m);
int init_collections_module(ThreadState& ts, Module* m);

// Threads and build configuration (stdlib/thread_module.cpp, stdlib/sysconfig_module.cpp).
int init_thread_module(ThreadState& ts, Module* m);
int init_interpreters_module(ThreadState& ts, Module* m);
int init_sysconfig_module(ThreadState& ts, Module* m);
// Adds sys._is_gil_enabled, sys.getswitchinterval/setswitchinterval and sys.flags.gil.
int add_gil_sys_entries(ThreadState& ts, Module* sys);

}  // namespace mvm
