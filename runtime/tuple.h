// tuple: an immutable array of values, allocated in one block.
#pragma once

#include <initializer_list>

#include "runtime/object.h"

namespace mvm {

extern Type tuple_type;

struct Tuple : Object {
  size_t size = 0;
  Value items[1];          // allocated to fit `size` items
};

inline bool is_tuple(Value v) {
  return v.is_obj() && (v.obj()->ob_type == &tuple_type || (v.obj()->ob_type->flags & kTypeTupleSubclass));
}
// A new tuple with n null items that the caller fills with owned references.
// Raises MemoryError (returns null) when n is too large.
Tuple* tuple_new(ThreadState& ts, size_t n);
// A tuple that borrows nothing: each value is increfed.
Tuple* tuple_pack(ThreadState& ts, std::initializer_list<Value> values);
Tuple* tuple_from_array(ThreadState& ts, const Value* items, size_t n);
// The immortal empty tuple.
Tuple* empty_tuple();
// tuple(iterable)
Value tuple_from_iterable(ThreadState& ts, Value iterable);

// --- Additions for the eval loop and other types. ---

inline Value tuple_get_item(const Tuple* t, size_t i) { return t->items[i]; }   // borrowed

// A new tuple holding items [lo, hi) of t (borrowed; the new tuple takes references).
Value tuple_slice(ThreadState& ts, Tuple* t, size_t lo, size_t hi);

// Instances of a class deriving from tuple keep the class's extra fields (such as its
// __dict__ slot: basic_size - sizeof(Tuple) bytes, zeroed) after the items, since the item
// count varies: this is where they start.
inline char* tuple_subclass_extra(Tuple* t) {
  return reinterpret_cast<char*>(t->items + (t->size > 1 ? t->size : 1));
}

// The iterator over a tuple's items.
extern Type tuple_iterator_type;
struct TupleIterator : Object {
  Tuple* tuple = nullptr;   // owned; null once exhausted
  size_t index = 0;
};
Value tuple_iter(ThreadState& ts, Value tuple);

}  // namespace mvm
