// Binding native-function arguments to parameter names, with CPython's error messages.
#include "runtime/args.h"

#include <cstring>

#include "runtime/errors.h"
#include "runtime/str.h"
#include "runtime/tuple.h"

namespace mvm {

bool check_no_kwargs(ThreadState& ts, const char* fname, Tuple* kwnames) {
  if (!kwnames || kwnames->size == 0) return true;
  raise_fmt(ts, &TypeError_type, "%s() takes no keyword arguments", fname);
  return false;
}

bool check_nargs(ThreadState& ts, const char* fname, size_t nargs, size_t min, size_t max) {
  if (nargs >= min && nargs <= max) return true;
  if (min == max) {
    if (min == 0)
      raise_fmt(ts, &TypeError_type, "%s() takes no arguments (%zu given)", fname, nargs);
    else if (min == 1)
      raise_fmt(ts, &TypeError_type, "%s() takes exactly one argument (%zu given)", fname, nargs);
    else
      raise_fmt(ts, &TypeError_type, "%s expected %zu arguments, got %zu", fname, min, nargs);
  } else if (nargs < min) {
    raise_fmt(ts, &TypeError_type, "%s expected at least %zu argument%s, got %zu", fname, min,
              min == 1 ? "" : "s", nargs);
  } else {
    raise_fmt(ts, &TypeError_type, "%s expected at most %zu argument%s, got %zu", fname, max,
              max == 1 ? "" : "s", nargs);
  }
  return false;
}

bool bind_args(ThreadState& ts, const char* fname, const Value* args, size_t nargs, Tuple* kwnames,
               std::initializer_list<const char*> params, size_t required, Value* out,
               size_t max_positional) {
  size_t nparams = params.size();
  if (max_positional > nparams) max_positional = nparams;
  for (size_t i = 0; i < nparams; i++) out[i] = Value();
  if (nargs > max_positional) {
    if (max_positional == 0)
      raise_fmt(ts, &TypeError_type, "%s() takes no positional arguments", fname);
    else
      raise_fmt(ts, &TypeError_type, "%s() takes at most %zu positional argument%s (%zu given)", fname,
                max_positional, max_positional == 1 ? "" : "s", nargs);
    return false;
  }
  for (size_t i = 0; i < nargs; i++) out[i] = args[i];
  size_t nkw = kwnames ? kwnames->size : 0;
  for (size_t k = 0; k < nkw; k++) {
    std::string_view key = str_view(kwnames->items[k]);
    size_t index = 0;
    for (const char* p : params) {
      if (key == p) break;
      index++;
    }
    if (index == nparams) {
      raise_fmt(ts, &TypeError_type, "%s() got an unexpected keyword argument '%.*s'", fname,
                int(key.size()), key.data());
      return false;
    }
    if (out[index]) {
      if (index < nargs)
        raise_fmt(ts, &TypeError_type, "argument for %s() given by name ('%.*s') and position (%zu)",
                  fname, int(key.size()), key.data(), index + 1);
      else
        raise_fmt(ts, &TypeError_type, "%s() got multiple values for argument '%.*s'", fname,
                  int(key.size()), key.data());
      return false;
    }
    out[index] = args[nargs + k];
  }
  size_t i = 0;
  for (const char* p : params) {
    if (i >= required) break;
    if (!out[i]) {
      raise_fmt(ts, &TypeError_type, "%s() missing required argument '%s' (pos %zu)", fname, p, i + 1);
      return false;
    }
    i++;
  }
  return true;
}

}  // namespace mvm
