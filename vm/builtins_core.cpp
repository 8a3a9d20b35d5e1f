// Builtins that reach into the VM: class creation (__build_class__), super(), exec/eval/
// compile, and the namespace functions globals/locals/vars, plus __import__.
#include "vm/builtins_core.h"

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/code.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/function.h"
#include "runtime/int.h"
#include "runtime/module.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/code_loader.h"
#include "vm/eval.h"
#include "vm/frame.h"
#include "vm/import.h"
#include "vm/interpreter.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {

// __build_class__(func, name, *bases, metaclass=None, **kwds)
Value builtin_build_class(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs < 2) return raise(ts, &TypeError_type, "__build_class__: not enough arguments");
  if (!is_function(args[0])) return raise(ts, &TypeError_type, "__build_class__: func must be a function");
  if (!is_str(args[1])) return raise(ts, &TypeError_type, "__build_class__: name is not a string");
  Function* body = args[0].as<Function>();
  Ref bases(Value::from_obj(tuple_from_array(ts, args + 2, nargs - 2)));
  if (!bases) return Value();
  Value metaclass;
  size_t nkw = kwnames ? kwnames->size : 0;
  for (size_t i = 0; i < nkw; i++) {
    if (str_view(kwnames->items[i]) == "metaclass") metaclass = args[nargs + i];
    else return raise_fmt(ts, &TypeError_type, "__init_subclass__() takes no keyword arguments");
  }
  if (!metaclass) {
    metaclass = Value::from_obj(&type_type);
    // The most derived metaclass among the bases wins (single inheritance: the first base's).
    if (bases.as<Tuple>()->size > 0) metaclass = Value::from_obj(type_of(bases.as<Tuple>()->items[0]));
  }
  Ref ns(Value::from_obj(dict_new(ts)));
  if (!ns) return Value();
  Ref r(eval_class_body(ts, body, ns.as<Dict>()));
  if (!r) return Value();
  Value call_args[3] = {args[1], bases.get(), ns.get()};
  Ref cls(object_call(ts, metaclass, call_args, 3));
  if (!cls) return Value();
  // Fill the __class__ cell that zero-argument super() reads.
  Value cell = dict_get_str(ns.as<Dict>(), intern("__classcell__"));
  if (cell && type_of(cell) == &cell_type) {
    Cell* c = cell.as<Cell>();
    Value old = c->value;
    c->value = newref(cls.get());
    decref(old);
    if (is_instance_of(cls.get(), &type_type) && (cls.as<Type>()->flags & kTypeHeap))
      if (dict_discard(ts, cls.as<Type>()->dict, Value::from_obj(intern("__classcell__"))) < 0) return Value();
  }
  // A class defined at module level is used by every thread.
  if (!(body->code->flags & kCodeNested) && is_instance_of(cls.get(), &type_type) &&
      (cls.as<Type>()->flags & kTypeHeap)) {
    make_immortal_if_free_threaded(cls.get().obj());
    make_immortal_if_free_threaded(cls.as<Type>()->dict);
  }
  return cls.release();
}

// ---------------------------------------------------------------------------------------
// super

struct Super : Object {
  Type* type = nullptr;      // the class whose MRO position starts the search
  Value obj;                 // the instance (or class) the lookup binds to; may be null
  Type* obj_type = nullptr;  // the type whose MRO is searched
};

void super_dealloc(Object* o) {
  Super* s = static_cast<Super*>(o);
  decref(Value::from_obj(s->type));
  decref(s->obj);
  decref(Value::from_obj(s->obj_type));
  free_object(o);
}

// The type to search: type(obj) for instances, obj itself for class-level super calls.
Type* super_check(ThreadState& ts, Type* type, Value obj) {
  if (is_instance_of(obj, &type_type) && type_is_subtype(obj.as<Type>(), type)) return obj.as<Type>();
  if (is_instance_of(obj, type)) return type_of(obj);
  raise(ts, &TypeError_type, "super(type, obj): obj must be an instance or subtype of type");
  return nullptr;
}

