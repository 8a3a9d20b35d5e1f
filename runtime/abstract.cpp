// The object protocol: Python's operators and builtins expressed as dispatch through type
// slots, with CPython's rules for reflected operands and its error messages.
#include "runtime/abstract.h"

#include <vector>

#include "runtime/alloc.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/thread_state.h"

namespace mvm {

// ---------------------------------------------------------------------------------------
// repr, str, hash, truth

Value object_repr(ThreadState& ts, Value v) {
  Type* t = type_of(v);
  if (!enter_recursive_call(ts, " while getting the repr of an object")) return Value();
  Value r = t->repr(ts, v);
  leave_recursive_call(ts);
  return r;
}

Value object_str(ThreadState& ts, Value v) {
  if (is_exact_str(v)) return newref(v);
  Type* t = type_of(v);
  if (!enter_recursive_call(ts, " while getting the str of an object")) return Value();
  Value r = t->str ? t->str(ts, v) : t->repr(ts, v);
  leave_recursive_call(ts);
  return r;
}

int64_t object_hash(ThreadState& ts, Value v) {
  if (v.is_small_int()) return int_hash(v);
  Type* t = type_of(v);
  if (!t->hash) {
    raise_fmt(ts, &TypeError_type, "unhashable type: '%s'", t->name);
    return -1;
  }
  return t->hash(ts, v);
}

int object_truth(ThreadState& ts, Value v) {
  if (v == true_value()) return 1;
  if (v == false_value() || v == none()) return 0;
  if (v.is_small_int()) return v.as_small_int() != 0;
  Type* t = type_of(v);
  if (t->truth) return t->truth(ts, v);
  if (t->length) {
    int64_t n = t->length(ts, v);
    return n < 0 ? -1 : n > 0;
  }
  return 1;
}

// ---------------------------------------------------------------------------------------
// Comparison

static CompareOp swapped(CompareOp op) {
  switch (op) {
    case CompareOp::Lt: return CompareOp::Gt;
    case CompareOp::Le: return CompareOp::Ge;
    case CompareOp::Gt: return CompareOp::Lt;
    case CompareOp::Ge: return CompareOp::Le;
    default: return op;
  }
}

static const char* compare_symbol(CompareOp op) {
  static const char* symbols[] = {"<", "<=", "==", "!=", ">", ">="};
  return symbols[int(op)];
}

Value object_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  Type* ta = type_of(a);
  Type* tb = type_of(b);
  bool reflected_done = false;
  // A subclass's reflected method takes priority over its base's, so overrides win.
  if (ta != tb && tb->compare && tb->compare != ta->compare && type_is_subtype(tb, ta)) {
    reflected_done = true;
    Value r = tb->compare(ts, b, a, swapped(op));
    if (!r || r != not_implemented()) return r;
    decref(r);
  }
  if (ta->compare) {
    Value r = ta->compare(ts, a, b, op);
    if (!r || r != not_implemented()) return r;
    decref(r);
  }
  if (!reflected_done && tb->compare) {
    Value r = tb->compare(ts, b, a, swapped(op));
    if (!r || r != not_implemented()) return r;
    decref(r);
  }
  switch (op) {
    case CompareOp::Eq: return bool_value(a == b);
    case CompareOp::Ne: return bool_value(a != b);
    default:
      return raise_fmt(ts, &TypeError_type, "'%s' not supported between instances of '%s' and '%s'",
                       compare_symbol(op), ta->name, tb->name);
  }
}

int object_compare_bool(ThreadState& ts, Value a, Value b, CompareOp op) {
  // Identity implies equality here, as in CPython's PyObject_RichCompareBool.
  if (a == b) {
    if (op == CompareOp::Eq) return 1;
    if (op == CompareOp::Ne) return 0;
  }
  Value r = object_compare(ts, a, b, op);
  if (!r) return -1;
  if (r == true_value()) return 1;
  if (r == false_value()) return 0;
  int truth = object_truth(ts, r);
  decref(r);
  return truth;
}

int object_equal(ThreadState& ts, Value a, Value b) {
  if (a == b) return 1;
  if (a.is_small_int() && b.is_small_int()) return 0;
  if (is_exact_str(a) && is_exact_str(b)) return str_equal(a.as<Str>(), b.as<Str>());
  return object_compare_bool(ts, a, b, CompareOp::Eq);
}

