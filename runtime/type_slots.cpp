// The slot table: which dunder method stands for which type slot. It drives both
// directions: wrappers that expose a built-in type's slots as methods (`int.__add__`), and
// slot functions that make a class's dunder methods (`def __add__`) act as its slots.
#include <mutex>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/function.h"
#include "runtime/int.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/eval.h"
#include "vm/thread_state.h"

namespace mvm {

enum class SlotKind : uint8_t {
  Repr, Str, Hash, Compare, Binary, RBinary, Unary, Truth, Length, GetItem, SetItem, DelItem,
  Contains, Iter, Next, Call, Init, New, GetAttribute, GetAttr, SetAttr, DelAttr, DescrGet,
  DescrSet, DescrDelete
};

struct SlotDef {
  const char* name;
  SlotKind kind;
  uint8_t op;          // CompareOp, BinaryOp (with kInplaceFlag) or UnaryOp
};

#define BINARY_SLOTS(opname, op)                                      \
  {"__" opname "__", SlotKind::Binary, uint8_t(BinaryOp::op)},        \
  {"__r" opname "__", SlotKind::RBinary, uint8_t(BinaryOp::op)},      \
  {"__i" opname "__", SlotKind::Binary, uint8_t(uint8_t(BinaryOp::op) | kInplaceFlag)},

static const SlotDef kSlotDefs[] = {
    {"__repr__", SlotKind::Repr, 0},
    {"__str__", SlotKind::Str, 0},
    {"__hash__", SlotKind::Hash, 0},
    {"__lt__", SlotKind::Compare, uint8_t(CompareOp::Lt)},
    {"__le__", SlotKind::Compare, uint8_t(CompareOp::Le)},
    {"__eq__", SlotKind::Compare, uint8_t(CompareOp::Eq)},
    {"__ne__", SlotKind::Compare, uint8_t(CompareOp::Ne)},
    {"__gt__", SlotKind::Compare, uint8_t(CompareOp::Gt)},
    {"__ge__", SlotKind::Compare, uint8_t(CompareOp::Ge)},
    BINARY_SLOTS("add", Add) BINARY_SLOTS("sub", Sub) BINARY_SLOTS("mul", Mul)
    BINARY_SLOTS("truediv", TrueDiv) BINARY_SLOTS("floordiv", FloorDiv) BINARY_SLOTS("mod", Mod)
    BINARY_SLOTS("pow", Pow) BINARY_SLOTS("lshift", LShift) BINARY_SLOTS("rshift", RShift)
    BINARY_SLOTS("and", And) BINARY_SLOTS("or", Or) BINARY_SLOTS("xor", Xor)
    BINARY_SLOTS("matmul", MatMul)
    {"__neg__", SlotKind::Unary, uint8_t(UnaryOp::Neg)},
    {"__pos__", SlotKind::Unary, uint8_t(UnaryOp::Pos)},
    {"__invert__", SlotKind::Unary, uint8_t(UnaryOp::Invert)},
    {"__bool__", SlotKind::Truth, 0},
    {"__len__", SlotKind::Length, 0},
    {"__getitem__", SlotKind::GetItem, 0},
    {"__setitem__", SlotKind::SetItem, 0},
    {"__delitem__", SlotKind::DelItem, 0},
    {"__contains__", SlotKind::Contains, 0},
    {"__iter__", SlotKind::Iter, 0},
    {"__next__", SlotKind::Next, 0},
    {"__call__", SlotKind::Call, 0},
    {"__init__", SlotKind::Init, 0},
    {"__new__", SlotKind::New, 0},
    {"__getattribute__", SlotKind::GetAttribute, 0},
    {"__getattr__", SlotKind::GetAttr, 0},
    {"__setattr__", SlotKind::SetAttr, 0},
    {"__delattr__", SlotKind::DelAttr, 0},
    {"__get__", SlotKind::DescrGet, 0},
    {"__set__", SlotKind::DescrSet, 0},
    {"__delete__", SlotKind::DescrDelete, 0},
};
#undef BINARY_SLOTS
constexpr size_t kNumSlotDefs = sizeof(kSlotDefs) / sizeof(kSlotDefs[0]);

// Interned names of kSlotDefs, made once.
static Str* const* slot_names() {
  static Str* names[kNumSlotDefs];
  static std::once_flag once;
  std::call_once(once, [] {
    for (size_t i = 0; i < kNumSlotDefs; i++) names[i] = intern(kSlotDefs[i].name);
  });
  return names;
}

static Str* dunder(SlotKind kind, uint8_t op = 0) {
  Str* const* names = slot_names();
  for (size_t i = 0; i < kNumSlotDefs; i++)
    if (kSlotDefs[i].kind == kind && kSlotDefs[i].op == op) return names[i];
  return nullptr;
}

// Whether a static type provides the slot that a SlotDef describes.
static bool has_slot(const Type* t, const SlotDef& def) {
  switch (def.kind) {
    case SlotKind::Repr: return t->repr;
    case SlotKind::Str: return t->str;
    case SlotKind::Hash: return t->hash;
    case SlotKind::Compare: return t->compare;
    case SlotKind::Binary: return t->binary && !(def.op & kInplaceFlag) && (t->binary_ops >> def.op & 1);
    case SlotKind::RBinary: return t->binary && (t->rbinary_ops >> def.op & 1);
    case SlotKind::Unary: return t->unary && (t->unary_ops >> def.op & 1);
    case SlotKind::Truth: return t->truth;
    case SlotKind::Length: return t->length;
    case SlotKind::GetItem: return t->getitem;
    case SlotKind::SetItem:
    case SlotKind::DelItem: return t->setitem;
    case SlotKind::Contains: return t->contains;
    case SlotKind::Iter: return t->iter;
    case SlotKind::Next: return t->iternext;
    case SlotKind::Call: return t->call;
    case SlotKind::Init: return t->init;
    case SlotKind::New: return t->new_;
    case SlotKind::GetAttribute: return t->getattr;
    case SlotKind::GetAttr: return false;
    case SlotKind::SetAttr:
    case SlotKind::DelAttr: return t->setattr;
    case SlotKind::DescrGet: return t->descr_get;
    case SlotKind::DescrSet:
    case SlotKind::DescrDelete: return t->descr_set;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Wrappers: a built-in type's slot called as a method.

struct SlotWrapper : Object {
  const SlotDef* def;
  Type* owner;
};

static Value wrapper_descr_get(ThreadState& ts, Value descr, Value obj, Type*) {
  SlotWrapper* w = descr.as<SlotWrapper>();
  if (!obj || w->def->kind == SlotKind::New) return newref(descr);
  return bound_method_new(ts, descr, obj);
}

static Value wrapper_repr(ThreadState& ts, Value self) {
  SlotWrapper* w = self.as<SlotWrapper>();
  std::string text = std::string("<slot wrapper '") + w->def->name + "' of '" + w->owner->name + "' objects>";
  return str_value(text);
}

static bool wrapper_nargs(ThreadState& ts, SlotWrapper* w, size_t nargs, size_t expected) {
  if (nargs == expected) return true;
  raise_fmt(ts, &TypeError_type, "expected %zu argument%s, got %zu", expected - 1,
            expected == 2 ? "" : "s", nargs - 1);
  return false;
}

static Value wrapper_call(ThreadState& ts, Value callable, const Value* args, size_t nargs, Tuple* kwnames) {
  SlotWrapper* w = callable.as<SlotWrapper>();
  const SlotDef& def = *w->def;
  Type* t = w->owner;
  if (nargs == 0)
    return raise_fmt(ts, &TypeError_type, "descriptor '%s' of '%s' object needs an argument", def.name, t->name);
  Value self = args[0];
  if (def.kind == SlotKind::New) {
    if (!is_instance_of(self, &type_type) || !type_is_subtype(self.as<Type>(), t))
      return raise_fmt(ts, &TypeError_type, "%s.__new__(X): X is not a subtype of %s", t->name, t->name);
    return t->new_(ts, self.as<Type>(), args + 1, nargs - 1, kwnames);
  }
  if (!is_instance_of(self, t))
    return raise_fmt(ts, &TypeError_type, "descriptor '%s' requires a '%s' object but received a '%s'",
                     def.name, t->name, type_name(self));
  size_t nkw = kwnames ? kwnames->size : 0;
  if (nkw && def.kind != SlotKind::Call && def.kind != SlotKind::Init)
    return raise_fmt(ts, &TypeError_type, "wrapper %s() takes no keyword arguments", def.name);
  switch (def.kind) {
    case SlotKind::Repr:
      if (!wrapper_nargs(ts, w, nargs, 1)) return Value();
      return t->repr(ts, self);
    case SlotKind::Str:
      if (!wrapper_nargs(ts, w, nargs, 1)) return Value();
      return t->str(ts, self);
    case SlotKind::Hash: {
      if (!wrapper_nargs(ts, w, nargs, 1)) return Value();
      int64_t h = t->hash(ts, self);
      return h == -1 ? Value() : int_from_int64(h);
    }
    case SlotKind::Compare:
      if (!wrapper_nargs(ts, w, nargs, 2)) return Value();
      return t->compare(ts, self, args[1], CompareOp(def.op));
    case SlotKind::Binary:
      if (!wrapper_nargs(ts, w, nargs, 2)) return Value();
      return t->binary(ts, self, args[1], BinaryOp(def.op));
    case SlotKind::RBinary:
      if (!wrapper_nargs(ts, w, nargs, 2)) return Value();
      return t->binary(ts, args[1], self, BinaryOp(def.op));
    case SlotKind::Unary:
      if (!wrapper_nargs(ts, w, nargs, 1)) return Value();
      return t->unary(ts, self, UnaryOp(def.op));
    case SlotKind::Truth: {
      if (!wrapper_nargs(ts, w, nargs, 1)) return Value();
      int r = t->truth(ts, self);
      return r < 0 ? Value() : bool_value(r);
    }
    case SlotKind::Length: {
      if (!wrapper_nargs(ts, w, nargs, 1)) return Value();
      int64_t n = t->length(ts, self);
      return n < 0 ? Value() : int_from_int64(n);
    }
    case SlotKind::GetItem:
      if (!wrapper_nargs(ts, w, nargs, 2)) return Value();
      return t->getitem(ts, self, args[1]);
    case SlotKind::SetItem:
      if (!wrapper_nargs(ts, w, nargs, 3)) return Value();
      return t->setitem(ts, self, args[1], args[2]) < 0 ? Value() : newref(none());
    case SlotKind::DelItem:
      if (!wrapper_nargs(ts, w, nargs, 2)) return Value();
      return t->setitem(ts, self, args[1], Value()) < 0 ? Value() : newref(none());
    case SlotKind::Contains: {
      if (!wrapper_nargs(ts, w, nargs, 2)) return Value();
      int r = t->contains(ts, self, args[1]);
      return r < 0 ? Value() : bool_value(r);
    }
    case SlotKind::Iter:
      if (!wrapper_nargs(ts, w, nargs, 1)) return Value();
      return t->iter(ts, self);
    case SlotKind::Next: {
      if (!wrapper_nargs(ts, w, nargs, 1)) return Value();
      Value r = t->iternext(ts, self);
      if (!r && !ts.has_error()) return raise_stop_iteration(ts, Value());
      return r;
    }
    case SlotKind::Call:
      return t->call(ts, self, args + 1, nargs - 1, kwnames);
    case SlotKind::Init:
      return t->init(ts, self, args + 1, nargs - 1, kwnames) < 0 ? Value() : newref(none());
    case SlotKind::GetAttribute:
      if (!wrapper_nargs(ts, w, nargs, 2)) return Value();
      if (!is_str(args[1]))
        return raise_fmt(ts, &TypeError_type, "attribute name must be string, not '%s'", type_name(args[1]));
      return t->getattr(ts, self, args[1].as<Str>());
    case SlotKind::SetAttr:
      if (!wrapper_nargs(ts, w, nargs, 3)) return Value();
      if (!is_str(args[1]))
        return raise_fmt(ts, &TypeError_type, "attribute name must be string, not '%s'", type_name(args[1]));
      return t->setattr(ts, self, args[1].as<Str>(), args[2]) < 0 ? Value() : newref(none());
    case SlotKind::DelAttr:
      if (!wrapper_nargs(ts, w, nargs, 2)) return Value();
      if (!is_str(args[1]))
        return raise_fmt(ts, &TypeError_type, "attribute name must be string, not '%s'", type_name(args[1]));
      return t->setattr(ts, self, args[1].as<Str>(), Value()) < 0 ? Value() : newref(none());
    case SlotKind::DescrGet: {
      if (nargs < 2 || nargs > 3) return raise(ts, &TypeError_type, "__get__(None, None) is invalid");
      Value obj = is_none(args[1]) ? Value() : args[1];
      Type* owner = nargs == 3 && is_instance_of(args[2], &type_type) ? args[2].as<Type>() : type_of(args[1]);
      return t->descr_get(ts, self, obj, owner);
    }
    case SlotKind::DescrSet:
      if (!wrapper_nargs(ts, w, nargs, 3)) return Value();
      return t->descr_set(ts, self, args[1], args[2]) < 0 ? Value() : newref(none());
    case SlotKind::DescrDelete:
      if (!wrapper_nargs(ts, w, nargs, 2)) return Value();
      return t->descr_set(ts, self, args[1], Value()) < 0 ? Value() : newref(none());
    case SlotKind::GetAttr:
    case SlotKind::New:
      break;
  }
  return raise(ts, &SystemError_type, "bad slot wrapper");
}

Type slot_wrapper_type;
MINIVM_TYPE_SETUP(slot_wrapper_type) {
  t.name = "wrapper_descriptor";
  t.basic_size = sizeof(SlotWrapper);
  t.flags = kTypeImmutable;
  t.repr = wrapper_repr;
  t.call = wrapper_call;
  t.descr_get = wrapper_descr_get;
}

void add_slot_wrappers(Type* type) {
  Str* const* names = slot_names();
  ThreadState* ts = current_thread_state();
  for (size_t i = 0; i < kNumSlotDefs; i++) {
    const SlotDef& def = kSlotDefs[i];
    if (!has_slot(type, def)) continue;
    // Only slots the type defines itself get a wrapper; inherited ones are found on the base.
    if (type->base && has_slot(type->base, def)) {
      bool same = false;
      switch (def.kind) {
#define SAME(kind, field) case SlotKind::kind: same = type->field == type->base->field; break;
        SAME(Repr, repr) SAME(Str, str) SAME(Hash, hash) SAME(Compare, compare)
        SAME(Binary, binary) SAME(RBinary, binary) SAME(Unary, unary) SAME(Truth, truth)
        SAME(Length, length) SAME(GetItem, getitem) SAME(SetItem, setitem) SAME(DelItem, setitem)
        SAME(Contains, contains) SAME(Iter, iter) SAME(Next, iternext) SAME(Call, call)
        SAME(Init, init) SAME(New, new_) SAME(GetAttribute, getattr) SAME(SetAttr, setattr)
        SAME(DelAttr, setattr) SAME(DescrGet, descr_get) SAME(DescrSet, descr_set)
        SAME(DescrDelete, descr_set)
#undef SAME
        case SlotKind::GetAttr: break;
      }
      if (same) continue;
    }
    if (dict_get_str(type->dict, names[i])) continue;   // an explicit MethodDef wins
    SlotWrapper* w = new_object<SlotWrapper>(&slot_wrapper_type);
    w->def = &def;
    w->owner = type;
    make_immortal(w);
    dict_set_str(*ts, type->dict, names[i], Value::from_obj(w));
  }
}

// ---------------------------------------------------------------------------------------
// Slot functions of classes: each calls the class's dunder method.

// Calls type(self).name(self, *args) without making a bound method for plain functions.
// Returns null with no exception when the class has no such attribute.
static Value call_dunder(ThreadState& ts, Value self, Str* name, const Value* args, size_t nargs,
                         bool* found = nullptr) {
  Value attr = type_lookup(type_of(self), name);
  if (found) *found = bool(attr);
  if (!attr) return Value();
  Value stack[8];
  if (nargs + 1 > 8) return raise(ts, &SystemError_type, "too many dunder arguments");
  Type* at = type_of(attr);
  if (at == &function_type || at == &method_descriptor_type || at == &slot_wrapper_type) {
    stack[0] = self;
    for (size_t i = 0; i < nargs; i++) stack[i + 1] = args[i];
    return object_call(ts, attr, stack, nargs + 1);
  }
  if (is_none(attr)) {
    return raise_fmt(ts, &TypeError_type, "'%s' object is not callable", "NoneType");
  }
  Ref bound(at->descr_get ? at->descr_get(ts, attr, self, type_of(self)) : newref(attr));
  if (!bound) return Value();
  return object_call(ts, bound.get(), args, nargs);
}

static Value slot_repr(ThreadState& ts, Value self) {
  Value r = call_dunder(ts, self, dunder(SlotKind::Repr), nullptr, 0);
  if (r && !is_str(r)) {
    decref(r);
    return raise_fmt(ts, &TypeError_type, "__repr__ returned non-string (type %s)", type_name(r));
  }
  return r;
}

static Value slot_str(ThreadState& ts, Value self) {
  Value r = call_dunder(ts, self, dunder(SlotKind::Str), nullptr, 0);
  if (r && !is_str(r)) {
    decref(r);
    return raise_fmt(ts, &TypeError_type, "__str__ returned non-string (type %s)", type_name(r));
  }
  return r;
}

static int64_t slot_hash(ThreadState& ts, Value self) {
  Value attr = type_lookup(type_of(self), dunder(SlotKind::Hash));
  if (!attr || is_none(attr)) {
    raise_fmt(ts, &TypeError_type, "unhashable type: '%s'", type_name(self));
    return -1;
  }
  Ref r(call_dunder(ts, self, dunder(SlotKind::Hash), nullptr, 0));
  if (!r) return -1;
  if (!is_int(r.get())) {
    raise(ts, &TypeError_type, "__hash__ method should return an integer");
    return -1;
  }
  int64_t h = r.get().is_small_int() ? r.get().as_small_int() : int_hash(r.get());
  return h == -1 ? -2 : h;
}

static Value slot_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  bool found = false;
  Value r = call_dunder(ts, a, dunder(SlotKind::Compare, uint8_t(op)), &b, 1, &found);
  if (!found) return newref(not_implemented());
  return r;
}

// CPython's SLOT1BINFULL: the left operand's __op__, or the right one's __rop__ when the
// right operand is of another class that also implements the slot.
static Value slot_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  if (is_inplace(op)) {
    bool found = false;
    Value r = call_dunder(ts, a, dunder(SlotKind::Binary, uint8_t(op)), &b, 1, &found);
    if (!found) return newref(not_implemented());
    return r;
  }
  Type* ta = type_of(a);
  Type* tb = type_of(b);
  bool do_other = ta != tb && tb->binary == slot_binary;
  Str* rname = dunder(SlotKind::RBinary, uint8_t(op));
  if (ta->binary == slot_binary) {
    if (do_other && type_is_subtype(tb, ta)) {
      bool found = false;
      Value r = call_dunder(ts, b, rname, &a, 1, &found);
      if (found) {
        if (!r || r != not_implemented()) return r;
        decref(r);
      }
      do_other = false;
    }
    bool found = false;
    Value r = call_dunder(ts, a, dunder(SlotKind::Binary, uint8_t(op)), &b, 1, &found);
    if (found && (!r || r != not_implemented() || ta == tb)) return r;
    if (found) decref(r);
  }
  if (do_other || (ta->binary != slot_binary && tb->binary == slot_binary)) {
    bool found = false;
    Value r = call_dunder(ts, b, rname, &a, 1, &found);
    if (found) return r;
  }
  return newref(not_implemented());
}

static Value slot_unary(ThreadState& ts, Value self, UnaryOp op) {
  bool found = false;
  Value r = call_dunder(ts, self, dunder(SlotKind::Unary, uint8_t(op)), nullptr, 0, &found);
  if (!found) {
    static const char* symbols[] = {"unary -", "unary +", "unary ~"};
    return raise_fmt(ts, &TypeError_type, "bad operand type for %s: '%s'", symbols[int(op)], type_name(self));
  }
  return r;
}

static int slot_truth(ThreadState& ts, Value self) {
  Ref r(call_dunder(ts, self, dunder(SlotKind::Truth), nullptr, 0));
  if (!r) return -1;
  if (!is_bool(r.get())) {
    raise_fmt(ts, &TypeError_type, "__bool__ should return bool, returned %s", type_name(r.get()));
    return -1;
  }
  return r.get() == true_value();
}

static int64_t slot_length(ThreadState& ts, Value self) {
  Ref r(call_dunder(ts, self, dunder(SlotKind::Length), nullptr, 0));
  if (!r) return -1;
  if (!is_int(r.get())) {
    raise_fmt(ts, &TypeError_type, "'%s' object cannot be interpreted as an integer", type_name(r.get()));
    return -1;
  }
  int64_t n;
  if (!int_to_int64(ts, r.get(), &n)) return -1;
  if (n < 0) {
    raise(ts, &ValueError_type, "__len__() should return >= 0");
    return -1;
  }
  return n;
}

static Value slot_getitem(ThreadState& ts, Value self, Value key) {
  return call_dunder(ts, self, dunder(SlotKind::GetItem), &key, 1);
}

static int slot_setitem(ThreadState& ts, Value self, Value key, Value value) {
  bool found = false;
  Value r;
  if (value) {
    Value args[2] = {key, value};
    r = call_dunder(ts, self, dunder(SlotKind::SetItem), args, 2, &found);
  } else {
    r = call_dunder(ts, self, dunder(SlotKind::DelItem), &key, 1, &found);
  }
  if (!found) {
    raise_fmt(ts, &AttributeError_type, value ? "__setitem__" : "__delitem__");
    return -1;
  }
  if (!r) return -1;
  decref(r);
  return 0;
}

static int slot_contains(ThreadState& ts, Value self, Value item) {
  Ref r(call_dunder(ts, self, dunder(SlotKind::Contains), &item, 1));
  if (!r) return -1;
  return object_truth(ts, r.get());
}

static Value slot_iter(ThreadState& ts, Value self) {
  Value attr = type_lookup(type_of(self), dunder(SlotKind::Iter));
  if (attr && is_none(attr))
    return raise_fmt(ts, &TypeError_type, "'%s' object is not iterable", type_name(self));
  Value r = call_dunder(ts, self, dunder(SlotKind::Iter), nullptr, 0);
  if (r && !type_of(r)->iternext) {
    Value bad = r;
    Ref guard(bad);
    return raise_fmt(ts, &TypeError_type, "iter() returned non-iterator of type '%s'", type_name(bad));
  }
  return r;
}

// StopIteration stays set: iter_next and FOR_ITER clear it, and yield from takes its value.
static Value slot_iternext(ThreadState& ts, Value self) {
  return call_dunder(ts, self, dunder(SlotKind::Next), nullptr, 0);
}

static Value slot_call(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  Value attr = type_lookup(type_of(self), dunder(SlotKind::Call));
  if (!attr) return raise_fmt(ts, &TypeError_type, "'%s' object is not callable", type_name(self));
  Ref bound(type_of(attr)->descr_get ? type_of(attr)->descr_get(ts, attr, self, type_of(self)) : newref(attr));
  if (!bound) return Value();
  return object_call(ts, bound.get(), args, nargs, kwnames);
}

static int slot_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  // Held for the call: the class's __init__ could be replaced while it runs.
  Ref attr(newref(type_lookup(type_of(self), dunder(SlotKind::Init))));
  Ref r;
  if (is_function(attr.get())) {
    // A def in the class, the usual case: called with self in front, no bound method made.
    r = Ref(call_python_function_with_self(ts, attr.get().as<Function>(), self, args, nargs, kwnames));
  } else {
    Type* attr_type = type_of(attr.get());
    Ref bound(attr_type->descr_get ? attr_type->descr_get(ts, attr.get(), self, type_of(self)) : newref(attr.get()));
    if (!bound) return -1;
    r = Ref(object_call(ts, bound.get(), args, nargs, kwnames));
  }
  if (!r) return -1;
  if (!is_none(r.get())) {
    raise_fmt(ts, &TypeError_type, "__init__() should return None, not '%s'", type_name(r.get()));
    return -1;
  }
  return 0;
}

