// Argument binding for native functions: positional and keyword arguments to named slots.
#pragma once

#include <initializer_list>

#include "runtime/object.h"

namespace mvm {

// Binds args to the parameters named in `params` (in order): positionals fill the first
// slots, keywords by name. out[i] is a borrowed value, or null for an omitted optional
// parameter. The first `required` parameters must be given. Parameters at index >=
// max_positional are keyword-only. Raises TypeError with CPython's wording (naming `fname`)
// for too many, missing, duplicate or unexpected arguments.
bool bind_args(ThreadState& ts, const char* fname, const Value* args, size_t nargs,
               Tuple* kwnames, std::initializer_list<const char*> params, size_t required,
               Value* out, size_t max_positional = SIZE_MAX);
// Raises TypeError "f() takes no keyword arguments" when kwnames is non-empty.
bool check_no_kwargs(ThreadState& ts, const char* fname, Tuple* kwnames);
// Raises TypeError unless min <= nargs <= max, with CPython's wording.
bool check_nargs(ThreadState& ts, const char* fname, size_t nargs, size_t min, size_t max);

}  // namespace mvm
