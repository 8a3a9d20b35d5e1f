// bool: the subclass of int whose only instances are the singletons True and False.
#include "runtime/abstract.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"

namespace mvm {

Bool true_object, false_object;

namespace {

// True and False must be immortal before any code can touch them, so they are set up
// during static initialisation rather than by the type's setup function.
void init_bool(Bool& b, int64_t value) {
  b.ob_type = &bool_type;
  b.ob_ref_local = kImmortalRefcount;
  b.ob_flags = kFlagStatic;
  b.value = value;
}
[[maybe_unused]] const bool bool_singletons_ready = [] {
  init_bool(true_object, 1);
  init_bool(false_object, 0);
  return true;
}();

Value bool_repr(ThreadState&, Value self) {
  return Value::from_obj(intern(self == true_value() ? "True" : "False"));   // immortal
}

// & | ^ of two bools give a bool; everything else is int arithmetic.
Value bool_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  if (is_bool(a) && is_bool(b)) {
    bool x = a == true_value(), y = b == true_value();
    switch (base_op(op)) {
      case BinaryOp::And: return bool_value(x && y);
      case BinaryOp::Or: return bool_value(x || y);
      case BinaryOp::Xor: return bool_value(x != y);
      default: break;
    }
  }
  return int_binary(ts, a, b, op);
}

Value bool_new(ThreadState& ts, Type*, const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size > 0) return raise(ts, &TypeError_type, "bool() takes no keyword arguments");
  if (nargs > 1) return raise_fmt(ts, &TypeError_type, "bool expected at most 1 argument, got %zu", nargs);
  if (nargs == 0) return false_value();
  int truth = object_truth(ts, args[0]);
  if (truth < 0) return Value();
  return bool_value(truth);
}

// True and False are static and immortal, so this never runs; it only keeps int's
// dealloc (which would clear a GMP value that a Bool does not have) from being inherited.
void bool_dealloc(Object*) {}

}  // namespace

Type bool_type;
MINIVM_TYPE_SETUP(bool_type) {
  t.name = "bool";
  t.base = &int_type;
  t.basic_size = sizeof(Bool);
  t.flags = kTypeIntSubclass;
  t.dealloc = bool_dealloc;
  t.repr = bool_repr;
  t.binary = bool_binary;
  t.binary_ops = t.rbinary_ops = uint16_t(~op_mask({BinaryOp::MatMul}));
  t.new_ = bool_new;
}

}  // namespace mvm
