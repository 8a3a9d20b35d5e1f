// Algorithms shared by the array-backed sequences, list and tuple: element-wise comparison,
// membership, search, repr, and the operand checks of + and *. Comparing elements can run
// Python code that resizes a list, so every loop re-reads the size and the item array
// through seq_size/seq_item instead of caching them.
#pragma once

#include <string>

#include "runtime/abstract.h"
#include "runtime/errors.h"
#include "runtime/list.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "vm/thread_state.h"

namespace mvm {

inline size_t seq_size(const List* l) { return l->size; }
inline Value seq_item(const List* l, size_t i) { return l->items[i]; }
inline size_t seq_size(const Tuple* t) { return t->size; }
inline Value seq_item(const Tuple* t, size_t i) { return t->items[i]; }

// a == b for two items: identity first, as CPython's containers do, and no call out for
// two small ints (equal ones are identical) or two exact strings. 0/1, -1 on error.
inline int items_equal(ThreadState& ts, Value a, Value b) {
  if (a == b) return 1;
  if (a.is_small_int() && b.is_small_int()) return 0;
  if (is_exact_str(a) && is_exact_str(b)) return str_equal(a.as<Str>(), b.as<Str>());
  return object_equal(ts, a, b);
}

// Lexicographic comparison of two sequences of the same kind (CPython's list_richcompare).
template <class Seq>
Value sequence_compare(ThreadState& ts, Seq* a, Seq* b, CompareOp op) {
  if ((op == CompareOp::Eq || op == CompareOp::Ne) && seq_size(a) != seq_size(b))
    return bool_value(op == CompareOp::Ne);
  // Find the first index where the items differ.
  size_t i = 0;
  for (; i < seq_size(a) && i < seq_size(b); i++) {
    Ref x(newref(seq_item(a, i))), y(newref(seq_item(b, i)));
    int eq = items_equal(ts, x.get(), y.get());
    if (eq < 0) return Value();
    if (!eq) break;
  }
  if (i >= seq_size(a) || i >= seq_size(b)) {
    size_t na = seq_size(a), nb = seq_size(b);
    int c = (na > nb) - (na < nb);
    switch (op) {
      case CompareOp::Lt: return bool_value(c < 0);
      case CompareOp::Le: return bool_value(c <= 0);
      case CompareOp::Eq: return bool_value(c == 0);
      case CompareOp::Ne: return bool_value(c != 0);
      case CompareOp::Gt: return bool_value(c > 0);
      case CompareOp::Ge: return bool_value(c >= 0);
    }
  }
  if (op == CompareOp::Eq) return false_value();
  if (op == CompareOp::Ne) return true_value();
  Ref x(newref(seq_item(a, i))), y(newref(seq_item(b, i)));
  return object_compare(ts, x.get(), y.get(), op);
}

// The first index in [start, stop) whose item equals `item`: the index, -1 if none, or -2
// with an exception set.
template <class Seq>
int64_t sequence_find(ThreadState& ts, Seq* s, Value item, int64_t start, int64_t stop) {
  for (int64_t i = start; i < stop && size_t(i) < seq_size(s); i++) {
    Ref candidate(newref(seq_item(s, size_t(i))));
    int eq = items_equal(ts, candidate.get(), item);
    if (eq < 0) return -2;
    if (eq) return i;
  }
  return -1;
}

template <class Seq>
int sequence_contains(ThreadState& ts, Seq* s, Value item) {
  int64_t found = sequence_find(ts, s, item, 0, INT64_MAX);
  return found == -2 ? -1 : found >= 0;
}

// How many items equal `item`; -1 with an exception set.
template <class Seq>
int64_t sequence_count(ThreadState& ts, Seq* s, Value item) {
  int64_t count = 0;
  for (size_t i = 0; i < seq_size(s); i++) {
    Ref candidate(newref(seq_item(s, i)));
    int eq = items_equal(ts, candidate.get(), item);
    if (eq < 0) return -1;
    count += eq;
  }
  return count;
}

// Appends repr(v) to out; false with an exception set.
bool append_repr(ThreadState& ts, std::string& out, Value v);

// "[1, 2]" or "(1, 2)"; a one-item tuple gets its trailing comma. A sequence that contains
// itself shows as [...] at the inner occurrence.
template <class Seq>
Value sequence_repr(ThreadState& ts, Seq* s, char open, char close, bool comma_for_one) {
  std::string out(1, open);
  if (seq_size(s) == 0) return str_value(out + close);
  if (repr_enter(ts, s)) return str_value(out + "..." + close);
  for (size_t i = 0; i < seq_size(s); i++) {
    if (i > 0) out += ", ";
    if (!append_repr(ts, out, seq_item(s, i))) {
      repr_leave(ts, s);
      return Value();
    }
  }
  if (comma_for_one && seq_size(s) == 1) out += ',';
  out += close;
  repr_leave(ts, s);
  Str* result = str_new_checked(ts, out);
  return result ? Value::from_obj(result) : Value();
}

// The optional start/stop arguments of index(): either may be null; they are clamped like
// slice bounds and made non-negative. False with an exception set.
bool sequence_index_bounds(ThreadState& ts, Value start_arg, Value stop_arg, size_t length,
                           int64_t* start, int64_t* stop);

// The right operand of `seq + other` when it is not a sequence of seq's kind: returns
// NotImplemented when other's class might define __radd__, else raises CPython's
// 'can only concatenate list (not "tuple") to list'.
Value sequence_concat_error(ThreadState& ts, const char* seq_name, Value other);

// The n of `seq * n`: 1 with *out set (negative counts become 0); 0 without an exception
// when n is an instance of a class that may define __rmul__ (the caller then returns
// NotImplemented); -1 with an exception set, such as CPython's "can't multiply sequence by
// non-int of type 'float'" or OverflowError for a huge n.
int sequence_repeat_count(ThreadState& ts, Value count, int64_t* out);

}  // namespace mvm
