// tuple_iterator: the iterator that iter(tuple) returns.
#include "runtime/builtin_support.h"
#include "runtime/tuple.h"
#include "runtime/type.h"

namespace mvm {

namespace {

Value tuple_iterator_next(ThreadState&, Value self) {
  TupleIterator* it = self.as<TupleIterator>();
  Tuple* t = it->tuple;
  if (!t) return Value();
  if (it->index < t->size) return newref(t->items[it->index++]);
  it->tuple = nullptr;   // release the tuple as soon as the iteration ends
  decref(t);
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
