// collections.deque (in the native _collections module): a double-ended queue kept in a
// ring buffer. Every change goes through a handful of small mutators that also bump the
// `state` counter, so iterators notice mutation and a per-object lock can wrap them later.
#include <algorithm>
#include <string>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
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
// capacity is zero or a power of two.
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

// --- the mutators ------------------------------------------------------------------------------

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
  --d->size;
  ++d->state;
  return v;
}

Value take_back(Deque* d) {
  Value v = slot(d, d->size - 1);
  --d->size;
  ++d->state;
  return v;
}

// append/appendleft: a full bounded deque drops an item from the other end.
int push_back(ThreadState& ts, Deque* d, Value v) {
  if (d->maxlen == 0) return 0;
  if (d->maxlen > 0 && int64_t(d->size) >= d->maxlen) decref(take_front(d));
  if (!ensure_room(ts, d)) return -1;
  slot(d, d->size) = newref(v);
  ++d->size;
  ++d->state;
  return 0;
}

int push_front(ThreadState& ts, Deque* d, Value v) {
  if (d->maxlen == 0) return 0;
  if (d->maxlen > 0 && int64_t(d->size) >= d->maxlen) decref(take_back(d));
  if (!ensure_room(ts, d)) return -1;
  d->head = (d->head + d->capacity - 1) & (d->capacity - 1);
  slot(d, 0) = newref(v);
  ++d->size;
  ++d->state;
  return 0;
}

// Detaches every item first, so that destructors running during the decrefs see an
// empty, consistent deque.
void clear_items(Deque* d) {
  Value* items = d->items;
  size_t capacity = d->capacity, head = d->head, size = d->size;
  d->items = nullptr;
  d->capacity = d->head = d->size = 0;
  ++d->state;
  for (size_t i = 0; i < size; ++i) decref(items[(head + i) & (capacity - 1)]);
  object_free(items);
}

// Moves the last n items to the front (n may be negative).
void rotate_items(Deque* d, int64_t n) {
  if (d->size <= 1) return;
  int64_t len = int64_t(d->size);
  n %= len;
  if (n < 0) n += len;
  for (int64_t i = 0; i < n; ++i) {
    Value v = take_back(d);
    d->head = (d->head + d->capacity - 1) & (d->capacity - 1);
    slot(d, 0) = v;
    ++d->size;
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

void replace_at(Deque* d, size_t i, Value v) {
  Value old = slot(d, i);
  slot(d, i) = newref(v);
  ++d->state;
  decref(old);
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
  d->maxlen = maxlen;
  if (d->size > 0) clear_items(d);
  if (a[0]) return extend_back(ts, d, a[0]);
  return 0;
}

void deque_dealloc(Object* self) {
  clear_items(static_cast<Deque*>(self));
  free_object(self);
}

// A new deque of the same type and maxlen holding the same items.
Value deque_copy_of(ThreadState& ts, Deque* d) {
  Deque* copy = deque_alloc(ts, type_of(Value::from_obj(d)), d->maxlen);
  if (!copy) return Value();
  Ref result(Value::from_obj(copy));
  for (size_t i = 0; i < d->size; ++i)
    if (push_back(ts, copy, slot(d, i)) < 0) return Value();
  return result.release();
}

// --- methods -----------------------------------------------------------------------------------

// The items of an iterable, taken in full first when it is the deque itself.
Value iterate_source(ThreadState& ts, Deque* d, Value iterable) {
  if (iterable == Value::from_obj(d)) {
    Ref snapshot(list_from_iterable(ts, iterable));
    if (!snapshot) return Value();
    return object_iter(ts, snapshot.get());
  }
  return object_iter(ts, iterable);
}

int extend_with(ThreadState& ts, Deque* d, Value iterable, int (*push)(ThreadState&, Deque*, Value)) {
  Ref it(iterate_source(ts, d, iterable));
  if (!it) return -1;
  for (;;) {
    Ref item(iter_next(ts, it.get()));
    if (!item) return error_occurred(ts) ? -1 : 0;
    if (push(ts, d, item.get()) < 0) return -1;
  }
}

int extend_back(ThreadState& ts, Deque* d, Value iterable) {
  return extend_with(ts, d, iterable, push_back);
}

Value deque_append(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "append", nargs, 2, 2) || push_back(ts, as_deque(args[0]), args[1]) < 0)
    return Value();
  return none();
}

Value deque_appendleft(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "appendleft", nargs, 2, 2) ||
      push_front(ts, as_deque(args[0]), args[1]) < 0)
    return Value();
  return none();
}

