// Callable objects and binding descriptors: Python functions, bound methods, builtin
// functions and method descriptors, cells, staticmethod, classmethod and property.
#include "runtime/function.h"

#include <cstdio>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/code.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/module.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/eval.h"
#include "vm/thread_state.h"

namespace mvm {

static std::string address_of(Value v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%p", static_cast<void*>(v.obj()));
  return buf;
}

// Prepends self to a vectorcall argument array (positionals then keyword values).
class ArgsWithSelf {
 public:
  ArgsWithSelf(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
    size_t total = nargs + (kwnames ? kwnames->size : 0) + 1;
    Value* dst = total <= kSmall ? small_ : (big_.resize(total), big_.data());
    dst[0] = self;
    for (size_t i = 1; i < total; i++) dst[i] = args[i - 1];
    data_ = dst;
  }
  const Value* data() const { return data_; }

 private:
  static constexpr size_t kSmall = 8;
  Value small_[kSmall];
  std::vector<Value> big_;
  const Value* data_;
};

// ---------------------------------------------------------------------------------------
// Python functions

Value function_new(ThreadState& ts, Code* code, Dict* globals, Dict* builtins, Str* qualname) {
  Function* f = new_object<Function>(&function_type);
  f->code = static_cast<Code*>(newref(Value::from_obj(code)).obj());
  f->globals = static_cast<Dict*>(newref(Value::from_obj(globals)).obj());
  f->builtins = static_cast<Dict*>(newref(Value::from_obj(builtins)).obj());
  f->name = static_cast<Str*>(newref(Value::from_obj(code->name)).obj());
  f->qualname = static_cast<Str*>(newref(Value::from_obj(qualname ? qualname : code->qualname)).obj());
  Value module = dict_get_str(globals, intern("__name__"));
  f->module = newref(module ? module : none());
  f->doc = newref(none());
  return Value::from_obj(f);
}

static void function_dealloc(Object* self) {
  Function* f = static_cast<Function*>(self);
  decref(Value::from_obj(f->code));
  decref(Value::from_obj(f->globals));
  decref(Value::from_obj(f->builtins));
  decref(Value::from_obj(f->defaults));
  decref(Value::from_obj(f->kwdefaults));
  decref(Value::from_obj(f->closure));
  decref(Value::from_obj(f->name));
  decref(Value::from_obj(f->qualname));
  decref(f->module);
  decref(f->doc);
  decref(Value::from_obj(f->dict));
  free_object(self);
}

static Value function_call(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  return call_python_function(ts, self.as<Function>(), args, nargs, kwnames);
}

static Value function_descr_get(ThreadState& ts, Value self, Value obj, Type*) {
  if (!obj) return newref(self);
  return bound_method_new(ts, self, obj);
}

static Value function_repr(ThreadState&, Value self) {
  Function* f = self.as<Function>();
  return str_value("<function " + std::string(str_view(f->qualname)) + " at " + address_of(self) + ">");
}

#define FUNC_FIELD_GETTER(getter, expr)                   \
  static Value getter(ThreadState&, Value self) {         \
    Function* f = self.as<Function>();                    \
    Value v = (expr);                                     \
    return newref(v ? v : none());                        \
  }
FUNC_FIELD_GETTER(function_get_name, Value::from_obj(f->name))
FUNC_FIELD_GETTER(function_get_qualname, Value::from_obj(f->qualname))
FUNC_FIELD_GETTER(function_get_module, f->module)
FUNC_FIELD_GETTER(function_get_doc, f->doc)
FUNC_FIELD_GETTER(function_get_code, Value::from_obj(f->code))
FUNC_FIELD_GETTER(function_get_globals, Value::from_obj(f->globals))
FUNC_FIELD_GETTER(function_get_defaults, Value::from_obj(f->defaults))
FUNC_FIELD_GETTER(function_get_kwdefaults, Value::from_obj(f->kwdefaults))
FUNC_FIELD_GETTER(function_get_closure, Value::from_obj(f->closure))
#undef FUNC_FIELD_GETTER

static int function_set_name(ThreadState& ts, Value self, Value v) {
  if (!v || !is_str(v)) {
    raise(ts, &TypeError_type, "__name__ must be set to a string object");
    return -1;
  }
  Function* f = self.as<Function>();
  decref(Value::from_obj(f->name));
  f->name = static_cast<Str*>(newref(v).obj());
  return 0;
}
static int function_set_qualname(ThreadState& ts, Value self, Value v) {
  if (!v || !is_str(v)) {
    raise(ts, &TypeError_type, "__qualname__ must be set to a string object");
    return -1;
  }
  Function* f = self.as<Function>();
  decref(Value::from_obj(f->qualname));
  f->qualname = static_cast<Str*>(newref(v).obj());
  return 0;
}
static int function_set_doc(ThreadState&, Value self, Value v) {
  Function* f = self.as<Function>();
  Value old = f->doc;
  f->doc = newref(v ? v : none());
  decref(old);
  return 0;
}
static int function_set_module(ThreadState&, Value self, Value v) {
  Function* f = self.as<Function>();
  Value old = f->module;
  f->module = newref(v ? v : none());
  decref(old);
  return 0;
}
static int function_set_defaults(ThreadState& ts, Value self, Value v) {
  if (v && !is_none(v) && !is_tuple(v)) {
    raise(ts, &TypeError_type, "__defaults__ must be set to a tuple object");
    return -1;
  }
  Function* f = self.as<Function>();
  Tuple* old = f->defaults;
  f->defaults = v && !is_none(v) ? static_cast<Tuple*>(newref(v).obj()) : nullptr;
  decref(Value::from_obj(old));
  return 0;
}
static Value function_get_dict(ThreadState& ts, Value self) {
  Dict* d = instance_get_dict(ts, self);
  return d ? newref(Value::from_obj(d)) : Value();
}

static const GetSetDef function_getsets[] = {
    {"__name__", function_get_name, function_set_name},
    {"__qualname__", function_get_qualname, function_set_qualname},
    {"__module__", function_get_module, function_set_module},
    {"__doc__", function_get_doc, function_set_doc},
    {"__code__", function_get_code},
    {"__globals__", function_get_globals},
    {"__defaults__", function_get_defaults, function_set_defaults},
    {"__kwdefaults__", function_get_kwdefaults},
    {"__closure__", function_get_closure},
    {"__dict__", function_get_dict},
    {nullptr, nullptr},
};

Type function_type;
MINIVM_TYPE_SETUP(function_type) {
  t.name = "function";
  t.basic_size = sizeof(Function);
  t.dict_offset = offsetof(Function, dict);
  t.flags = kTypeImmutable;
  t.dealloc = function_dealloc;
  t.repr = function_repr;
  t.call = function_call;
  t.descr_get = function_descr_get;
  t.getsets = function_getsets;
}

// ---------------------------------------------------------------------------------------
// Bound methods

Value bound_method_new(ThreadState& ts, Value function, Value self) {
  BoundMethod* m = new_object<BoundMethod>(&method_type);
  m->function = newref(function);
  m->self = newref(self);
  return Value::from_obj(m);
}

static void method_dealloc(Object* o) {
  BoundMethod* m = static_cast<BoundMethod*>(o);
  decref(m->function);
  decref(m->self);
  free_object(o);
}

static Value method_call(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  BoundMethod* m = self.as<BoundMethod>();
  if (is_function(m->function))
    return call_python_function_with_self(ts, m->function.as<Function>(), m->self, args, nargs, kwnames);
  ArgsWithSelf all(m->self, args, nargs, kwnames);
  return object_call(ts, m->function, all.data(), nargs + 1, kwnames);
}

static Value method_repr(ThreadState& ts, Value self) {
  BoundMethod* m = self.as<BoundMethod>();
  Ref name(object_lookup_attr(ts, m->function, intern("__qualname__")));
  if (!name && ts.has_error()) return Value();
  std::string text = "<bound method " + (name && is_str(name.get()) ? std::string(str_view(name.get())) : "?") +
                     " of " + repr_string(ts, m->self) + ">";
  return str_value(text);
}

static Value method_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if ((op != CompareOp::Eq && op != CompareOp::Ne) || type_of(b) != &method_type)
    return newref(not_implemented());
  BoundMethod* x = a.as<BoundMethod>();
  BoundMethod* y = b.as<BoundMethod>();
  bool eq = x->self == y->self && x->function == y->function;
  return bool_value(op == CompareOp::Eq ? eq : !eq);
}

