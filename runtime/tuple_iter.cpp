// tuple_iterator: the iterator that iter(tuple) returns.
#include "runtime/builtin_support.h"
#include "runtime/qsbr.h"
#include "runtime/tuple.h"
#include "runtime/type.h"

namespace mvm {

namespace {

Value tuple_iterator_next(ThreadState&, Value self) {
  // Threads sharing the iterator may skip or repeat items, never read out of bounds.
  TupleIterator* it = self.as<TupleIterator>();
  Tuple* t = load_iterated(it->tuple);
  if (!t) return Value();
  size_t index = std::atomic_ref<size_t>(it->index).load(std::memory_order_relaxed);
  if (index < t->size) {
    std::atomic_ref<size_t>(it->index).store(index + 1, std::memory_order_relaxed);
    return newref(t->items[index]);
  }
  release_iterated(it->tuple);   // release the tuple as soon as the iteration ends
  return Value();
}

void tuple_iterator_dealloc(Object* self) {
  TupleIterator* it = static_cast<TupleIterator*>(self);
  if (it->tuple) decref(it->tuple);
  free_object(self);
}

}  // namespace

Value tuple_iter(ThreadState& ts, Value tuple) {
  TupleIterator* it = try_new_object<TupleIterator>(&tuple_iterator_type);
  if (!it) return raise_memory_error(ts);
  it->tuple = tuple.as<Tuple>();
  incref(it->tuple);
  return Value::from_obj(it);
}

Type tuple_iterator_type;
MINIVM_TYPE_SETUP(tuple_iterator_type) {
  t.name = "tuple_iterator";
  t.basic_size = sizeof(TupleIterator);
  t.flags = kTypeImmutable;
  t.dealloc = tuple_iterator_dealloc;
  t.iter = iter_return_self;
  t.iternext = tuple_iterator_next;
}

}  // namespace mvm
