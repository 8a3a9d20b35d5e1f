// Type objects: readying built-in types, attribute lookup along the MRO, creating classes.
#pragma once

#include <vector>

#include "runtime/object.h"

namespace mvm {

extern Type type_type;     // the type of every type
extern Type object_type;   // the root of every class hierarchy
extern Type none_type, notimplemented_type, ellipsis_type;

// Built-in types are static objects filled in by a setup function that runs at Runtime
// start-up, before any type is readied. Each type's file says:
//
//   Type list_type;
//   MINIVM_TYPE_SETUP(list_type) {
//     t.name = "list";
//     t.basic_size = sizeof(List);
//     t.repr = list_repr;
//     t.methods = list_methods;
//     ...
//   }
//
// The registrar marks the type static and immortal and sets its ob_type to type_type.
struct TypeSetup {
  TypeSetup(Type* type, void (*setup)(Type&));
};
#define MINIVM_TYPE_SETUP(type_var)                                         \
  static void minivm_setup_##type_var(::mvm::Type& t);                     \
  static ::mvm::TypeSetup minivm_setup_reg_##type_var(&type_var, minivm_setup_##type_var); \
  static void minivm_setup_##type_var([[maybe_unused]] ::mvm::Type& t)

// The classes derived from a type, so that changing its dict can reach their caches.
struct SubclassList {
  std::vector<Type*> types;
};

// Completes a static type before first use: links its base (object by default), computes
// its MRO, builds its dict from the MethodDef/GetSetDef tables, adds wrapper methods for its
// slots (__repr__, __add__, ...) and inherits the slots it leaves null. Idempotent.
void type_ready(Type* type);

// Readies every built-in type of the runtime; called once per process.
void ready_builtin_types();

// A new class, as `class name(base): ...` makes it: ns holds the class body's namespace.
// Returns null with an exception set (bad base, layout conflict).
Value type_new_class(ThreadState& ts, Type* metatype, Str* name, Tuple* bases, Dict* ns);

// Invalidates inline caches keyed on this type (and its subclasses) after its dict changed.
void type_modified(Type* type);

// Installs (or removes) the slot function behind a dunder method of a class after its
// dict changed, e.g. `C.__repr__ = f`.
void type_update_slot(Type* type, Str* name);

// Where an object keeps its __dict__. Instances of tuple subclasses store their items
// inline, so their class fields (the dict pointer) start after the last item.
size_t variable_size_extra(const Object* o);
inline Dict** dict_slot_of(Object* o, const Type* t) {
  size_t offset = t->dict_offset;
  if (t->flags & kTypeTupleSubclass) offset += variable_size_extra(o);
  return reinterpret_cast<Dict**>(reinterpret_cast<char*>(o) + offset);
}
// Whether values of this type have a __dict__ and where it is. (Forced inline: the eval
// loop's attribute caches use it, and that function is too large for GCC's own choice.)
[[gnu::always_inline]] inline Dict** instance_dict_slot(Value v) {
  Type* t = type_of(v);
  if (t->dict_offset == 0 || !v.is_obj()) return nullptr;
  return dict_slot_of(v.obj(), t);
}
// The __dict__ of an instance, created on first use; null (with an exception) if the type
// has none or on out-of-memory.
Dict* instance_get_dict(ThreadState& ts, Value v);

// The layout of instances of classes deriving from object directly.
struct Instance : Object {
  Dict* dict = nullptr;
};

// object.__new__ / object.__init__ for classes, and the default dealloc of heap types.
Value object_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames);
void subtype_dealloc(Object* self);

// Slot wrappers: the table that ties each dunder name to a type slot (runtime/type_slots.cpp).
void add_slot_wrappers(Type* type);       // on static types: `int.__add__` etc.
void install_dunder_slots(Type* type);    // on classes: slots that call the dunder methods

}  // namespace mvm
