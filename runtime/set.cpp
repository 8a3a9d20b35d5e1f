// set and frozenset: open-addressing hash tables of keys. The probing, resizing and merging
// follow CPython's setobject.c step for step, so a set of ints iterates (and prints) in
// the same order as in CPython. Table changes go through the small primitives in the first
// section, whose callers hold the set's lock in free-threaded mode (runtime/set_lock.h): every
// public operation takes the locks of the sets it reads or writes. The iterator is in
// set_iter.cpp.
#include "runtime/set.h"

#include <cstring>
#include <string>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/builtin_support.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/sequence.h"
#include "runtime/set_lock.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {

constexpr size_t kMinSize = 8;
constexpr size_t kLinearProbes = 9;   // consecutive slots tried before jumping elsewhere
constexpr int kPerturbShift = 5;

// Marks a deleted slot (with hash -1, which no real hash is). Never visible to scripts.
Object dummy_object;
[[maybe_unused]] const bool dummy_ready = [] {
  dummy_object.ob_ref_local = kImmortalRefcount;
  dummy_object.ob_flags = kFlagStatic;
  return true;
}();
Value dummy() { return Value::from_obj(&dummy_object); }

bool is_active(const SetEntry& e) { return e.key && e.key != dummy(); }

int64_t hash_key(ThreadState& ts, Value key) {
  if (key.is_small_int()) return small_int_hash(key.as_small_int());
  if (is_exact_str(key)) return str_hash(key.as<Str>());
  return object_hash(ts, key);
}

// A zeroed table of n entries. Small fixed sizes abort on out-of-memory, like new_object.
SetEntry* alloc_table(ThreadState* ts, size_t n) {
  if (n > SIZE_MAX / 2 / sizeof(SetEntry)) {
    if (ts) raise_memory_error(*ts);
    return nullptr;
  }
  void* p = object_malloc(n * sizeof(SetEntry));
  if (!p) {
    if (!ts) fatal_out_of_memory();
    raise_memory_error(*ts);
    return nullptr;
  }
  std::memset(p, 0, n * sizeof(SetEntry));
  return static_cast<SetEntry*>(p);
}

// The two fields read without the lock (see Set) are stored atomically.
void store_used(Set* so, size_t used) {
  std::atomic_ref<size_t>(so->used).store(used, std::memory_order_relaxed);
}
int64_t cached_hash(const Set* so) {
  return std::atomic_ref<int64_t>(const_cast<int64_t&>(so->hash)).load(std::memory_order_relaxed);
}
void store_hash(Set* so, int64_t hash) {
  std::atomic_ref<int64_t>(so->hash).store(hash, std::memory_order_relaxed);
}

void reset_to_min_table(Set* so) {
  so->table = alloc_table(nullptr, kMinSize);
  so->mask = kMinSize - 1;
  so->fill = 0;
  store_used(so, 0);
  store_hash(so, -1);
}

// --- Probing (CPython's set_lookkey, set_add_entry, set_insert_clean) ---
//
// The caller holds the set's lock. A comparison runs Python code, during which the lock may
// have been let go (runtime/critical_section.h) and the table changed, by this thread or
// another: after one, the probe starts over if the entry it compared is no longer the same.