static Value slot_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  Value attr = type_lookup(type, dunder(SlotKind::New));
  Value callable = attr;
  if (is_instance_of(attr, &staticmethod_type)) callable = attr.as<MethodWrapperDescr>()->callable;
  size_t total = nargs + (kwnames ? kwnames->size : 0);
  std::vector<Value> stack(total + 1);
  stack[0] = Value::from_obj(type);
  for (size_t i = 0; i < total; i++) stack[i + 1] = args[i];
  return object_call(ts, callable, stack.data(), nargs + 1, kwnames);
}

static Value slot_getattr(ThreadState& ts, Value self, Str* name) {
  Type* t = type_of(self);
  Value getattribute = type_lookup(t, dunder(SlotKind::GetAttribute));
  Value r;
  Value name_value = Value::from_obj(name);
  if (getattribute && type_of(getattribute) != &slot_wrapper_type)
    r = call_dunder(ts, self, dunder(SlotKind::GetAttribute), &name_value, 1);
  else
    r = generic_getattr(ts, self, name);
  if (r || !error_matches(ts, &AttributeError_type)) return r;
  if (!type_lookup(t, dunder(SlotKind::GetAttr))) return r;
  clear_error(ts);
  return call_dunder(ts, self, dunder(SlotKind::GetAttr), &name_value, 1);
}

