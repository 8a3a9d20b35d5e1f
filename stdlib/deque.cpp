// collections.deque (in the native _collections module): a double-ended queue kept in a
// ring buffer. Every change goes through a handful of small mutators that also bump the
// `state` counter, so iterators notice mutation. In free-threaded mode every operation
// holds the deque's lock (runtime/critical_section.h) while it touches the ring.
#include <algorithm>
#include <atomic>
#include <string>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/critical_section.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/range.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "stdlib/modules.h"
#include "stdlib/native.h"
#include "vm/thread_state.h"

namespace mvm {

extern Type deque_type, deque_iterator_type, deque_reverse_iterator_type;

namespace {

// Invariant: items[(head + i) & (capacity - 1)] for i < size hold owned references;
// capacity is zero or a power of two. Every field is read and written under the deque's
// lock, except that len() reads `size` without it (hence the atomic stores of size_store).
struct Deque : Object {
  Value* items = nullptr;
  size_t capacity = 0;
  size_t head = 0;
  size_t size = 0;
  int64_t maxlen = -1;   // -1: unbounded
  uint64_t state = 0;    // changes on every mutation
};

Deque* as_deque(Value v) { return v.as<Deque>(); }
bool is_deque(Value v) { return is_instance_of(v, &deque_type); }

Value& slot(Deque* d, size_t i) { return d->items[(d->head + i) & (d->capacity - 1)]; }

// The size as a reader without the lock sees it: some recent value.
size_t size_relaxed(const Deque* d) {
  return std::atomic_ref<size_t>(const_cast<size_t&>(d->size)).load(std::memory_order_relaxed);
}
void size_store(Deque* d, size_t size) {
  std::atomic_ref<size_t>(d->size).store(size, std::memory_order_relaxed);
}

// --- the mutators (the caller holds the deque's lock) ------------------------------------------

bool ensure_room(ThreadState& ts, Deque* d) {
  if (d->size < d->capacity) return true;
  size_t capacity = d->capacity ? d->capacity * 2 : 8;
  Value* items = static_cast<Value*>(object_malloc(capacity * sizeof(Value)));
  if (!items) {
    raise_memory_error(ts);
    return false;
  }
  for (size_t i = 0; i < d->size; ++i) items[i] = slot(d, i);
  object_free(d->items);
  d->items = items;
  d->capacity = capacity;
  d->head = 0;
  return true;
}

// Removes and returns the first or last item (a reference the caller owns); the deque
// must not be empty.
Value take_front(Deque* d) {
  Value v = slot(d, 0);
  d->head = (d->head + 1) & (d->capacity - 1);
  size_store(d, d->size - 1);
  ++d->state;
  return v;
}

Value take_back(Deque* d) {
  Value v = slot(d, d->size - 1);
  size_store(d, d->size - 1);
  ++d->state;
  return v;
}

// append/appendleft: a full bounded deque drops an item from the other end. The dropped
// item is released last, when the deque is consistent again (its __del__ may look at it).
int push_back(ThreadState& ts, Deque* d, Value v) {
  if (d->maxlen == 0) return 0;
  Ref dropped;
  if (d->maxlen > 0 && int64_t(d->size) >= d->maxlen) dropped.reset(take_front(d));
  if (!ensure_room(ts, d)) return -1;
  slot(d, d->size) = newref(v);
  size_store(d, d->size + 1);
  ++d->state;
  return 0;
}

int push_front(ThreadState& ts, Deque* d, Value v) {
  if (d->maxlen == 0) return 0;
  Ref dropped;
  if (d->maxlen > 0 && int64_t(d->size) >= d->maxlen) dropped.reset(take_back(d));
  if (!ensure_room(ts, d)) return -1;
  d->head = (d->head + d->capacity - 1) & (d->capacity - 1);
  slot(d, 0) = newref(v);
  size_store(d, d->size + 1);
  ++d->state;
  return 0;
}

// Detaches every item first, so that destructors running during the decrefs see an
// empty, consistent deque.
void clear_items(Deque* d) {
  Value* items = d->items;
  size_t capacity = d->capacity, head = d->head, size = d->size;
  d->items = nullptr;
  d->capacity = d->head = 0;
  size_store(d, 0);
  ++d->state;
  for (size_t i = 0; i < size; ++i) decref(items[(head + i) & (capacity - 1)]);
  object_free(items);
}

// Moves the last n items to the front (n may be negative). The size never changes on the
// way, so len() without the lock cannot see an item missing.
void rotate_items(Deque* d, int64_t n) {
  if (d->size <= 1) return;
  int64_t len = int64_t(d->size);
  n %= len;
  if (n < 0) n += len;
  for (int64_t i = 0; i < n; ++i) {
    // The last item moves to the slot before the head (its own slot when the ring is full).
    Value v = slot(d, d->size - 1);
    d->head = (d->head + d->capacity - 1) & (d->capacity - 1);
    slot(d, 0) = v;
  }
  ++d->state;
}

// Removes the item at index i (< size), returning the caller's reference to it.
Value take_at(Deque* d, size_t i) {
  rotate_items(d, -int64_t(i));
  Value v = take_front(d);
  rotate_items(d, int64_t(i));
  return v;
}

// Puts v (borrowed) at index i (< size), returning the caller's reference to the old item.
Value exchange_at(Deque* d, size_t i, Value v) {
  Value old = slot(d, i);
  slot(d, i) = newref(v);
  ++d->state;
  return old;
}

// --- construction ------------------------------------------------------------------------------

Deque* deque_alloc(ThreadState& ts, Type* type, int64_t maxlen) {
  Deque* d = alloc_instance<Deque>(ts, type);
  if (d) d->maxlen = maxlen;
  return d;
}

int extend_back(ThreadState& ts, Deque* d, Value iterable);

Value deque_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  Deque* d = deque_alloc(ts, type, -1);
  return d ? Value::from_obj(d) : Value();
}

bool maxlen_arg(ThreadState& ts, Value v, int64_t* out) {
  *out = -1;
  if (!v || is_none(v)) return true;
  if (!int_to_int64(ts, v, out)) return false;
  if (*out < 0) {
    raise(ts, &ValueError_type, "maxlen must be non-negative");
    return false;
  }
  return true;
}

int deque_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "deque", args, nargs, kwnames, {"iterable", "maxlen"}, 0, a)) return -1;
  Deque* d = as_deque(self);
  int64_t maxlen;
  if (!maxlen_arg(ts, a[1], &maxlen)) return -1;
  {
    CriticalSection cs(ts, d);
    d->maxlen = maxlen;
    if (d->size > 0) clear_items(d);
  }
  if (a[0]) return extend_back(ts, d, a[0]);
  return 0;
}

