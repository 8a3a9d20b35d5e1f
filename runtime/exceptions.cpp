// The built-in exception types: BaseException's layout and methods, and the few subclasses
// with behaviour of their own (StopIteration, SystemExit, KeyError, OSError, SyntaxError,
// ImportError).
#include <cstring>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/thread_state.h"

namespace mvm {

static ExceptionObject* as_exc(Value v) { return v.as<ExceptionObject>(); }

static bool has_kwargs(Tuple* kwnames) { return kwnames && kwnames->size > 0; }

static Value exc_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  ExceptionObject* e = try_new_object<ExceptionObject>(type, type->basic_size);
  if (!e) return raise_memory_error(ts);
  if (type->basic_size > sizeof(ExceptionObject))
    std::memset(reinterpret_cast<char*>(e) + sizeof(ExceptionObject), 0,
                type->basic_size - sizeof(ExceptionObject));
  e->args = tuple_from_array(ts, args, nargs);
  if (!e->args) {
    decref(e);
    return Value();
  }
  return Value::from_obj(e);
}

static int exc_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  if (has_kwargs(kwnames)) {
    raise_fmt(ts, &TypeError_type, "%s() takes no keyword arguments", type_of(self)->name);
    return -1;
  }
  Tuple* t = tuple_from_array(ts, args, nargs);
  if (!t) return -1;
  ExceptionObject* e = as_exc(self);
  decref(Value::from_obj(e->args));
  e->args = t;
  return 0;
}

static void exc_dealloc(Object* self) {
  ExceptionObject* e = static_cast<ExceptionObject*>(self);
  decref(Value::from_obj(e->dict));
  decref(Value::from_obj(e->args));
  decref(e->traceback);
  decref(e->cause);
  decref(e->context);
  decref(e->value);
  free_object(self);
}

static Value exc_str(ThreadState& ts, Value self) {
  Tuple* args = as_exc(self)->args;
  if (!args || args->size == 0) return str_value("");
  if (args->size == 1) return object_str(ts, args->items[0]);
  return object_str(ts, Value::from_obj(args));
}

static Value exc_repr(ThreadState& ts, Value self) {
  Tuple* args = as_exc(self)->args;
  std::string text = type_of(self)->name;
  if (!args || args->size == 0) {
    text += "()";
  } else if (args->size == 1) {
    Ref r(object_repr(ts, args->items[0]));
    if (!r) return Value();
    text += '(';
    text += str_view(r.get());
    text += ')';
  } else {
    Ref r(object_repr(ts, Value::from_obj(args)));
    if (!r) return Value();
    text += str_view(r.get());
  }
  return str_value(text);
}

static Value get_args(ThreadState&, Value self) { return newref(Value::from_obj(as_exc(self)->args)); }
static int set_args(ThreadState& ts, Value self, Value v) {
  if (!v) {
    raise(ts, &TypeError_type, "args may not be deleted");
    return -1;
  }
  Value t = tuple_from_iterable(ts, v);
  if (!t) return -1;
  decref(Value::from_obj(as_exc(self)->args));
  as_exc(self)->args = t.as<Tuple>();
  return 0;
}

// Optional links (__cause__, __context__, __traceback__) read as None when unset.
static Value none_if_null(Value v) { return newref(v ? v : none()); }
static bool replace_link(ThreadState& ts, Value* slot, Value v, bool must_be_exception, const char* what) {
  if (v && !is_none(v) && must_be_exception && !is_exception_instance(v)) {
    raise_fmt(ts, &TypeError_type, "exception %s must be None or derive from BaseException", what);
    return false;
  }
  Value old = *slot;
  *slot = v && !is_none(v) ? newref(v) : Value();
  decref(old);
  return true;
}