static int slot_setattr(ThreadState& ts, Value self, Str* name, Value value) {
  bool found = false;
  Value r;
  Value name_value = Value::from_obj(name);
  if (value) {
    Value args[2] = {name_value, value};
    r = call_dunder(ts, self, dunder(SlotKind::SetAttr), args, 2, &found);
  } else {
    r = call_dunder(ts, self, dunder(SlotKind::DelAttr), &name_value, 1, &found);
  }
  if (!found) return generic_setattr(ts, self, name, value);
  if (!r) return -1;
  decref(r);
  return 0;
}

static Value slot_descr_get(ThreadState& ts, Value descr, Value obj, Type* owner) {
  Value args[2] = {obj ? obj : none(), owner ? Value::from_obj(owner) : none()};
  return call_dunder(ts, descr, dunder(SlotKind::DescrGet), args, 2);
}

static int slot_descr_set(ThreadState& ts, Value descr, Value obj, Value value) {
  bool found = false;
  Value r;
  if (value) {
    Value args[2] = {obj, value};
    r = call_dunder(ts, descr, dunder(SlotKind::DescrSet), args, 2, &found);
  } else {
    r = call_dunder(ts, descr, dunder(SlotKind::DescrDelete), &obj, 1, &found);
  }
  if (!found) {
    raise(ts, &AttributeError_type, value ? "__set__" : "__delete__");
    return -1;
  }
  if (!r) return -1;
  decref(r);
  return 0;
}

