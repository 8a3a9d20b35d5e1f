// Module objects: a namespace dict with a name, plus helpers for native modules.
#include "runtime/module.h"

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/function.h"
#include "runtime/str.h"
#include "runtime/type.h"
#include "vm/thread_state.h"

namespace mvm {

Module* module_new(ThreadState& ts, std::string_view name, std::string_view file) {
  Module* m = new_object<Module>(&module_type);
  m->name = intern(name);
  m->dict = dict_new(ts);
  if (!m->dict) {
    decref(m);
    return nullptr;
  }
  // Modules and their namespaces are read by every thread.
  make_immortal_if_free_threaded(m);
  make_immortal_if_free_threaded(m->dict);
  if (dict_set_str(ts, m->dict, intern("__name__"), Value::from_obj(m->name)) < 0 ||
      dict_set_str(ts, m->dict, intern("__doc__"), none()) < 0) {
    decref(m);
    return nullptr;
  }
  if (!file.empty()) {
    Ref f(str_value(file));
    if (dict_set_str(ts, m->dict, intern("__file__"), f.get()) < 0) {
      decref(m);
      return nullptr;
    }
  }
  return m;
}

int module_add_functions(ThreadState& ts, Module* m, const MethodDef* defs) {
  for (const MethodDef* d = defs; d->name; d++) {
    Ref f(native_function_new(ts, d, Value()));
    if (!f) return -1;
    // Built-in functions (len, math.floor, ...) are called from every thread.
    make_immortal_if_free_threaded(f.get().obj());
    if (dict_set_str(ts, m->dict, intern(d->name), f.get()) < 0) return -1;
  }
  return 0;
}

int module_add(ThreadState& ts, Module* m, const char* name, Value value) {
  return dict_set_str(ts, m->dict, intern(name), value);
}

Value module_get(Module* m, const char* name) { return dict_get_str(m->dict, intern(name)); }

static void module_dealloc(Object* o) {
  Module* m = static_cast<Module*>(o);
  decref(Value::from_obj(m->dict));
  free_object(o);
}

static Value module_repr(ThreadState& ts, Value self) {
  Module* m = self.as<Module>();
  Value file = dict_get_str(m->dict, intern("__file__"));
  std::string text = "<module '" + std::string(str_view(m->name)) + "'";
  if (file && is_str(file))
    text += " from '" + std::string(str_view(file)) + "'>";
  else
    text += " (built-in)>";
  return str_value(text);
}

static Value module_getattr(ThreadState& ts, Value self, Str* name) {
  Module* m = self.as<Module>();
  Value v = dict_get_str(m->dict, name);
  if (v) return newref(v);
  Value descr = type_lookup(&module_type, name);
  if (descr) {
    Type* dt = type_of(descr);
    return dt->descr_get ? dt->descr_get(ts, descr, self, &module_type) : newref(descr);
  }
  // A module-level __getattr__ (PEP 562) gets the last word.
  Value hook = dict_get_str(m->dict, intern("__getattr__"));
  if (hook) {
    Value arg = Value::from_obj(name);
    return object_call(ts, hook, &arg, 1);
  }
  return raise_fmt(ts, &AttributeError_type, "module '%.*s' has no attribute '%.*s'", int(m->name->size),
                   m->name->data, int(name->size), name->data);
}

static Value module_get_dict(ThreadState&, Value self) { return newref(Value::from_obj(self.as<Module>()->dict)); }
static const GetSetDef module_getsets[] = {{"__dict__", module_get_dict}, {nullptr, nullptr}};

Type module_type;
MINIVM_TYPE_SETUP(module_type) {
  t.name = "module";
  t.basic_size = sizeof(Module);
  t.dict_offset = offsetof(Module, dict);
  t.flags = kTypeBaseType;
  t.dealloc = module_dealloc;
  t.repr = module_repr;
  t.getattr = module_getattr;
  t.getsets = module_getsets;
}

}  // namespace mvm