// ---------------------------------------------------------------------------------------
// Arithmetic

static const char* binary_symbol(BinaryOp op) {
  static const char* symbols[] = {"+", "-", "*", "/", "//", "%", "** or pow()", "<<", ">>", "&",
                                  "|", "^", "@"};
  static const char* inplace[] = {"+=", "-=", "*=", "/=", "//=", "%=", "**=", "<<=", ">>=", "&=",
                                  "|=", "^=", "@="};
  return is_inplace(op) ? inplace[int(base_op(op))] : symbols[int(base_op(op))];
}

Value binary_op(ThreadState& ts, Value a, Value b, BinaryOp op) {
  Type* ta = type_of(a);
  Type* tb = type_of(b);
  if (is_inplace(op) && ta->binary) {
    Value r = ta->binary(ts, a, b, op);
    if (!r || r != not_implemented()) return r;
    decref(r);
  }
  BinaryOp plain = base_op(op);
  auto slot_a = ta->binary;
  auto slot_b = tb != ta && tb->binary != slot_a ? tb->binary : nullptr;
  // A subclass that overrides the operator gets the first try, as in CPython.
  if (slot_b && type_is_subtype(tb, ta)) {
    Value r = slot_b(ts, a, b, plain);
    if (!r || r != not_implemented()) return r;
    decref(r);
    slot_b = nullptr;
  }
  if (slot_a) {
    Value r = slot_a(ts, a, b, plain);
    if (!r || r != not_implemented()) return r;
    decref(r);
  }
  if (slot_b) {
    Value r = slot_b(ts, a, b, plain);
    if (!r || r != not_implemented()) return r;
    decref(r);
  }
  return raise_fmt(ts, &TypeError_type, "unsupported operand type(s) for %s: '%s' and '%s'",
                   binary_symbol(op), ta->name, tb->name);
}

Value unary_op(ThreadState& ts, Value v, UnaryOp op) {
  Type* t = type_of(v);
  if (t->unary) return t->unary(ts, v, op);
  static const char* symbols[] = {"unary -", "unary +", "unary ~"};
  return raise_fmt(ts, &TypeError_type, "bad operand type for %s: '%s'", symbols[int(op)], t->name);
}

// ---------------------------------------------------------------------------------------
// Containers

int64_t object_length(ThreadState& ts, Value v) {
  Type* t = type_of(v);
  if (t->length) return t->length(ts, v);
  raise_fmt(ts, &TypeError_type, "object of type '%s' has no len()", t->name);
  return -1;
}

Value object_getitem(ThreadState& ts, Value obj, Value key) {
  Type* t = type_of(obj);
  if (t->getitem) return t->getitem(ts, obj, key);
  if (t->flags & kTypeTypeSubclass) {
    // list[int] and friends: generic aliases are represented by the class itself.
    Value hook = type_lookup(obj.as<Type>(), intern("__class_getitem__"));
    if (hook) {
      Ref bound(type_of(hook)->descr_get ? type_of(hook)->descr_get(ts, hook, Value(), obj.as<Type>())
                                         : newref(hook));
      if (!bound) return Value();
      return object_call(ts, bound.get(), &key, 1);
    }
    if (!(obj.as<Type>()->flags & kTypeHeap)) return newref(obj);
    return raise_fmt(ts, &TypeError_type, "type '%s' is not subscriptable", obj.as<Type>()->name);
  }
  return raise_fmt(ts, &TypeError_type, "'%s' object is not subscriptable", t->name);
}

int object_setitem(ThreadState& ts, Value obj, Value key, Value value) {
  Type* t = type_of(obj);
  if (t->setitem) return t->setitem(ts, obj, key, value);
  raise_fmt(ts, &TypeError_type, "'%s' object does not support item assignment", t->name);
  return -1;
}

int object_delitem(ThreadState& ts, Value obj, Value key) {
  Type* t = type_of(obj);
  if (t->setitem) return t->setitem(ts, obj, key, Value());
  raise_fmt(ts, &TypeError_type, "'%s' object doesn't support item deletion", t->name);
  return -1;
}

