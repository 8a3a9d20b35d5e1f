// The dynamic views d.keys(), d.values() and d.items(). Keys and items views are set-like:
// they support `in`, comparisons with sets and other views, and the operators - & | ^
// (whose results are sets).
#include <string>
#include <utility>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/builtin_support.h"
#include "runtime/dict.h"

#include "runtime/critical_section.h"
#include "runtime/errors.h"
#include "runtime/list.h"
#include "runtime/sequence.h"
#include "runtime/set.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {

Dict* view_dict(Value v) { return v.as<DictView>()->dict; }

bool is_set_like_view(Value v) {
  return v.is_obj() && (v.obj()->ob_type == &dict_keys_type || v.obj()->ob_type == &dict_items_type);
}

bool is_set_like(Value v) { return is_set_like_view(v) || is_anyset_instance(v); }

void view_dealloc(Object* self) {
  decref(static_cast<DictView*>(self)->dict);
  free_object(self);
}

int64_t view_length(ThreadState&, Value self) { return int64_t(dict_size(view_dict(self))); }
int view_truth(ThreadState&, Value self) { return dict_size(view_dict(self)) != 0; }

Value keys_iter(ThreadState& ts, Value self) { return dict_iter_new(ts, view_dict(self), &dict_keyiterator_type); }
Value values_iter(ThreadState& ts, Value self) {
  return dict_iter_new(ts, view_dict(self), &dict_valueiterator_type);
}
Value items_iter(ThreadState& ts, Value self) { return dict_iter_new(ts, view_dict(self), &dict_itemiterator_type); }

int keys_contains(ThreadState& ts, Value self, Value key) {
  if (dict_get(ts, view_dict(self), key)) return 1;
  return error_occurred(ts) ? -1 : 0;
}

// (key, value) in d.items(): the key is present and its value equals.
int items_contains(ThreadState& ts, Value self, Value item) {
  if (!is_tuple(item) || item.as<Tuple>()->size != 2) return 0;
  Value key = item.as<Tuple>()->items[0];
  Value value = item.as<Tuple>()->items[1];
  Value found = dict_get(ts, view_dict(self), key);
  if (!found) return error_occurred(ts) ? -1 : 0;
  Ref held(newref(found));
  return items_equal(ts, found, value);
}

int values_contains(ThreadState& ts, Value self, Value item) {
  Dict* d = view_dict(self);
  CriticalSection cs(ts, d);
  for (size_t i = 0; i < d->nentries; i++) {   // re-read: __eq__ may change the dict
    if (!d->entries[i].key) continue;
    Ref value(newref(d->entries[i].value));
    int eq = items_equal(ts, value.get(), item);
    if (eq != 0) return eq;
  }
  return 0;
}

// "dict_keys(['a', 'b'])"
Value view_repr(ThreadState& ts, Value self) {
  if (repr_enter(ts, self.obj())) return str_value("...");
  Ref items(list_from_iterable(ts, self));
  Ref text(items ? object_repr(ts, items.get()) : Value());
  repr_leave(ts, self.obj());
  if (!text) return Value();
  std::string out = type_of(self)->name;
  out += '(';
  out += str_view(text.get());
  out += ')';
  Str* s = str_new_checked(ts, out);
  return s ? Value::from_obj(s) : Value();
}

// Whether every element of a is in b: 1, 0, or -1 on error.
int all_contained_in(ThreadState& ts, Value a, Value b) {
  Ref it(object_iter(ts, a));
  if (!it) return -1;
  while (Value item = iter_next(ts, it.get())) {
    Ref owned(item);
    int r = object_contains(ts, b, item);
    if (r <= 0) return r;
  }
  return error_occurred(ts) ? -1 : 1;
}

// Set-like comparison, as CPython's dictview_richcompare.
Value view_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if (!is_set_like(a) || !is_set_like(b)) return newref(not_implemented());
  int64_t len_a = object_length(ts, a);
  if (len_a < 0) return Value();
  int64_t len_b = object_length(ts, b);
  if (len_b < 0) return Value();
  int ok = 0;
  switch (op) {
    case CompareOp::Eq:
    case CompareOp::Ne:
      if (len_a == len_b) ok = all_contained_in(ts, a, b);
      if (op == CompareOp::Ne && ok >= 0) ok = !ok;
      break;
    case CompareOp::Lt: if (len_a < len_b) ok = all_contained_in(ts, a, b); break;
    case CompareOp::Le: if (len_a <= len_b) ok = all_contained_in(ts, a, b); break;
    case CompareOp::Gt: if (len_a > len_b) ok = all_contained_in(ts, b, a); break;
    case CompareOp::Ge: if (len_a >= len_b) ok = all_contained_in(ts, b, a); break;
  }
  if (ok < 0) return Value();
  return bool_value(ok);
}

// The contains slot of a set-like view.
int view_contains(ThreadState& ts, Value view, Value item) { return type_of(view)->contains(ts, view, item); }

