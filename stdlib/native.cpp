// Helpers shared by the native standard-library modules (see native.h).
#include "stdlib/native.h"

#include "runtime/abstract.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/module.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"

namespace mvm {

int module_add_types(ThreadState& ts, Module* m, std::initializer_list<Type*> types) {
  for (Type* type : types) {
    if (module_add(ts, m, type->name, Value::from_obj(type)) < 0) return -1;
  }
  return 0;
}

Value call_special(ThreadState& ts, Value obj, const char* name,
                   std::initializer_list<Value> args, bool* missing) {
  Type* type = type_of(obj);
  Value descr = type_lookup(type, intern(name));
  *missing = descr.is_null();
  if (*missing) return Value();
  // Bind the way attribute lookup would, so functions, staticmethods and native method
  // descriptors all receive the right arguments.
  Ref bound;
  Type* descr_type = type_of(descr);
  if (descr_type->descr_get) {
    bound = Ref(descr_type->descr_get(ts, descr, obj, type));
    if (!bound) return Value();
  } else {
    bound = Ref(newref(descr));
  }
  return call_function(ts, bound.get(), args);
}

bool parse_kwargs(ThreadState& ts, const char* fname, const Value* args, size_t nargs,
                  Tuple* kwnames, std::initializer_list<const char*> names, Value* out) {
  size_t count = names.size();
  for (size_t i = 0; i < count; ++i) out[i] = Value();
  if (kwnames == nullptr) return true;
  for (size_t k = 0; k < kwnames->size; ++k) {
    std::string_view key = str_view(kwnames->items[k]);
    size_t i = 0;
    for (const char* name : names) {
      if (key == name) break;
      ++i;
    }
    if (i == count) {
      raise_fmt(ts, &TypeError_type, "'%.*s' is an invalid keyword argument for %s()",
                int(key.size()), key.data(), fname);
      return false;
    }
    out[i] = args[nargs + k];
  }
  return true;
}

Value new_str(ThreadState& ts, std::string_view utf8) {
  Str* s = str_new_checked(ts, utf8);
  return s ? Value::from_obj(s) : Value();
}

const Str* expect_str(ThreadState& ts, Value value, const char* what) {
  if (is_str(value)) return value.as<Str>();
  raise_fmt(ts, &TypeError_type, "%s must be str, not %s", what, type_name(value));
  return nullptr;
}

int optional_truth(ThreadState& ts, Value arg, bool dflt) {
  if (arg.is_null()) return dflt ? 1 : 0;
  return object_truth(ts, arg);
}

bool to_double(ThreadState& ts, Value v, double* out) {
  if (is_float(v)) {
    *out = float_value(v);
    return true;
  }
  if (is_int(v)) return int_to_double_checked(ts, v, out);
  bool missing = false;
  Ref result(call_special(ts, v, "__float__", {}, &missing));
  if (missing) {
    Ref index(call_special(ts, v, "__index__", {}, &missing));
    if (missing) {
      raise_fmt(ts, &TypeError_type, "must be real number, not %s", type_name(v));
      return false;
    }
    if (!index) return false;
    if (!is_int(index.get())) {
      raise_fmt(ts, &TypeError_type, "__index__ returned non-int (type %s)",
                type_name(index.get()));
      return false;
    }
    return int_to_double_checked(ts, index.get(), out);
  }
  if (!result) return false;
  if (!is_float_instance(result.get())) {
    raise_fmt(ts, &TypeError_type, "%s.__float__ returned non-float (type %s)", type_name(v),
              type_name(result.get()));
    return false;
  }
  *out = float_value(result.get());
  return true;
}

Value to_index(ThreadState& ts, Value v) {
  if (is_int(v)) return newref(v);
  bool missing = false;
  Ref result(call_special(ts, v, "__index__", {}, &missing));
  if (missing) {
    return raise_fmt(ts, &TypeError_type, "'%s' object cannot be interpreted as an integer",
                     type_name(v));
  }
  if (!result) return Value();
  if (!is_int(result.get())) {
    return raise_fmt(ts, &TypeError_type, "__index__ returned non-int (type %s)",
                     type_name(result.get()));
  }
  return result.release();
}

}  // namespace mvm