// The entry holding key, or the empty entry where the search ended (key null); null with
// an exception set if a comparison failed.
SetEntry* lookup(ThreadState& ts, Set* so, Value key, int64_t hash) {
restart:
  size_t mask = so->mask;
  size_t i = size_t(hash) & mask;
  uint64_t perturb = uint64_t(hash);
  for (;;) {
    SetEntry* entry = &so->table[i];
    size_t probes = (i + kLinearProbes <= mask) ? kLinearProbes : 0;
    do {
      if (entry->hash == 0 && !entry->key) return entry;
      if (entry->hash == hash) {
        Value startkey = entry->key;   // never the dummy, whose hash is -1
        if (startkey == key) return entry;
        if (is_exact_str(startkey) && is_exact_str(key)) {
          if (str_equal(startkey.as<Str>(), key.as<Str>())) return entry;
        } else if (!(startkey.is_small_int() && key.is_small_int())) {
          SetEntry* table = so->table;
          Ref held(newref(startkey));
          int cmp = object_equal(ts, startkey, key);
          if (cmp < 0) return nullptr;
          if (table != so->table || entry->key != startkey) goto restart;   // mutated
          if (cmp > 0) return entry;
          mask = so->mask;
        }
      }
      entry++;
    } while (probes--);
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

int table_resize(ThreadState& ts, Set* so, size_t minused);

// Adds key (borrowed) with its hash; 0 or -1.
int add_entry(ThreadState& ts, Set* so, Value key, int64_t hash) {
  Ref held(newref(key));   // a comparison must not be able to free the key mid-insert
restart:
  size_t mask = so->mask;
  size_t i = size_t(hash) & mask;
  uint64_t perturb = uint64_t(hash);
  SetEntry* freeslot = nullptr;
  SetEntry* entry;
  for (;;) {
    entry = &so->table[i];
    size_t probes = (i + kLinearProbes <= mask) ? kLinearProbes : 0;
    do {
      if (entry->hash == 0 && !entry->key) goto found_unused_or_dummy;
      if (entry->hash == hash) {
        Value startkey = entry->key;
        if (startkey == key) return 0;
        if (is_exact_str(startkey) && is_exact_str(key)) {
          if (str_equal(startkey.as<Str>(), key.as<Str>())) return 0;
        } else if (!(startkey.is_small_int() && key.is_small_int())) {
          SetEntry* table = so->table;
          Ref start_held(newref(startkey));
          int cmp = object_equal(ts, startkey, key);
          if (cmp > 0) return 0;
          if (cmp < 0) return -1;
          if (table != so->table || entry->key != startkey) goto restart;
          mask = so->mask;
        }
      } else if (entry->hash == -1) {
        freeslot = entry;   // a deleted slot to reuse if the key turns out to be absent
      }
      entry++;
    } while (probes--);
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }

found_unused_or_dummy:
  if (freeslot) {
    // A comparison since may have put a key into the deleted slot.
    if (freeslot->key != dummy()) goto restart;
    store_used(so, so->used + 1);
    freeslot->key = held.release();
    freeslot->hash = hash;
    return 0;
  }
  so->fill++;
  store_used(so, so->used + 1);
  entry->key = held.release();
  entry->hash = hash;
  if (so->fill * 5 < mask * 3) return 0;
  return table_resize(ts, so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

// Inserts a key known to be absent into a table without deleted slots (no comparisons).
void insert_clean(SetEntry* table, size_t mask, Value key, int64_t hash) {
  size_t i = size_t(hash) & mask;
  uint64_t perturb = uint64_t(hash);
  for (;;) {
    SetEntry* entry = &table[i];
    if (!entry->key) {
      entry->key = key;
      entry->hash = hash;
      return;
    }
    if (i + kLinearProbes <= mask) {
      for (size_t j = 0; j < kLinearProbes; j++) {
        entry++;
        if (!entry->key) {
          entry->key = key;
          entry->hash = hash;
          return;
        }
      }
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

// Moves the keys into a new table of the smallest size > minused (dropping deleted slots).
int table_resize(ThreadState& ts, Set* so, size_t minused) {
  size_t newsize = kMinSize;
  while (newsize <= minused) newsize <<= 1;
  SetEntry* newtable = alloc_table(&ts, newsize);
  if (!newtable) return -1;
  SetEntry* oldtable = so->table;
  size_t oldmask = so->mask;
  for (size_t i = 0; i <= oldmask; i++)
    if (is_active(oldtable[i])) insert_clean(newtable, newsize - 1, oldtable[i].key, oldtable[i].hash);
  so->table = newtable;
  so->mask = newsize - 1;
  so->fill = so->used;
  object_free(oldtable);
  return 0;
}

constexpr int kDiscardNotFound = 0, kDiscardFound = 1;

int discard_entry(ThreadState& ts, Set* so, Value key, int64_t hash) {
  SetEntry* entry = lookup(ts, so, key, hash);
  if (!entry) return -1;
  if (!entry->key) return kDiscardNotFound;
  Value old = entry->key;
  entry->key = dummy();
  entry->hash = -1;
  store_used(so, so->used - 1);
  decref(old);
  return kDiscardFound;
}

int contains_entry(ThreadState& ts, Set* so, Value key, int64_t hash) {
  SetEntry* entry = lookup(ts, so, key, hash);
  if (!entry) return -1;
  return entry->key ? 1 : 0;
}

int add_key(ThreadState& ts, Set* so, Value key) {
  int64_t hash = hash_key(ts, key);
  return hash == -1 ? -1 : add_entry(ts, so, key, hash);
}

int contains_key(ThreadState& ts, Set* so, Value key) {
  int64_t hash = hash_key(ts, key);
  return hash == -1 ? -1 : contains_entry(ts, so, key, hash);
}

int discard_key(ThreadState& ts, Set* so, Value key) {
  int64_t hash = hash_key(ts, key);
  return hash == -1 ? -1 : discard_entry(ts, so, key, hash);
}

// Active entries by table position (CPython's set_next).
bool next_entry(Set* so, size_t* pos, SetEntry** entry) {
  while (*pos <= so->mask) {
    SetEntry* e = &so->table[(*pos)++];
    if (is_active(*e)) {
      *entry = e;
      return true;
    }
  }
  return false;
}

// Adds every key of another set, as CPython's set_merge (including its shortcuts, which
// decide the resulting table layout and so the iteration order).
int merge(ThreadState& ts, Set* so, Set* other) {
  if (other == so || other->used == 0) return 0;
  if ((so->fill + other->used) * 5 >= so->mask * 3)
    if (table_resize(ts, so, (so->used + other->used) * 2) < 0) return -1;
  if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
    // Same size, no deleted slots: copy the table slot for slot.
    for (size_t i = 0; i <= other->mask; i++) {
      if (other->table[i].key) {
        so->table[i].key = newref(other->table[i].key);
        so->table[i].hash = other->table[i].hash;
      }
    }
    so->fill = other->fill;
    store_used(so, other->used);
    return 0;
  }
  if (so->fill == 0) {
    so->fill = other->used;
    store_used(so, other->used);
    for (size_t i = 0; i <= other->mask; i++)
      if (is_active(other->table[i]))
        insert_clean(so->table, so->mask, newref(other->table[i].key), other->table[i].hash);
    return 0;
  }
  for (size_t i = 0; i <= other->mask; i++) {
    SetEntry e = other->table[i];
    if (is_active(e) && add_entry(ts, so, e.key, e.hash) < 0) return -1;
  }
  return 0;
}

// Adds the keys of other. A set or dict is read under its own lock, taken with so's; the
// items of any other iterable are added one at a time, each under so's lock, because the
// iteration runs arbitrary code.
int update_internal(ThreadState& ts, Set* so, Value other) {
  if (is_anyset_instance(other)) {
    SetLock lock(ts, so, other.obj());
    return merge(ts, so, other.as<Set>());
  }
  if (type_of(other) == &dict_type) {
    Dict* d = other.as<Dict>();
    SetLock lock(ts, so, d);
    if ((so->fill + d->used) * 5 >= so->mask * 3)
      if (table_resize(ts, so, (so->used + d->used) * 2) < 0) return -1;
    size_t pos = 0;
    Value key;
    int64_t hash;
    while (dict_next_with_hash(d, &pos, &key, nullptr, &hash))
      if (add_entry(ts, so, key, hash) < 0) return -1;
    return 0;
  }
  Ref it(object_iter(ts, other));
  if (!it) return -1;
  while (Value item = iter_next(ts, it.get())) {
    Ref key(item);
    SetLock lock(ts, so);
    if (add_key(ts, so, key.get()) < 0) return -1;
  }
  return error_occurred(ts) ? -1 : 0;
}

// Empties the set (whose lock the caller holds); keys are released after it is consistent
// (their __del__ may look).
void clear_internal(Set* so) {
  SetEntry* table = so->table;
  size_t mask = so->mask;
  reset_to_min_table(so);
  for (size_t i = 0; i <= mask; i++)
    if (is_active(table[i])) decref(table[i].key);
  object_free(table);
}

bool is_set_type(const Type* t) { return t == &set_type || type_is_subtype(t, &set_type); }

Set* make_new_set(ThreadState& ts, Type* type, Value iterable) {
  Set* so = type == &set_type || type == &frozenset_type ? try_new_object<Set>(type)
                                                         : alloc_instance<Set>(ts, type);
  if (!so) {
    if (type == &set_type || type == &frozenset_type) raise_memory_error(ts);
    return nullptr;
  }
  reset_to_min_table(so);
  if (iterable && update_internal(ts, so, iterable) < 0) {
    decref(so);
    return nullptr;
  }
  return so;
}

// Results of operations on a subclass instance are plain sets or frozensets.
Set* make_new_set_basetype(ThreadState& ts, Type* type, Value iterable) {
  return make_new_set(ts, is_set_type(type) ? &set_type : &frozenset_type, iterable);
}

Value as_value(Set* s) { return s ? Value::from_obj(s) : Value(); }

Set* set_copy(ThreadState& ts, Set* so) { return make_new_set_basetype(ts, so->ob_type, Value::from_obj(so)); }

// Exchanges the contents of two sets (for the *_update operations built from a result);
// the caller holds the locks of those that are not private to it.
void swap_bodies(Set* a, Set* b) {
  std::swap(a->fill, b->fill);
  size_t a_used = a->used;
  store_used(a, b->used);
  store_used(b, a_used);
  std::swap(a->mask, b->mask);
  std::swap(a->table, b->table);
  if (!is_set_type(a->ob_type) && !is_set_type(b->ob_type)) {
    int64_t a_hash = a->hash;
    store_hash(a, b->hash);
    store_hash(b, a_hash);
  } else {
    store_hash(a, -1);
    store_hash(b, -1);
  }
}

// --- The set algebra (CPython's algorithms, whose choices fix the result's layout) ---
//
// A set or dict operand is read under its lock, taken together with the other set's; the
// items of any other iterable are handled one at a time, each under the set's lock. A new
// result is private until returned and needs no lock.

Set* set_intersection(ThreadState& ts, Set* so, Value other) {
  if (Value::from_obj(so) == other) return set_copy(ts, so);
  Set* result = make_new_set_basetype(ts, so->ob_type, Value());
  if (!result) return nullptr;
  Ref owned(Value::from_obj(result));
  if (is_anyset_instance(other)) {
    SetLock lock(ts, so, other.obj());
    Set* small = other.as<Set>();
    Set* large = so;
    if (small->used > large->used) std::swap(small, large);
    size_t pos = 0;
    SetEntry* entry;
    while (next_entry(small, &pos, &entry)) {
      Ref key(newref(entry->key));
      int64_t hash = entry->hash;
      int rv = contains_entry(ts, large, key.get(), hash);
      if (rv < 0) return nullptr;
      if (rv && add_entry(ts, result, key.get(), hash) < 0) return nullptr;
    }
    return static_cast<Set*>(owned.release().obj());
  }
  Ref it(object_iter(ts, other));
  if (!it) return nullptr;
  while (Value item = iter_next(ts, it.get())) {
    Ref key(item);
    SetLock lock(ts, so);
    int64_t hash = hash_key(ts, key.get());
    if (hash == -1) return nullptr;
    int rv = contains_entry(ts, so, key.get(), hash);
    if (rv < 0) return nullptr;
    if (rv) {
      if (add_entry(ts, result, key.get(), hash) < 0) return nullptr;
      if (result->used >= so->used) break;
    }
  }
  if (error_occurred(ts)) return nullptr;
  return static_cast<Set*>(owned.release().obj());
}

int difference_update_internal(ThreadState& ts, Set* so, Value other) {
  if (Value::from_obj(so) == other) {
    SetLock lock(ts, so);
    clear_internal(so);
    return 0;
  }
  if (is_anyset_instance(other)) {
    Ref source(newref(other));
    // When other is much larger, iterating the (small) intersection is cheaper. The sizes
    // only choose the method, so they need no lock.
    if ((set_size(other.as<Set>()) >> 3) > set_size(so)) {
      Set* common = set_intersection(ts, so, other);
      if (!common) return -1;
      source.reset(Value::from_obj(common));
    }
    SetLock lock(ts, so, source.get().obj());
    size_t pos = 0;
    SetEntry* entry;
    while (next_entry(source.as<Set>(), &pos, &entry)) {
      Ref key(newref(entry->key));
      if (discard_entry(ts, so, key.get(), entry->hash) < 0) return -1;
    }
  } else {
    Ref it(object_iter(ts, other));
    if (!it) return -1;
    while (Value item = iter_next(ts, it.get())) {
      Ref key(item);
      SetLock lock(ts, so);
      if (discard_key(ts, so, key.get()) < 0) return -1;
    }
    if (error_occurred(ts)) return -1;
  }
  // If more than a quarter of the slots are deleted ones, rebuild the table.
  SetLock lock(ts, so);
  if (so->fill - so->used <= so->mask / 4) return 0;
  return table_resize(ts, so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

Set* set_copy_and_difference(ThreadState& ts, Set* so, Value other) {
  Set* result = set_copy(ts, so);
  if (!result) return nullptr;
  if (difference_update_internal(ts, result, other) < 0) {
    decref(result);
    return nullptr;
  }
  return result;
}

Set* set_difference(ThreadState& ts, Set* so, Value other) {
  size_t other_size;
  bool other_is_dict = type_of(other) == &dict_type;
  if (is_anyset_instance(other))
    other_size = set_size(other.as<Set>());
  else if (other_is_dict)
    other_size = dict_size(other.as<Dict>());
  else
    return set_copy_and_difference(ts, so, other);
  // If so is much larger than other, copying it and removing other's keys is cheaper. (The
  // sizes only choose the method, so they are read without the locks.)
  if ((set_size(so) >> 2) > other_size) return set_copy_and_difference(ts, so, other);
  Set* result = make_new_set_basetype(ts, so->ob_type, Value());
  if (!result) return nullptr;
  Ref owned(Value::from_obj(result));
  SetLock lock(ts, so, other.obj());
  size_t pos = 0;
  SetEntry* entry;
  while (next_entry(so, &pos, &entry)) {
    Ref key(newref(entry->key));
    int64_t hash = entry->hash;
    int rv;
    if (other_is_dict) {
      rv = dict_get_known_hash(ts, other.as<Dict>(), key.get(), hash) ? 1 : 0;
      if (!rv && error_occurred(ts)) return nullptr;
    } else {
      rv = contains_entry(ts, other.as<Set>(), key.get(), hash);
      if (rv < 0) return nullptr;
    }
    if (!rv && add_entry(ts, result, key.get(), hash) < 0) return nullptr;
  }
  return static_cast<Set*>(owned.release().obj());
}

int symmetric_difference_update(ThreadState& ts, Set* so, Value other) {
  if (Value::from_obj(so) == other) {
    SetLock lock(ts, so);
    clear_internal(so);
    return 0;
  }
  // Every key of other is toggled: removed if present, added if not.
  auto toggle = [&](Value key, int64_t hash) {
    Ref held(newref(key));
    int rv = discard_entry(ts, so, key, hash);
    if (rv < 0) return false;
    return rv == kDiscardFound || add_entry(ts, so, key, hash) == 0;
  };
  if (type_of(other) == &dict_type) {
    Dict* d = other.as<Dict>();
    SetLock lock(ts, so, d);
    size_t pos = 0;
    Value key;
    int64_t hash;
    while (dict_next_with_hash(d, &pos, &key, nullptr, &hash))
      if (!toggle(key, hash)) return -1;
    return 0;
  }
  Ref otherset;
  if (is_anyset_instance(other)) {
    otherset.reset(newref(other));
  } else {
    otherset.reset(as_value(make_new_set_basetype(ts, so->ob_type, other)));
    if (!otherset) return -1;
  }
  SetLock lock(ts, so, otherset.get().obj());
  size_t pos = 0;
  SetEntry* entry;
  while (next_entry(otherset.as<Set>(), &pos, &entry))
    if (!toggle(entry->key, entry->hash)) return -1;
  return 0;
}

Set* set_symmetric_difference(ThreadState& ts, Set* so, Value other) {
  Set* result = make_new_set_basetype(ts, so->ob_type, other);
  if (!result) return nullptr;
  if (symmetric_difference_update(ts, result, Value::from_obj(so)) < 0) {
    decref(result);
    return nullptr;
  }
  return result;
}

// 1 if every key of so is in other, 0 if not, -1 on error.
int issubset(ThreadState& ts, Set* so, Value other) {
  if (!is_anyset_instance(other)) {
    Set* common = set_intersection(ts, so, other);
    if (!common) return -1;
    int result = common->used == set_size(so);
    decref(common);
    return result;
  }
  Set* o = other.as<Set>();
  SetLock lock(ts, so, o);
  if (so->used > o->used) return 0;
  size_t pos = 0;
  SetEntry* entry;
  while (next_entry(so, &pos, &entry)) {
    Ref key(newref(entry->key));
    int rv = contains_entry(ts, o, key.get(), entry->hash);
    if (rv <= 0) return rv;
  }
  return 1;
}

int issuperset(ThreadState& ts, Set* so, Value other) {
  if (is_anyset_instance(other)) return issubset(ts, other.as<Set>(), Value::from_obj(so));
  Ref it(object_iter(ts, other));
  if (!it) return -1;
  while (Value item = iter_next(ts, it.get())) {
    Ref key(item);
    SetLock lock(ts, so);
    int rv = contains_key(ts, so, key.get());
    if (rv <= 0) return rv;
  }
  return error_occurred(ts) ? -1 : 1;
}

int isdisjoint(ThreadState& ts, Set* so, Value other) {
  if (Value::from_obj(so) == other) return set_size(so) == 0;
  if (is_anyset(other)) {
    SetLock lock(ts, so, other.obj());
    Set* small = other.as<Set>();
    Set* large = so;
    if (small->used > large->used) std::swap(small, large);
    size_t pos = 0;
    SetEntry* entry;
    while (next_entry(small, &pos, &entry)) {
      Ref key(newref(entry->key));
      int rv = contains_entry(ts, large, key.get(), entry->hash);
      if (rv != 0) return rv < 0 ? -1 : 0;
    }
    return 1;
  }
  Ref it(object_iter(ts, other));
  if (!it) return -1;
  while (Value item = iter_next(ts, it.get())) {
    Ref key(item);
    SetLock lock(ts, so);
    int rv = contains_key(ts, so, key.get());
    if (rv != 0) return rv < 0 ? -1 : 0;
  }
  return error_occurred(ts) ? -1 : 1;
}

// `key in s`, where an unhashable set key is looked up as the equal frozenset. op takes the
// set's lock itself: not held while the frozenset is built from the key (another set).
template <class Operation>
int with_frozen_retry(ThreadState& ts, Set* so, Value key, Operation op) {
  int rv = op(so, key);
  if (rv >= 0 || !is_instance_of(key, &set_type) || !error_matches(ts, &TypeError_type)) return rv;
  clear_error(ts);
  Set* frozen = make_new_set(ts, &frozenset_type, key);
  if (!frozen) return -1;
  rv = op(so, Value::from_obj(frozen));
  decref(frozen);
  return rv;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Public operations

bool is_anyset_instance(Value v) {
  return is_anyset(v) || (v.is_obj() && (is_instance_of(v, &set_type) || is_instance_of(v, &frozenset_type)));
}

Set* set_new(ThreadState& ts, Type* type) { return make_new_set(ts, type, Value()); }

Value set_from_iterable(ThreadState& ts, Value iterable, Type* type) {
  return as_value(make_new_set(ts, type, iterable));
}

int set_add(ThreadState& ts, Set* s, Value key) {
  SetLock lock(ts, s);
  return add_key(ts, s, key);
}

int set_contains(ThreadState& ts, Set* s, Value key) {
  return with_frozen_retry(ts, s, key, [&ts](Set* so, Value k) {
    SetLock lock(ts, so);
    return contains_key(ts, so, k);
  });
}

int set_discard(ThreadState& ts, Set* s, Value key) {
  return with_frozen_retry(ts, s, key, [&ts](Set* so, Value k) {
    SetLock lock(ts, so);
    return discard_key(ts, so, k);
  });
}

int set_update(ThreadState& ts, Set* s, Value iterable) { return update_internal(ts, s, iterable); }

bool set_next(Set* s, size_t* pos, Value* key) {
  SetEntry* entry;
  if (!next_entry(s, pos, &entry)) return false;
  *key = entry->key;
  return true;
}

int set_difference_update(ThreadState& ts, Set* s, Value other) {
  return difference_update_internal(ts, s, other);
}

// Gives s the contents of result (a new set of the keys s should hold), whose reference it
// takes; s's old keys are released with result, after the lock.
static void replace_contents(ThreadState& ts, Set* s, Set* result) {
  {
    SetLock lock(ts, s);
    swap_bodies(s, result);
  }
  decref(result);
}

int set_intersection_update(ThreadState& ts, Set* s, Value other) {
  Set* result = set_intersection(ts, s, other);
  if (!result) return -1;
  replace_contents(ts, s, result);
  return 0;
}

int set_symmetric_difference_update(ThreadState& ts, Set* s, Value other) {
  return symmetric_difference_update(ts, s, other);
}

Value set_pop(ThreadState& ts, Set* so) {
  SetLock lock(ts, so);
  if (so->used == 0) {
    Ref message(str_value("pop from an empty set"));
    return raise_key_error(ts, message.get());
  }
  // Resume the scan where the last pop stopped, so repeated pops stay O(1) on average.
  size_t i = so->finger & so->mask;
  while (!is_active(so->table[i])) i = (i + 1) & so->mask;
  Value key = so->table[i].key;
  so->table[i].key = dummy();
  so->table[i].hash = -1;
  store_used(so, so->used - 1);
  so->finger = i + 1;
  return key;
}

void set_clear(ThreadState& ts, Set* s) {
  SetLock lock(ts, s);
  clear_internal(s);
}

// ---------------------------------------------------------------------------------------
// Slots

static void set_dealloc(Object* self) {
  Set* so = static_cast<Set*>(self);
  for (size_t i = 0; so->table && i <= so->mask; i++)
    if (is_active(so->table[i])) decref(so->table[i].key);
  object_free(so->table);
  free_object(self);
}

static Value set_repr(ThreadState& ts, Value self) {
  Set* so = self.as<Set>();
  const char* name = so->ob_type->name;
  bool plain = so->ob_type == &set_type;
  if (repr_enter(ts, so)) return str_value(std::string(name) + "(...)");
  // Snapshot the keys under the lock, and call their reprs without it: a key's repr may
  // change the set.
  std::vector<Ref> keys;
  {
    SetLock lock(ts, so);
    keys.reserve(so->used);
    size_t pos = 0;
    SetEntry* entry;
    while (next_entry(so, &pos, &entry)) keys.emplace_back(newref(entry->key));
  }
  std::string out;
  if (keys.empty()) {
    out = std::string(name) + "()";
  } else {
    out = plain ? "{" : std::string(name) + "({";
    for (size_t i = 0; i < keys.size(); i++) {
      if (i > 0) out += ", ";
      if (!append_repr(ts, out, keys[i].get())) {
        repr_leave(ts, so);
        return Value();
      }
    }
    out += plain ? "}" : "})";
  }
  repr_leave(ts, so);
  Str* s = str_new_checked(ts, out);
  return s ? Value::from_obj(s) : Value();
}

// CPython's frozenset hash: an order-independent mix of the keys' hashes. A frozenset is
// read without a lock; threads that compute the hash at once store the same value.
static int64_t frozenset_hash(ThreadState&, Value self) {
  Set* so = self.as<Set>();
  if (int64_t cached = cached_hash(so); cached != -1) return cached;
  auto shuffle_bits = [](uint64_t h) { return ((h ^ 89869747ULL) ^ (h << 16)) * 3644798167ULL; };
  uint64_t hash = 0;
  for (size_t i = 0; i <= so->mask; i++)
    if (is_active(so->table[i])) hash ^= shuffle_bits(uint64_t(so->table[i].hash));
  hash ^= (uint64_t(so->used) + 1) * 1927868237ULL;
  hash ^= (hash >> 11) ^ (hash >> 25);
  hash = hash * 69069U + 907133923ULL;
  if (hash == uint64_t(-1)) hash = 590923713ULL;
  store_hash(so, int64_t(hash));
  return int64_t(hash);
}

static Value set_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if (!is_anyset_instance(a) || !is_anyset_instance(b)) return newref(not_implemented());
  Set* v = a.as<Set>();
  Set* w = b.as<Set>();
  // The shortcuts read sizes and hashes without the locks, as another thread could change
  // a set right after a locked read anyway; issubset takes the locks.
  size_t v_size = set_size(v), w_size = set_size(w);
  int64_t v_hash = cached_hash(v), w_hash = cached_hash(w);
  int r = 0;
  switch (op) {
    case CompareOp::Eq:
    case CompareOp::Ne:
      if (v_size != w_size)
        r = 0;
      else if (v_hash != -1 && w_hash != -1 && v_hash != w_hash)
        r = 0;
      else
        r = issubset(ts, v, b);
      if (r < 0) return Value();
      return bool_value((op == CompareOp::Eq) == (r == 1));
    case CompareOp::Le: r = issubset(ts, v, b); break;
    case CompareOp::Ge: r = issuperset(ts, v, b); break;
    case CompareOp::Lt: r = v_size >= w_size ? 0 : issubset(ts, v, b); break;
    case CompareOp::Gt: r = v_size <= w_size ? 0 : issuperset(ts, v, b); break;
  }
  if (r < 0) return Value();
  return bool_value(r);
}

static Value set_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  if (!is_anyset_instance(a) || !is_anyset_instance(b)) return newref(not_implemented());
  Set* so = a.as<Set>();
  if (is_inplace(op) && is_set_type(so->ob_type)) {
    int rc;
    switch (base_op(op)) {
      case BinaryOp::Sub: rc = difference_update_internal(ts, so, b); break;
      case BinaryOp::And: rc = set_intersection_update(ts, so, b); break;
      case BinaryOp::Or: rc = update_internal(ts, so, b); break;
      case BinaryOp::Xor: rc = symmetric_difference_update(ts, so, b); break;
      default: return newref(not_implemented());
    }
    return rc < 0 ? Value() : newref(a);
  }
  switch (base_op(op)) {
    case BinaryOp::Sub: return as_value(set_difference(ts, so, b));
    case BinaryOp::And: return as_value(set_intersection(ts, so, b));
    case BinaryOp::Xor: return as_value(set_symmetric_difference(ts, so, b));
    case BinaryOp::Or: {
      Set* result = set_copy(ts, so);
      if (!result || a == b) return as_value(result);
      if (update_internal(ts, result, b) < 0) {
        decref(result);
        return Value();
      }
      return Value::from_obj(result);
    }
    default: return newref(not_implemented());
  }
}

static int set_truth(ThreadState&, Value self) { return set_size(self.as<Set>()) != 0; }
static int64_t set_length(ThreadState&, Value self) { return int64_t(set_size(self.as<Set>())); }
static int set_contains_slot(ThreadState& ts, Value self, Value key) { return set_contains(ts, self.as<Set>(), key); }

static Value set_new_slot(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  return as_value(make_new_set(ts, type, Value()));   // set.__init__ fills it
}

static int set_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size > 0 && type_of(self) == &set_type) {
    raise(ts, &TypeError_type, "set() takes no keyword arguments");
    return -1;
  }
  if (nargs > 1) {
    raise_fmt(ts, &TypeError_type, "set expected at most 1 argument, got %zu", nargs);
    return -1;
  }
  Set* so = self.as<Set>();
  {
    SetLock lock(ts, so);
    if (so->fill) clear_internal(so);
  }
  return nargs == 1 ? update_internal(ts, so, args[0]) : 0;
}

static Value frozenset_new_slot(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size > 0 && type == &frozenset_type)
    return raise(ts, &TypeError_type, "frozenset() takes no keyword arguments");
  if (nargs > 1) return raise_fmt(ts, &TypeError_type, "frozenset expected at most 1 argument, got %zu", nargs);
  Value iterable = nargs ? args[0] : Value();
  // frozenset(f) is f itself: it is immutable.
  if (type == &frozenset_type && iterable && type_of(iterable) == &frozenset_type) return newref(iterable);
  return as_value(make_new_set(ts, type, iterable));
}

// ---------------------------------------------------------------------------------------
// Methods

static Set* self_set(const Value* args) { return args[0].as<Set>(); }

// The checks of a method taking exactly `expected` positional arguments.
template <const char* kName, size_t kExpected>
bool fixed_args(ThreadState& ts, size_t nargs, Tuple* kwnames) {
  return check_no_kwargs(ts, kName, kwnames) && check_nargs(ts, kName, nargs - 1, kExpected, kExpected);
}
static constexpr char kAdd[] = "set.add";
static constexpr char kRemove[] = "set.remove";
static constexpr char kDiscard[] = "set.discard";
static constexpr char kPop[] = "set.pop";
static constexpr char kClear[] = "set.clear";
static constexpr char kCopy[] = "set.copy";
static constexpr char kIsSubset[] = "set.issubset";
static constexpr char kIsSuperset[] = "set.issuperset";
static constexpr char kIsDisjoint[] = "set.isdisjoint";
static constexpr char kSymDiff[] = "set.symmetric_difference";
static constexpr char kSymDiffUpdate[] = "set.symmetric_difference_update";

static Value none_or_error(int rc) { return rc < 0 ? Value() : none(); }

static Value set_method_add(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!fixed_args<kAdd, 1>(ts, nargs, kwnames)) return Value();
  return none_or_error(set_add(ts, self_set(args), args[1]));
}

static Value set_method_remove(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!fixed_args<kRemove, 1>(ts, nargs, kwnames)) return Value();
  int rv = set_discard(ts, self_set(args), args[1]);
  if (rv < 0) return Value();
  if (rv == kDiscardNotFound) return raise_key_error(ts, args[1]);
  return none();
}

static Value set_method_discard(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!fixed_args<kDiscard, 1>(ts, nargs, kwnames)) return Value();
  return none_or_error(set_discard(ts, self_set(args), args[1]));
}

static Value set_method_pop(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!fixed_args<kPop, 0>(ts, nargs, kwnames)) return Value();
  return set_pop(ts, self_set(args));
}

