// range and slice objects, the iterator of ranges, and the slice-index arithmetic that the
// sequence types share (CPython's PySlice_Unpack and PySlice_AdjustIndices).
#include "runtime/range.h"

#include <string>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/builtin_support.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"

namespace mvm {

// ---------------------------------------------------------------------------------------
// Slice indices

bool slice_index_value(ThreadState& ts, Value v, int64_t* out) {
  if (v.is_small_int()) {
    *out = v.as_small_int();
    return true;
  }
  if (!has_index(v)) {
    raise(ts, &TypeError_type, "slice indices must be integers or None or have an __index__ method");
    return false;
  }
  Ref index(number_index(ts, v));
  if (!index) return false;
  *out = int_clamp_int64(index.get());
  return true;
}

bool slice_indices(ThreadState& ts, Slice* s, int64_t length, int64_t* start, int64_t* stop,
                   int64_t* step, int64_t* slice_length) {
  // Unpack: None bounds default by direction; huge bounds saturate.
  if (is_none(s->step)) {
    *step = 1;
  } else {
    if (!slice_index_value(ts, s->step, step)) return false;
    if (*step == 0) {
      raise(ts, &ValueError_type, "slice step cannot be zero");
      return false;
    }
    if (*step < -INT64_MAX) *step = -INT64_MAX;   // so that -step cannot overflow
  }
  if (is_none(s->start))
    *start = *step < 0 ? INT64_MAX : 0;
  else if (!slice_index_value(ts, s->start, start))
    return false;
  if (is_none(s->stop))
    *stop = *step < 0 ? INT64_MIN : INT64_MAX;
  else if (!slice_index_value(ts, s->stop, stop))
    return false;
  // Adjust: negative bounds count from the end; then clip to the sequence.
  for (int64_t* bound : {start, stop}) {
    if (*bound < 0) {
      *bound += length;
      if (*bound < 0) *bound = *step < 0 ? -1 : 0;
    } else if (*bound >= length) {
      *bound = *step < 0 ? length - 1 : length;
    }
  }
  if (*step < 0)
    *slice_length = *stop < *start ? (*start - *stop - 1) / (-*step) + 1 : 0;
  else
    *slice_length = *start < *stop ? (*stop - *start - 1) / *step + 1 : 0;
  return true;
}

// ---------------------------------------------------------------------------------------
// range

namespace {

Range* as_range(Value v) { return v.as<Range>(); }

// The number of values of range(start, stop, step), or -1 if it exceeds int64.
int64_t range_length(int64_t start, int64_t stop, int64_t step) {
  __int128 n = 0;
  if (step > 0 && start < stop)
    n = (__int128(stop) - start - 1) / step + 1;
  else if (step < 0 && start > stop)
    n = (__int128(start) - stop - 1) / -__int128(step) + 1;
  return n > INT64_MAX ? -1 : int64_t(n);
}

// Value i (< length) of r; it lies between start and stop, so it fits even if i * step does not.
int64_t range_item(const Range* r, int64_t i) { return int64_t(__int128(r->start) + __int128(i) * r->step); }

// If v is an int inside r's values, its position; -1 if it is not one of them.
int64_t int_position(const Range* r, Value v) {
  int64_t x;
  if (!int_as_small(v, &x)) {
    Mpz scratch;
    mpz_srcptr z = int_as_mpz(v, scratch);
    if (!mpz_fits_slong_p(z)) return -1;
    x = mpz_get_si(z);
  }
  if (r->length == 0) return -1;
  int64_t last = range_item(r, r->length - 1);
  if (r->step > 0 ? (x < r->start || x > last) : (x > r->start || x < last)) return -1;
  __int128 offset = __int128(x) - r->start;
  if (offset % r->step != 0) return -1;
  return int64_t(offset / r->step);
}

// Whether `in`, count and index may use int_position: exact ints and bools (an int
// subclass could redefine __eq__).
bool is_plain_int(Value v) { return v.is_small_int() || is_bigint(v) || is_bool(v); }

// The position of the first value equal to v by ==, for non-int v; -1 if none, -2 on error.
int64_t search_equal(ThreadState& ts, const Range* r, Value v) {
  for (int64_t i = 0; i < r->length; i++) {
    Ref item(int_from_int64(range_item(r, i)));
    int eq = object_equal(ts, item.get(), v);
    if (eq < 0) return -2;
    if (eq) return i;
  }
  return -1;
}

void range_dealloc(Object* self) { free_object(self); }

Value range_repr(ThreadState& ts, Value self) {
  Range* r = as_range(self);
  std::string text = "range(" + std::to_string(r->start) + ", " + std::to_string(r->stop);
  if (r->step != 1) text += ", " + std::to_string(r->step);
  text += ')';
  return str_value(text);
}

// CPython's range_hash: the hash of (len, start, step) with the parts that do not matter
// for equality replaced by None.
int64_t range_hash(ThreadState& ts, Value self) {
  Range* r = as_range(self);
  Ref length(int_from_int64(r->length));
  Ref start(r->length == 0 ? none() : int_from_int64(r->start));
  Ref step(r->length <= 1 ? none() : int_from_int64(r->step));
  Tuple* t = tuple_pack(ts, {length.get(), start.get(), step.get()});
  if (!t) return -1;
  int64_t h = object_hash(ts, Value::from_obj(t));
  decref(t);
  return h;
}

// Ranges are equal when they produce the same values.
bool range_equal(const Range* a, const Range* b) {
  if (a == b) return true;
  if (a->length != b->length) return false;
  if (a->length == 0) return true;
  if (a->start != b->start) return false;
  return a->length == 1 || a->step == b->step;
}

Value range_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if (type_of(a) != &range_type || type_of(b) != &range_type || (op != CompareOp::Eq && op != CompareOp::Ne))
    return newref(not_implemented());
  return bool_value(range_equal(as_range(a), as_range(b)) == (op == CompareOp::Eq));
}

int range_truth(ThreadState&, Value self) { return as_range(self)->length != 0; }
int64_t range_len(ThreadState&, Value self) { return as_range(self)->length; }

Value range_getitem(ThreadState& ts, Value self, Value key) {
  Range* r = as_range(self);
  int64_t i;
  int rc = subscript_index(ts, key, &i);
  if (rc < 0) return Value();
  if (rc > 0) {
    if (!normalize_index(&i, r->length)) return raise(ts, &IndexError_type, "range object index out of range");
    return int_from_int64(range_item(r, i));
  }
  if (!is_slice(key))
    return raise_fmt(ts, &TypeError_type, "range indices must be integers or slices, not %s", type_name(key));
  int64_t start, stop, step, n;
  if (!slice_indices(ts, key.as<Slice>(), r->length, &start, &stop, &step, &n)) return Value();
  // The sub-range's bounds are computed exactly, then must fit int64 like every range.
  __int128 new_start = __int128(r->start) + __int128(start) * r->step;
  __int128 new_stop = __int128(r->start) + __int128(stop) * r->step;
  __int128 new_step = __int128(step) * r->step;
  auto fits = [](__int128 v) { return v >= INT64_MIN && v <= INT64_MAX; };
  if (!fits(new_start) || !fits(new_stop) || !fits(new_step))
    return raise(ts, &OverflowError_type, "Python int too large to convert to C ssize_t");
  return range_new(ts, int64_t(new_start), int64_t(new_stop), int64_t(new_step));
}

int range_contains(ThreadState& ts, Value self, Value item) {
  Range* r = as_range(self);
  if (is_plain_int(item)) return int_position(r, item) >= 0;
  int64_t found = search_equal(ts, r, item);
  return found == -2 ? -1 : found >= 0;
}

Value range_iter(ThreadState& ts, Value self) {
  Range* r = as_range(self);
  return range_iterator_new(ts, r->start, r->step, r->length);
}

Value range_new_slot(ThreadState& ts, Type*, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "range", kwnames) || !check_nargs(ts, "range", nargs, 1, 3)) return Value();
  int64_t values[3] = {0, 0, 1};
  for (size_t i = 0; i < nargs; i++)
    if (!index_to_int64(ts, args[i], &values[i])) return Value();
  if (nargs == 1) return range_new(ts, 0, values[0], 1);
  if (values[2] == 0) return raise(ts, &ValueError_type, "range() arg 3 must not be zero");
  return range_new(ts, values[0], values[1], values[2]);
}

