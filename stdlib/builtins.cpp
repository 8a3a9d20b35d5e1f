// The builtins module: printing and input, object inspection (len, repr, getattr, ...),
// comparisons over iterables (min, max, sorted, any, all), characters, and the table of
// built-in names. Iterator types and numeric functions live in builtins_iter.cpp and
// builtins_numeric.cpp; type, super, exec and friends are the interpreter's own.
#include "stdlib/builtins.h"

#include <string>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/bytes.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/range.h"
#include "runtime/refcount.h"
#include "runtime/set.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "runtime/unicode.h"
#include "stdlib/io.h"
#include "stdlib/modules.h"
#include "stdlib/native.h"
#include "vm/interpreter.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {

// sys.<name> (borrowed), or null when sys has no such attribute.
Value sys_attribute(ThreadState& ts, const char* name) {
  Module* sys = ts.interp->sys;
  return sys ? module_get(sys, name) : Value();
}

// --- print and input ---------------------------------------------------------------

// sep and end of print(): None or omitted means the default.
bool print_separator(ThreadState& ts, Value arg, const char* what, std::string_view dflt,
                     std::string_view* out) {
  if (arg.is_null() || is_none(arg)) {
    *out = dflt;
    return true;
  }
  if (!is_str(arg)) {
    raise_fmt(ts, &TypeError_type, "%s must be None or a string, not %s", what, type_name(arg));
    return false;
  }
  *out = str_view(arg);
  return true;
}

// Writes one piece through file.write(), as print() does for files it does not know.
bool write_piece(ThreadState& ts, Value file, Value text) {
  Ref result(call_method(ts, file, "write", {text}));
  return bool(result);
}

Value builtin_print(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value kw[4];
  if (!parse_kwargs(ts, "print", args, nargs, kwnames, {"sep", "end", "file", "flush"}, kw))
    return Value();
  std::string_view sep, end;
  if (!print_separator(ts, kw[0], "sep", " ", &sep)) return Value();
  if (!print_separator(ts, kw[1], "end", "\n", &end)) return Value();
  Value file = kw[2];
  if (file.is_null() || is_none(file)) {
    file = sys_attribute(ts, "stdout");
    // CPython prints nothing when sys.stdout is None (e.g. under pythonw).
    if (file.is_null() || is_none(file)) return none();
  }
  Ref keep_file(newref(file));   // a write may rebind sys.stdout

  if (is_native_text_file(file)) {
    // Fast path: build the whole line and hand it to the file's buffer at once. What was
    // converted before a failing str() is still written, as the slow path would.
    std::string line;
    bool ok = true;
    for (size_t i = 0; i < nargs; ++i) {
      Ref text(object_str(ts, args[i]));
      if (!text) {
        ok = false;
        break;
      }
      if (i > 0) line += sep;
      line += str_view(text.get());
    }
    if (ok) line += end;
    Value pending = ok ? Value() : fetch_error(ts);
    int rc = text_file_write(ts, file, line);
    if (!ok) {
      if (rc < 0) clear_error(ts);
      restore_error(ts, pending);
      return Value();
    }
    if (rc < 0) return Value();
  } else {
    Ref sep_str, end_str;
    for (size_t i = 0; i < nargs; ++i) {
      if (i > 0) {
        if (!sep_str) sep_str = Ref(new_str(ts, sep));
        if (!sep_str || !write_piece(ts, file, sep_str.get())) return Value();
      }
      Ref text(object_str(ts, args[i]));
      if (!text || !write_piece(ts, file, text.get())) return Value();
    }
    end_str = Ref(new_str(ts, end));
    if (!end_str || !write_piece(ts, file, end_str.get())) return Value();
  }
  int flush = optional_truth(ts, kw[3], false);
  if (flush < 0) return Value();
  if (flush) {
    Ref result(call_method(ts, file, "flush", {}));
    if (!result) return Value();
  }
  return none();
}