static int64_t method_hash(ThreadState& ts, Value self) {
  BoundMethod* m = self.as<BoundMethod>();
  int64_t h = int64_t(m->self.raw() >> 4) ^ object_hash(ts, m->function);
  return h == -1 ? -2 : h;
}

// Attributes other than __self__ and __func__ come from the function (__name__, __doc__).
static Value method_getattr(ThreadState& ts, Value self, Str* name) {
  Value descr = type_lookup(&method_type, name);
  if (descr) {
    Type* dt = type_of(descr);
    if (dt->descr_get) return dt->descr_get(ts, descr, self, &method_type);
    return newref(descr);
  }
  return object_getattr(ts, self.as<BoundMethod>()->function, name);
}

static Value method_get_self(ThreadState&, Value self) { return newref(self.as<BoundMethod>()->self); }
static Value method_get_func(ThreadState&, Value self) { return newref(self.as<BoundMethod>()->function); }
static const GetSetDef method_getsets[] = {
    {"__self__", method_get_self},
    {"__func__", method_get_func},
    {nullptr, nullptr},
};

Type method_type;
MINIVM_TYPE_SETUP(method_type) {
  t.name = "method";
  t.basic_size = sizeof(BoundMethod);
  t.flags = kTypeImmutable;
  t.dealloc = method_dealloc;
  t.repr = method_repr;
  t.compare = method_compare;
  t.hash = method_hash;
  t.call = method_call;
  t.getattr = method_getattr;
  t.getsets = method_getsets;
}

