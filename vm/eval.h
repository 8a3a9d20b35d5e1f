// The bytecode interpreter's entry points: running a code object, calling a Python function.
#pragma once

#include "runtime/object.h"

namespace mvm {

struct Function;
struct Code;
struct Frame;

// Calls a Python function with vectorcall-style arguments (see NativeFn in object.h).
Value call_python_function(ThreadState& ts, Function* func, const Value* args, size_t nargs,
                           Tuple* kwnames);
// Like call_python_function with `self` prepended to the positional arguments, without
// copying them when it can be avoided (bound methods, LOAD_METHOD calls).
Value call_python_function_with_self(ThreadState& ts, Function* func, Value self, const Value* args,
                                     size_t nargs, Tuple* kwnames);
// Runs a module-level or class-body code object with the given globals and locals dicts
// (locals may equal globals). Returns the value of the code (None for modules).
Value eval_code(ThreadState& ts, Code* code, Dict* globals, Dict* locals);

}  // namespace mvm

namespace mvm {
// Runs a class body (a function made by the compiler for `class C: ...`) with `ns` as its
// namespace; returns the body's value (None).
Value eval_class_body(ThreadState& ts, Function* func, Dict* ns);
// Runs a generator's frame from its first instruction (on the generator's own stack).
Value run_generator_frame(ThreadState& ts, Frame* frame);
}  // namespace mvm