Value builtin_input(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "input", kwnames) || !check_nargs(ts, "input", nargs, 0, 1))
    return Value();
  Value stdin_file = sys_attribute(ts, "stdin");
  Value stdout_file = sys_attribute(ts, "stdout");
  if (stdin_file.is_null() || is_none(stdin_file))
    return raise(ts, &RuntimeError_type, "input(): lost sys.stdin");
  if (stdout_file.is_null() || is_none(stdout_file))
    return raise(ts, &RuntimeError_type, "input(): lost sys.stdout");
  Ref keep_in(newref(stdin_file)), keep_out(newref(stdout_file));
  // stderr is flushed first so that a pending error message precedes the prompt.
  Value stderr_file = sys_attribute(ts, "stderr");
  if (stderr_file && !is_none(stderr_file)) {
    Ref r(call_method(ts, stderr_file, "flush", {}));
    if (!r) clear_error(ts);
  }
  if (nargs == 1) {
    Ref prompt(object_str(ts, args[0]));
    if (!prompt || !write_piece(ts, stdout_file, prompt.get())) return Value();
  }
  Ref flushed(call_method(ts, stdout_file, "flush", {}));
  if (!flushed) return Value();
  Ref line(call_method(ts, stdin_file, "readline", {}));
  if (!line) return Value();
  if (!is_str(line.get()))
    return raise(ts, &TypeError_type, "object.readline() returned non-string");
  std::string_view text = str_view(line.get());
  if (text.empty()) return raise(ts, &EOFError_type, "EOF when reading a line");
  if (text.back() == '\n') return new_str(ts, text.substr(0, text.size() - 1));
  return line.release();
}

// --- object inspection ---------------------------------------------------------------

Value builtin_len(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "len", kwnames) || !check_nargs(ts, "len", nargs, 1, 1))
    return Value();
  int64_t n = object_length(ts, args[0]);
  if (n < 0) return Value();
  return int_from_int64(n);
}

Value builtin_repr(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "repr", kwnames) || !check_nargs(ts, "repr", nargs, 1, 1))
    return Value();
  return object_repr(ts, args[0]);
}

// repr() with every non-ASCII character escaped as \xhh, \uhhhh or \Uhhhhhhhh.
Value builtin_ascii(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "ascii", kwnames) || !check_nargs(ts, "ascii", nargs, 1, 1))
    return Value();
  Ref repr(object_repr(ts, args[0]));
  if (!repr) return Value();
  const Str* s = repr.as<Str>();
  if (s->ascii) return repr.release();
  std::string out;
  const char* p = s->data;
  const char* end = s->data + s->size;
  while (p < end) {
    uint32_t cp = utf8_decode(p);
    char buf[16];
    if (cp < 0x80) {
      out += char(cp);
      continue;
    }
    if (cp < 0x100)
      std::snprintf(buf, sizeof buf, "\\x%02x", cp);
    else if (cp < 0x10000)
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
    else
      std::snprintf(buf, sizeof buf, "\\U%08x", cp);
    out += buf;
  }
  return new_str(ts, out);
}

Value builtin_format(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "format", args, nargs, kwnames, {"value", "format_spec"}, 1, a))
    return Value();
  if (a[1].is_null()) {
    Ref empty(new_str(ts, ""));
    if (!empty) return Value();
    return format_value(ts, a[0], empty.as<Str>());
  }
  if (!is_str(a[1]))
    return raise_fmt(ts, &TypeError_type, "format() argument 2 must be str, not %s",
                     type_name(a[1]));
  return format_value(ts, a[0], a[1].as<Str>());
}

Value builtin_hash(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "hash", kwnames) || !check_nargs(ts, "hash", nargs, 1, 1))
    return Value();
  int64_t h = object_hash(ts, args[0]);
  if (h == -1) return Value();
  return int_from_int64(h);
}

// The identity of a value: an object's address, or for a small int its tagged word, which
// is odd and so never collides with an address.
Value builtin_id(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "id", kwnames) || !check_nargs(ts, "id", nargs, 1, 1))
    return Value();
  return int_from_uint64(args[0].raw());
}

Value builtin_callable(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "callable", kwnames) || !check_nargs(ts, "callable", nargs, 1, 1))
    return Value();
  return bool_value(is_callable(args[0]));
}

// --- attributes ------------------------------------------------------------------------

Str* attribute_name(ThreadState& ts, Value name) {
  if (!is_str(name)) {
    raise_fmt(ts, &TypeError_type, "attribute name must be string, not '%s'", type_name(name));
    return nullptr;
  }
  return name.as<Str>();
}

Value builtin_getattr(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "getattr", kwnames) || !check_nargs(ts, "getattr", nargs, 2, 3))
    return Value();
  Str* name = attribute_name(ts, args[1]);
  if (!name) return Value();
  if (nargs == 2) return object_getattr(ts, args[0], name);
  Value v = object_lookup_attr(ts, args[0], name);
  if (v.is_null() && !error_occurred(ts)) return newref(args[2]);
  return v;
}