Value range_method_count(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "range.count", kwnames) || !check_nargs(ts, "range.count", nargs - 1, 1, 1))
    return Value();
  Range* r = as_range(args[0]);
  if (is_plain_int(args[1])) return Value::small_int(int_position(r, args[1]) >= 0 ? 1 : 0);
  int64_t count = 0;
  for (int64_t i = 0; i < r->length; i++) {
    Ref item(int_from_int64(range_item(r, i)));
    int eq = object_equal(ts, item.get(), args[1]);
    if (eq < 0) return Value();
    count += eq;
  }
  return int_from_int64(count);
}

Value range_method_index(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "range.index", kwnames) || !check_nargs(ts, "range.index", nargs - 1, 1, 1))
    return Value();
  Range* r = as_range(args[0]);
  if (!is_plain_int(args[1])) {
    // Other values are searched for by ==, with the generic sequence message.
    int64_t position = search_equal(ts, r, args[1]);
    if (position == -2) return Value();
    if (position < 0) return raise(ts, &ValueError_type, "sequence.index(x): x not in sequence");
    return int_from_int64(position);
  }
  int64_t position = int_position(r, args[1]);
  if (position >= 0) return int_from_int64(position);
  Ref text(object_repr(ts, args[1]));
  if (!text) return Value();
  std::string_view shown = str_view(text.get());
  return raise_fmt(ts, &ValueError_type, "%.*s is not in range", int(shown.size()), shown.data());
}

