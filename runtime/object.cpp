// The singletons None, NotImplemented and Ellipsis, and their types.
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/errors.h"
#include "runtime/str.h"
#include "runtime/type.h"

namespace mvm {

namespace {
// A static, immortal singleton of `type`.
void init_singleton(Object& o, Type* type) {
  o.ob_type = type;
  o.ob_ref_local = kImmortalRefcount;
  o.ob_flags = kFlagStatic;
}

Value none_repr(ThreadState&, Value) { return Value::from_obj(intern("None")); }
int none_truth(ThreadState&, Value) { return 0; }
Value none_new(ThreadState& ts, Type*, const Value*, size_t nargs, Tuple* kwnames) {
  if (nargs || kwnames) return raise(ts, &TypeError_type, "NoneType takes no arguments");
  return none();
}
Value notimplemented_repr(ThreadState&, Value) { return Value::from_obj(intern("NotImplemented")); }
Value ellipsis_repr(ThreadState&, Value) { return Value::from_obj(intern("Ellipsis")); }
int64_t singleton_hash(ThreadState&, Value v) {
  // A fixed per-singleton value; any stable number will do.
  return v == none() ? 0xFCA86420 : int64_t(v.raw() >> 4);
}
}  // namespace

Object none_object, notimplemented_object, ellipsis_object;

Type none_type;
MINIVM_TYPE_SETUP(none_type) {
  t.name = "NoneType";
  t.basic_size = sizeof(Object);
  t.flags = kTypeImmutable;
  t.repr = none_repr;
  t.truth = none_truth;
  t.hash = singleton_hash;
  t.new_ = none_new;
  init_singleton(none_object, &none_type);
}

Type notimplemented_type;
MINIVM_TYPE_SETUP(notimplemented_type) {
  t.name = "NotImplementedType";
  t.basic_size = sizeof(Object);
  t.flags = kTypeImmutable;
  t.repr = notimplemented_repr;
  t.hash = singleton_hash;
  init_singleton(notimplemented_object, &notimplemented_type);
}

Type ellipsis_type;
MINIVM_TYPE_SETUP(ellipsis_type) {
  t.name = "ellipsis";
  t.basic_size = sizeof(Object);
  t.flags = kTypeImmutable;
  t.repr = ellipsis_repr;
  t.hash = singleton_hash;
  init_singleton(ellipsis_object, &ellipsis_type);
}

}  // namespace mvm