void deque_dealloc(Object* self) {
  clear_items(static_cast<Deque*>(self));
  free_object(self);
}

int64_t maxlen_of(ThreadState& ts, Deque* d) {
  CriticalSection cs(ts, d);
  return d->maxlen;
}

// A list of the items at one instant, taken under the deque's lock: repr() and comparisons
// then run Python code on a sequence that no other thread changes.
Value items_snapshot(ThreadState& ts, Deque* d) {
  CriticalSection cs(ts, d);
  Ref list(Value::from_obj(list_new(ts, d->size)));
  if (!list) return Value();
  for (size_t i = 0; i < d->size; ++i)
    if (list_append(ts, list.as<List>(), slot(d, i)) < 0) return Value();
  return list.release();
}

// A new deque of the same type and maxlen holding the same items. The copy is private until
// returned, so only the original is locked.
Value deque_copy_of(ThreadState& ts, Deque* d) {
  CriticalSection cs(ts, d);
  Deque* copy = deque_alloc(ts, type_of(Value::from_obj(d)), d->maxlen);
  if (!copy) return Value();
  Ref result(Value::from_obj(copy));
  for (size_t i = 0; i < d->size; ++i)
    if (push_back(ts, copy, slot(d, i)) < 0) return Value();
  return result.release();
}

// --- methods -----------------------------------------------------------------------------------
//
// A method holds the deque's lock for as long as it reads or changes the ring. Code that runs
// Python code under the lock (comparisons, destructors of dropped items) may find the lock
// was let go meanwhile (runtime/critical_section.h), so it re-checks `state` afterwards.

// The items of an iterable, taken in full first when it is the deque itself (which the
// pushes would change under its own iteration).
Value iterate_source(ThreadState& ts, Deque* d, Value iterable) {
  if (iterable == Value::from_obj(d)) {
    Ref snapshot(items_snapshot(ts, d));
    if (!snapshot) return Value();
    return object_iter(ts, snapshot.get());
  }
  return object_iter(ts, iterable);
}

