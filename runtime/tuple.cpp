// tuple: the built-in immutable sequence, stored with its items in one allocation.
#include "runtime/tuple.h"

#include <cstring>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/builtin_support.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/range.h"
#include "runtime/sequence.h"
#include "runtime/str.h"
#include "runtime/type.h"

namespace mvm {

namespace {

// The one empty tuple; immortal, and ready during static initialisation like the other
// singletons so that any code may hand it out.
Tuple empty_tuple_object;
[[maybe_unused]] const bool empty_tuple_ready = [] {
  empty_tuple_object.ob_type = &tuple_type;
  empty_tuple_object.ob_ref_local = kImmortalRefcount;
  empty_tuple_object.ob_flags = kFlagStatic;
  return true;
}();

// Allocates a tuple (of `type`, which may be a subclass) with n null items.
Tuple* tuple_alloc(ThreadState& ts, Type* type, size_t n) {
  constexpr size_t kMaxItems = (SIZE_MAX / 2 - sizeof(Tuple)) / sizeof(Value);
  if (n > kMaxItems) {
    raise_memory_error(ts);
    return nullptr;
  }
  size_t extra = (n > 1 ? n - 1 : 0) * sizeof(Value);   // Tuple itself holds one item
  Tuple* t;
  if (type == &tuple_type) {
    t = try_new_object<Tuple>(type, sizeof(Tuple) + extra);
    if (!t) {
      raise_memory_error(ts);
      return nullptr;
    }
    std::memset(static_cast<void*>(t->items), 0, (n ? n : 1) * sizeof(Value));
  } else {
    // A subclass's extra fields follow the items (tuple_subclass_extra); all zeroed.
    t = alloc_instance<Tuple>(ts, type, extra);
    if (!t) return nullptr;
  }
  t->size = n;
  return t;
}

Value tuple_of_type(ThreadState& ts, Type* type, const Value* items, size_t n) {
  if (n == 0 && type == &tuple_type) return Value::from_obj(empty_tuple());
  Tuple* t = tuple_alloc(ts, type, n);
  if (!t) return Value();
  for (size_t i = 0; i < n; i++) t->items[i] = newref(items[i]);
  return Value::from_obj(t);
}

constexpr uint64_t kXXPrime1 = 11400714785074694791ULL;
constexpr uint64_t kXXPrime2 = 14029467366897019727ULL;
constexpr uint64_t kXXPrime5 = 2870177450012600261ULL;

}  // namespace

// ---------------------------------------------------------------------------------------
// Construction

Tuple* empty_tuple() { return &empty_tuple_object; }

Tuple* tuple_new(ThreadState& ts, size_t n) {
  if (n == 0) return empty_tuple();
  return tuple_alloc(ts, &tuple_type, n);
}

Tuple* tuple_from_array(ThreadState& ts, const Value* items, size_t n) {
  Value t = tuple_of_type(ts, &tuple_type, items, n);
  return t ? t.as<Tuple>() : nullptr;
}

Tuple* tuple_pack(ThreadState& ts, std::initializer_list<Value> values) {
  return tuple_from_array(ts, values.begin(), values.size());
}

Value tuple_slice(ThreadState& ts, Tuple* t, size_t lo, size_t hi) {
  if (lo == 0 && hi == t->size && t->ob_type == &tuple_type) return newref(Value::from_obj(t));
  return tuple_of_type(ts, &tuple_type, t->items + lo, hi > lo ? hi - lo : 0);
}

Value tuple_from_iterable(ThreadState& ts, Value iterable) {
  if (is_tuple(iterable) && type_of(iterable) == &tuple_type) return newref(iterable);
  if (is_tuple(iterable)) {
    Tuple* src = iterable.as<Tuple>();
    return tuple_of_type(ts, &tuple_type, src->items, src->size);
  }
  if (is_list(iterable)) {
    // Increfing cannot run code, so the list cannot change while it is copied.
    List* src = iterable.as<List>();
    return tuple_of_type(ts, &tuple_type, src->items, src->size);
  }
  Ref it(object_iter(ts, iterable));
  if (!it) return Value();
  std::vector<Value> items;   // owned references until the tuple takes them
  auto release_items = [&items] {
    for (Value v : items) decref(v);
  };
  while (Value item = iter_next(ts, it.get())) items.push_back(item);
  if (error_occurred(ts)) {
    release_items();
    return Value();
  }
  Tuple* t = tuple_new(ts, items.size());
  if (!t) {
    release_items();
    return Value();
  }
  for (size_t i = 0; i < items.size(); i++) t->items[i] = items[i];
  return Value::from_obj(t);
}

// ---------------------------------------------------------------------------------------
// Slots

static void tuple_dealloc(Object* self) {
  Tuple* t = static_cast<Tuple*>(self);
  for (size_t i = 0; i < t->size; i++) decref(t->items[i]);
  free_object(self);
}

static Value tuple_repr(ThreadState& ts, Value self) {
  return sequence_repr(ts, self.as<Tuple>(), '(', ')', true);
}

// CPython's tuplehash (an xxHash variant), so hash((1, 2)) matches CPython's value.
static int64_t tuple_hash(ThreadState& ts, Value self) {
  Tuple* t = self.as<Tuple>();
  uint64_t acc = kXXPrime5;
  for (size_t i = 0; i < t->size; i++) {
    int64_t lane = object_hash(ts, t->items[i]);
    if (lane == -1) return -1;
    acc += uint64_t(lane) * kXXPrime2;
    acc = (acc << 31) | (acc >> 33);
    acc *= kXXPrime1;
  }
  acc += t->size ^ (kXXPrime5 ^ 3527539ULL);
  if (acc == uint64_t(-1)) return 1546275796;
  return int64_t(acc);
}

static Value tuple_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if (!is_tuple(a) || !is_tuple(b)) return newref(not_implemented());
  return sequence_compare(ts, a.as<Tuple>(), b.as<Tuple>(), op);
}