Value builtin_hasattr(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "hasattr", kwnames) || !check_nargs(ts, "hasattr", nargs, 2, 2))
    return Value();
  Str* name = attribute_name(ts, args[1]);
  if (!name) return Value();
  Ref v(object_lookup_attr(ts, args[0], name));
  if (!v && error_occurred(ts)) return Value();
  return bool_value(bool(v));
}

Value builtin_setattr(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "setattr", kwnames) || !check_nargs(ts, "setattr", nargs, 3, 3))
    return Value();
  Str* name = attribute_name(ts, args[1]);
  if (!name || object_setattr(ts, args[0], name, args[2]) < 0) return Value();
  return none();
}

Value builtin_delattr(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "delattr", kwnames) || !check_nargs(ts, "delattr", nargs, 2, 2))
    return Value();
  Str* name = attribute_name(ts, args[1]);
  if (!name || object_delattr(ts, args[0], name) < 0) return Value();
  return none();
}

// --- type relations ----------------------------------------------------------------------

Value builtin_isinstance(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "isinstance", kwnames) ||
      !check_nargs(ts, "isinstance", nargs, 2, 2))
    return Value();
  int r = object_isinstance(ts, args[0], args[1]);
  if (r < 0) return Value();
  return bool_value(r);
}

// issubclass(cls, classinfo) for a class or a (nested) tuple of classes. 0/1, -1 on error.
int is_subclass(ThreadState& ts, Type* cls, Value classinfo) {
  if (is_instance_of(classinfo, &type_type))
    return type_is_subtype(cls, classinfo.as<Type>()) ? 1 : 0;
  if (is_tuple(classinfo)) {
    Tuple* t = classinfo.as<Tuple>();
    for (size_t i = 0; i < t->size; ++i) {
      if (!enter_recursive_call(ts, " in __subclasscheck__")) return -1;
      int r = is_subclass(ts, cls, t->items[i]);
      leave_recursive_call(ts);
      if (r != 0) return r;
    }
    return 0;
  }
  raise(ts, &TypeError_type,
        "issubclass() arg 2 must be a class, a tuple of classes, or a union");
  return -1;
}

Value builtin_issubclass(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "issubclass", kwnames) ||
      !check_nargs(ts, "issubclass", nargs, 2, 2))
    return Value();
  if (!is_instance_of(args[0], &type_type))
    return raise(ts, &TypeError_type, "issubclass() arg 1 must be a class");
  int r = is_subclass(ts, args[0].as<Type>(), args[1]);
  if (r < 0) return Value();
  return bool_value(r);
}

// --- reductions over iterables -------------------------------------------------------------

// Walks either one iterable argument or the argument array itself, as min() and max() do.
class ItemSource {
 public:
  ItemSource(const Value* items, size_t count) : items_(items), count_(count) {}
  bool open(ThreadState& ts, Value iterable) {
    iterator_ = Ref(object_iter(ts, iterable));
    return bool(iterator_);
  }
  // The next item (new reference); null at the end or on error (check error_occurred).
  Value next(ThreadState& ts) {
    if (iterator_) return iter_next(ts, iterator_.get());
    if (index_ < count_) return newref(items_[index_++]);
    return Value();
  }

 private:
  const Value* items_;
  size_t count_;
  size_t index_ = 0;
  Ref iterator_;
};

Value min_max(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames, CompareOp op,
              const char* name) {
  Value kw[2];
  if (!parse_kwargs(ts, name, args, nargs, kwnames, {"key", "default"}, kw)) return Value();
  Value key = kw[0].is_null() || is_none(kw[0]) ? Value() : kw[0];
  Value dflt = kw[1];
  if (nargs == 0)
    return raise_fmt(ts, &TypeError_type, "%s expected at least 1 argument, got 0", name);
  if (nargs > 1 && dflt)
    return raise_fmt(ts, &TypeError_type,
                     "Cannot specify a default for %s() with multiple positional arguments",
                     name);
  ItemSource source(args, nargs);
  if (nargs == 1 && !source.open(ts, args[0])) return Value();
  Ref best, best_key;
  for (;;) {
    Ref item(source.next(ts));
    if (!item) {
      if (error_occurred(ts)) return Value();
      break;
    }
    Ref item_key(key ? call_function(ts, key, {item.get()}) : newref(item.get()));
    if (!item_key) return Value();
    if (!best) {
      best = std::move(item);
      best_key = std::move(item_key);
      continue;
    }
    int better = object_compare_bool(ts, item_key.get(), best_key.get(), op);
    if (better < 0) return Value();
    if (better) {
      best = std::move(item);
      best_key = std::move(item_key);
    }
  }
  if (best) return best.release();
  if (dflt) return newref(dflt);
  return raise_fmt(ts, &ValueError_type, "%s() arg is an empty sequence", name);
}