// The lock is taken for each item pushed, not around the loop: the source's iteration runs
// arbitrary code, which must not run with the deque locked for it.
int extend_with(ThreadState& ts, Deque* d, Value iterable, int (*push)(ThreadState&, Deque*, Value)) {
  Ref it(iterate_source(ts, d, iterable));
  if (!it) return -1;
  for (;;) {
    Ref item(iter_next(ts, it.get()));
    if (!item) return error_occurred(ts) ? -1 : 0;
    CriticalSection cs(ts, d);
    if (push(ts, d, item.get()) < 0) return -1;
  }
}

int extend_back(ThreadState& ts, Deque* d, Value iterable) {
  return extend_with(ts, d, iterable, push_back);
}

// append and appendleft, each atomic (queue.Queue relies on it).
Value push_method(ThreadState& ts, const char* name, const Value* args, size_t nargs,
                  int (*push)(ThreadState&, Deque*, Value)) {
  if (!check_nargs(ts, name, nargs, 2, 2)) return Value();
  Deque* d = as_deque(args[0]);
  CriticalSection cs(ts, d);
  if (push(ts, d, args[1]) < 0) return Value();
  return none();
}

Value deque_append(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return push_method(ts, "append", args, nargs, push_back);
}

Value deque_appendleft(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return push_method(ts, "appendleft", args, nargs, push_front);
}

// pop and popleft: the emptiness check and the removal are one atomic step.
Value take_method(ThreadState& ts, const char* name, const Value* args, size_t nargs, Value (*take)(Deque*)) {
  if (!check_nargs(ts, name, nargs, 1, 1)) return Value();
  Deque* d = as_deque(args[0]);
  CriticalSection cs(ts, d);
  if (d->size == 0) return raise(ts, &IndexError_type, "pop from an empty deque");
  return take(d);
}

Value deque_pop(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return take_method(ts, "pop", args, nargs, take_back);
}

Value deque_popleft(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return take_method(ts, "popleft", args, nargs, take_front);
}

Value deque_extend(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "extend", nargs, 2, 2) || extend_back(ts, as_deque(args[0]), args[1]) < 0)
    return Value();
  return none();
}

Value deque_extendleft(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "extendleft", nargs, 2, 2) ||
      extend_with(ts, as_deque(args[0]), args[1], push_front) < 0)
    return Value();
  return none();
}

Value deque_rotate(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "rotate", nargs, 1, 2)) return Value();
  int64_t n = 1;
  if (nargs == 2 && !index_to_int64(ts, args[1], &n)) return Value();
  Deque* d = as_deque(args[0]);
  CriticalSection cs(ts, d);
  rotate_items(d, n);
  return none();
}

Value deque_clear(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "clear", nargs, 1, 1)) return Value();
  Deque* d = as_deque(args[0]);
  CriticalSection cs(ts, d);
  clear_items(d);
  return none();
}

Value deque_reverse(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "reverse", nargs, 1, 1)) return Value();
  Deque* d = as_deque(args[0]);
  CriticalSection cs(ts, d);
  for (size_t i = 0, j = d->size; i + 1 < j; ++i, --j) std::swap(slot(d, i), slot(d, j - 1));
  ++d->state;
  return none();
}

// Compares x with each item in turn (the caller holds the lock). The deque may change during
// the comparisons, which is an error as in CPython; an index returned is valid until the
// caller next runs Python code.
int64_t find_item(ThreadState& ts, Deque* d, Value x, size_t start, size_t stop) {
  uint64_t state = d->state;
  for (size_t i = start; i < stop && i < d->size; ++i) {
    Value item = newref(slot(d, i));
    int eq = object_equal(ts, item, x);
    decref(item);
    if (eq < 0) return -2;
    if (d->state != state) {
      raise(ts, &RuntimeError_type, "deque mutated during iteration");
      return -2;
    }
    if (eq) return int64_t(i);
  }
  return -1;
}

Value deque_count(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "count", nargs, 2, 2)) return Value();
  Deque* d = as_deque(args[0]);
  CriticalSection cs(ts, d);
  int64_t count = 0;
  for (size_t start = 0;;) {
    int64_t i = find_item(ts, d, args[1], start, SIZE_MAX);
    if (i == -2) return Value();
    if (i < 0) break;
    ++count;
    start = size_t(i) + 1;
  }
  return int_from_int64(count);
}

