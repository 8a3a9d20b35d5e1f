// Helpers shared by the str, bytes and formatting unit tests: a ThreadState with the
// built-in types ready, and calls that turn results (or the pending error) into text.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "runtime/abstract.h"
#include "runtime/dict.h"
#include "runtime/float.h"
#include "runtime/tuple.h"
#include "runtime/errors.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/type.h"
#include "vm/thread_state.h"

namespace mvm::str_test {

// The interpreter that tests/unit/main.cpp starts before running the tests.
inline ThreadState& thread() { return *current_thread_state(); }

// An owned str for test input.
inline Ref str(std::string_view text) { return Ref(str_value(text)); }

// Arguments for calls. They are leaked on purpose: test inputs live for the whole run.
inline Value arg(std::string_view text) { return str_value(text); }
inline Value num(double d) { return float_new(d); }
inline Value tuple(ThreadState& ts, std::initializer_list<Value> items) {
  return Value::from_obj(tuple_pack(ts, items));
}
inline Value mapping(ThreadState& ts, std::initializer_list<std::pair<Value, Value>> items) {
  Dict* d = dict_new(ts);
  for (auto [key, value] : items) dict_set(ts, d, key, value);
  return Value::from_obj(d);
}

// The text of a result: a str's contents, repr() of anything else, or "ErrorType: message"
// when it is null (the pending exception is cleared).
inline std::string outcome(Value result) {
  ThreadState& ts = thread();
  Ref owned(result);
  if (!result) {
    Ref exc(fetch_error(ts));
    return std::string(type_name(exc.get())) + ": " + str_string(ts, exc.get());
  }
  if (is_str(result)) return std::string(str_view(result));
  return repr_string(ts, result);
}

// self.name(*args) as text (see outcome()).
inline std::string call(Value self, const char* name, std::initializer_list<Value> args) {
  return outcome(call_method(thread(), self, name, args));
}
inline std::string call(std::string_view self, const char* name, std::initializer_list<Value> args) {
  Ref s = str(self);
  return call(s.get(), name, args);
}

}  // namespace mvm::str_test
