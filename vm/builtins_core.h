// The builtins that need the VM itself: type, object, super, __build_class__, exec, eval,
// compile, globals, locals, vars, __import__ (the rest live in stdlib/builtins.cpp).
#pragma once

#include "runtime/object.h"

namespace mvm {

struct Module;

extern Type super_type;

// Adds these builtins to the builtins module. 0, or -1 with an exception set.
int add_core_builtins(ThreadState& ts, Module* builtins);

}  // namespace mvm