Value deque_pop(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "pop", nargs, 1, 1)) return Value();
  Deque* d = as_deque(args[0]);
  if (d->size == 0) return raise(ts, &IndexError_type, "pop from an empty deque");
  return take_back(d);
}

Value deque_popleft(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "popleft", nargs, 1, 1)) return Value();
  Deque* d = as_deque(args[0]);
  if (d->size == 0) return raise(ts, &IndexError_type, "pop from an empty deque");
  return take_front(d);
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
  rotate_items(as_deque(args[0]), n);
  return none();
}

Value deque_clear(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "clear", nargs, 1, 1)) return Value();
  clear_items(as_deque(args[0]));
  return none();
}

Value deque_reverse(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "reverse", nargs, 1, 1)) return Value();
  Deque* d = as_deque(args[0]);
  for (size_t i = 0, j = d->size; i + 1 < j; ++i, --j) std::swap(slot(d, i), slot(d, j - 1));
  ++d->state;
  return none();
}

// Compares x with each item in turn; the deque may change during the comparisons, which is
// an error as in CPython.
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
  int64_t len = int64_t(d->size), start = 0, stop = len;
  if (nargs > 2 && !index_to_int64(ts, args[2], &start)) return Value();
  if (nargs > 3 && !index_to_int64(ts, args[3], &stop)) return Value();
  // Negative bounds count from the end; both are clamped, as in list.index.
  auto clamp = [len](int64_t v) {
    if (v < 0) v += len;
    return std::max<int64_t>(0, std::min(v, len));
  };
  int64_t i = find_item(ts, d, args[1], size_t(clamp(start)), size_t(clamp(stop)));
  if (i == -2) return Value();
  if (i < 0)
    return raise_fmt(ts, &ValueError_type, "%s is not in deque", repr_string(ts, args[1]).c_str());
  return int_from_int64(i);
}

Value deque_remove(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "remove", nargs, 2, 2)) return Value();
  Deque* d = as_deque(args[0]);
  int64_t i = find_item(ts, d, args[1], 0, SIZE_MAX);
  if (i == -2) return Value();
  if (i < 0)
    return raise_fmt(ts, &ValueError_type, "%s is not in deque", repr_string(ts, args[1]).c_str());
  decref(take_at(d, size_t(i)));
  return none();
}

Value deque_insert(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "insert", nargs, 3, 3)) return Value();
  Deque* d = as_deque(args[0]);
  int64_t index;
  if (!index_to_int64(ts, args[1], &index)) return Value();
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

Value deque_get_maxlen(ThreadState&, Value self) {
  int64_t maxlen = as_deque(self)->maxlen;
  return maxlen < 0 ? none() : Value::small_int(maxlen);
}

// --- slots -------------------------------------------------------------------------------------

int64_t deque_length(ThreadState&, Value self) { return int64_t(as_deque(self)->size); }

int deque_truth(ThreadState&, Value self) { return as_deque(self)->size > 0; }

// An integer subscript resolved against the current size; false with IndexError otherwise.
bool deque_index_arg(ThreadState& ts, Deque* d, Value key, size_t* out) {
  if (!is_int(key)) {
    bool missing = false;
    Ref index(call_special(ts, key, "__index__", {}, &missing));
    if (missing) {
      raise_fmt(ts, &TypeError_type, "sequence index must be integer, not '%s'", type_name(key));
      return false;
    }
    if (!index) return false;
    return deque_index_arg(ts, d, index.get(), out);
  }
  int64_t i;
  if (!int_to_int64(ts, key, &i)) {
    if (!error_matches(ts, &OverflowError_type)) return false;
    clear_error(ts);
    i = INT64_MAX;
  }
  if (!normalize_index(&i, int64_t(d->size))) {
    raise(ts, &IndexError_type, "deque index out of range");
    return false;
  }
  *out = size_t(i);
  return true;
}

Value deque_getitem(ThreadState& ts, Value self, Value key) {
  Deque* d = as_deque(self);
  size_t i;
  if (!deque_index_arg(ts, d, key, &i)) return Value();
  return newref(slot(d, i));
}

int deque_setitem(ThreadState& ts, Value self, Value key, Value value) {
  Deque* d = as_deque(self);
  size_t i;
  if (!deque_index_arg(ts, d, key, &i)) return -1;
  if (value)
    replace_at(d, i, value);
  else
    decref(take_at(d, i));
  return 0;
}

int deque_contains(ThreadState& ts, Value self, Value item) {
  int64_t i = find_item(ts, as_deque(self), item, 0, SIZE_MAX);
  return i == -2 ? -1 : i >= 0;
}