// view & x, either operand being the view, as CPython's _PyDictView_Intersect: the result
// collects the items of the smaller operand that the larger one contains.
Value view_intersection(ThreadState& ts, Value a, Value b) {
  Value self = is_set_like_view(a) ? a : b;
  Value other = self == a ? b : a;
  size_t self_length = view_dict(self)->used;
  if (type_of(other) == &set_type && self_length <= other.as<Set>()->used)
    return call_method(ts, other, "intersection", {self});
  if (is_set_like_view(other) && view_dict(other)->used > self_length) std::swap(self, other);
  Ref result(Value::from_obj(set_new(ts)));
  if (!result) return Value();
  Ref it(object_iter(ts, other));
  if (!it) return Value();
  while (Value item = iter_next(ts, it.get())) {
    Ref owned(item);
    int r = view_contains(ts, self, item);
    if (r < 0 || (r && set_add(ts, result.as<Set>(), item) < 0)) return Value();
  }
  if (error_occurred(ts)) return Value();
  return result.release();
}

// view - x, view | x, view ^ x (either operand may be the view): set(a), updated in place
// with b. A keys view becomes a set straight from its dict, as in CPython (which sizes the
// table, and so fixes the order, the same way).
Value view_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  BinaryOp base = base_op(op);
  if (base == BinaryOp::And) return view_intersection(ts, a, b);
  if (base != BinaryOp::Sub && base != BinaryOp::Or && base != BinaryOp::Xor) return newref(not_implemented());
  Value source = type_of(a) == &dict_keys_type ? Value::from_obj(view_dict(a)) : a;
  Ref result(set_from_iterable(ts, source));
  if (!result) return Value();
  Set* s = result.as<Set>();
  int rc = base == BinaryOp::Sub  ? set_difference_update(ts, s, b)
           : base == BinaryOp::Or ? set_update(ts, s, b)
                                  : set_symmetric_difference_update(ts, s, b);
  if (rc < 0) return Value();
  return result.release();
}

Value view_method_isdisjoint(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "isdisjoint", kwnames) || !check_nargs(ts, "isdisjoint", nargs - 1, 1, 1))
    return Value();
  Value self = args[0], other = args[1];
  if (self == other) return bool_value(view_dict(self)->used == 0);
  Ref it(object_iter(ts, other));
  if (!it) return Value();
  while (Value item = iter_next(ts, it.get())) {
    Ref owned(item);
    int r = object_contains(ts, self, item);
    if (r < 0) return Value();
    if (r) return false_value();
  }
  return error_occurred(ts) ? Value() : true_value();
}

template <Type* kIteratorType>
Value view_method_reversed(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "__reversed__", nargs - 1, 0, 0)) return Value();
  return dict_iter_new(ts, view_dict(args[0]), kIteratorType);
}

const MethodDef keys_methods[] = {
    {"isdisjoint", view_method_isdisjoint},
    {"__reversed__", view_method_reversed<&dict_reversekeyiterator_type>},
    {nullptr, nullptr},
};
const MethodDef items_methods[] = {
    {"isdisjoint", view_method_isdisjoint},
    {"__reversed__", view_method_reversed<&dict_reverseitemiterator_type>},
    {nullptr, nullptr},
};
const MethodDef values_methods[] = {
    {"__reversed__", view_method_reversed<&dict_reversevalueiterator_type>},
    {nullptr, nullptr},
};

void setup_view_type(Type& t, const char* name) {
  t.name = name;
  t.basic_size = sizeof(DictView);
  t.flags = kTypeImmutable;
  t.dealloc = view_dealloc;
  t.repr = view_repr;
  t.length = view_length;
  t.truth = view_truth;
}

// keys and items views share the set-like slots.
void setup_set_like_view(Type& t, const char* name) {
  setup_view_type(t, name);
  t.hash = hash_unhashable;
  t.compare = view_compare;
  t.binary = view_binary;
  t.binary_ops = t.rbinary_ops = op_mask({BinaryOp::Sub, BinaryOp::And, BinaryOp::Or, BinaryOp::Xor});
}

}  // namespace

Value dict_view_new(ThreadState& ts, Dict* d, Type* view_type) {
  DictView* view = try_new_object<DictView>(view_type);
  if (!view) return raise_memory_error(ts);
  incref(d);
  view->dict = d;
  return Value::from_obj(view);
}

Type dict_keys_type;
MINIVM_TYPE_SETUP(dict_keys_type) {
  setup_set_like_view(t, "dict_keys");
  t.iter = keys_iter;
  t.contains = keys_contains;
  t.methods = keys_methods;
}

Type dict_items_type;
MINIVM_TYPE_SETUP(dict_items_type) {
  setup_set_like_view(t, "dict_items");
  t.iter = items_iter;
  t.contains = items_contains;
  t.methods = items_methods;
}

Type dict_values_type;
MINIVM_TYPE_SETUP(dict_values_type) {
  setup_view_type(t, "dict_values");
  t.iter = values_iter;
  t.contains = values_contains;
  t.methods = values_methods;
}

}  // namespace mvm