// ---------------------------------------------------------------------------------------
// Builtin functions and method descriptors

Value native_function_new(ThreadState& ts, const MethodDef* def, Value self) {
  BuiltinFunction* f = new_object<BuiltinFunction>(&builtin_function_type);
  f->def = def;
  f->self = newref(self);
  return Value::from_obj(f);
}

static void builtin_dealloc(Object* o) {
  BuiltinFunction* f = static_cast<BuiltinFunction*>(o);
  decref(f->self);
  decref(Value::from_obj(f->qualname));
  free_object(o);
}

static Value builtin_call(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  BuiltinFunction* f = self.as<BuiltinFunction>();
  if (!f->self) return f->def->fn(ts, args, nargs, kwnames);
  ArgsWithSelf all(f->self, args, nargs, kwnames);
  return f->def->fn(ts, all.data(), nargs + 1, kwnames);
}

static Value builtin_repr(ThreadState& ts, Value self) {
  BuiltinFunction* f = self.as<BuiltinFunction>();
  if (!f->self || is_instance_of(f->self, &module_type))
    return str_value(std::string("<built-in function ") + f->def->name + ">");
  return str_value(std::string("<built-in method ") + f->def->name + " of " + type_name(f->self) +
                   " object at " + address_of(f->self) + ">");
}

static Value builtin_get_name(ThreadState&, Value self) {
  return Value::from_obj(intern(self.as<BuiltinFunction>()->def->name));
}
static Value builtin_get_self(ThreadState&, Value self) {
  Value s = self.as<BuiltinFunction>()->self;
  return newref(s ? s : none());
}
static Value builtin_get_doc(ThreadState&, Value self) {
  const char* doc = self.as<BuiltinFunction>()->def->doc;
  return doc ? str_value(doc) : none();
}
static const GetSetDef builtin_getsets[] = {
    {"__name__", builtin_get_name},
    {"__qualname__", builtin_get_name},
    {"__self__", builtin_get_self},
    {"__doc__", builtin_get_doc},
    {nullptr, nullptr},
};

Type builtin_function_type;
MINIVM_TYPE_SETUP(builtin_function_type) {
  t.name = "builtin_function_or_method";
  t.basic_size = sizeof(BuiltinFunction);
  t.flags = kTypeImmutable;
  t.dealloc = builtin_dealloc;
  t.repr = builtin_repr;
  t.call = builtin_call;
  t.getsets = builtin_getsets;
}

