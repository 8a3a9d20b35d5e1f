// The object protocol: generic operations that dispatch through type slots, as Python's
// operators and builtins do. Results are new references (null on error) unless noted.
#pragma once

#include <string>

#include "runtime/object.h"
#include "runtime/refcount.h"

namespace mvm {

Value object_repr(ThreadState& ts, Value v);
Value object_str(ThreadState& ts, Value v);
int64_t object_hash(ThreadState& ts, Value v);              // -1 on error (TypeError: unhashable)
int object_truth(ThreadState& ts, Value v);                 // 0/1, -1 on error
Value object_compare(ThreadState& ts, Value a, Value b, CompareOp op);
// Compare and convert to bool: 0/1, -1 on error. Identity implies equality for Eq/Ne.
int object_compare_bool(ThreadState& ts, Value a, Value b, CompareOp op);
int object_equal(ThreadState& ts, Value a, Value b);        // a == b as 0/1, -1 on error

Value binary_op(ThreadState& ts, Value a, Value b, BinaryOp op);   // op may carry kInplaceFlag
Value unary_op(ThreadState& ts, Value v, UnaryOp op);

int64_t object_length(ThreadState& ts, Value v);           // -1 on error
Value object_getitem(ThreadState& ts, Value obj, Value key);
int object_setitem(ThreadState& ts, Value obj, Value key, Value value);
int object_delitem(ThreadState& ts, Value obj, Value key);
int object_contains(ThreadState& ts, Value container, Value item);   // 0/1, -1 on error

Value object_getattr(ThreadState& ts, Value obj, Str* name);
Value object_getattr(ThreadState& ts, Value obj, const char* name);
// Like getattr but a missing attribute returns null *without* an exception; other errors
// still raise.
Value object_lookup_attr(ThreadState& ts, Value obj, Str* name);
int object_setattr(ThreadState& ts, Value obj, Str* name, Value value);
int object_delattr(ThreadState& ts, Value obj, Str* name);
// The generic lookup that object's getattr/setattr slots use: data descriptors on the type,
// then the instance __dict__, then other class attributes (binding functions to obj).
Value generic_getattr(ThreadState& ts, Value obj, Str* name);
int generic_setattr(ThreadState& ts, Value obj, Str* name, Value value);

Value object_call(ThreadState& ts, Value callable, const Value* args, size_t nargs,
                  Tuple* kwnames = nullptr);
Value call_function(ThreadState& ts, Value callable, std::initializer_list<Value> args);
// obj.name(*args)
Value call_method(ThreadState& ts, Value obj, Str* name, std::initializer_list<Value> args);
Value call_method(ThreadState& ts, Value obj, const char* name, std::initializer_list<Value> args);
// callable(*args_tuple, **kwargs_dict); kwargs may be null.
Value call_with_tuple(ThreadState& ts, Value callable, Tuple* args, Dict* kwargs);
bool is_callable(Value v);

Value object_iter(ThreadState& ts, Value v);
// Next item of an iterator: null without exception when exhausted.
Value iter_next(ThreadState& ts, Value iterator);

// Type relations.
bool type_is_subtype(const Type* a, const Type* b);
inline bool is_instance_of(Value v, const Type* t) {
  const Type* vt = type_of(v);
  return vt == t || type_is_subtype(vt, t);
}
// isinstance(v, cls) with tuples of classes; 0/1, -1 on error.
int object_isinstance(ThreadState& ts, Value v, Value cls);
// Finds name along type's MRO; borrowed result or null. Never raises.
Value type_lookup(Type* type, Str* name);


}  // namespace mvm
