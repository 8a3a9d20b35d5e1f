// The iterators over a dict's keys, values and items, forwards (iter(d), iter(d.items()))
// and reversed (reversed(d)): one layout, six types, one templated step function.
#include "runtime/builtin_support.h"
#include "runtime/dict.h"
#include "runtime/critical_section.h"
#include "runtime/errors.h"
#include "runtime/tuple.h"
#include "runtime/type.h"

namespace mvm {

namespace {

enum class Produce { Keys, Values, Items };

// Drops the dict once the iterator is exhausted. The caller keeps a reference of its own
// while it holds the dict's lock, so this never frees a dict that is locked.
Value release_dict(DictIterator* it) {
  Dict* d = it->dict;
  it->dict = nullptr;
  decref(d);
  return Value();
}

template <Produce kProduce, bool kReverse>
Value dict_iterator_next(ThreadState& ts, Value self) {
  DictIterator* it = self.as<DictIterator>();
  // An iterator shared by threads is locked too: they may see any of its items, once each.
  CriticalSection iterator_section(ts, it);
  Dict* d = it->dict;
  if (!d) return Value();
  Ref keep_dict(newref(Value::from_obj(d)));   // ends after dict_section: see release_dict
  CriticalSection dict_section(ts, d);
  // Taking the dict's lock may block (contention, or revoking its bias), and a blocked
  // thread lets go of the iterator's lock: another thread may have exhausted the iterator
  // meanwhile. The iterator's other fields are read only from here on.
  if (it->dict != d) return Value();
  if (it->expected_used != d->used) {
    it->expected_used = SIZE_MAX;   // every later step fails too, as in CPython
    return raise(ts, &RuntimeError_type, "dictionary changed size during iteration");
  }
  // Positions are re-checked against nentries: entries may have been compacted if keys
  // were both removed and added.
  size_t ix;
  if constexpr (kReverse) {
    if (it->pos > d->nentries) it->pos = d->nentries;
    while (it->pos > 0 && !d->entries[it->pos - 1].key) it->pos--;
    if (it->pos == 0) return release_dict(it);
    ix = --it->pos;
  } else {
    while (it->pos < d->nentries && !d->entries[it->pos].key) it->pos++;
    if (it->pos >= d->nentries) return release_dict(it);
    ix = it->pos++;
  }
  if (it->remaining == 0) {
    // Same size, but more entries than there were: keys were swapped under the iterator.
    release_dict(it);
    return raise(ts, &RuntimeError_type, "dictionary keys changed during iteration");
  }
  it->remaining--;
  const DictEntry& e = d->entries[ix];
  switch (kProduce) {
    case Produce::Keys: return newref(e.key);
    case Produce::Values: return newref(e.value);
    case Produce::Items: {
      Tuple* pair = tuple_pack(ts, {e.key, e.value});
      return pair ? Value::from_obj(pair) : Value();
    }
  }
  return Value();
}

void dict_iterator_dealloc(Object* self) {
  DictIterator* it = static_cast<DictIterator*>(self);
  if (it->dict) decref(it->dict);
  free_object(self);
}

template <Produce kProduce, bool kReverse>
void setup_iterator_type(Type& t, const char* name) {
  t.name = name;
  t.basic_size = sizeof(DictIterator);
  t.flags = kTypeImmutable;
  t.dealloc = dict_iterator_dealloc;
  t.iter = iter_return_self;
  t.iternext = dict_iterator_next<kProduce, kReverse>;
}

bool is_reverse_type(const Type* type) {
  return type == &dict_reversekeyiterator_type || type == &dict_reversevalueiterator_type ||
         type == &dict_reverseitemiterator_type;
}

}  // namespace

Value dict_iter_new(ThreadState& ts, Dict* d, Type* iterator_type) {
  DictIterator* it = try_new_object<DictIterator>(iterator_type);
  if (!it) return raise_memory_error(ts);
  incref(d);
  it->dict = d;
  it->pos = is_reverse_type(iterator_type) ? d->nentries : 0;
  it->expected_used = dict_size(d);
  it->remaining = it->expected_used;
  return Value::from_obj(it);
}

Type dict_keyiterator_type;
MINIVM_TYPE_SETUP(dict_keyiterator_type) {
  setup_iterator_type<Produce::Keys, false>(t, "dict_keyiterator");
}
Type dict_valueiterator_type;
MINIVM_TYPE_SETUP(dict_valueiterator_type) {
  setup_iterator_type<Produce::Values, false>(t, "dict_valueiterator");
}
Type dict_itemiterator_type;
MINIVM_TYPE_SETUP(dict_itemiterator_type) {
  setup_iterator_type<Produce::Items, false>(t, "dict_itemiterator");
}
Type dict_reversekeyiterator_type;
MINIVM_TYPE_SETUP(dict_reversekeyiterator_type) {
  setup_iterator_type<Produce::Keys, true>(t, "dict_reversekeyiterator");
}
Type dict_reversevalueiterator_type;
MINIVM_TYPE_SETUP(dict_reversevalueiterator_type) {
  setup_iterator_type<Produce::Values, true>(t, "dict_reversevalueiterator");
}
Type dict_reverseitemiterator_type;
MINIVM_TYPE_SETUP(dict_reverseitemiterator_type) {
  setup_iterator_type<Produce::Items, true>(t, "dict_reverseitemiterator");
}

}  // namespace mvm
