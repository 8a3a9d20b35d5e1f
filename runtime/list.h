// list: a growable array of values. In free-threaded mode mutations take the per-object
// lock and reads are lock-free (see docs/free-threading.md).
#pragma once

#include <atomic>

#include "runtime/fast_path_lock.h"
#include "runtime/object.h"
#include "runtime/refcount.h"

namespace mvm {

extern Type list_type;

// In free-threaded mode `size`, `items` and the slots are written (under the list's lock)
// with atomic stores, and read without the lock by list_item_ref(); an item array is never
// resized in place there, and a replaced array is freed after a QSBR grace period.
struct List : Object {
  static constexpr bool kLockBiasedAtBirth = true;   // runtime/lock_bias.h
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
// The capacity of an item array, stored in the word before items[0] so that a lock-free
// reader holding an array that a writer has just replaced knows how far it may read.
inline size_t list_items_capacity(const Value* items) { return items[-1].raw(); }

#if MINIVM_FREE_THREADING
// A new reference to item i, or null (no exception) when i >= size. Lock-free, for
// free-threaded mode, where another thread may be changing the list meanwhile: the item
// stays alive until this thread's next quiescent point (removed items are released after
// a grace period), long enough to count a reference of our own.
inline Value list_item_ref_shared(List* list, size_t i) {
  Value* items = std::atomic_ref<Value*>(list->items).load(std::memory_order_acquire);
  if (i >= std::atomic_ref<size_t>(list->size).load(std::memory_order_acquire) || !items ||
      i >= list_items_capacity(items))
    return Value();
  Value v = std::atomic_ref<Value>(items[i]).load(std::memory_order_acquire);
  if (v.is_obj()) BiasedRefcount::incref(v.obj());
  return v;
}
#endif
// A new reference to item i, or null (no exception) when i >= size.
inline Value list_item_ref(List* list, size_t i) {
#if MINIVM_FREE_THREADING
  if (RefcountMode::free_threaded) return list_item_ref_shared(list, i);
#endif
  if (i >= list->size) return Value();
  return newref(list->items[i]);
}
// The number of items, readable without the list's lock.
inline size_t list_size(const List* list) {
  return std::atomic_ref<size_t>(const_cast<size_t&>(list->size)).load(std::memory_order_relaxed);
}
// Frees an item array taken out of a list (list.sort puts its array back and drops the
// one that code run by comparisons made).
void list_items_free(Value* items);
// Replaces item i (< size) with v (borrowed), dropping the old item.
void list_set_item(List* list, size_t i, Value v);
// The eval loop's `list[i] = v`: when i (negative counts from the end) is in range, and in
// free-threaded mode the list's lock is free, stores v, taking over the caller's reference,
// and returns the old item for the caller to drop with decref_after_readers. Otherwise
// returns null and changes nothing: the caller takes the general path.
template <bool kFreeThreaded>
inline Value list_exchange_item_fast(List* list, int64_t i, Value v) {
  if constexpr (kFreeThreaded) {
    FastPathLock lock;
    if (!lock.acquire(list)) return Value();
    size_t n = list->size;
    if (i < 0) i += int64_t(n);
    Value old;
    if (uint64_t(i) < n) {
      old = list->items[i];
      std::atomic_ref<Value>(list->items[i]).store(v, std::memory_order_release);
    }
    lock.release();
    return old;
  } else {
    if (i < 0) i += int64_t(list->size);
    if (uint64_t(i) >= list->size) return Value();
    Value old = list->items[i];
    list->items[i] = v;
    return old;
  }
}
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