Value range_method_reversed(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "range.__reversed__", nargs - 1, 0, 0)) return Value();
  Range* r = as_range(args[0]);
  if (r->length == 0) return range_iterator_new(ts, r->start, r->step, 0);
  // Negating the step wraps for INT64_MIN; the iterator's wrapping steps still land on
  // the right values.
  return range_iterator_new(ts, range_item(r, r->length - 1), int64_t(0 - uint64_t(r->step)), r->length);
}

Value range_get_start(ThreadState&, Value self) { return int_from_int64(as_range(self)->start); }
Value range_get_stop(ThreadState&, Value self) { return int_from_int64(as_range(self)->stop); }
Value range_get_step(ThreadState&, Value self) { return int_from_int64(as_range(self)->step); }

const MethodDef range_methods[] = {
    {"count", range_method_count},
    {"index", range_method_index},
    {"__reversed__", range_method_reversed},
    {nullptr, nullptr},
};

const GetSetDef range_getsets[] = {
    {"start", range_get_start},
    {"stop", range_get_stop},
    {"step", range_get_step},
    {nullptr, nullptr},
};

}  // namespace

Value range_new(ThreadState& ts, int64_t start, int64_t stop, int64_t step) {
  int64_t length = range_length(start, stop, step);
  if (length < 0) return raise(ts, &OverflowError_type, "Python int too large to convert to C ssize_t");
  Range* r = try_new_object<Range>(&range_type);
  if (!r) return raise_memory_error(ts);
  r->start = start;
  r->stop = stop;
  r->step = step;
  r->length = length;
  return Value::from_obj(r);
}

Type range_type;
MINIVM_TYPE_SETUP(range_type) {
  t.name = "range";
  t.basic_size = sizeof(Range);
  t.flags = kTypeImmutable;
  t.dealloc = range_dealloc;
  t.repr = range_repr;
  t.hash = range_hash;
  t.compare = range_compare;
  t.truth = range_truth;
  t.length = range_len;
  t.getitem = range_getitem;
  t.contains = range_contains;
  t.iter = range_iter;
  t.new_ = range_new_slot;
  t.methods = range_methods;
  t.getsets = range_getsets;
}

// ---------------------------------------------------------------------------------------
// range_iterator

namespace {

Value range_iterator_iternext(ThreadState&, Value self) { return range_iterator_next(self.as<RangeIterator>()); }

void range_iterator_dealloc(Object* self) { free_object(self); }

}  // namespace

Value range_iterator_new(ThreadState& ts, int64_t start, int64_t step, int64_t count) {
  RangeIterator* it = try_new_object<RangeIterator>(&range_iterator_type);
  if (!it) return raise_memory_error(ts);
  it->start = start;
  it->step = step;
  it->count = count;
  return Value::from_obj(it);
}