Value deque_repr(ThreadState& ts, Value self) {
  Deque* d = as_deque(self);
  std::string name = type_of(self)->name;
  if (repr_enter(ts, self.obj())) return new_str(ts, "[...]");
  Ref items(list_from_iterable(ts, self));
  Ref items_repr(items ? object_repr(ts, items.get()) : Value());
  repr_leave(ts, self.obj());
  if (!items_repr) return Value();
  std::string text = name + "(" + std::string(str_view(items_repr.get()));
  if (d->maxlen >= 0) text += ", maxlen=" + std::to_string(d->maxlen);
  return new_str(ts, text + ")");
}

// Sequence comparison: the first differing item decides, then the lengths.
Value deque_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if (!is_deque(a) || !is_deque(b)) return newref(not_implemented());
  Deque* x = as_deque(a);
  Deque* y = as_deque(b);
  if ((op == CompareOp::Eq || op == CompareOp::Ne) && x->size != y->size)
    return bool_value(op == CompareOp::Ne);
  size_t i = 0;
  for (; i < x->size && i < y->size; ++i) {
    Ref xi(newref(slot(x, i))), yi(newref(slot(y, i)));
    int eq = object_equal(ts, xi.get(), yi.get());
    if (eq < 0) return Value();
    if (!eq) {
      if (op == CompareOp::Eq) return false_value();
      if (op == CompareOp::Ne) return true_value();
      return object_compare(ts, xi.get(), yi.get(), op);
    }
  }
  int64_t nx = int64_t(x->size), ny = int64_t(y->size);
  bool result = false;
  switch (op) {
    case CompareOp::Lt: result = nx < ny; break;
    case CompareOp::Le: result = nx <= ny; break;
    case CompareOp::Eq: result = nx == ny; break;
    case CompareOp::Ne: result = nx != ny; break;
    case CompareOp::Gt: result = nx > ny; break;
    case CompareOp::Ge: result = nx >= ny; break;
  }
  return bool_value(result);
}

int64_t deque_hash(ThreadState& ts, Value self) {
  raise(ts, &TypeError_type, "unhashable type: 'collections.deque'");
  return -1;
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
    if (!result) return Value();
    Deque* d = as_deque(result.get());
    if (n <= 0) {
      clear_items(d);
      return result.release();
    }
    Ref snapshot(list_from_iterable(ts, result.get()));
    if (!snapshot) return Value();
    for (int64_t i = 1; i < n; ++i) {
      // A full bounded deque holds the last maxlen items of the repetition, which more
      // rounds would not change.
      if (d->maxlen >= 0 && int64_t(d->size) >= d->maxlen) break;
      if (extend_back(ts, d, snapshot.get()) < 0) return Value();
    }
    return result.release();
  }
  return newref(not_implemented());
}

// --- iteration ---------------------------------------------------------------------------------

struct DequeIterator : Object {
  Deque* deque = nullptr;
  size_t index = 0;       // items still to come: [index, ...) forward, [..., index) reverse
  uint64_t state = 0;     // the deque's state when iteration began
};

Value make_iterator(ThreadState& ts, Value self, Type* type, size_t start) {
  DequeIterator* it = alloc_instance<DequeIterator>(ts, type);
  if (!it) return Value();
  it->deque = static_cast<Deque*>(newref(self).obj());
  it->index = start;
  it->state = it->deque->state;
  return Value::from_obj(it);
}

Value deque_iter(ThreadState& ts, Value self) {
  return make_iterator(ts, self, &deque_iterator_type, 0);
}

Value deque_reversed(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "__reversed__", nargs, 1, 1)) return Value();
  return make_iterator(ts, args[0], &deque_reverse_iterator_type, as_deque(args[0])->size);
}

bool check_unchanged(ThreadState& ts, DequeIterator* it) {
  if (it->deque->state == it->state) return true;
  raise(ts, &RuntimeError_type, "deque mutated during iteration");
  return false;
}

Value deque_iter_next(ThreadState& ts, Value self) {
  DequeIterator* it = self.as<DequeIterator>();
  if (!it->deque || it->index >= it->deque->size) return Value();
  if (!check_unchanged(ts, it)) return Value();
  return newref(slot(it->deque, it->index++));
}

Value deque_reverse_iter_next(ThreadState& ts, Value self) {
  DequeIterator* it = self.as<DequeIterator>();
  if (!it->deque || it->index == 0) return Value();
  if (!check_unchanged(ts, it)) return Value();
  return newref(slot(it->deque, --it->index));
}

void deque_iter_dealloc(Object* self) {
  DequeIterator* it = static_cast<DequeIterator*>(self);
  if (it->deque) decref(it->deque);
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