// Zero-argument super(): the __class__ cell and the first argument of the calling frame.
bool super_from_frame(ThreadState& ts, Type** type, Value* obj) {
  Frame* f = ts.frame;
  if (!f || !f->code) {
    raise(ts, &RuntimeError_type, "super(): no current frame");
    return false;
  }
  Code* code = f->code;
  if (code->argcount == 0 && !(code->flags & kCodeVarargs)) {
    raise(ts, &RuntimeError_type, "super(): no arguments");
    return false;
  }
  Value first = f->localsplus[0];
  // A captured first argument lives in its cell.
  for (int i = 0; i < code->ncells; i++)
    if (code->cell2arg && code->cell2arg[i] == 0) first = f->localsplus[code->nlocals + i].as<Cell>()->value;
  if (!first) {
    raise(ts, &RuntimeError_type, "super(): arg[0] deleted");
    return false;
  }
  for (int i = 0; i < code->nfrees; i++) {
    if (str_view(code->freevars->items[i]) != "__class__") continue;
    Value cls = f->localsplus[code->nlocals + code->ncells + i].as<Cell>()->value;
    if (!cls) {
      raise(ts, &RuntimeError_type, "super(): empty __class__ cell");
      return false;
    }
    if (!is_instance_of(cls, &type_type)) {
      raise(ts, &RuntimeError_type, "super(): __class__ is not a type");
      return false;
    }
    *type = cls.as<Type>();
    *obj = first;
    return true;
  }
  raise(ts, &RuntimeError_type, "super(): __class__ cell not found");
  return false;
}

Value super_new(ThreadState& ts, Type* cls, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "super", kwnames) || !check_nargs(ts, "super", nargs, 0, 2)) return Value();
  Type* type;
  Value obj;
  if (nargs == 0) {
    if (!super_from_frame(ts, &type, &obj)) return Value();
  } else {
    if (!is_instance_of(args[0], &type_type))
      return raise_fmt(ts, &TypeError_type, "super() argument 1 must be a type, not %s", type_name(args[0]));
    type = args[0].as<Type>();
    obj = nargs == 2 && !is_none(args[1]) ? args[1] : Value();
  }
  Type* obj_type = nullptr;
  if (obj && !(obj_type = super_check(ts, type, obj))) return Value();
  Super* s = new_object<Super>(&super_type);
  s->type = static_cast<Type*>(newref(Value::from_obj(type)).obj());
  s->obj = newref(obj);
  s->obj_type = obj_type ? static_cast<Type*>(newref(Value::from_obj(obj_type)).obj()) : nullptr;
  return Value::from_obj(s);
}

Value super_getattr(ThreadState& ts, Value self, Str* name) {
  Super* s = self.as<Super>();
  // __class__ is the super object's own; everything else is looked up past s->type.
  if (s->obj_type && str_view(name) != "__class__") {
    Tuple* mro = s->obj_type->mro;
    size_t i = 0;
    while (i < mro->size && mro->items[i].as<Type>() != s->type) i++;
    for (i++; i < mro->size; i++) {
      Type* t = mro->items[i].as<Type>();
      Value attr = dict_get_str(t->dict, name);
      if (!attr) continue;
      Type* at = type_of(attr);
      if (!at->descr_get) return newref(attr);
      Value bind_to = s->obj == Value::from_obj(s->obj_type) ? Value() : s->obj;
      return at->descr_get(ts, attr, bind_to, s->obj_type);
    }
  }
  return generic_getattr(ts, self, name);
}

Value super_repr(ThreadState& ts, Value self) {
  Super* s = self.as<Super>();
  std::string text = "<super: <class '" + std::string(s->type->name) + "'>, ";
  text += s->obj_type ? "<" + std::string(s->obj_type->name) + " object>>" : "NULL>";
  return str_value(text);
}

// ---------------------------------------------------------------------------------------
// exec, eval, compile

