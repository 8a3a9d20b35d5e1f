// range and slice objects, and the index arithmetic shared by sequences.
#pragma once

#include <atomic>

#include "runtime/int.h"
#include "runtime/object.h"

namespace mvm {

extern Type range_type;
extern Type slice_type;

// range objects hold machine integers; a range past 63 bits raises OverflowError.
struct Range : Object {
  int64_t start = 0, stop = 0, step = 1, length = 0;
};
Value range_new(ThreadState& ts, int64_t start, int64_t stop, int64_t step);

struct Slice : Object {
  Value start, stop, step;   // owned; None when omitted
};
inline bool is_slice(Value v) { return v.is_obj() && v.obj()->ob_type == &slice_type; }
// Steals nothing: start/stop/step are borrowed (null means None).
Value slice_new(ThreadState& ts, Value start, Value stop, Value step);
// Resolves a slice against a sequence length like CPython's PySlice_GetIndicesEx.
// Returns false with an exception set on bad values (zero step, non-integers).
bool slice_indices(ThreadState& ts, Slice* s, int64_t length, int64_t* start, int64_t* stop,
                   int64_t* step, int64_t* slice_length);
// Normalises a possibly negative index against length; false (no exception) if out of range.
inline bool normalize_index(int64_t* index, int64_t length) {
  if (*index < 0) *index += length;
  return *index >= 0 && *index < length;
}

// --- Additions for sequences and the eval loop. ---

// A slice bound or an index() start/stop: an int or an object with __index__, saturated to
// the int64 range (huge bounds are clamped, not errors). False with TypeError "slice
// indices must be integers or None or have an __index__ method" otherwise.
bool slice_index_value(ThreadState& ts, Value v, int64_t* out);

// The iterator of a range (forward or reversed). `next` advances with wrapping arithmetic
// so that stepping past the last value cannot overflow.
extern Type range_iterator_type;
struct RangeIterator : Object {
  int64_t start = 0;
  int64_t step = 1;
  int64_t count = 0;
  int64_t position = 0;   // items produced so far
};
// The next value of a range iterator, or null (no exception) when exhausted. Allocation-free
// for values that fit a small int, so `for i in range(n)` costs no memory traffic.
// Threads sharing an iterator may see a value twice or skip one, as in CPython, but never
// one outside the range: the value is computed from the one position read. The position is
// a relaxed atomic (a plain move on x86-64 and ARM64), so the race is a benign one.
inline Value range_iterator_next(RangeIterator* it) {
  std::atomic_ref<int64_t> position(it->position);
  int64_t i = position.load(std::memory_order_relaxed);
  if (i >= it->count) return Value();
  position.store(i + 1, std::memory_order_relaxed);
  int64_t v = int64_t(uint64_t(it->start) + uint64_t(i) * uint64_t(it->step));
  return Value::fits_small(v) ? Value::small_int(v) : int_from_int64(v);
}
// A new iterator over [start, start + step * count).
Value range_iterator_new(ThreadState& ts, int64_t start, int64_t step, int64_t count);

}  // namespace mvm
