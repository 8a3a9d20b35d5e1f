// list: a growable array of values. In free-threaded mode mutations take the per-object
// lock and reads are lock-free (see docs/free-threading.md).
#pragma once

#include "runtime/object.h"

namespace mvm {

extern Type list_type;

struct List : Object {
  size_t size = 0;
  size_t capacity = 0;
  Value* items = nullptr;    // capacity slots, the first `size` hold owned references
};

inline bool is_list(Value v) {
  return v.is_obj() && (v.obj()->ob_type == &list_type || (v.obj()->ob_type->flags & kTypeListSubclass));
}
// A new empty list with room for `reserve` items (MemoryError on failure).
List* list_new(ThreadState& ts, size_t reserve = 0);
// Appends v (borrowed: the list takes its own reference). -1 on MemoryError.
int list_append(ThreadState& ts, List* list, Value v);
// Appends every item of iterable. -1 on error.
int list_extend(ThreadState& ts, List* list, Value iterable);
// list(iterable)
Value list_from_iterable(ThreadState& ts, Value iterable);
// Sorts in place like list.sort(key=..., reverse=...); key may be null. -1 on error.
int list_sort(ThreadState& ts, List* list, Value key, bool reverse);
Value list_as_tuple(ThreadState& ts, List* list);

// --- Additions for the eval loop and other types. ---

inline Value list_get_item(const List* l, size_t i) { return l->items[i]; }   // borrowed; i < size
// Replaces item i (< size) with v (borrowed), dropping the old item.
void list_set_item(List* list, size_t i, Value v);
// list.insert(index, v): index is clamped to [0, size] after adding size to a negative one.
int list_insert(ThreadState& ts, List* list, int64_t index, Value v);
// Removes item i (< size) and returns it (an owned reference).
Value list_pop(List* list, size_t i);
// Replaces items [lo, hi) with n items (borrowed; the list takes references). `items` must
// not point into this list's own array. -1 on MemoryError.
int list_replace_range(ThreadState& ts, List* list, size_t lo, size_t hi, const Value* items, size_t n);
// Removes every item.
void list_clear(List* list);
// A new list holding items [lo, hi).
Value list_slice(ThreadState& ts, List* list, size_t lo, size_t hi);

// Iterators over a list, forwards and backwards. They hold the list and an index and check
// the index against the current size on every step, so a list that changes size while it
// is iterated is never read out of bounds.
extern Type list_iterator_type, list_reverseiterator_type;
struct ListIterator : Object {
  List* list = nullptr;      // owned; null once exhausted
  size_t index = 0;          // next position (reverse: the position + 1, so 0 means done)
};
Value list_iter(ThreadState& ts, Value list);
Value list_reversed(ThreadState& ts, Value list);

}  // namespace mvm
