// The iterators over a list: list_iterator (iter(list)) and list_reverseiterator
// (reversed(list)). Both re-check the index against the list's current size on every step.
#include "runtime/builtin_support.h"
#include "runtime/list.h"
#include "runtime/type.h"

namespace mvm {

namespace {

Value list_iterator_make(ThreadState& ts, Type* type, List* list, size_t index) {
  ListIterator* it = try_new_object<ListIterator>(type);
  if (!it) return raise_memory_error(ts);
  incref(list);
  it->list = list;
  it->index = index;
  return Value::from_obj(it);
}

// Drops the list once the iterator is exhausted, so it stays exhausted even if the list
// grows again (as CPython's list iterators do).
Value exhausted(ListIterator* it) {
  List* list = it->list;
  it->list = nullptr;
  if (list) decref(list);
  return Value();
}

Value list_iterator_next(ThreadState&, Value self) {
  ListIterator* it = self.as<ListIterator>();
  List* list = it->list;
  if (!list || it->index >= list->size) return exhausted(it);
  return newref(list->items[it->index++]);
}

// A reverse iterator's index is one past the next position, so 0 means done.
Value list_reverseiterator_next(ThreadState&, Value self) {
  ListIterator* it = self.as<ListIterator>();
  List* list = it->list;
  if (!list || it->index == 0 || it->index > list->size) return exhausted(it);
  return newref(list->items[--it->index]);
}

void list_iterator_dealloc(Object* self) {
  ListIterator* it = static_cast<ListIterator*>(self);
  if (it->list) decref(it->list);
  free_object(self);
}

void setup_iterator_type(Type& t, const char* name, Value (*next)(ThreadState&, Value)) {
  t.name = name;
  t.basic_size = sizeof(ListIterator);
  t.flags = kTypeImmutable;
  t.dealloc = list_iterator_dealloc;
  t.iter = iter_return_self;
  t.iternext = next;
}

}  // namespace

Value list_iter(ThreadState& ts, Value list) {
  return list_iterator_make(ts, &list_iterator_type, list.as<List>(), 0);
}

Value list_reversed(ThreadState& ts, Value list) {
  List* l = list.as<List>();
  return list_iterator_make(ts, &list_reverseiterator_type, l, l->size);
}

Type list_iterator_type;
MINIVM_TYPE_SETUP(list_iterator_type) { setup_iterator_type(t, "list_iterator", list_iterator_next); }

Type list_reverseiterator_type;
MINIVM_TYPE_SETUP(list_reverseiterator_type) {
  setup_iterator_type(t, "list_reverseiterator", list_reverseiterator_next);
}

}  // namespace mvm