Type range_iterator_type;
MINIVM_TYPE_SETUP(range_iterator_type) {
  t.name = "range_iterator";
  t.basic_size = sizeof(RangeIterator);
  t.flags = kTypeImmutable;
  t.dealloc = range_iterator_dealloc;
  t.iter = iter_return_self;
  t.iternext = range_iterator_iternext;
}

// ---------------------------------------------------------------------------------------
// slice

namespace {

Value or_none(Value v) { return v ? v : none(); }

void slice_dealloc(Object* self) {
  Slice* s = static_cast<Slice*>(self);
  decref(s->start);
  decref(s->stop);
  decref(s->step);
  free_object(self);
}

Value slice_repr(ThreadState& ts, Value self) {
  Slice* s = self.as<Slice>();
  std::string text = "slice(";
  const Value parts[] = {s->start, s->stop, s->step};
  for (size_t i = 0; i < 3; i++) {
    if (i > 0) text += ", ";
    Ref r(object_repr(ts, parts[i]));
    if (!r) return Value();
    text += str_view(r.get());
  }
  text += ')';
  return str_value(text);
}

// Slices compare as the tuples (start, stop, step).
Value slice_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if (!is_slice(a) || !is_slice(b)) return newref(not_implemented());
  Slice* x = a.as<Slice>();
  Slice* y = b.as<Slice>();
  Tuple* tx = tuple_pack(ts, {x->start, x->stop, x->step});
  if (!tx) return Value();
  Ref owned_x(Value::from_obj(tx));
  Tuple* ty = tuple_pack(ts, {y->start, y->stop, y->step});
  if (!ty) return Value();
  Ref owned_y(Value::from_obj(ty));
  return object_compare(ts, owned_x.get(), owned_y.get(), op);
}

Value slice_new_slot(ThreadState& ts, Type*, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "slice", kwnames) || !check_nargs(ts, "slice", nargs, 1, 3)) return Value();
  if (nargs == 1) return slice_new(ts, Value(), args[0], Value());
  return slice_new(ts, args[0], args[1], nargs > 2 ? args[2] : Value());
}

Value slice_method_indices(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "slice.indices", kwnames) || !check_nargs(ts, "slice.indices", nargs - 1, 1, 1))
    return Value();
  Ref length_value(number_index(ts, args[1]));
  if (!length_value) return Value();
  if (int_sign(length_value.get()) < 0) return raise(ts, &ValueError_type, "length should not be negative");
  int64_t length = int_clamp_int64(length_value.get());
  int64_t start, stop, step, n;
  if (!slice_indices(ts, args[0].as<Slice>(), length, &start, &stop, &step, &n)) return Value();
  Ref a(int_from_int64(start)), b(int_from_int64(stop)), c(int_from_int64(step));
  Tuple* t = tuple_pack(ts, {a.get(), b.get(), c.get()});
  return t ? Value::from_obj(t) : Value();
}

Value slice_get_start(ThreadState&, Value self) { return newref(self.as<Slice>()->start); }
Value slice_get_stop(ThreadState&, Value self) { return newref(self.as<Slice>()->stop); }
Value slice_get_step(ThreadState&, Value self) { return newref(self.as<Slice>()->step); }

const MethodDef slice_methods[] = {
    {"indices", slice_method_indices},
    {nullptr, nullptr},
};

const GetSetDef slice_getsets[] = {
    {"start", slice_get_start},
    {"stop", slice_get_stop},
    {"step", slice_get_step},
    {nullptr, nullptr},
};

}  // namespace

Value slice_new(ThreadState& ts, Value start, Value stop, Value step) {
  Slice* s = try_new_object<Slice>(&slice_type);
  if (!s) return raise_memory_error(ts);
  s->start = newref(or_none(start));
  s->stop = newref(or_none(stop));
  s->step = newref(or_none(step));
  return Value::from_obj(s);
}

Type slice_type;
MINIVM_TYPE_SETUP(slice_type) {
  t.name = "slice";
  t.basic_size = sizeof(Slice);
  t.flags = kTypeImmutable;
  t.dealloc = slice_dealloc;
  t.repr = slice_repr;
  t.hash = hash_unhashable;
  t.compare = slice_compare;
  t.new_ = slice_new_slot;
  t.methods = slice_methods;
  t.getsets = slice_getsets;
}

}  // namespace mvm