static Value get_cause(ThreadState&, Value self) { return none_if_null(as_exc(self)->cause); }
static int set_cause(ThreadState& ts, Value self, Value v) {
  if (!replace_link(ts, &as_exc(self)->cause, v, true, "cause")) return -1;
  as_exc(self)->suppress_context = true;
  return 0;
}
static Value get_context(ThreadState&, Value self) { return none_if_null(as_exc(self)->context); }
static int set_context(ThreadState& ts, Value self, Value v) {
  return replace_link(ts, &as_exc(self)->context, v, true, "context") ? 0 : -1;
}
static Value get_traceback(ThreadState&, Value self) { return none_if_null(as_exc(self)->traceback); }
static int set_traceback(ThreadState& ts, Value self, Value v) {
  return replace_link(ts, &as_exc(self)->traceback, v, false, "traceback") ? 0 : -1;
}
static Value get_suppress_context(ThreadState&, Value self) { return bool_value(as_exc(self)->suppress_context); }
static int set_suppress_context(ThreadState& ts, Value self, Value v) {
  int truth = object_truth(ts, v);
  if (truth < 0) return -1;
  as_exc(self)->suppress_context = truth;
  return 0;
}
static Value get_dict(ThreadState& ts, Value self) {
  Dict* d = instance_get_dict(ts, self);
  return d ? newref(Value::from_obj(d)) : Value();
}

static Value exc_with_traceback(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "with_traceback", nargs, 2, 2)) return Value();
  if (set_traceback(ts, args[0], args[1]) < 0) return Value();
  return newref(args[0]);
}

static const MethodDef exc_methods[] = {
    {"with_traceback", exc_with_traceback},
    {nullptr, nullptr},
};
static const GetSetDef exc_getsets[] = {
    {"args", get_args, set_args},
    {"__cause__", get_cause, set_cause},
    {"__context__", get_context, set_context},
    {"__traceback__", get_traceback, set_traceback},
    {"__suppress_context__", get_suppress_context, set_suppress_context},
    {"__dict__", get_dict},
    {nullptr, nullptr},
};

// --- StopIteration and SystemExit keep their first argument as .value / .code. ---

static int stop_iteration_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kw) {
  if (exc_init(ts, self, args, nargs, kw) < 0) return -1;
  ExceptionObject* e = as_exc(self);
  decref(e->value);
  e->value = newref(nargs > 0 ? args[0] : none());
  return 0;
}
static Value stop_iteration_value(ThreadState&, Value self) { return none_if_null(as_exc(self)->value); }
static const GetSetDef stop_iteration_getsets[] = {{"value", stop_iteration_value}, {nullptr, nullptr}};

static int system_exit_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kw) {
  if (exc_init(ts, self, args, nargs, kw) < 0) return -1;
  ExceptionObject* e = as_exc(self);
  decref(e->value);
  e->value = nargs == 0 ? newref(none()) : nargs == 1 ? newref(args[0]) : newref(Value::from_obj(e->args));
  return 0;
}
static Value system_exit_code(ThreadState&, Value self) { return none_if_null(as_exc(self)->value); }
static const GetSetDef system_exit_getsets[] = {{"code", system_exit_code}, {nullptr, nullptr}};

// KeyError shows its key's repr: KeyError: 'missing'.
static Value key_error_str(ThreadState& ts, Value self) {
  Tuple* args = as_exc(self)->args;
  if (args && args->size == 1) return object_repr(ts, args->items[0]);
  return exc_str(ts, self);
}

// --- Attributes kept in the instance dict (OSError, SyntaxError, ImportError). ---

static int set_attr(ThreadState& ts, Value self, const char* name, Value v) {
  Dict* d = instance_get_dict(ts, self);
  return d ? dict_set_str(ts, d, intern(name), v ? v : none()) : -1;
}
static Value get_attr_or_none(Value self, const char* name) {
  Dict** slot = instance_dict_slot(self);
  Value v = slot && *slot ? dict_get_str(*slot, intern(name)) : Value();
  return v ? v : none();
}

// OSError(errno, strerror[, filename]) keeps the parts and prints "[Errno 2] ...: 'name'".
static int os_error_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kw) {
  if (exc_init(ts, self, args, nargs >= 2 && nargs <= 3 ? 2 : nargs, kw) < 0) return -1;
  if (nargs >= 2 && nargs <= 3) {
    if (set_attr(ts, self, "errno", args[0]) < 0 || set_attr(ts, self, "strerror", args[1]) < 0) return -1;
    if (set_attr(ts, self, "filename", nargs == 3 ? args[2] : none()) < 0) return -1;
  } else {
    if (set_attr(ts, self, "errno", none()) < 0 || set_attr(ts, self, "strerror", none()) < 0 ||
        set_attr(ts, self, "filename", none()) < 0)
      return -1;
  }
  return 0;
}
static Value os_error_str(ThreadState& ts, Value self) {
  Value err = get_attr_or_none(self, "errno");
  Value msg = get_attr_or_none(self, "strerror");
  Value filename = get_attr_or_none(self, "filename");
  if (is_none(err) && is_none(msg)) return exc_str(ts, self);
  std::string text = "[Errno " + str_string(ts, err) + "] " + str_string(ts, msg);
  if (!is_none(filename)) text += ": " + repr_string(ts, filename);
  return str_value(text);
}