Value builtin_min(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return min_max(ts, args, nargs, kwnames, CompareOp::Lt, "min");
}

Value builtin_max(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return min_max(ts, args, nargs, kwnames, CompareOp::Gt, "max");
}

// any() stops at the first true item, all() at the first false one.
Value any_all(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames, bool stop_on,
              const char* name) {
  if (!check_no_kwargs(ts, name, kwnames) || !check_nargs(ts, name, nargs, 1, 1))
    return Value();
  Ref it(object_iter(ts, args[0]));
  if (!it) return Value();
  for (;;) {
    Ref item(iter_next(ts, it.get()));
    if (!item) {
      if (error_occurred(ts)) return Value();
      return bool_value(!stop_on);
    }
    int truth = object_truth(ts, item.get());
    if (truth < 0) return Value();
    if (bool(truth) == stop_on) return bool_value(stop_on);
  }
}

Value builtin_any(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return any_all(ts, args, nargs, kwnames, true, "any");
}

Value builtin_all(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return any_all(ts, args, nargs, kwnames, false, "all");
}

Value builtin_sorted(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 1)
    return raise_fmt(ts, &TypeError_type, "sorted expected 1 argument, got %zu", nargs);
  Value kw[2];
  if (!parse_kwargs(ts, "sort", args, nargs, kwnames, {"key", "reverse"}, kw)) return Value();
  int reverse = optional_truth(ts, kw[1], false);
  if (reverse < 0) return Value();
  Ref list(list_from_iterable(ts, args[0]));
  if (!list) return Value();
  Value key = kw[0].is_null() || is_none(kw[0]) ? Value() : kw[0];
  if (list_sort(ts, list.as<List>(), key, reverse) < 0) return Value();
  return list.release();
}

// --- characters --------------------------------------------------------------------------

Value builtin_ord(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "ord", kwnames) || !check_nargs(ts, "ord", nargs, 1, 1))
    return Value();
  Value c = args[0];
  if (is_str(c)) {
    const Str* s = c.as<Str>();
    if (s->length == 1) return Value::small_int(utf8_decode_at(str_view(s), 0));
    return raise_fmt(ts, &TypeError_type,
                     "ord() expected a character, but string of length %zu found", s->length);
  }
  if (is_bytes(c)) {
    std::string_view b = bytes_view(c);
    if (b.size() == 1) return Value::small_int(static_cast<unsigned char>(b[0]));
    return raise_fmt(ts, &TypeError_type,
                     "ord() expected a character, but string of length %zu found", b.size());
  }
  return raise_fmt(ts, &TypeError_type, "ord() expected string of length 1, but %s found",
                   type_name(c));
}

Value builtin_chr(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "chr", kwnames) || !check_nargs(ts, "chr", nargs, 1, 1))
    return Value();
  Ref index(to_index(ts, args[0]));
  if (!index) return Value();
  int64_t cp;
  if (!int_to_int64(ts, index.get(), &cp)) return Value();
  if (cp < 0 || cp > 0x10FFFF)
    return raise(ts, &ValueError_type, "chr() arg not in range(0x110000)");
  Str* s = str_from_codepoint(uint32_t(cp));
  if (!s) return raise_memory_error(ts);
  return Value::from_obj(s);
}

// --- dir ---------------------------------------------------------------------------------

// Adds the keys of d to the set of names.
int add_dict_keys(ThreadState& ts, Set* names, Dict* d) {
  if (!d) return 0;
  size_t pos = 0;
  Value key, value;
  while (dict_next(d, &pos, &key, &value))
    if (set_add(ts, names, key) < 0) return -1;
  return 0;
}

// The names dir() shows for a class: everything along its MRO.
Value class_dir(ThreadState& ts, Type* type) {
  Ref names(Value::from_obj(set_new(ts)));
  if (!names) return Value();
  Tuple* mro = type->mro;
  for (size_t i = 0; mro && i < mro->size; ++i)
    if (add_dict_keys(ts, names.as<Set>(), mro->items[i].as<Type>()->dict) < 0) return Value();
  return names.release();
}