static Value set_method_clear(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!fixed_args<kClear, 0>(ts, nargs, kwnames)) return Value();
  set_clear(ts, self_set(args));
  return none();
}

static Value set_method_copy(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!fixed_args<kCopy, 0>(ts, nargs, kwnames)) return Value();
  Set* so = self_set(args);
  if (so->ob_type == &frozenset_type) return newref(args[0]);   // immutable: share it
  return as_value(set_copy(ts, so));
}

static Value set_method_union(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "set.union", kwnames)) return Value();
  Set* so = self_set(args);
  Set* result = set_copy(ts, so);
  if (!result) return Value();
  Ref owned(Value::from_obj(result));
  for (size_t i = 1; i < nargs; i++)
    if (args[i] != args[0] && update_internal(ts, result, args[i]) < 0) return Value();
  return owned.release();
}

static Value set_method_update(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "set.update", kwnames)) return Value();
  for (size_t i = 1; i < nargs; i++)
    if (update_internal(ts, self_set(args), args[i]) < 0) return Value();
  return none();
}

// s.intersection(*others): the running result intersected with each other in turn.
static Set* intersection_multi(ThreadState& ts, const Value* args, size_t nargs) {
  Set* so = self_set(args);
  if (nargs == 1) return set_copy(ts, so);
  Ref result(newref(args[0]));
  for (size_t i = 1; i < nargs; i++) {
    Set* next = set_intersection(ts, result.as<Set>(), args[i]);
    if (!next) return nullptr;
    result.reset(Value::from_obj(next));
  }
  return static_cast<Set*>(result.release().obj());
}

