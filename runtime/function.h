// Callable objects: Python functions, bound methods, builtin functions, cells, and the
// descriptors that bind methods and properties (staticmethod, classmethod, property).
#pragma once

#include "runtime/object.h"

namespace mvm {

struct Code;

extern Type function_type, method_type, builtin_function_type, method_descriptor_type,
    getset_descriptor_type, slot_wrapper_type, cell_type, staticmethod_type,
    classmethod_type, property_type;

struct Function : Object {
  Code* code = nullptr;
  Dict* globals = nullptr;
  Dict* builtins = nullptr;       // the builtins dict in force when the function was made
  Tuple* defaults = nullptr;      // null: none
  Dict* kwdefaults = nullptr;     // null: none
  Tuple* closure = nullptr;       // cells for code->freevars; null: none
  Str* name = nullptr;
  Str* qualname = nullptr;
  Value module;                   // __module__
  Value doc;                      // __doc__
  Dict* dict = nullptr;           // function attributes
};

// obj.method: a function bound to its first argument.
struct BoundMethod : Object {
  Value function;
  Value self;
};

// A C++ function exposed to scripts; self is bound (module or object) or null.
struct BuiltinFunction : Object {
  const MethodDef* def = nullptr;
  Value self;
  Str* qualname = nullptr;        // "list.append", used in error messages
};

// A MethodDef of a built-in type, found in the type's dict; binds to instances on access.
struct MethodDescriptor : Object {
  const MethodDef* def = nullptr;
  Type* owner = nullptr;
};

// A GetSetDef of a built-in type (e.g. int.real, BaseException.args).
struct GetSetDescriptor : Object {
  const GetSetDef* def = nullptr;
  Type* owner = nullptr;
};

// A closure cell: one captured variable shared by a function and its inner functions.
struct Cell : Object {
  Value value;                    // null: empty (unbound)
};

// staticmethod(f) / classmethod(f): wrappers that change how f binds.
struct MethodWrapperDescr : Object {
  Value callable;
  Dict* dict = nullptr;
};

struct Property : Object {
  Value fget, fset, fdel, doc;
};

Value function_new(ThreadState& ts, Code* code, Dict* globals, Dict* builtins, Str* qualname);
Value bound_method_new(ThreadState& ts, Value function, Value self);
Value method_descriptor_new(const MethodDef* def, Type* owner);
Value getset_descriptor_new(const GetSetDef* def, Type* owner);
Cell* cell_new(ThreadState& ts, Value value);   // value borrowed (may be null)

inline bool is_function(Value v) { return v.is_obj() && v.obj()->ob_type == &function_type; }
inline bool is_method_descriptor(Value v) {
  return v.is_obj() && v.obj()->ob_type == &method_descriptor_type;
}

// Calls a native method descriptor with self prepended to the arguments.
Value method_descriptor_call_with_self(ThreadState& ts, MethodDescriptor* descr, Value self,
                                       const Value* args, size_t nargs, Tuple* kwnames);

}  // namespace mvm