Value deque_index(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "index", nargs, 2, 4)) return Value();
  Deque* d = as_deque(args[0]);
  int64_t start = 0, stop = INT64_MAX;
  if (nargs > 2 && !index_to_int64(ts, args[2], &start)) return Value();
  if (nargs > 3 && !index_to_int64(ts, args[3], &stop)) return Value();
  int64_t i;
  {
    CriticalSection cs(ts, d);
    // Negative bounds count from the end; both are clamped, as in list.index.
    int64_t len = int64_t(d->size);
    auto clamp = [len](int64_t v) {
      if (v < 0) v += len;
      return std::max<int64_t>(0, std::min(v, len));
    };
    i = find_item(ts, d, args[1], size_t(clamp(start)), size_t(clamp(stop)));
  }
  if (i == -2) return Value();
  if (i < 0)
    return raise_fmt(ts, &ValueError_type, "%s is not in deque", repr_string(ts, args[1]).c_str());
  return int_from_int64(i);
}

Value deque_remove(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "remove", nargs, 2, 2)) return Value();
  Deque* d = as_deque(args[0]);
  Ref removed;   // released after the lock, when the deque is consistent again
  int64_t i;
  {
    CriticalSection cs(ts, d);
    i = find_item(ts, d, args[1], 0, SIZE_MAX);
    if (i >= 0) removed.reset(take_at(d, size_t(i)));
  }
  if (i == -2) return Value();
  if (i < 0)
    return raise_fmt(ts, &ValueError_type, "%s is not in deque", repr_string(ts, args[1]).c_str());
  return none();
}

Value deque_insert(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "insert", nargs, 3, 3)) return Value();
  Deque* d = as_deque(args[0]);
  int64_t index;
  if (!index_to_int64(ts, args[1], &index)) return Value();
  CriticalSection cs(ts, d);
  if (d->maxlen >= 0 && int64_t(d->size) >= d->maxlen)
    return raise(ts, &IndexError_type, "deque already at its maximum size");
  int64_t len = int64_t(d->size);
  if (index < 0) index = std::max<int64_t>(0, index + len);
  index = std::min(index, len);
  rotate_items(d, -index);
  int rc = push_front(ts, d, args[2]);
  rotate_items(d, index);
  if (rc < 0) return Value();
  return none();
}

Value deque_copy(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "copy", nargs, 1, 1)) return Value();
  return deque_copy_of(ts, as_deque(args[0]));
}

Value deque_reversed(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames);

Value deque_get_maxlen(ThreadState& ts, Value self) {
  int64_t maxlen = maxlen_of(ts, as_deque(self));
  return maxlen < 0 ? none() : Value::small_int(maxlen);
}

// --- slots -------------------------------------------------------------------------------------

int64_t deque_length(ThreadState&, Value self) { return int64_t(size_relaxed(as_deque(self))); }

int deque_truth(ThreadState&, Value self) { return size_relaxed(as_deque(self)) > 0; }

// An integer subscript, through __index__ if need be (which runs Python code, so before the
// lock is taken); false with an exception otherwise.
bool subscript_arg(ThreadState& ts, Value key, int64_t* out) {
  if (!is_int(key)) {
    bool missing = false;
    Ref index(call_special(ts, key, "__index__", {}, &missing));
    if (missing) {
      raise_fmt(ts, &TypeError_type, "sequence index must be integer, not '%s'", type_name(key));
      return false;
    }
    if (!index) return false;
    return subscript_arg(ts, index.get(), out);
  }
  if (!int_to_int64(ts, key, out)) {
    if (!error_matches(ts, &OverflowError_type)) return false;
    clear_error(ts);
    *out = INT64_MAX;
  }
  return true;
}

// The subscript resolved against the current size (the caller holds the lock); false with
// IndexError when it is out of range.
bool resolve_index(ThreadState& ts, Deque* d, int64_t index, size_t* out) {
  if (!normalize_index(&index, int64_t(d->size))) {
    raise(ts, &IndexError_type, "deque index out of range");
    return false;
  }
  *out = size_t(index);
  return true;
}

Value deque_getitem(ThreadState& ts, Value self, Value key) {
  Deque* d = as_deque(self);
  int64_t index;
  if (!subscript_arg(ts, key, &index)) return Value();
  CriticalSection cs(ts, d);
  size_t i;
  if (!resolve_index(ts, d, index, &i)) return Value();
  return newref(slot(d, i));
}

int deque_setitem(ThreadState& ts, Value self, Value key, Value value) {
  Deque* d = as_deque(self);
  int64_t index;
  if (!subscript_arg(ts, key, &index)) return -1;
  Ref old;   // released after the lock, when the deque is consistent again
  CriticalSection cs(ts, d);
  size_t i;
  if (!resolve_index(ts, d, index, &i)) return -1;
  old.reset(value ? exchange_at(d, i, value) : take_at(d, i));
  return 0;
}

