// set_iterator: the iterator of sets and frozensets, in table order.
#include "runtime/builtin_support.h"
#include "runtime/errors.h"
#include "runtime/set.h"
#include "runtime/type.h"

namespace mvm {

namespace {

Value set_iterator_next(ThreadState& ts, Value self) {
  SetIterator* it = self.as<SetIterator>();
  Set* so = it->set;
  if (!so) return Value();
  if (it->expected_used != so->used) {
    it->expected_used = SIZE_MAX;   // every later step fails too, as in CPython
    return raise(ts, &RuntimeError_type, "Set changed size during iteration");
  }
  Value key;
  if (set_next(so, &it->pos, &key)) return newref(key);
  it->set = nullptr;
  decref(so);
  return Value();
}

void set_iterator_dealloc(Object* self) {
  SetIterator* it = static_cast<SetIterator*>(self);
  if (it->set) decref(it->set);
  free_object(self);
}

}  // namespace

Value set_iter(ThreadState& ts, Value set) {
  SetIterator* it = try_new_object<SetIterator>(&set_iterator_type);
  if (!it) return raise_memory_error(ts);
  it->set = set.as<Set>();
  incref(it->set);
  it->expected_used = it->set->used;
  return Value::from_obj(it);
}

Type set_iterator_type;
MINIVM_TYPE_SETUP(set_iterator_type) {
  t.name = "set_iterator";
  t.basic_size = sizeof(SetIterator);
  t.flags = kTypeImmutable;
  t.dealloc = set_iterator_dealloc;
  t.iter = iter_return_self;
  t.iternext = set_iterator_next;
}

}  // namespace mvm