// The globals and locals exec/eval run with: the given ones, or the caller's.
bool namespaces(ThreadState& ts, const char* fname, Value globals_arg, Value locals_arg, Dict** globals,
                Dict** locals) {
  if (globals_arg && !is_none(globals_arg)) {
    if (!is_dict(globals_arg)) {
      raise_fmt(ts, &TypeError_type, "%s() globals must be a dict, not %s", fname, type_name(globals_arg));
      return false;
    }
    *globals = globals_arg.as<Dict>();
    *locals = locals_arg && !is_none(locals_arg) && is_dict(locals_arg) ? locals_arg.as<Dict>() : *globals;
  } else {
    Frame* f = ts.frame;
    if (!f) {
      *globals = ts.interp->main_module->dict;
      *locals = *globals;
    } else {
      *globals = f->globals;
      *locals = f->locals ? f->locals : f->globals;
    }
    if (locals_arg && !is_none(locals_arg) && is_dict(locals_arg)) *locals = locals_arg.as<Dict>();
  }
  if (!dict_get_str(*globals, intern("__builtins__")))
    if (dict_set_str(ts, *globals, intern("__builtins__"), Value::from_obj(ts.interp->builtins)) < 0) return false;
  return true;
}

Code* code_from_argument(ThreadState& ts, const char* fname, Value source, ParseMode mode) {
  if (type_of(source) == &code_type) return source.as<Code>();
  if (!is_str(source)) {
    raise_fmt(ts, &TypeError_type, "%s() arg 1 must be a string, bytes or code object", fname);
    return nullptr;
  }
  return compile_to_code(ts, str_view(source), "<string>", mode);
}

Value builtin_exec(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "exec", args, nargs, kwnames, {"source", "globals", "locals"}, 1, a)) return Value();
  Dict *globals, *locals;
  if (!namespaces(ts, "exec", a[1], a[2], &globals, &locals)) return Value();
  Code* code = code_from_argument(ts, "exec", a[0], ParseMode::File);
  if (!code) return Value();
  Value r = eval_code(ts, code, globals, locals);
  if (!r) return r;
  decref(r);
  return newref(none());
}

Value builtin_eval(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "eval", args, nargs, kwnames, {"source", "globals", "locals"}, 1, a)) return Value();
  Dict *globals, *locals;
  if (!namespaces(ts, "eval", a[1], a[2], &globals, &locals)) return Value();
  Value source = a[0];
  Ref stripped;
  if (is_str(source)) {
    // eval() ignores leading spaces and tabs, as CPython does.
    std::string_view text = str_view(source);
    size_t start = text.find_first_not_of(" \t");
    stripped.reset(str_value(start == std::string_view::npos ? "" : text.substr(start)));
    source = stripped.get();
  }
  Code* code = code_from_argument(ts, "eval", source, ParseMode::Eval);
  if (!code) return Value();
  return eval_code(ts, code, globals, locals);
}

Value builtin_compile(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[6];
  if (!bind_args(ts, "compile", args, nargs, kwnames,
                 {"source", "filename", "mode", "flags", "dont_inherit", "optimize"}, 3, a))
    return Value();
  if (!is_str(a[0]) || !is_str(a[1]) || !is_str(a[2]))
    return raise(ts, &TypeError_type, "compile() arguments must be strings");
  std::string_view mode = str_view(a[2]);
  ParseMode pm = mode == "eval" ? ParseMode::Eval : mode == "single" ? ParseMode::Interactive : ParseMode::File;
  if (mode != "exec" && mode != "eval" && mode != "single")
    return raise(ts, &ValueError_type, "compile() mode must be 'exec', 'eval' or 'single'");
  Code* code = compile_to_code(ts, str_view(a[0]), std::string(str_view(a[1])), pm);
  return code ? Value::from_obj(code) : Value();
}

// ---------------------------------------------------------------------------------------
// Namespaces

