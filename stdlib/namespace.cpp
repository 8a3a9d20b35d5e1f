// types.SimpleNamespace (see namespace.h).
#include "stdlib/namespace.h"

#include <cstddef>
#include <string>

#include "runtime/abstract.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "stdlib/native.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {

// The attributes live in an ordinary instance __dict__, so generic attribute access works.
struct Namespace : Object {
  Dict* dict = nullptr;
};

Value ns_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  Namespace* ns = alloc_instance<Namespace>(ts, type);
  if (!ns) return Value();
  ns->dict = dict_new(ts);
  if (!ns->dict) {
    decref(Value::from_obj(ns));
    return Value();
  }
  return Value::from_obj(ns);
}

int ns_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs > 0) {
    raise(ts, &TypeError_type, "no positional arguments expected");
    return -1;
  }
  Dict* dict = self.as<Namespace>()->dict;
  for (size_t i = 0; kwnames && i < kwnames->size; ++i)
    if (dict_set(ts, dict, kwnames->items[i], args[i]) < 0) return -1;
  return 0;
}

// namespace(a=1, b=2); subclasses show their own name.
Value ns_repr(ThreadState& ts, Value self) {
  Type* type = type_of(self);
  std::string name = type == &simple_namespace_type ? "namespace" : type->name;
  if (repr_enter(ts, self.obj())) return new_str(ts, name + "(...)");
  std::string text = name + "(";
  Dict* dict = self.as<Namespace>()->dict;
  size_t pos = 0;
  Value key, value;
  bool first = true;
  bool ok = true;
  while (dict_next(dict, &pos, &key, &value)) {
    if (!is_str(key)) continue;
    Ref value_repr(object_repr(ts, value));
    if (!value_repr) {
      ok = false;
      break;
    }
    if (!first) text += ", ";
    first = false;
    text += str_view(key);
    text += '=';
    text += str_view(value_repr.get());
  }
  repr_leave(ts, self.obj());
  if (!ok) return Value();
  return new_str(ts, text + ")");
}

Value ns_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if ((op != CompareOp::Eq && op != CompareOp::Ne) ||
      !is_instance_of(b, &simple_namespace_type))
    return newref(not_implemented());
  int eq = object_equal(ts, Value::from_obj(a.as<Namespace>()->dict),
                        Value::from_obj(b.as<Namespace>()->dict));
  if (eq < 0) return Value();
  return bool_value(op == CompareOp::Eq ? eq : !eq);
}

void ns_dealloc(Object* self) {
  Namespace* ns = static_cast<Namespace*>(self);
  if (ns->dict) decref(ns->dict);
  free_object(self);
}

}  // namespace

Type simple_namespace_type;
MINIVM_TYPE_SETUP(simple_namespace_type) {
  t.name = "SimpleNamespace";
  t.module = intern("types");
  t.basic_size = sizeof(Namespace);
  t.dict_offset = offsetof(Namespace, dict);
  t.flags = kTypeBaseType;
  t.dealloc = ns_dealloc;
  t.new_ = ns_new;
  t.init = ns_init;
  t.repr = ns_repr;
  t.compare = ns_compare;
}

Value namespace_new(ThreadState& ts, std::initializer_list<std::pair<const char*, Value>> attrs) {
  Ref ns(ns_new(ts, &simple_namespace_type, nullptr, 0, nullptr));
  if (!ns) return Value();
  for (const auto& [name, value] : attrs)
    if (dict_set_str(ts, ns.as<Namespace>()->dict, intern(name), value) < 0) return Value();
  return ns.release();
}

}  // namespace mvm
