// Helpers shared by the native standard-library modules: calling special methods, reading
// keyword arguments and converting common argument kinds. Static types use
// MINIVM_TYPE_SETUP from runtime/type.h and alloc_instance from runtime/builtin_support.h
// like every other built-in type.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "runtime/builtin_support.h"
#include "runtime/object.h"

namespace mvm {

struct Module;

// Adds each type to the module under its own name.
int module_add_types(ThreadState& ts, Module* m, std::initializer_list<Type*> types);

// Looks `name` up on the type of obj (as CPython does for dunder methods) and calls it with
// obj as the first argument. Returns null without an exception when the type has no such
// method (*missing is then true); otherwise the call's result.
Value call_special(ThreadState& ts, Value obj, const char* name,
                   std::initializer_list<Value> args, bool* missing);

// Splits native keyword arguments: for each name in kwnames, finds it in `names` and stores
// the value (borrowed) in out[i]. Raises TypeError "'x' is an invalid keyword argument for
// fname()" for an unknown name. args points at the positional arguments (as NativeFn gets).
bool parse_kwargs(ThreadState& ts, const char* fname, const Value* args, size_t nargs,
                  Tuple* kwnames, std::initializer_list<const char*> names, Value* out);

// A new str from UTF-8 text, raising MemoryError on failure.
Value new_str(ThreadState& ts, std::string_view utf8);

// `value` as a str, or a TypeError naming what was expected:
// "<what> must be str, not int". Returns null on error (exception set).
const Str* expect_str(ThreadState& ts, Value value, const char* what);

// The truth of an optional argument: `dflt` when arg is null. -1 on error.
int optional_truth(ThreadState& ts, Value arg, bool dflt);

// A real number as a double: float, int (OverflowError if too large) or an object with
// __float__; TypeError "must be real number, not str" otherwise.
bool to_double(ThreadState& ts, Value v, double* out);

// An integer argument as an int Value (new reference): ints are returned as they are,
// other objects are converted through __index__; TypeError "'float' object cannot be
// interpreted as an integer" otherwise.
Value to_index(ThreadState& ts, Value v);

}  // namespace mvm