Value method_descriptor_new(const MethodDef* def, Type* owner) {
  MethodDescriptor* d = new_object<MethodDescriptor>(&method_descriptor_type);
  d->def = def;
  d->owner = owner;
  return Value::from_obj(d);
}

Value method_descriptor_call_with_self(ThreadState& ts, MethodDescriptor* descr, Value self,
                                       const Value* args, size_t nargs, Tuple* kwnames) {
  if (!is_instance_of(self, descr->owner))
    return raise_fmt(ts, &TypeError_type, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                     descr->def->name, descr->owner->name, type_name(self));
  ArgsWithSelf all(self, args, nargs, kwnames);
  return descr->def->fn(ts, all.data(), nargs + 1, kwnames);
}

static Value method_descriptor_call(ThreadState& ts, Value self, const Value* args, size_t nargs,
                                    Tuple* kwnames) {
  MethodDescriptor* d = self.as<MethodDescriptor>();
  if (d->def->flags & kMethStatic) return d->def->fn(ts, args, nargs, kwnames);
  if (nargs == 0)
    return raise_fmt(ts, &TypeError_type, "unbound method %s.%s() needs an argument", d->owner->name,
                     d->def->name);
  if (d->def->flags & kMethClass) {
    if (!is_instance_of(args[0], &type_type) || !type_is_subtype(args[0].as<Type>(), d->owner))
      return raise_fmt(ts, &TypeError_type, "descriptor '%s' for type '%s' needs a subtype", d->def->name,
                       d->owner->name);
  } else if (!is_instance_of(args[0], d->owner)) {
    return raise_fmt(ts, &TypeError_type, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                     d->def->name, d->owner->name, type_name(args[0]));
  }
  return d->def->fn(ts, args, nargs, kwnames);
}

static Value method_descriptor_get(ThreadState& ts, Value self, Value obj, Type* owner) {
  MethodDescriptor* d = self.as<MethodDescriptor>();
  if (d->def->flags & kMethStatic) return native_function_new(ts, d->def, Value());
  if (d->def->flags & kMethClass)
    return native_function_new(ts, d->def, Value::from_obj(owner ? owner : type_of(obj)));
  if (!obj) return newref(self);
  return native_function_new(ts, d->def, obj);
}

static Value method_descriptor_repr(ThreadState&, Value self) {
  MethodDescriptor* d = self.as<MethodDescriptor>();
  return str_value(std::string("<method '") + d->def->name + "' of '" + d->owner->name + "' objects>");
}

Type method_descriptor_type;
MINIVM_TYPE_SETUP(method_descriptor_type) {
  t.name = "method_descriptor";
  t.basic_size = sizeof(MethodDescriptor);
  t.flags = kTypeImmutable;
  t.repr = method_descriptor_repr;
  t.call = method_descriptor_call;
  t.descr_get = method_descriptor_get;
}

Value getset_descriptor_new(const GetSetDef* def, Type* owner) {
  GetSetDescriptor* d = new_object<GetSetDescriptor>(&getset_descriptor_type);
  d->def = def;
  d->owner = owner;
  return Value::from_obj(d);
}

static Value getset_get(ThreadState& ts, Value self, Value obj, Type*) {
  if (!obj) return newref(self);
  GetSetDescriptor* d = self.as<GetSetDescriptor>();
  if (!is_instance_of(obj, d->owner))
    return raise_fmt(ts, &TypeError_type, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                     d->def->name, d->owner->name, type_name(obj));
  return d->def->get(ts, obj);
}

static int getset_set(ThreadState& ts, Value self, Value obj, Value value) {
  GetSetDescriptor* d = self.as<GetSetDescriptor>();
  if (!d->def->set) {
    raise_fmt(ts, &AttributeError_type, "attribute '%s' of '%s' objects is not writable", d->def->name,
              d->owner->name);
    return -1;
  }
  return d->def->set(ts, obj, value);
}

Type getset_descriptor_type;
MINIVM_TYPE_SETUP(getset_descriptor_type) {
  t.name = "getset_descriptor";
  t.basic_size = sizeof(GetSetDescriptor);
  t.flags = kTypeImmutable;
  t.descr_get = getset_get;
  t.descr_set = getset_set;
}