// SyntaxError(msg, (filename, lineno, offset, text[, end_lineno, end_offset])).
static int syntax_error_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kw) {
  if (exc_init(ts, self, args, nargs, kw) < 0) return -1;
  static const char* fields[] = {"filename", "lineno", "offset", "text", "end_lineno", "end_offset"};
  if (set_attr(ts, self, "msg", nargs >= 1 ? args[0] : none()) < 0) return -1;
  Tuple* info = nargs >= 2 && is_tuple(args[1]) ? args[1].as<Tuple>() : nullptr;
  for (size_t i = 0; i < 6; i++)
    if (set_attr(ts, self, fields[i], info && i < info->size ? info->items[i] : none()) < 0) return -1;
  return 0;
}
static Value syntax_error_str(ThreadState& ts, Value self) {
  Value msg = get_attr_or_none(self, "msg");
  Value filename = get_attr_or_none(self, "filename");
  Value lineno = get_attr_or_none(self, "lineno");
  std::string text = is_none(msg) ? str_string(ts, self.is_obj() ? Value::from_obj(as_exc(self)->args) : none())
                                  : str_string(ts, msg);
  if (!is_none(filename) && !is_none(lineno))
    text += " (" + str_string(ts, filename) + ", line " + str_string(ts, lineno) + ")";
  else if (!is_none(lineno))
    text += " (line " + str_string(ts, lineno) + ")";
  return str_value(text);
}

// ImportError(msg, name=..., path=...).
static int import_error_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kw) {
  Value name, path;
  size_t nkw = kw ? kw->size : 0;
  for (size_t i = 0; i < nkw; i++) {
    std::string_view k = str_view(kw->items[i]);
    if (k == "name") name = args[nargs + i];
    else if (k == "path") path = args[nargs + i];
    else {
      raise_fmt(ts, &TypeError_type, "'%.*s' is an invalid keyword argument for ImportError()",
                int(k.size()), k.data());
      return -1;
    }
  }
  if (exc_init(ts, self, args, nargs, nullptr) < 0) return -1;
  if (set_attr(ts, self, "name", name) < 0 || set_attr(ts, self, "path", path) < 0) return -1;
  return set_attr(ts, self, "msg", nargs == 1 ? args[0] : none());
}

// ---------------------------------------------------------------------------------------

// The subclasses with behaviour of their own override a few slots of the common setup.
static void specialise(Type& t) {
  if (&t == &StopIteration_type) {
    t.init = stop_iteration_init;
    t.getsets = stop_iteration_getsets;
  } else if (&t == &SystemExit_type) {
    t.init = system_exit_init;
    t.getsets = system_exit_getsets;
  } else if (&t == &KeyError_type) {
    t.str = key_error_str;
  } else if (&t == &OSError_type) {
    t.init = os_error_init;
    t.str = os_error_str;
  } else if (&t == &SyntaxError_type) {
    t.init = syntax_error_init;
    t.str = syntax_error_str;
  } else if (&t == &ImportError_type) {
    t.init = import_error_init;
  }
}

static void setup_exception(Type& t, const char* name, Type* base) {
  t.name = name;
  t.base = base;
  t.flags = kTypeBaseType | kTypeExceptionSubclass;
  t.basic_size = sizeof(ExceptionObject);
  t.dict_offset = offsetof(ExceptionObject, dict);
  if (base == &object_type) {
    t.new_ = exc_new;
    t.init = exc_init;
    t.dealloc = exc_dealloc;
    t.str = exc_str;
    t.repr = exc_repr;
    t.methods = exc_methods;
    t.getsets = exc_getsets;
  }
  specialise(t);
}

#define MINIVM_DEFINE_EXC(name, base) \
  Type name##_type;                    \
  MINIVM_TYPE_SETUP(name##_type) { setup_exception(t, #name, &base##_type); }
MINIVM_EXCEPTION_TYPES(MINIVM_DEFINE_EXC)
#undef MINIVM_DEFINE_EXC

}  // namespace mvm