Value builtin_dir(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "dir", kwnames) || !check_nargs(ts, "dir", nargs, 0, 1))
    return Value();
  if (nargs == 1) return builtin_dir_of(ts, args[0]);
  // dir() lists the caller's local names; locals() (the interpreter's) knows the frame.
  Value locals_fn = dict_get_str(ts.interp->builtins_dict, intern("locals"));
  if (!locals_fn) return raise(ts, &SystemError_type, "dir(): no locals() available");
  Ref locals(call_function(ts, locals_fn, {}));
  if (!locals) return Value();
  Ref names(list_from_iterable(ts, locals.get()));
  if (!names || list_sort(ts, names.as<List>(), Value(), false) < 0) return Value();
  return names.release();
}

// --- the module ----------------------------------------------------------------------------

const MethodDef kBuiltinFunctions[] = {
    {"print", builtin_print},
    {"input", builtin_input},
    {"open", builtin_open},
    {"len", builtin_len},
    {"repr", builtin_repr},
    {"ascii", builtin_ascii},
    {"format", builtin_format},
    {"hash", builtin_hash},
    {"id", builtin_id},
    {"callable", builtin_callable},
    {"getattr", builtin_getattr},
    {"hasattr", builtin_hasattr},
    {"setattr", builtin_setattr},
    {"delattr", builtin_delattr},
    {"isinstance", builtin_isinstance},
    {"issubclass", builtin_issubclass},
    {"min", builtin_min},
    {"max", builtin_max},
    {"any", builtin_any},
    {"all", builtin_all},
    {"sorted", builtin_sorted},
    {"ord", builtin_ord},
    {"chr", builtin_chr},
    {"dir", builtin_dir},
    {nullptr, nullptr},
};

int add_exception_types(ThreadState& ts, Module* m) {
#define MINIVM_ADD_EXC(name, base) \
  if (module_add(ts, m, #name, Value::from_obj(&name##_type)) < 0) return -1;
  MINIVM_EXCEPTION_TYPES(MINIVM_ADD_EXC)
#undef MINIVM_ADD_EXC
  // Aliases CPython keeps for old code.
  if (module_add(ts, m, "EnvironmentError", Value::from_obj(&OSError_type)) < 0) return -1;
  if (module_add(ts, m, "IOError", Value::from_obj(&OSError_type)) < 0) return -1;
  return 0;
}

}  // namespace

Value builtin_dir_of(ThreadState& ts, Value obj) {
  Ref names;
  if (is_instance_of(obj, &type_type)) {
    names = Ref(class_dir(ts, obj.as<Type>()));
  } else if (is_instance_of(obj, &module_type)) {
    // A module's attributes are exactly its globals.
    names = Ref(Value::from_obj(set_new(ts)));
    if (names && add_dict_keys(ts, names.as<Set>(), obj.as<Module>()->dict) < 0) return Value();
  } else {
    bool missing = false;
    names = Ref(call_special(ts, obj, "__dir__", {}, &missing));
    if (missing) return raise(ts, &TypeError_type, "object does not provide __dir__");
  }
  if (!names) return Value();
  Ref list(list_from_iterable(ts, names.get()));
  if (!list || list_sort(ts, list.as<List>(), Value(), false) < 0) return Value();
  return list.release();
}

int init_builtins_module(ThreadState& ts, Module* m) {
  if (module_add_functions(ts, m, kBuiltinFunctions) < 0 ||
      module_add_functions(ts, m, kBuiltinIterFunctions) < 0 ||
      module_add_functions(ts, m, kBuiltinNumericFunctions) < 0)
    return -1;
  if (module_add_types(ts, m,
                       {&int_type, &float_type, &bool_type, &str_type, &bytes_type, &list_type,
                        &tuple_type, &dict_type, &set_type, &frozenset_type, &range_type,
                        &slice_type, &enumerate_type, &zip_type, &map_type, &filter_type,
                        &reversed_type}) < 0)
    return -1;
  if (add_exception_types(ts, m) < 0) return -1;
  if (module_add(ts, m, "None", none()) < 0 || module_add(ts, m, "Ellipsis", ellipsis()) < 0 ||
      module_add(ts, m, "NotImplemented", not_implemented()) < 0 ||
      module_add(ts, m, "__debug__", true_value()) < 0)
    return -1;
  return 0;
}

}  // namespace mvm
