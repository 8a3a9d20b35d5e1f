// list.sort(): a stable natural merge sort, a simplified timsort (ascending and strictly
// descending runs, binary insertion sort up to a minimum run length, and merges that keep
// the run-stack invariants; no galloping). Comparisons run Python code that may fail or
// misbehave, so every step keeps the array a permutation of its items and an error stops
// the sort cleanly: std::sort with such a comparator would be undefined behaviour.
#include <algorithm>
#include <cstring>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/list.h"
#include "runtime/refcount.h"
#include "runtime/str.h"

namespace mvm {

namespace {

struct SortItem {
  Value key;     // the item itself, or key(item)
  Value value;
};

// When every key has the same simple type, comparisons skip the generic protocol (as
// CPython's unsafe_*_compare do); the results are the same as `<` would give.
enum class KeyKind { SmallInt, Float, Str, Generic };

KeyKind classify(const std::vector<SortItem>& items) {
  auto all = [&items](auto pred) {
    return std::all_of(items.begin(), items.end(), [&](const SortItem& s) { return pred(s.key); });
  };
  if (all([](Value k) { return k.is_small_int(); })) return KeyKind::SmallInt;
  if (all([](Value k) { return is_float(k); })) return KeyKind::Float;
  if (all([](Value k) { return is_exact_str(k); })) return KeyKind::Str;
  return KeyKind::Generic;
}

class Sorter {
 public:
  Sorter(ThreadState& ts, KeyKind kind) : ts_(ts), kind_(kind) {}

  // Sorts v[0..n) by key; false (with the exception set) if a comparison failed.
  bool sort(SortItem* v, size_t n) {
    base_ = v;
    size_t min_run = compute_min_run(n);
    for (size_t start = 0; start < n;) {
      size_t length;
      if (!count_run(v + start, n - start, &length)) return false;
      if (length < min_run) {
        size_t forced = std::min(min_run, n - start);
        if (!binary_insertion_sort(v + start, forced, length)) return false;
        length = forced;
      }
      runs_.push_back({start, length});
      if (!merge_collapse()) return false;
      start += length;
    }
    while (runs_.size() > 1)
      if (!merge_at(runs_.size() - 2)) return false;
    return true;
  }

 private:
  struct Run {
    size_t start, length;
  };

  // a.key < b.key: 1 or 0, or -1 with an exception set.
  int less(const SortItem& a, const SortItem& b) {
    switch (kind_) {
      case KeyKind::SmallInt: return a.key.as_small_int() < b.key.as_small_int();
      case KeyKind::Float: return float_value(a.key) < float_value(b.key);
      case KeyKind::Str: return str_view(a.key) < str_view(b.key);   // UTF-8 order is code point order
      case KeyKind::Generic: return object_compare_bool(ts_, a.key, b.key, CompareOp::Lt);
    }
    return 0;
  }

  // Timsort's minimum run length: n/2**k in [32, 64], rounded up if any bit was shifted out.
  static size_t compute_min_run(size_t n) {
    size_t extra = 0;
    while (n >= 64) {
      extra |= n & 1;
      n >>= 1;
    }
    return n + extra;
  }

  // The length of the run at the start of v: non-descending, or strictly descending (which
  // is reversed in place; strictness keeps the sort stable).
  bool count_run(SortItem* v, size_t n, size_t* length) {
    *length = 1;
    if (n == 1) return true;
    int descending = less(v[1], v[0]);
    if (descending < 0) return false;
    size_t i = 2;
    for (; i < n; i++) {
      int c = less(v[i], v[i - 1]);
      if (c < 0) return false;
      if (c != descending) break;
    }
    if (descending) std::reverse(v, v + i);
    *length = i;
    return true;
  }

  // Extends the sorted prefix v[0..sorted) to all of v[0..n).
  bool binary_insertion_sort(SortItem* v, size_t n, size_t sorted) {
    for (size_t i = sorted; i < n; i++) {
      SortItem pivot = v[i];
      size_t lo = 0, hi = i;
      while (lo < hi) {   // after equal keys, for stability
        size_t mid = lo + (hi - lo) / 2;
        int c = less(pivot, v[mid]);
        if (c < 0) return false;   // pivot is still in v[i]: nothing moved yet
        if (c)
          hi = mid;
        else
          lo = mid + 1;
      }
      std::memmove(static_cast<void*>(v + lo + 1), v + lo, (i - lo) * sizeof(SortItem));
      v[lo] = pivot;
    }
    return true;
  }