static Value tuple_concat(ThreadState& ts, Tuple* a, Tuple* b) {
  if (b->size == 0 && a->ob_type == &tuple_type) return newref(Value::from_obj(a));
  if (a->size == 0 && b->ob_type == &tuple_type) return newref(Value::from_obj(b));
  Tuple* t = tuple_alloc(ts, &tuple_type, a->size + b->size);
  if (!t) return Value();
  for (size_t i = 0; i < a->size; i++) t->items[i] = newref(a->items[i]);
  for (size_t i = 0; i < b->size; i++) t->items[a->size + i] = newref(b->items[i]);
  return Value::from_obj(t);
}

static Value tuple_repeat(ThreadState& ts, Tuple* t, int64_t count) {
  if (count == 1 && t->ob_type == &tuple_type) return newref(Value::from_obj(t));
  if (t->size == 0 || count == 0) return Value::from_obj(empty_tuple());
  if (uint64_t(count) > SIZE_MAX / 2 / t->size) return raise_memory_error(ts);
  Tuple* r = tuple_alloc(ts, &tuple_type, t->size * size_t(count));
  if (!r) return Value();
  for (size_t i = 0; i < r->size; i++) r->items[i] = newref(t->items[i % t->size]);
  return Value::from_obj(r);
}

static Value tuple_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  switch (base_op(op)) {
    case BinaryOp::Add:
      if (is_tuple(a) && is_tuple(b)) return tuple_concat(ts, a.as<Tuple>(), b.as<Tuple>());
      if (is_tuple(a)) return sequence_concat_error(ts, "tuple", b);
      break;
    case BinaryOp::Mul: {
      bool left = is_tuple(a);
      int64_t count;
      int rc = sequence_repeat_count(ts, left ? b : a, &count);
      if (rc < 0) return Value();
      if (rc == 0) break;
      return tuple_repeat(ts, (left ? a : b).as<Tuple>(), count);
    }
    default: break;
  }
  return newref(not_implemented());
}

