// Raising exceptions from C++: the pending exception lives in the ThreadState, and every
// failing function returns null or -1 so that callers can pass the failure up.
#include "runtime/errors.h"

#include <cstdarg>
#include <cstdio>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/thread_state.h"

namespace mvm {

// Makes exc (stolen) the pending exception. An exception raised while another is being
// handled records that one as its __context__ (implicit chaining), as Python does.
static void set_pending(ThreadState& ts, Value exc) {
  Value handled = ts.handled_exception;
  if (handled && handled != exc && is_exception_instance(exc)) {
    ExceptionObject* e = exc.as<ExceptionObject>();
    if (!e->context) {
      // Break a cycle rather than create one: the handled exception must not already lead
      // back to exc through its own context chain.
      bool cycle = false;
      for (Value c = handled; c; c = c.as<ExceptionObject>()->context)
        if (c == exc) {
          cycle = true;
          break;
        }
      if (!cycle) e->context = newref(handled);
    }
  }
  Value old = ts.current_exception;
  ts.current_exception = exc;
  decref(old);
}

Value new_exception(ThreadState& ts, Type* type, std::string_view message) {
  Ref msg(Value::from_obj(str_new(message)));
  return object_call(ts, Value::from_obj(type), reinterpret_cast<const Value*>(&msg), 1);
}

Value raise(ThreadState& ts, Type* type, std::string_view message) {
  Value exc = new_exception(ts, type, message);
  if (exc) set_pending(ts, exc);
  return Value();
}

Value raise_fmt(ThreadState& ts, Type* type, const char* fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = std::vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return raise(ts, type, fmt);
  if (size_t(n) < sizeof small) return raise(ts, type, std::string_view(small, size_t(n)));
  std::vector<char> big(size_t(n) + 1);
  va_start(ap, fmt);
  std::vsnprintf(big.data(), big.size(), fmt, ap);
  va_end(ap);
  return raise(ts, type, std::string_view(big.data(), size_t(n)));
}

Value raise_value(ThreadState& ts, Value exc) {
  if (is_exception_type(exc)) {
    Value instance = object_call(ts, exc, nullptr, 0);
    if (!instance) return Value();
    if (!is_exception_instance(instance)) {
      Ref guard(instance);
      return raise_fmt(ts, &TypeError_type,
                       "calling %s should have returned an instance of BaseException, not %s",
                       repr_string(ts, exc).c_str(), type_name(instance));
    }
    set_pending(ts, instance);
    return Value();
  }
  if (is_exception_instance(exc)) {
    set_pending(ts, newref(exc));
    return Value();
  }
  return raise(ts, &TypeError_type, "exceptions must derive from BaseException");
}

Value raise_with_args(ThreadState& ts, Type* type, const Value* args, size_t nargs) {
  Value exc = object_call(ts, Value::from_obj(type), args, nargs);
  if (exc) set_pending(ts, exc);
  return Value();
}

Value raise_key_error(ThreadState& ts, Value key) { return raise_with_args(ts, &KeyError_type, &key, 1); }

Value raise_memory_error(ThreadState& ts) { return raise_with_args(ts, &MemoryError_type, nullptr, 0); }

Value raise_stop_iteration(ThreadState& ts, Value value) {
  return raise_with_args(ts, &StopIteration_type, &value, value ? 1 : 0);
}

void raise_from_pending(ThreadState& ts, Type* type, std::string_view message) {
  Value cause = fetch_error(ts);
  raise(ts, type, message);
  Value exc = ts.current_exception;
  if (exc && is_exception_instance(exc)) {
    exc.as<ExceptionObject>()->cause = cause;
    exc.as<ExceptionObject>()->suppress_context = true;
  } else {
    decref(cause);
  }
}

Value take_stop_iteration_value(ThreadState& ts) {
  if (!error_matches(ts, &StopIteration_type)) return Value();
  Value stop = fetch_error(ts);
  Value value = stop.as<ExceptionObject>()->value;
  Value result = newref(value ? value : none());
  decref(stop);
  return result;
}

bool error_occurred(const ThreadState& ts) { return ts.has_error(); }

bool error_matches(const ThreadState& ts, Type* type) {
  return ts.current_exception && is_instance_of(ts.current_exception, type);
}

void clear_error(ThreadState& ts) {
  Value old = ts.current_exception;
  ts.current_exception = Value();
  decref(old);
}

Value fetch_error(ThreadState& ts) {
  Value exc = ts.current_exception;
  ts.current_exception = Value();
  return exc;
}

void restore_error(ThreadState& ts, Value exc) {
  Value old = ts.current_exception;
  ts.current_exception = exc;
  decref(old);
}

bool is_exception_type(Value v) {
  return v.is_obj() && (type_of(v)->flags & kTypeTypeSubclass) &&
         (v.as<Type>()->flags & kTypeExceptionSubclass);
}

bool is_exception_instance(Value v) { return v.is_obj() && (type_of(v)->flags & kTypeExceptionSubclass); }

const char* type_name(Value v) { return type_of(v)->name; }

std::string repr_string(ThreadState& ts, Value v) {
  Ref r(object_repr(ts, v));
  if (!r) {
    clear_error(ts);
    return "<object>";
  }
  return std::string(str_view(r.get()));
}

std::string str_string(ThreadState& ts, Value v) {
  Ref r(object_str(ts, v));
  if (!r) {
    clear_error(ts);
    return "<object>";
  }
  return std::string(str_view(r.get()));
}

}  // namespace mvm