  // Merges the adjacent sorted runs base[0..na) and base[na..na+nb). The left run waits in
  // tmp_; if a comparison fails, the rest of it is copied back into the gap, which is
  // exactly its size, so no item is lost or duplicated.
  bool merge(SortItem* base, size_t na, size_t nb) {
    tmp_.assign(base, base + na);
    SortItem* a = tmp_.data();
    SortItem* a_end = a + na;
    SortItem* b = base + na;
    SortItem* b_end = b + nb;
    SortItem* dest = base;
    bool ok = true;
    while (a < a_end && b < b_end) {
      int c = less(*b, *a);   // take from the left run on ties, for stability
      if (c < 0) {
        ok = false;
        break;
      }
      *dest++ = c ? *b++ : *a++;
    }
    std::copy(a, a_end, dest);
    return ok;
  }

  bool merge_at(size_t i) {
    Run& left = runs_[i];
    const Run& right = runs_[i + 1];
    if (!merge(base_ + left.start, left.length, right.length)) return false;
    left.length += right.length;
    runs_.erase(runs_.begin() + ptrdiff_t(i) + 1);
    return true;
  }

  // Restores the invariants len[i-2] > len[i-1] + len[i] and len[i-1] > len[i] on the top
  // runs (checking four deep, the corrected form), which bounds the stack and keeps merges
  // balanced.
  bool merge_collapse() {
    while (runs_.size() > 1) {
      size_t n = runs_.size() - 2;
      auto len = [this](size_t i) { return runs_[i].length; };
      if ((n > 0 && len(n - 1) <= len(n) + len(n + 1)) ||
          (n > 1 && len(n - 2) <= len(n - 1) + len(n))) {
        if (len(n - 1) < len(n + 1)) n--;
      } else if (len(n) > len(n + 1)) {
        break;
      }
      if (!merge_at(n)) return false;
    }
    return true;
  }

  ThreadState& ts_;
  KeyKind kind_;
  SortItem* base_ = nullptr;
  std::vector<Run> runs_;
  std::vector<SortItem> tmp_;
};

}  // namespace

int list_sort(ThreadState& ts, List* list, Value key, bool reverse) {
  size_t n = list->size;
  if (n < 2 && !key) return 0;
  // The items leave the list while they are sorted, so code run by comparisons sees an
  // empty list; anything it puts there is discarded and reported afterwards.
  Value* items = list->items;
  size_t capacity = list->capacity;
  std::atomic_ref<size_t>(list->size).store(0, std::memory_order_release);
  std::atomic_ref<Value*>(list->items).store(nullptr, std::memory_order_release);
  list->capacity = 0;

  std::vector<SortItem> v(n);
  size_t keys_made = 0;
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    v[i].value = items[i];
    v[i].key = items[i];
  }
  if (key) {
    for (; keys_made < n; keys_made++) {
      Value k = call_function(ts, key, {items[keys_made]});
      if (!k) {
        ok = false;
        break;
      }
      v[keys_made].key = k;
    }
  }
  if (ok && n > 1) {
    // Sorting the reversed list and reversing the result keeps equal items in their
    // original order, as CPython's reverse=True does.
    if (reverse) std::reverse(v.begin(), v.end());
    Sorter sorter(ts, classify(v));
    ok = sorter.sort(v.data(), n);
    if (reverse) std::reverse(v.begin(), v.end());
  }
  // A lock-free reader that loaded the array before it left the list may still read it.
  for (size_t i = 0; i < n; i++) std::atomic_ref<Value>(items[i]).store(v[i].value, std::memory_order_release);
  if (key)
    for (size_t i = 0; i < keys_made; i++) decref(v[i].key);

  Value* intruders = list->items;
  size_t intruder_count = list->size;
  bool modified = intruders != nullptr || intruder_count != 0;
  std::atomic_ref<Value*>(list->items).store(items, std::memory_order_release);
  std::atomic_ref<size_t>(list->size).store(n, std::memory_order_release);
  list->capacity = capacity;
  for (size_t i = 0; i < intruder_count; i++) decref(intruders[i]);
  list_items_free(intruders);
  if (modified && ok) {
    raise(ts, &ValueError_type, "list modified during sort");
    ok = false;
  }
  return ok ? 0 : -1;
}

}  // namespace mvm