static int tuple_truth(ThreadState&, Value self) { return self.as<Tuple>()->size != 0; }
static int64_t tuple_length(ThreadState&, Value self) { return int64_t(self.as<Tuple>()->size); }

static Value tuple_getitem(ThreadState& ts, Value self, Value key) {
  Tuple* t = self.as<Tuple>();
  int64_t i;
  int rc = subscript_index(ts, key, &i);
  if (rc < 0) return Value();
  if (rc > 0) {
    if (!normalize_index(&i, int64_t(t->size))) return raise(ts, &IndexError_type, "tuple index out of range");
    return newref(t->items[i]);
  }
  if (!is_slice(key))
    return raise_fmt(ts, &TypeError_type, "tuple indices must be integers or slices, not %s", type_name(key));
  int64_t start, stop, step, n;
  if (!slice_indices(ts, key.as<Slice>(), int64_t(t->size), &start, &stop, &step, &n)) return Value();
  if (step == 1) return tuple_slice(ts, t, size_t(start), size_t(start + n));
  Tuple* r = tuple_new(ts, size_t(n));
  if (!r) return Value();
  for (int64_t k = 0; k < n; k++) r->items[k] = newref(t->items[start + k * step]);
  return Value::from_obj(r);
}

static int tuple_contains(ThreadState& ts, Value self, Value item) {
  return sequence_contains(ts, self.as<Tuple>(), item);
}

static Value tuple_new_slot(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size > 0 && type == &tuple_type)
    return raise(ts, &TypeError_type, "tuple() takes no keyword arguments");
  if (nargs > 1) return raise_fmt(ts, &TypeError_type, "tuple expected at most 1 argument, got %zu", nargs);
  Ref items(nargs == 0 ? Value::from_obj(empty_tuple()) : tuple_from_iterable(ts, args[0]));
  if (!items || type == &tuple_type) return items.release();
  Tuple* src = items.as<Tuple>();
  return tuple_of_type(ts, type, src->items, src->size);
}

// ---------------------------------------------------------------------------------------
// Methods

static Value tuple_method_index(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "index", kwnames) || !check_nargs(ts, "index", nargs - 1, 1, 3)) return Value();
  Tuple* t = args[0].as<Tuple>();
  int64_t start, stop;
  if (!sequence_index_bounds(ts, nargs > 2 ? args[2] : Value(), nargs > 3 ? args[3] : Value(), t->size,
                             &start, &stop))
    return Value();
  int64_t found = sequence_find(ts, t, args[1], start, stop);
  if (found == -2) return Value();
  if (found < 0) return raise(ts, &ValueError_type, "tuple.index(x): x not in tuple");
  return Value::small_int(found);
}

static Value tuple_method_count(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "tuple.count", kwnames) || !check_nargs(ts, "tuple.count", nargs - 1, 1, 1))
    return Value();
  int64_t count = sequence_count(ts, args[0].as<Tuple>(), args[1]);
  return count < 0 ? Value() : Value::small_int(count);
}

static const MethodDef tuple_methods[] = {
    {"index", tuple_method_index},
    {"count", tuple_method_count},
    {nullptr, nullptr},
};

Type tuple_type;
MINIVM_TYPE_SETUP(tuple_type) {
  t.name = "tuple";
  t.basic_size = sizeof(Tuple);
  t.flags = kTypeBaseType | kTypeTupleSubclass;
  t.dealloc = tuple_dealloc;
  t.repr = tuple_repr;
  t.hash = tuple_hash;
  t.compare = tuple_compare;
  t.binary = tuple_binary;
  t.binary_ops = op_mask({BinaryOp::Add, BinaryOp::Mul});
  t.rbinary_ops = op_mask({BinaryOp::Mul});
  t.truth = tuple_truth;
  t.length = tuple_length;
  t.getitem = tuple_getitem;
  t.contains = tuple_contains;
  t.iter = tuple_iter;
  t.new_ = tuple_new_slot;
  t.methods = tuple_methods;
}

}  // namespace mvm