static Value set_method_intersection(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "set.intersection", kwnames)) return Value();
  return as_value(intersection_multi(ts, args, nargs));
}

static Value set_method_intersection_update(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "set.intersection_update", kwnames)) return Value();
  Set* result = intersection_multi(ts, args, nargs);
  if (!result) return Value();
  replace_contents(ts, self_set(args), result);
  return none();
}

static Value set_method_difference(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "set.difference", kwnames)) return Value();
  Set* so = self_set(args);
  if (nargs == 1) return as_value(set_copy(ts, so));
  Set* result = set_difference(ts, so, args[1]);
  if (!result) return Value();
  Ref owned(Value::from_obj(result));
  for (size_t i = 2; i < nargs; i++)
    if (difference_update_internal(ts, result, args[i]) < 0) return Value();
  return owned.release();
}

static Value set_method_difference_update(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "set.difference_update", kwnames)) return Value();
  for (size_t i = 1; i < nargs; i++)
    if (difference_update_internal(ts, self_set(args), args[i]) < 0) return Value();
  return none();
}

static Value set_method_symmetric_difference(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!fixed_args<kSymDiff, 1>(ts, nargs, kwnames)) return Value();
  return as_value(set_symmetric_difference(ts, self_set(args), args[1]));
}

static Value set_method_symmetric_difference_update(ThreadState& ts, const Value* args, size_t nargs,
                                                    Tuple* kwnames) {
  if (!fixed_args<kSymDiffUpdate, 1>(ts, nargs, kwnames)) return Value();
  return none_or_error(symmetric_difference_update(ts, self_set(args), args[1]));
}

