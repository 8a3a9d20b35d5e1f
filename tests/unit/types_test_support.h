// Helpers shared by the unit tests of the built-in types (test_int, test_float,
// test_containers): a ThreadState to call the runtime with, and short ways to build values
// and to read results as the text Python would print.
#pragma once

#include <doctest/doctest.h>

#include <initializer_list>
#include <string>

#include "runtime/abstract.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/thread_state.h"

namespace mvm::test {

// The calling thread's ThreadState: the test runner's if it attached one, else a bare one
// made here (enough for the object protocol; nothing here runs Python code).
inline ThreadState& thread() {
  static ThreadState* ts = [] {
    ThreadState* existing = current_thread_state();
    if (!existing) {
      existing = new ThreadState();
      set_current_thread_state(existing);
    }
    ready_builtin_types();
    return existing;
  }();
  return *ts;
}

// The pending exception as "TypeName: message", clearing it; "" if there is none.
inline std::string take_error() {
  ThreadState& ts = thread();
  Value exc = fetch_error(ts);
  if (!exc) return "";
  std::string text = std::string(type_name(exc)) + ": " + str_string(ts, exc);
  decref(exc);
  return text;
}

// repr() of a result (stolen), or the exception it raised as "!TypeName: message".
inline std::string show(Value result) {
  if (!result) return "!" + take_error();
  Ref owned(result);
  Ref text(object_repr(thread(), result));
  if (!text) return "!repr failed: " + take_error();
  return std::string(str_view(text.get()));
}

// Owned values.
inline Ref num(int64_t v) { return Ref(int_from_int64(v)); }
inline Ref big(const char* decimal) { return Ref(int_from_string(thread(), decimal, 10)); }
inline Ref flt(double v) { return Ref(float_new(v)); }
inline Ref text(const char* s) { return Ref(str_value(s)); }
inline Ref tuple_of(std::initializer_list<Value> items) {
  return Ref(Value::from_obj(tuple_pack(thread(), items)));
}
inline Ref list_of(std::initializer_list<Value> items) {
  Ref list(Value::from_obj(list_new(thread())));
  for (Value v : items) list_append(thread(), list.as<List>(), v);
  return list;
}

// obj.name(*args), shown like show().
inline std::string call(Value obj, const char* name, std::initializer_list<Value> args = {}) {
  return show(call_method(thread(), obj, name, args));
}
inline std::string binop(Value a, BinaryOp op, Value b) { return show(binary_op(thread(), a, b, op)); }
inline std::string cmp(Value a, CompareOp op, Value b) { return show(object_compare(thread(), a, b, op)); }

}  // namespace mvm::test