int deque_contains(ThreadState& ts, Value self, Value item) {
  Deque* d = as_deque(self);
  CriticalSection cs(ts, d);
  int64_t i = find_item(ts, d, item, 0, SIZE_MAX);
  return i == -2 ? -1 : i >= 0;
}

Value deque_repr(ThreadState& ts, Value self) {
  Deque* d = as_deque(self);
  std::string name = type_of(self)->name;
  if (repr_enter(ts, self.obj())) return new_str(ts, "[...]");
  Ref items(items_snapshot(ts, d));
  Ref items_repr(items ? object_repr(ts, items.get()) : Value());
  repr_leave(ts, self.obj());
  if (!items_repr) return Value();
  std::string text = name + "(" + std::string(str_view(items_repr.get()));
  int64_t maxlen = maxlen_of(ts, d);
  if (maxlen >= 0) text += ", maxlen=" + std::to_string(maxlen);
  return new_str(ts, text + ")");
}

// Sequence comparison, as of lists: the first differing item decides, then the lengths. Each
// side is copied under its own lock, so the comparisons (Python code) see fixed sequences.
Value deque_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if (!is_deque(a) || !is_deque(b)) return newref(not_implemented());
  if ((op == CompareOp::Eq || op == CompareOp::Ne) &&
      size_relaxed(as_deque(a)) != size_relaxed(as_deque(b)))
    return bool_value(op == CompareOp::Ne);
  Ref x(items_snapshot(ts, as_deque(a)));
  if (!x) return Value();
  Ref y(items_snapshot(ts, as_deque(b)));
  if (!y) return Value();
  return object_compare(ts, x.get(), y.get(), op);
}

int64_t deque_hash(ThreadState& ts, Value self) {
  raise(ts, &TypeError_type, "unhashable type: 'collections.deque'");
  return -1;
}

// d *= n as one atomic step: the items n times over, of which a bounded deque keeps the last
// maxlen.
int repeat_items(ThreadState& ts, Deque* d, int64_t n) {
  CriticalSection cs(ts, d);
  if (n <= 0) {
    clear_items(d);
    return 0;
  }
  if (d->size == 0) return 0;
  // The pushes of a bounded deque drop items from the front, so they copy from a snapshot.
  Ref snapshot(items_snapshot(ts, d));
  if (!snapshot) return -1;
  List* items = snapshot.as<List>();
  for (int64_t round = 1; round < n; ++round) {
    // A full bounded deque holds the last maxlen items of the repetition, which more rounds
    // would not change.
    if (d->maxlen >= 0 && int64_t(d->size) >= d->maxlen) break;
    for (size_t i = 0; i < items->size; ++i)
      if (push_back(ts, d, list_get_item(items, i)) < 0) return -1;
  }
  return 0;
}

// d + other (deques only), d * n, and the in-place forms d += iterable, d *= n.
Value deque_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  BinaryOp base = base_op(op);
  bool inplace = is_inplace(op);
  if (base == BinaryOp::Add && is_deque(a)) {
    if (inplace) {
      if (extend_back(ts, as_deque(a), b) < 0) return Value();
      return newref(a);
    }
    if (!is_deque(b))
      return raise_fmt(ts, &TypeError_type,
                       "can only concatenate deque (not \"%s\") to deque", type_name(b));
    Ref result(deque_copy_of(ts, as_deque(a)));
    if (!result || extend_back(ts, as_deque(result.get()), b) < 0) return Value();
    return result.release();
  }
  if (base == BinaryOp::Mul) {
    Value seq = is_deque(a) ? a : b;
    Value count = is_deque(a) ? b : a;
    if (!is_int(count)) return newref(not_implemented());
    int64_t n;
    if (!int_to_int64(ts, count, &n)) return Value();
    Ref result(inplace && seq == a ? newref(a) : deque_copy_of(ts, as_deque(seq)));
    if (!result || repeat_items(ts, as_deque(result.get()), n) < 0) return Value();
    return result.release();
  }
  return newref(not_implemented());
}

// --- iteration ---------------------------------------------------------------------------------

// An iterator keeps its deque until it is freed, so a thread sharing the iterator never
// finds the deque gone while it waits for the locks.
struct DequeIterator : Object {
  Deque* deque = nullptr; // owned
  size_t index = 0;       // items still to come: [index, ...) forward, [..., index) reverse
  uint64_t state = 0;     // the deque's state when iteration began
};