// ---------------------------------------------------------------------------------------
// Cells

Cell* cell_new(ThreadState&, Value value) {
  Cell* c = new_object<Cell>(&cell_type);
  c->value = newref(value);
  return c;
}

static void cell_dealloc(Object* o) {
  decref(static_cast<Cell*>(o)->value);
  free_object(o);
}

static Value cell_get_contents(ThreadState& ts, Value self) {
  Value v = self.as<Cell>()->value;
  if (!v) return raise(ts, &ValueError_type, "Cell is empty");
  return newref(v);
}

static const GetSetDef cell_getsets[] = {{"cell_contents", cell_get_contents}, {nullptr, nullptr}};

Type cell_type;
MINIVM_TYPE_SETUP(cell_type) {
  t.name = "cell";
  t.basic_size = sizeof(Cell);
  t.flags = kTypeImmutable;
  t.dealloc = cell_dealloc;
  t.getsets = cell_getsets;
}

// ---------------------------------------------------------------------------------------
// staticmethod and classmethod

static Value wrapper_descr_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, type->name, kwnames) || !check_nargs(ts, type->name, nargs, 1, 1)) return Value();
  MethodWrapperDescr* w = try_new_object<MethodWrapperDescr>(type, type->basic_size);
  if (!w) return raise_memory_error(ts);
  w->callable = newref(args[0]);
  return Value::from_obj(w);
}

static void wrapper_descr_dealloc(Object* o) {
  MethodWrapperDescr* w = static_cast<MethodWrapperDescr*>(o);
  decref(w->callable);
  decref(Value::from_obj(w->dict));
  free_object(o);
}

static Value staticmethod_get(ThreadState&, Value self, Value, Type*) {
  return newref(self.as<MethodWrapperDescr>()->callable);
}

static Value staticmethod_call(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  return object_call(ts, self.as<MethodWrapperDescr>()->callable, args, nargs, kwnames);
}

static Value classmethod_get(ThreadState& ts, Value self, Value obj, Type* owner) {
  Value cls = owner ? Value::from_obj(owner) : Value::from_obj(type_of(obj));
  return bound_method_new(ts, self.as<MethodWrapperDescr>()->callable, cls);
}

static Value wrapper_get_func(ThreadState&, Value self) { return newref(self.as<MethodWrapperDescr>()->callable); }
static const GetSetDef wrapper_descr_getsets[] = {
    {"__func__", wrapper_get_func},
    {"__wrapped__", wrapper_get_func},
    {nullptr, nullptr},
};

Type staticmethod_type;
MINIVM_TYPE_SETUP(staticmethod_type) {
  t.name = "staticmethod";
  t.basic_size = sizeof(MethodWrapperDescr);
  t.dict_offset = offsetof(MethodWrapperDescr, dict);
  t.flags = kTypeBaseType;
  t.new_ = wrapper_descr_new;
  t.dealloc = wrapper_descr_dealloc;
  t.descr_get = staticmethod_get;
  t.call = staticmethod_call;
  t.getsets = wrapper_descr_getsets;
}

Type classmethod_type;
MINIVM_TYPE_SETUP(classmethod_type) {
  t.name = "classmethod";
  t.basic_size = sizeof(MethodWrapperDescr);
  t.dict_offset = offsetof(MethodWrapperDescr, dict);
  t.flags = kTypeBaseType;
  t.new_ = wrapper_descr_new;
  t.dealloc = wrapper_descr_dealloc;
  t.descr_get = classmethod_get;
  t.getsets = wrapper_descr_getsets;
}

// ---------------------------------------------------------------------------------------
// property

