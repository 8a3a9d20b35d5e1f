// Module objects and the table of native (C++) modules that `import` can find.
#pragma once

#include "runtime/object.h"

namespace mvm {

extern Type module_type;

struct Module : Object {
  Dict* dict = nullptr;     // the module's globals; holds __name__, __file__, ...
  Str* name = nullptr;
};

// A new module with __name__ set (and __file__ if file is non-empty).
Module* module_new(ThreadState& ts, std::string_view name, std::string_view file = {});
// Adds each function of a null-terminated MethodDef table as a builtin function.
int module_add_functions(ThreadState& ts, Module* m, const MethodDef* defs);
// m.name = value (value borrowed).
int module_add(ThreadState& ts, Module* m, const char* name, Value value);
// Borrowed attribute lookup in a module's dict; null if missing (no exception).
Value module_get(Module* m, const char* name);

// A module implemented in C++. `init` fills the fresh module (which already has __name__)
// and returns 0, or -1 with an exception set. Native modules are created once per
// Interpreter, on first import.
struct NativeModuleDef {
  const char* name;
  int (*init)(ThreadState& ts, Module* module);
};

// A builtin function object wrapping a MethodDef; self is bound for methods of a module or
// object (null for none).
Value native_function_new(ThreadState& ts, const MethodDef* def, Value self);

}  // namespace mvm
