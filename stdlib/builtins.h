// Pieces of the builtins module that live in separate files (iterator types, numeric
// functions), for builtins.cpp to assemble into the module.
#pragma once

#include "runtime/object.h"

namespace mvm {

// builtins_iter.cpp: the iterator types behind enumerate(), zip(), map(), filter(),
// reversed() and two-argument iter(), plus iter() and next().
extern Type enumerate_type, zip_type, map_type, filter_type, reversed_type,
    callable_iterator_type;
extern const MethodDef kBuiltinIterFunctions[];

// builtins_numeric.cpp: abs, round, divmod, pow, sum, hex, oct, bin.
extern const MethodDef kBuiltinNumericFunctions[];

// dir(obj): the sorted attribute names of obj (the no-argument form is the lead's).
Value builtin_dir_of(ThreadState& ts, Value obj);

}  // namespace mvm
