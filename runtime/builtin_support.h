// Small helpers shared by the built-in value types (int, float, tuple, list, dict, set, range):
// allocating instances of a type that a class may subclass, and refusing to hash.
#pragma once

#include <algorithm>
#include <cstring>

#include "runtime/alloc.h"
#include "runtime/errors.h"
#include "runtime/object.h"

namespace mvm {

// Allocates an instance of `type` whose layout starts with T. A class deriving from a
// built-in type has a larger basic_size (it appends a __dict__ slot), so the allocation takes
// the larger of the two sizes plus `extra` bytes, and zeroes everything past T so that the
// appended slots start out empty. Raises MemoryError (returns null) on failure.
template <class T>
T* alloc_instance(ThreadState& ts, Type* type, size_t extra = 0) {
  size_t base = std::max(sizeof(T), type->basic_size);
  T* o = try_new_object<T>(type, base + extra);
  if (!o) {
    raise_memory_error(ts);
    return nullptr;
  }
  std::memset(reinterpret_cast<char*>(o) + sizeof(T), 0, base + extra - sizeof(T));
  return o;
}

// The hash slot of mutable containers. A null slot would inherit object's identity hash,
// so these types install this one, which raises like CPython's PyObject_HashNotImplemented.
inline int64_t hash_unhashable(ThreadState& ts, Value self) {
  raise_fmt(ts, &TypeError_type, "unhashable type: '%s'", type_name(self));
  return -1;
}

// The iter slot of iterator types: an iterator is its own iterable.
inline Value iter_return_self(ThreadState&, Value self) { return newref(self); }

// The truth of `a op b` given c = -1, 0 or 1 as a is less than, equal to or greater than b.
inline bool compare_ordering(int c, CompareOp op) {
  switch (op) {
    case CompareOp::Lt: return c < 0;
    case CompareOp::Le: return c <= 0;
    case CompareOp::Eq: return c == 0;
    case CompareOp::Ne: return c != 0;
    case CompareOp::Gt: return c > 0;
    case CompareOp::Ge: return c >= 0;
  }
  return false;
}

}  // namespace mvm
