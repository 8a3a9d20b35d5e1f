// The iterators over a list: list_iterator (iter(list)) and list_reverseiterator
// (reversed(list)). Both re-check the index against the list's current size on every step.
#include "runtime/builtin_support.h"
#include "runtime/list.h"

#include <atomic>

#include "runtime/qsbr.h"
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
// grows again (as CPython's list iterators do). Threads may share an iterator: they may
// skip or repeat items, but only one of them drops the list, and only after a grace period
// (another may still be reading it).
Value exhausted(ListIterator* it) {
  release_iterated(it->list);
  return Value();
}

List* iterated_list(ListIterator* it) { return load_iterated(it->list); }
size_t load_index(ListIterator* it) { return std::atomic_ref<size_t>(it->index).load(std::memory_order_relaxed); }
void store_index(ListIterator* it, size_t i) { std::atomic_ref<size_t>(it->index).store(i, std::memory_order_relaxed); }

Value list_iterator_next(ThreadState&, Value self) {
  ListIterator* it = self.as<ListIterator>();
  List* list = iterated_list(it);
  if (!list) return Value();
  size_t index = load_index(it);
  Value item = list_item_ref(list, index);
  if (!item) return exhausted(it);
  store_index(it, index + 1);
  return item;
}

// A reverse iterator's index is one past the next position, so 0 means done.
Value list_reverseiterator_next(ThreadState&, Value self) {
  ListIterator* it = self.as<ListIterator>();
  List* list = iterated_list(it);
  if (!list) return Value();
  size_t index = load_index(it);
  Value item = index == 0 || index > list_size(list) ? Value() : list_item_ref(list, index - 1);
  if (!item) return exhausted(it);
  store_index(it, index - 1);
  return item;
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