Value make_iterator(ThreadState& ts, Value self, Type* type, bool reverse) {
  DequeIterator* it = alloc_instance<DequeIterator>(ts, type);
  if (!it) return Value();
  Deque* d = static_cast<Deque*>(newref(self).obj());
  it->deque = d;
  CriticalSection cs(ts, d);
  it->index = reverse ? d->size : 0;
  it->state = d->state;
  return Value::from_obj(it);
}

Value deque_iter(ThreadState& ts, Value self) {
  return make_iterator(ts, self, &deque_iterator_type, false);
}

Value deque_reversed(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "__reversed__", nargs, 1, 1)) return Value();
  return make_iterator(ts, args[0], &deque_reverse_iterator_type, true);
}

bool check_unchanged(ThreadState& ts, DequeIterator* it) {
  if (it->deque->state == it->state) return true;
  raise(ts, &RuntimeError_type, "deque mutated during iteration");
  return false;
}

// A step locks the iterator as well as the deque: threads sharing an iterator get each item
// once.
Value deque_iter_next(ThreadState& ts, Value self) {
  DequeIterator* it = self.as<DequeIterator>();
  Deque* d = it->deque;
  CriticalSection2 cs(ts, it, d);
  if (it->index >= d->size) return Value();
  if (!check_unchanged(ts, it)) return Value();
  return newref(slot(d, it->index++));
}

Value deque_reverse_iter_next(ThreadState& ts, Value self) {
  DequeIterator* it = self.as<DequeIterator>();
  Deque* d = it->deque;
  CriticalSection2 cs(ts, it, d);
  if (it->index == 0) return Value();
  if (!check_unchanged(ts, it)) return Value();
  return newref(slot(d, --it->index));
}

void deque_iter_dealloc(Object* self) {
  decref(static_cast<DequeIterator*>(self)->deque);
  free_object(self);
}

const MethodDef deque_methods[] = {
    {"append", deque_append},
    {"appendleft", deque_appendleft},
    {"pop", deque_pop},
    {"popleft", deque_popleft},
    {"extend", deque_extend},
    {"extendleft", deque_extendleft},
    {"rotate", deque_rotate},
    {"clear", deque_clear},
    {"reverse", deque_reverse},
    {"count", deque_count},
    {"index", deque_index},
    {"remove", deque_remove},
    {"insert", deque_insert},
    {"copy", deque_copy},
    {"__copy__", deque_copy},
    {"__reversed__", deque_reversed},
    {nullptr, nullptr},
};

const GetSetDef deque_getsets[] = {
    {"maxlen", deque_get_maxlen},
    {nullptr, nullptr},
};

}  // namespace

Type deque_type;
MINIVM_TYPE_SETUP(deque_type) {
  t.name = "deque";
  t.module = intern("collections");
  t.basic_size = sizeof(Deque);
  t.flags = kTypeBaseType;
  t.dealloc = deque_dealloc;
  t.new_ = deque_new;
  t.init = deque_init;
  t.repr = deque_repr;
  t.compare = deque_compare;
  t.hash = deque_hash;
  t.binary = deque_binary;
  t.binary_ops = op_mask({BinaryOp::Add, BinaryOp::Mul});
  t.rbinary_ops = op_mask({BinaryOp::Mul});
  t.truth = deque_truth;
  t.length = deque_length;
  t.getitem = deque_getitem;
  t.setitem = deque_setitem;
  t.contains = deque_contains;
  t.iter = deque_iter;
  t.methods = deque_methods;
  t.getsets = deque_getsets;
}

Type deque_iterator_type;
MINIVM_TYPE_SETUP(deque_iterator_type) {
  t.name = "_deque_iterator";
  t.basic_size = sizeof(DequeIterator);
  t.flags = kTypeImmutable;
  t.dealloc = deque_iter_dealloc;
  t.iter = iter_return_self;
  t.iternext = deque_iter_next;
}

Type deque_reverse_iterator_type;
MINIVM_TYPE_SETUP(deque_reverse_iterator_type) {
  t.name = "_deque_reverse_iterator";
  t.basic_size = sizeof(DequeIterator);
  t.flags = kTypeImmutable;
  t.dealloc = deque_iter_dealloc;
  t.iter = iter_return_self;
  t.iternext = deque_reverse_iter_next;
}

int init_collections_module(ThreadState& ts, Module* m) {
  return module_add_types(ts, m, {&deque_type});
}

}  // namespace mvm