Value builtin_globals(ThreadState& ts, const Value*, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "globals", kwnames) || !check_nargs(ts, "globals", nargs, 0, 0)) return Value();
  Dict* g = ts.frame ? ts.frame->globals : ts.interp->main_module->dict;
  return newref(Value::from_obj(g));
}

// locals(): the namespace dict of module and class bodies; a snapshot in functions.
Value frame_locals(ThreadState& ts, Frame* f) {
  if (!f) return newref(Value::from_obj(ts.interp->main_module->dict));
  if (f->locals) return newref(Value::from_obj(f->locals));
  Dict* d = dict_new(ts);
  if (!d) return Value();
  Ref result(Value::from_obj(d));
  Code* code = f->code;
  for (int i = 0; i < code->nlocals; i++) {
    if (!f->localsplus[i]) continue;
    bool is_cell = false;
    for (int c = 0; c < code->ncells; c++)
      if (str_equal(code->cellvars->items[c].as<Str>(), code->varnames->items[i].as<Str>())) is_cell = true;
    if (is_cell) continue;
    if (dict_set(ts, d, code->varnames->items[i], f->localsplus[i]) < 0) return Value();
  }
  for (int i = 0; i < code->ncells + code->nfrees; i++) {
    Value v = f->localsplus[code->nlocals + i].as<Cell>()->value;
    if (!v) continue;
    Value name = i < code->ncells ? code->cellvars->items[i] : code->freevars->items[i - code->ncells];
    if (dict_set(ts, d, name, v) < 0) return Value();
  }
  return result.release();
}

Value builtin_locals(ThreadState& ts, const Value*, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "locals", kwnames) || !check_nargs(ts, "locals", nargs, 0, 0)) return Value();
  return frame_locals(ts, ts.frame);
}

Value builtin_vars(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "vars", kwnames) || !check_nargs(ts, "vars", nargs, 0, 1)) return Value();
  if (nargs == 0) return frame_locals(ts, ts.frame);
  Value d = object_lookup_attr(ts, args[0], intern("__dict__"));
  if (!d && !ts.has_error()) return raise(ts, &TypeError_type, "vars() argument must have __dict__ attribute");
  return d;
}

Value builtin_import(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[5];
  if (!bind_args(ts, "__import__", args, nargs, kwnames, {"name", "globals", "locals", "fromlist", "level"}, 1, a))
    return Value();
  if (!is_str(a[0])) return raise(ts, &TypeError_type, "__import__() argument 1 must be str");
  int64_t level = 0;
  if (a[4] && !int_to_int64(ts, a[4], &level)) return Value();
  Dict* globals = a[1] && is_dict(a[1]) ? a[1].as<Dict>() : nullptr;
  return import_name(ts, globals, a[0].as<Str>(), a[3] ? a[3] : none(), int(level));
}

const MethodDef kCoreBuiltins[] = {
    {"__build_class__", builtin_build_class},
    {"exec", builtin_exec},
    {"eval", builtin_eval},
    {"compile", builtin_compile},
    {"globals", builtin_globals},
    {"locals", builtin_locals},
    {"vars", builtin_vars},
    {"__import__", builtin_import},
    {nullptr, nullptr},
};

}  // namespace

Type super_type;
MINIVM_TYPE_SETUP(super_type) {
  t.name = "super";
  t.basic_size = sizeof(Super);
  t.flags = kTypeBaseType;
  t.dealloc = super_dealloc;
  t.repr = super_repr;
  t.getattr = super_getattr;
  t.new_ = super_new;
}

int add_core_builtins(ThreadState& ts, Module* builtins) {
  if (module_add_functions(ts, builtins, kCoreBuiltins) < 0) return -1;
  static Type* const types[] = {&type_type, &object_type, &super_type, &staticmethod_type, &classmethod_type,
                                &property_type};
  for (Type* t : types)
    if (module_add(ts, builtins, t->name, Value::from_obj(t)) < 0) return -1;
  return 0;
}

}  // namespace mvm