int object_contains(ThreadState& ts, Value container, Value item) {
  Type* t = type_of(container);
  if (t->contains) return t->contains(ts, container, item);
  if (!t->iter && !t->getitem) {
    raise_fmt(ts, &TypeError_type, "argument of type '%s' is not iterable", t->name);
    return -1;
  }
  Ref it(object_iter(ts, container));
  if (!it) return -1;
  for (;;) {
    Ref x(iter_next(ts, it.get()));
    if (!x) return ts.has_error() ? -1 : 0;
    int eq = object_equal(ts, x.get(), item);
    if (eq != 0) return eq;
  }
}

// ---------------------------------------------------------------------------------------
// Attributes

Value generic_getattr(ThreadState& ts, Value obj, Str* name) {
  Type* t = type_of(obj);
  Value descr = type_lookup(t, name);
  decltype(Type::descr_get) get = nullptr;
  if (descr) {
    Type* dt = type_of(descr);
    get = dt->descr_get;
    if (get && dt->descr_set) return get(ts, descr, obj, t);
  }
  if (Dict** slot = instance_dict_slot(obj); slot && *slot) {
    Value v = dict_get_str(*slot, name);
    if (v) return newref(v);
  }
  if (get) return get(ts, descr, obj, t);
  if (descr) return newref(descr);
  return raise_fmt(ts, &AttributeError_type, "'%s' object has no attribute '%.*s'", t->name,
                   int(name->size), name->data);
}

int generic_setattr(ThreadState& ts, Value obj, Str* name, Value value) {
  Type* t = type_of(obj);
  Value descr = type_lookup(t, name);
  if (descr) {
    Type* dt = type_of(descr);
    if (dt->descr_set) return dt->descr_set(ts, descr, obj, value);
  }
  Dict** slot = instance_dict_slot(obj);
  if (!slot) {
    if (descr)
      raise_fmt(ts, &AttributeError_type, "'%s' object attribute '%.*s' is read-only", t->name,
                int(name->size), name->data);
    else
      raise_fmt(ts, &AttributeError_type, "'%s' object has no attribute '%.*s'", t->name,
                int(name->size), name->data);
    return -1;
  }
  if (value) {
    if (!*slot && !(*slot = dict_new(ts))) return -1;
    return dict_set_str(ts, *slot, intern_str(static_cast<Str*>(newref(Value::from_obj(name)).obj())), value);
  }
  int removed = *slot ? dict_discard(ts, *slot, Value::from_obj(name)) : 0;
  if (removed < 0) return -1;
  if (removed == 0) {
    raise_fmt(ts, &AttributeError_type, "'%s' object has no attribute '%.*s'", t->name,
              int(name->size), name->data);
    return -1;
  }
  return 0;
}

Value object_getattr(ThreadState& ts, Value obj, Str* name) {
  Type* t = type_of(obj);
  if (t->getattr) return t->getattr(ts, obj, name);
  return raise_fmt(ts, &AttributeError_type, "'%s' object has no attribute '%.*s'", t->name,
                   int(name->size), name->data);
}

Value object_getattr(ThreadState& ts, Value obj, const char* name) {
  return object_getattr(ts, obj, intern(name));
}

Value object_lookup_attr(ThreadState& ts, Value obj, Str* name) {
  Value v = object_getattr(ts, obj, name);
  if (!v && error_matches(ts, &AttributeError_type)) clear_error(ts);
  return v;
}

int object_setattr(ThreadState& ts, Value obj, Str* name, Value value) {
  Type* t = type_of(obj);
  if (t->setattr) return t->setattr(ts, obj, name, value);
  Value descr = type_lookup(t, name);
  raise_fmt(ts, &AttributeError_type,
            descr ? "'%s' object attribute '%.*s' is read-only" : "'%s' object has no attribute '%.*s'",
            t->name, int(name->size), name->data);
  return -1;
}

int object_delattr(ThreadState& ts, Value obj, Str* name) { return object_setattr(ts, obj, name, Value()); }

// ---------------------------------------------------------------------------------------
// Calls

Value object_call(ThreadState& ts, Value callable, const Value* args, size_t nargs, Tuple* kwnames) {
  Type* t = type_of(callable);
  if (t->call) return t->call(ts, callable, args, nargs, kwnames);
  return raise_fmt(ts, &TypeError_type, "'%s' object is not callable", t->name);
}

Value call_function(ThreadState& ts, Value callable, std::initializer_list<Value> args) {
  return object_call(ts, callable, args.begin(), args.size());
}