static Value bool_or_error(int r) { return r < 0 ? Value() : bool_value(r); }

static Value set_method_issubset(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!fixed_args<kIsSubset, 1>(ts, nargs, kwnames)) return Value();
  return bool_or_error(issubset(ts, self_set(args), args[1]));
}

static Value set_method_issuperset(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!fixed_args<kIsSuperset, 1>(ts, nargs, kwnames)) return Value();
  return bool_or_error(issuperset(ts, self_set(args), args[1]));
}

static Value set_method_isdisjoint(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!fixed_args<kIsDisjoint, 1>(ts, nargs, kwnames)) return Value();
  return bool_or_error(isdisjoint(ts, self_set(args), args[1]));
}

static const MethodDef set_methods[] = {
    {"add", set_method_add},
    {"remove", set_method_remove},
    {"discard", set_method_discard},
    {"pop", set_method_pop},
    {"clear", set_method_clear},
    {"copy", set_method_copy},
    {"update", set_method_update},
    {"union", set_method_union},
    {"intersection", set_method_intersection},
    {"intersection_update", set_method_intersection_update},
    {"difference", set_method_difference},
    {"difference_update", set_method_difference_update},
    {"symmetric_difference", set_method_symmetric_difference},
    {"symmetric_difference_update", set_method_symmetric_difference_update},
    {"issubset", set_method_issubset},
    {"issuperset", set_method_issuperset},
    {"isdisjoint", set_method_isdisjoint},
    {nullptr, nullptr},
};