static Value property_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  Value bound[4];
  if (!bind_args(ts, "property", args, nargs, kwnames, {"fget", "fset", "fdel", "doc"}, 0, bound))
    return Value();
  Property* p = try_new_object<Property>(type, type->basic_size);
  if (!p) return raise_memory_error(ts);
  p->fget = bound[0] && !is_none(bound[0]) ? newref(bound[0]) : Value();
  p->fset = bound[1] && !is_none(bound[1]) ? newref(bound[1]) : Value();
  p->fdel = bound[2] && !is_none(bound[2]) ? newref(bound[2]) : Value();
  if (bound[3] && !is_none(bound[3])) {
    p->doc = newref(bound[3]);
  } else if (p->fget) {
    p->doc = object_lookup_attr(ts, p->fget, intern("__doc__"));
    if (!p->doc && ts.has_error()) {
      decref(p);
      return Value();
    }
  }
  return Value::from_obj(p);
}

static int property_init(ThreadState&, Value, const Value*, size_t, Tuple*) { return 0; }

static void property_dealloc(Object* o) {
  Property* p = static_cast<Property*>(o);
  decref(p->fget);
  decref(p->fset);
  decref(p->fdel);
  decref(p->doc);
  free_object(o);
}

static std::string property_name(ThreadState& ts, Property* p) {
  if (!p->fget) return "?";
  Ref name(object_lookup_attr(ts, p->fget, intern("__name__")));
  if (!name || !is_str(name.get())) {
    clear_error(ts);
    return "?";
  }
  return std::string(str_view(name.get()));
}

static Value property_get(ThreadState& ts, Value self, Value obj, Type*) {
  if (!obj) return newref(self);
  Property* p = self.as<Property>();
  if (!p->fget)
    return raise_fmt(ts, &AttributeError_type, "property '%s' of '%s' object has no getter",
                     property_name(ts, p).c_str(), type_name(obj));
  return object_call(ts, p->fget, &obj, 1);
}

static int property_set(ThreadState& ts, Value self, Value obj, Value value) {
  Property* p = self.as<Property>();
  Value func = value ? p->fset : p->fdel;
  if (!func) {
    raise_fmt(ts, &AttributeError_type, value ? "property '%s' of '%s' object has no setter"
                                              : "property '%s' of '%s' object has no deleter",
              property_name(ts, p).c_str(), type_name(obj));
    return -1;
  }
  Value args[2] = {obj, value};
  Value r = object_call(ts, func, args, value ? 2 : 1);
  if (!r) return -1;
  decref(r);
  return 0;
}

// property.getter/setter/deleter: a copy with one accessor replaced.
static Value property_copy_with(ThreadState& ts, Value self, int which, Value func) {
  Property* p = self.as<Property>();
  Value parts[3] = {p->fget, p->fset, p->fdel};
  parts[which] = func;
  Value args[4] = {parts[0] ? parts[0] : none(), parts[1] ? parts[1] : none(),
                   parts[2] ? parts[2] : none(), p->doc ? p->doc : none()};
  return object_call(ts, Value::from_obj(type_of(self)), args, 4);
}
static Value property_getter(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "getter", nargs, 2, 2)) return Value();
  return property_copy_with(ts, args[0], 0, args[1]);
}
static Value property_setter(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "setter", nargs, 2, 2)) return Value();
  return property_copy_with(ts, args[0], 1, args[1]);
}
static Value property_deleter(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "deleter", nargs, 2, 2)) return Value();
  return property_copy_with(ts, args[0], 2, args[1]);
}
static const MethodDef property_methods[] = {
    {"getter", property_getter},
    {"setter", property_setter},
    {"deleter", property_deleter},
    {nullptr, nullptr},
};
static Value property_get_fget(ThreadState&, Value self) {
  Value v = self.as<Property>()->fget;
  return newref(v ? v : none());
}
static Value property_get_doc(ThreadState&, Value self) {
  Value v = self.as<Property>()->doc;
  return newref(v ? v : none());
}
static const GetSetDef property_getsets[] = {
    {"fget", property_get_fget},
    {"__doc__", property_get_doc},
    {nullptr, nullptr},
};

Type property_type;
MINIVM_TYPE_SETUP(property_type) {
  t.name = "property";
  t.basic_size = sizeof(Property);
  t.flags = kTypeBaseType;
  t.new_ = property_new;
  t.init = property_init;
  t.dealloc = property_dealloc;
  t.descr_get = property_get;
  t.descr_set = property_set;
  t.methods = property_methods;
  t.getsets = property_getsets;
}

}  // namespace mvm
