// set_iterator: the iterator of sets and frozensets, in table order.
#include "runtime/builtin_support.h"
#include "runtime/errors.h"
#include "runtime/set.h"
#include "runtime/set_lock.h"
#include "runtime/type.h"

namespace mvm {

namespace {

// SetIterator::pos once the iterator is exhausted: it stays exhausted whatever the set does.
constexpr size_t kExhausted = SIZE_MAX;

// A step locks the iterator as well as the set (a frozenset needs no lock): threads sharing
// an iterator get each key once.
Value set_iterator_next(ThreadState& ts, Value self) {
  SetIterator* it = self.as<SetIterator>();
  Set* so = it->set;
  SetLock lock(ts, it, so);
  if (it->pos == kExhausted) return Value();
  if (it->expected_used != so->used) {
    it->expected_used = SIZE_MAX;   // every later step fails too, as in CPython
    return raise(ts, &RuntimeError_type, "Set changed size during iteration");
  }
  Value key;
  if (set_next(so, &it->pos, &key)) return newref(key);
  it->pos = kExhausted;
  return Value();
}

void set_iterator_dealloc(Object* self) {
  decref(static_cast<SetIterator*>(self)->set);
  free_object(self);
}

}  // namespace

Value set_iter(ThreadState& ts, Value set) {
  SetIterator* it = try_new_object<SetIterator>(&set_iterator_type);
  if (!it) return raise_memory_error(ts);
  it->set = set.as<Set>();
  incref(it->set);
  it->expected_used = set_size(it->set);
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