Value call_method(ThreadState& ts, Value obj, Str* name, std::initializer_list<Value> args) {
  Ref method(object_getattr(ts, obj, name));
  if (!method) return Value();
  return object_call(ts, method.get(), args.begin(), args.size());
}

Value call_method(ThreadState& ts, Value obj, const char* name, std::initializer_list<Value> args) {
  return call_method(ts, obj, intern(name), args);
}

Value call_with_tuple(ThreadState& ts, Value callable, Tuple* args, Dict* kwargs) {
  size_t npos = args ? args->size : 0;
  size_t nkw = kwargs ? dict_size(kwargs) : 0;
  if (nkw == 0) return object_call(ts, callable, npos ? args->items : nullptr, npos);
  std::vector<Value> stack(npos + nkw);
  for (size_t i = 0; i < npos; i++) stack[i] = args->items[i];
  Ref names(Value::from_obj(tuple_new(ts, nkw)));
  if (!names) return Value();
  size_t pos = 0, i = 0;
  Value k, v;
  while (dict_next(kwargs, &pos, &k, &v)) {
    if (!is_str(k)) return raise(ts, &TypeError_type, "keywords must be strings");
    names.as<Tuple>()->items[i] = newref(k);
    stack[npos + i] = v;
    i++;
  }
  return object_call(ts, callable, stack.data(), npos, names.as<Tuple>());
}

bool is_callable(Value v) { return type_of(v)->call != nullptr; }

// ---------------------------------------------------------------------------------------
// Iteration

// Iterates objects that define only __getitem__: seq[0], seq[1], ... until IndexError.
struct SequenceIterator : Object {
  Value seq;      // null once exhausted
  int64_t index = 0;
};

static Value seqiter_next(ThreadState& ts, Value self) {
  SequenceIterator* it = self.as<SequenceIterator>();
  if (!it->seq) return Value();
  Value r = object_getitem(ts, it->seq, Value::small_int(it->index));
  if (r) {
    it->index++;
    return r;
  }
  if (error_matches(ts, &IndexError_type) || error_matches(ts, &StopIteration_type)) {
    clear_error(ts);
    Value seq = it->seq;
    it->seq = Value();
    decref(seq);
  }
  return Value();
}

static Value iter_self(ThreadState&, Value self) { return newref(self); }

static void seqiter_dealloc(Object* self) {
  decref(static_cast<SequenceIterator*>(self)->seq);
  free_object(self);
}

Type sequence_iterator_type;
MINIVM_TYPE_SETUP(sequence_iterator_type) {
  t.name = "iterator";
  t.basic_size = sizeof(SequenceIterator);
  t.flags = kTypeImmutable;
  t.dealloc = seqiter_dealloc;
  t.iter = iter_self;
  t.iternext = seqiter_next;
}

Value object_iter(ThreadState& ts, Value v) {
  Type* t = type_of(v);
  if (t->iter) return t->iter(ts, v);
  if (t->getitem && !(t->flags & kTypeDictSubclass)) {
    SequenceIterator* it = new_object<SequenceIterator>(&sequence_iterator_type);
    it->seq = newref(v);
    return Value::from_obj(it);
  }
  return raise_fmt(ts, &TypeError_type, "'%s' object is not iterable", t->name);
}

Value iter_next(ThreadState& ts, Value iterator) {
  Type* t = type_of(iterator);
  if (t->iternext) {
    Value v = t->iternext(ts, iterator);
    // Some iterators (generators with a return value) end with StopIteration set.
    if (!v && error_matches(ts, &StopIteration_type)) clear_error(ts);
    return v;
  }
  return raise_fmt(ts, &TypeError_type, "'%s' object is not an iterator", t->name);
}

// ---------------------------------------------------------------------------------------
// isinstance

int object_isinstance(ThreadState& ts, Value v, Value cls) {
  if (is_tuple(cls)) {
    Tuple* t = cls.as<Tuple>();
    for (size_t i = 0; i < t->size; i++) {
      int r = object_isinstance(ts, v, t->items[i]);
      if (r != 0) return r;
    }
    return 0;
  }
  if (!is_instance_of(cls, &type_type)) {
    raise(ts, &TypeError_type, "isinstance() arg 2 must be a type, a tuple of types, or a union");
    return -1;
  }
  return is_instance_of(v, cls.as<Type>());
}

}  // namespace mvm