// For one slot: which of its dunders the class resolves, and whether they all come from
// one built-in type's wrappers (then that type's slot is used directly, at full speed).
struct Resolution {
  bool any = false;          // some dunder of the slot was found
  bool all_wrappers = true;  // every one found is a built-in slot wrapper
  Type* owner = nullptr;     // the built-in type of the first wrapper
};

static Resolution resolve(Type* type, std::initializer_list<SlotKind> kinds) {
  Resolution res;
  Str* const* names = slot_names();
  for (size_t i = 0; i < kNumSlotDefs; i++) {
    bool wanted = false;
    for (SlotKind k : kinds) wanted |= kSlotDefs[i].kind == k;
    if (!wanted) continue;
    Value v = type_lookup(type, names[i]);
    if (!v) continue;
    res.any = true;
    if (type_of(v) == &slot_wrapper_type) {
      if (!res.owner) res.owner = v.as<SlotWrapper>()->owner;
    } else {
      res.all_wrappers = false;
    }
  }
  return res;
}

void install_dunder_slots(Type* t) {
#define INSTALL(field, generic, ...)                                            \
  do {                                                                          \
    Resolution r = resolve(t, {__VA_ARGS__});                                   \
    if (!r.any) t->field = nullptr;                                             \
    else if (r.all_wrappers && r.owner) t->field = r.owner->field;              \
    else t->field = generic;                                                    \
  } while (0)
  INSTALL(repr, slot_repr, SlotKind::Repr);
  INSTALL(str, slot_str, SlotKind::Str);
  INSTALL(hash, slot_hash, SlotKind::Hash);
  INSTALL(compare, slot_compare, SlotKind::Compare);
  INSTALL(binary, slot_binary, SlotKind::Binary, SlotKind::RBinary);
  INSTALL(unary, slot_unary, SlotKind::Unary);
  INSTALL(truth, slot_truth, SlotKind::Truth);
  INSTALL(length, slot_length, SlotKind::Length);
  INSTALL(getitem, slot_getitem, SlotKind::GetItem);
  INSTALL(setitem, slot_setitem, SlotKind::SetItem, SlotKind::DelItem);
  INSTALL(contains, slot_contains, SlotKind::Contains);
  INSTALL(iter, slot_iter, SlotKind::Iter);
  INSTALL(iternext, slot_iternext, SlotKind::Next);
  INSTALL(call, slot_call, SlotKind::Call);
  INSTALL(init, slot_init, SlotKind::Init);
  INSTALL(new_, slot_new, SlotKind::New);
  INSTALL(getattr, slot_getattr, SlotKind::GetAttribute, SlotKind::GetAttr);
  INSTALL(setattr, slot_setattr, SlotKind::SetAttr, SlotKind::DelAttr);
  INSTALL(descr_get, slot_descr_get, SlotKind::DescrGet);
  INSTALL(descr_set, slot_descr_set, SlotKind::DescrSet, SlotKind::DescrDelete);
#undef INSTALL
  // A class that defines __eq__ but inherits __hash__ = None is unhashable through slot_hash.
  if (t->hash && type_lookup(t, dunder(SlotKind::Hash)) && is_none(type_lookup(t, dunder(SlotKind::Hash))))
    t->hash = slot_hash;
}

void type_update_slot(Type* type, Str* name) {
  if (!(type->flags & kTypeHeap)) return;
  std::string_view n = str_view(name);
  if (n.size() < 5 || n.substr(0, 2) != "__" || n.substr(n.size() - 2) != "__") return;
  install_dunder_slots(type);
  if (type->subclasses)
    for (Type* sub : type->subclasses->types) type_update_slot(sub, name);
}

}  // namespace mvm
