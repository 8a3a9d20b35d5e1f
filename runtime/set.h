// set and frozenset: hash tables of keys.
#pragma once

#include <atomic>

#include "runtime/object.h"

namespace mvm {

extern Type set_type;
extern Type frozenset_type;

struct SetEntry {
  Value key;        // null: empty; the dummy object: deleted
  int64_t hash;
};

// In free-threaded mode a set's fields are read and written under its lock
// (runtime/set_lock.h), except `used`, which len() reads without it, and `hash`, which
// frozensets cache on first use; both are accessed as atomics. A frozenset is read without
// any lock: it never changes once built.
struct Set : Object {
  size_t used = 0;
  size_t fill = 0;          // used + deleted
  size_t mask = 0;          // table size - 1
  SetEntry* table = nullptr;
  int64_t hash = -1;        // frozenset only
  size_t finger = 0;        // where set.pop() resumes its scan (CPython's "finger")
};

// The number of keys, readable without the set's lock: some recent value.
inline size_t set_size(const Set* s) {
  return std::atomic_ref<size_t>(const_cast<size_t&>(s->used)).load(std::memory_order_relaxed);
}

inline bool is_anyset(Value v) {
  return v.is_obj() && (v.obj()->ob_type == &set_type || v.obj()->ob_type == &frozenset_type);
}
Set* set_new(ThreadState& ts, Type* type = &set_type);
int set_add(ThreadState& ts, Set* s, Value key);          // -1 on error
int set_contains(ThreadState& ts, Set* s, Value key);     // 0/1, -1 on error
int set_discard(ThreadState& ts, Set* s, Value key);      // 1 removed, 0 missing, -1 error
int set_update(ThreadState& ts, Set* s, Value iterable);  // -1 on error
// Borrowed keys by table position; the caller holds the set's lock (runtime/set_lock.h).
bool set_next(Set* s, size_t* pos, Value* key);
Value set_from_iterable(ThreadState& ts, Value iterable, Type* type = &set_type);

// --- Additions for dict views, the eval loop and builtins. ---

// set, frozenset, or an instance of a subclass of either (they share the Set layout).
bool is_anyset_instance(Value v);
// The in-place operations behind -=, &= and ^= (and the *_update methods). -1 on error.
int set_difference_update(ThreadState& ts, Set* s, Value other);
int set_intersection_update(ThreadState& ts, Set* s, Value other);
int set_symmetric_difference_update(ThreadState& ts, Set* s, Value other);
// s.pop(): an arbitrary key (owned); KeyError "pop from an empty set" when empty.
Value set_pop(ThreadState& ts, Set* s);
void set_clear(ThreadState& ts, Set* s);

// iter(set): raises RuntimeError "Set changed size during iteration" when the set changes
// size under it (set_iter.cpp).
extern Type set_iterator_type;
// The iterator keeps its set until it is freed, so that threads sharing the iterator never
// find the set gone while they wait for its lock.
struct SetIterator : Object {
  Set* set = nullptr;          // owned
  size_t pos = 0;              // next table slot; past the table once exhausted
  size_t expected_used = 0;    // the set's size when iteration began
};
Value set_iter(ThreadState& ts, Value set);

}  // namespace mvm