static const MethodDef frozenset_methods[] = {
    {"copy", set_method_copy},
    {"union", set_method_union},
    {"intersection", set_method_intersection},
    {"difference", set_method_difference},
    {"symmetric_difference", set_method_symmetric_difference},
    {"issubset", set_method_issubset},
    {"issuperset", set_method_issuperset},
    {"isdisjoint", set_method_isdisjoint},
    {nullptr, nullptr},
};

// The slots both types share.
static void setup_set_like(Type& t, const char* name) {
  t.name = name;
  t.basic_size = sizeof(Set);
  t.flags = kTypeBaseType;
  t.dealloc = set_dealloc;
  t.repr = set_repr;
  t.compare = set_compare;
  t.binary = set_binary;
  t.binary_ops = t.rbinary_ops = op_mask({BinaryOp::Sub, BinaryOp::And, BinaryOp::Or, BinaryOp::Xor});
  t.truth = set_truth;
  t.length = set_length;
  t.contains = set_contains_slot;
  t.iter = set_iter;
}

Type set_type;
MINIVM_TYPE_SETUP(set_type) {
  setup_set_like(t, "set");
  t.hash = hash_unhashable;
  t.new_ = set_new_slot;
  t.init = set_init;
  t.methods = set_methods;
}

Type frozenset_type;
MINIVM_TYPE_SETUP(frozenset_type) {
  setup_set_like(t, "frozenset");
  t.hash = frozenset_hash;
  t.new_ = frozenset_new_slot;
  t.methods = frozenset_methods;
}

}  // namespace mvm
