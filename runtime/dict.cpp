// dict: the built-in hash table, in CPython's compact layout: a sparse table of int32
// indices (open addressing with perturbed probing) over a dense array of entries kept in
// insertion order. All changes to the arrays go through the few primitives at the top
// (append an entry, delete an entry, resize, clear). In free-threaded mode every public
// operation holds the dict's lock, and those primitives store with atomics and release
// old arrays, keys and values after a grace period, because the eval loop's global-variable
// cache reads entries without the lock (dict_cached_str_value). Views are in
// dict_views.cpp and the iterators in dict_iter.cpp.
#include "runtime/dict.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <optional>
#include <string>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/builtin_support.h"
#include "runtime/critical_section.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/qsbr.h"
#include "runtime/sequence.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {

constexpr int32_t kEmpty = -1;     // an index slot never used (memset 0xFF makes these)
constexpr int32_t kDummy = -2;     // an index slot whose entry was deleted
constexpr size_t kMinIndexSize = 8;
constexpr size_t kMaxIndexSize = size_t(1) << 31;   // entry numbers must fit an int32

// How many entries an index table of `index_size` slots holds: two thirds, so that probe
// sequences stay short.
size_t usable_for(size_t index_size) { return index_size * 2 / 3; }

// The smallest index table that holds n entries.
size_t index_size_holding(size_t n) {
  size_t size = kMinIndexSize;
  while (usable_for(size) < n && size < kMaxIndexSize) size <<= 1;
  return size;
}

// Versions come from one process-wide counter, so a (dict, version) pair cached by the eval
// loop can never match a different dict that reuses the same address. Each thread takes
// them in blocks, so that threads filling dicts do not contend on the counter.
std::atomic<uint64_t> next_keys_version_block{1};
constexpr uint64_t kKeysVersionBlock = 4096;
uint64_t new_keys_version() {
  thread_local uint64_t next = 0, end = 0;
  if (next == end) {
    next = next_keys_version_block.fetch_add(kKeysVersionBlock, std::memory_order_relaxed);
    end = next + kKeysVersionBlock;
  }
  return next++;
}
void bump_keys_version(Dict* d) {
  std::atomic_ref<uint64_t>(d->keys_version).store(new_keys_version(), std::memory_order_release);
}


// A table is one block: a header entry (hash: the entry capacity; value: the index size),
// the entries, then the index slots. One pointer, Dict::entries, publishes a whole table,
// so a lock-free reader always sees entries and indices that belong together, even while
// a writer replaces the table (lookup_without_lock, dict_cached_str_value).
DictEntry* table_alloc(size_t capacity, size_t index_size) {
  size_t bytes = (capacity + 1) * sizeof(DictEntry) + index_size * sizeof(int32_t);
  auto* base = static_cast<DictEntry*>(object_malloc(bytes));
  if (!base) return nullptr;
  std::memset(static_cast<void*>(base), 0, (capacity + 1) * sizeof(DictEntry));
  std::memset(static_cast<void*>(base + 1 + capacity), 0xFF, index_size * sizeof(int32_t));
  base[0].hash = int64_t(capacity);
  base[0].value = Value::from_raw(index_size);
  return base + 1;
}
size_t table_capacity(const DictEntry* entries) { return size_t(entries[-1].hash); }
size_t table_index_size(const DictEntry* entries) { return entries[-1].value.raw(); }
int32_t* table_indices(DictEntry* entries) {
  return reinterpret_cast<int32_t*>(entries + table_capacity(entries));
}
// `later`: a lock-free reader may still be using the table (not so in the deallocator).
void table_free(DictEntry* entries, bool later) {
  if (!entries) return;
  if (later) free_after_readers(entries - 1);
  else object_free(entries - 1);
}
void store_index(int32_t* slot, int32_t ix) { std::atomic_ref<int32_t>(*slot).store(ix, std::memory_order_release); }
void store_key(DictEntry& e, Value k) { std::atomic_ref<Value>(e.key).store(k, std::memory_order_release); }
void store_value(DictEntry& e, Value v) { std::atomic_ref<Value>(e.value).store(v, std::memory_order_release); }
void store_key_hash_bits(Dict* d, uint64_t bits) {
  std::atomic_ref<uint64_t>(d->key_hash_bits).store(bits, std::memory_order_relaxed);
}

int64_t hash_key(ThreadState& ts, Value key) {
  if (key.is_small_int()) return small_int_hash(key.as_small_int());
  if (is_exact_str(key)) return str_hash(key.as<Str>());
  return object_hash(ts, key);
}

size_t next_probe(size_t i, uint64_t* perturb, size_t mask) {
  *perturb >>= 5;
  return (i * 5 + *perturb + 1) & mask;
}

// Finds key. Returns its entry number and sets *slot to its index slot; -1 when missing;
// -2 when a comparison raised. A key's __eq__ may change the dict; the search then starts
// over, as CPython's does.
int64_t lookup(ThreadState& ts, Dict* d, Value key, int64_t hash, size_t* slot) {
restart:
  if (d->index_size == 0) return -1;
  size_t mask = d->index_size - 1;
  size_t i = size_t(hash) & mask;
  uint64_t perturb = uint64_t(hash);
  for (;; i = next_probe(i, &perturb, mask)) {
    int32_t ix = d->indices[i];
    if (ix == kEmpty) return -1;
    if (ix == kDummy) continue;
    const DictEntry& e = d->entries[ix];
    if (e.key == key) {
      *slot = i;
      return ix;
    }
    if (e.hash != hash) continue;
    Value stored = e.key;
    // Strings and small ints compare without calling out (two distinct small ints are
    // never equal, since equal small ints are the same Value).
    if (is_exact_str(stored) && is_exact_str(key)) {
      if (str_equal(stored.as<Str>(), key.as<Str>())) {
        *slot = i;
        return ix;
      }
      continue;
    }
    if (stored.is_small_int() && key.is_small_int()) continue;
    uint64_t version = d->keys_version;
    Ref held(newref(stored));
    int eq = object_equal(ts, stored, key);
    if (eq < 0) return -2;
    if (d->keys_version != version) goto restart;
    if (eq) {
      *slot = i;
      return ix;
    }
  }
}

// The first free (empty or dummy) index slot on key's probe sequence.
size_t free_slot_in(const int32_t* indices, size_t index_size, int64_t hash) {
  size_t mask = index_size - 1;
  size_t i = size_t(hash) & mask;
  uint64_t perturb = uint64_t(hash);
  while (indices[i] >= 0) i = next_probe(i, &perturb, mask);
  return i;
}
size_t find_free_slot(const Dict* d, int64_t hash) { return free_slot_in(d->indices, d->index_size, hash); }

// The index slot that refers to entry ix.
size_t slot_of_entry(const Dict* d, int64_t ix) {
  size_t mask = d->index_size - 1;
  size_t i = size_t(d->entries[ix].hash) & mask;
  uint64_t perturb = uint64_t(d->entries[ix].hash);
  while (d->indices[i] != ix) i = next_probe(i, &perturb, mask);
  return i;
}

// --- Mutation primitives ---

// Rebuilds the table with `index_size` slots, compacting out deleted entries.
bool resize(ThreadState& ts, Dict* d, size_t index_size) {
  size_t capacity = usable_for(index_size);
  if (capacity < d->used || index_size > kMaxIndexSize) {
    raise_memory_error(ts);
    return false;
  }
  DictEntry* entries = table_alloc(capacity, index_size);
  if (!entries) {
    raise_memory_error(ts);
    return false;
  }
  // The new table is private until published, complete, by the store to d->entries.
  int32_t* indices = table_indices(entries);
  size_t n = 0;
  for (size_t i = 0; i < d->nentries; i++)
    if (d->entries[i].key) entries[n++] = d->entries[i];
  uint64_t key_hash_bits = 0;
  for (size_t i = 0; i < n; i++) {
    indices[free_slot_in(indices, index_size, entries[i].hash)] = int32_t(i);
    key_hash_bits |= key_hash_bit(entries[i].hash);
  }
  // Every live key keeps its bit: readers of either table see the bits of its keys.
  store_key_hash_bits(d, key_hash_bits);
  DictEntry* old = d->entries;
  std::atomic_ref<DictEntry*>(d->entries).store(entries, std::memory_order_release);
  d->indices = indices;
  d->index_size = index_size;
  d->entry_capacity = capacity;
  d->nentries = n;
  table_free(old, true);
  bump_keys_version(d);
  return true;
}

// Appends an entry for a key known to be absent, taking the references to key and value.
// Requires room (nentries < entry_capacity).
void append_entry(Dict* d, Value key, int64_t hash, Value value) {
  size_t ix = d->nentries;
  d->entries[ix].hash = hash;
  store_value(d->entries[ix], value);
  // The key's bit first: a reader that finds the key (its release store below) sees the bit.
  store_key_hash_bits(d, d->key_hash_bits | key_hash_bit(hash));
  store_key(d->entries[ix], key);
  store_index(d->indices + find_free_slot(d, hash), int32_t(ix));
  d->nentries = ix + 1;
  std::atomic_ref<size_t>(d->used).store(d->used + 1, std::memory_order_relaxed);
  bump_keys_version(d);
}

bool ensure_room_for_one(ThreadState& ts, Dict* d) {
  if (d->nentries < d->entry_capacity) return true;
  // Grow to hold twice the live entries (a table full of deleted ones just compacts).
  return resize(ts, d, index_size_holding(std::max<size_t>(d->used * 2, d->used + 1)));
}

// Removes entry ix (at index slot `slot`) and returns its key and value as owned references,
// for the caller to release once it no longer touches the dict.
DictEntry take_entry(Dict* d, size_t slot, int64_t ix) {
  DictEntry taken = d->entries[ix];
  store_index(d->indices + slot, kDummy);
  store_key(d->entries[ix], Value());
  store_value(d->entries[ix], Value());
  std::atomic_ref<size_t>(d->used).store(d->used - 1, std::memory_order_relaxed);
  bump_keys_version(d);
  return taken;
}

// Inserts or replaces; key and value are borrowed.
int insert(ThreadState& ts, Dict* d, Value key, int64_t hash, Value value) {
  // Held across the lookup: a comparison could otherwise drop the last reference.
  Ref key_ref(newref(key)), value_ref(newref(value));
  size_t slot;
  int64_t ix = lookup(ts, d, key, hash, &slot);
  if (ix == -2) return -1;
  if (ix >= 0) {
    Value old = d->entries[ix].value;
    store_value(d->entries[ix], value_ref.release());
    decref_after_readers(old);   // may run a __del__: the dict is consistent by now
    return 0;
  }
  if (!ensure_room_for_one(ts, d)) return -1;
  append_entry(d, key_ref.release(), hash, value_ref.release());
  return 0;
}

Dict* dict_alloc(ThreadState& ts, Type* type) {
  Dict* d = type == &dict_type ? new_object<Dict>(type) : alloc_instance<Dict>(ts, type);
  if (!d) return nullptr;
  d->keys_version = new_keys_version();
  return d;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Public operations

Dict* dict_new(ThreadState& ts) { return dict_alloc(ts, &dict_type); }

Dict* dict_new_nogil() {
  Dict* d = new_object<Dict>(&dict_type);
  d->keys_version = new_keys_version();
  return d;
}

namespace {
// Lookup without the lock, for keys that compare without running Python code: exact strs
// (by identity, else by content) and small ints (by identity). Reads one snapshot of the
// table; entries, index slots, keys and values are loaded with acquire, pairing with the
// release stores of the writers, and anything a writer removed stays allocated until this
// thread's next quiescent point. Returns the entry number and sets *value (borrowed), or -1.
int64_t lookup_without_lock(Dict* d, Value key, int64_t hash, Value* value) {
  DictEntry* entries = std::atomic_ref<DictEntry*>(d->entries).load(std::memory_order_acquire);
  if (!entries) return -1;
  size_t capacity = table_capacity(entries), index_size = table_index_size(entries);
  const int32_t* indices = table_indices(entries);
  size_t mask = index_size - 1;
  size_t i = size_t(hash) & mask;
  uint64_t perturb = uint64_t(hash);
  // A writer may be filling slots meanwhile; a third of them are always empty, but the
  // bound makes termination independent of that argument.
  for (size_t probes = 0; probes < index_size; probes++, i = next_probe(i, &perturb, mask)) {
    int32_t ix = std::atomic_ref<const int32_t>(indices[i]).load(std::memory_order_acquire);
    if (ix == kEmpty) return -1;
    if (ix < 0 || size_t(ix) >= capacity) continue;
    DictEntry& e = entries[ix];
    Value stored = std::atomic_ref<Value>(e.key).load(std::memory_order_acquire);
    if (!stored) continue;
    bool same = stored == key ||
                (is_exact_str(key) && is_exact_str(stored) && e.hash == hash && str_equal(stored.as<Str>(), key.as<Str>()));
    if (!same) continue;
    *value = std::atomic_ref<Value>(e.value).load(std::memory_order_acquire);
    return *value ? ix : -1;
  }
  return -1;
}

bool compares_without_code(Value key) { return key.is_small_int() || is_exact_str(key); }

// Holds the dict's lock in free-threaded mode, for the entry points that have no
// ThreadState parameter (the calling thread's is looked up).
class DictLock {
 public:
  explicit DictLock(Dict* d) {
    if (!object_locks_enabled()) return;
    if (ThreadState* ts = current_thread_state()) section_.emplace(*ts, d);
  }

 private:
  std::optional<CriticalSection> section_;
};

int64_t index_of_str(Dict* d, Str* key) {
  if (d->index_size == 0) return -1;
  int64_t hash = key->hash != -1 ? key->hash : str_hash(key);
  size_t mask = d->index_size - 1;
  size_t i = size_t(hash) & mask;
  uint64_t perturb = uint64_t(hash);
  for (;; i = next_probe(i, &perturb, mask)) {
    int32_t ix = d->indices[i];
    if (ix == kEmpty) return -1;
    if (ix == kDummy) continue;
    const DictEntry& e = d->entries[ix];
    if (e.key.obj() == key) return ix;
    if (e.hash == hash && is_str(e.key) && str_equal(e.key.as<Str>(), key)) return ix;
  }
}

// Removes the entry at (slot, ix); returns its value as an owned reference.
Value pop_entry(Dict* d, size_t slot, int64_t ix) {
  DictEntry taken = take_entry(d, slot, ix);
  decref_after_readers(taken.key);
  // The caller gets its own reference; the dict's is released like any removed value's.
  incref(taken.value);
  decref_after_readers(taken.value);
  return taken.value;
}
}  // namespace

Value dict_get_known_hash(ThreadState& ts, Dict* d, Value key, int64_t hash) {
  if (object_locks_enabled() && compares_without_code(key)) {
    Value value;
    return lookup_without_lock(d, key, hash, &value) >= 0 ? value : Value();
  }
  CriticalSection cs(ts, d);
  size_t slot;
  int64_t ix = lookup(ts, d, key, hash, &slot);
  return ix >= 0 ? d->entries[ix].value : Value();
}

Value dict_get(ThreadState& ts, Dict* d, Value key) {
  int64_t hash = hash_key(ts, key);
  if (hash == -1) return Value();
  return dict_get_known_hash(ts, d, key, hash);
}

int64_t dict_index_of_str(Dict* d, Str* key) {
  if (object_locks_enabled()) {
    Value value;
    return lookup_without_lock(d, Value::from_obj(key), key->hash != -1 ? key->hash : str_hash(key), &value);
  }
  return index_of_str(d, key);
}

Value dict_get_str_at(Dict* d, Str* key, uint32_t* index) {
  Value value;
  int64_t ix;
  if (object_locks_enabled()) {
    ix = lookup_without_lock(d, Value::from_obj(key), key->hash != -1 ? key->hash : str_hash(key), &value);
  } else {
    ix = index_of_str(d, key);
    if (ix >= 0) value = d->entries[ix].value;
  }
  if (ix < 0) return Value();
  *index = uint32_t(ix);
  return value;
}

Value dict_get_str(Dict* d, Str* key) {
  uint32_t index;
  return dict_get_str_at(d, key, &index);
}

int dict_set_known_hash(ThreadState& ts, Dict* d, Value key, int64_t hash, Value value) {
  CriticalSection cs(ts, d);
  return insert(ts, d, key, hash, value);
}

int dict_set(ThreadState& ts, Dict* d, Value key, Value value) {
  int64_t hash = hash_key(ts, key);
  if (hash == -1) return -1;
  CriticalSection cs(ts, d);
  return insert(ts, d, key, hash, value);
}

namespace {
// dict_set_str's two cases that run no Python code while the dict is inconsistent: replacing
// the value of a string key (the old value is released last, when a __del__ may run), and
// appending a key whose hash bit is clear, which proves no key compares equal to it. The
// caller holds the lock or has none to take. Returns 1 when done, 0 when neither case
// applies, -1 when growing the table failed (MemoryError is set).
int set_str_without_code(ThreadState& ts, Dict* d, Str* key, Value value, uint32_t* index) {
  int64_t ix = index_of_str(d, key);
  if (ix >= 0) {
    // Replacing needs no general lookup, and leaves the keys version alone.
    Value old = d->entries[ix].value;
    store_value(d->entries[ix], newref(value));
    if (index) *index = uint32_t(ix);
    decref_after_readers(old);
    return 1;
  }
  int64_t hash = key->hash != -1 ? key->hash : str_hash(key);
  if (d->key_hash_bits & key_hash_bit(hash)) return 0;
  if (!ensure_room_for_one(ts, d)) return -1;
  append_entry(d, newref(Value::from_obj(key)), hash, newref(value));
  // A new key is always the last entry, also after a resize compacted the others.
  if (index) *index = uint32_t(d->nentries - 1);
  return 1;
}
}  // namespace

int dict_set_str(ThreadState& ts, Dict* d, Str* key, Value value, uint32_t* index) {
  // Alone in the process, nobody else can reach the dict, and a store that runs no Python
  // code (which could start a thread) skips the lock, as the eval loop's fast paths do
  // (runtime/fast_path_lock.h). Attribute stores into fresh instances mostly take this path.
  // The same holds for the thread that made the dict while its lock is biased to it.
  std::optional<CriticalSection> section;
  if (!qsbr_single_threaded() && !lock_biased_to_caller(d)) section.emplace(ts, d);
  if (int done = set_str_without_code(ts, d, key, value, index)) return done > 0 ? 0 : -1;
  // The general lookup may compare with a key's __eq__, Python code: the lock now.
  if (!section) section.emplace(ts, d);
  int rc = insert(ts, d, Value::from_obj(key), str_hash(key), value);
  if (rc == 0 && index) *index = uint32_t(d->nentries - 1);
  return rc;
}

Value dict_pop(ThreadState& ts, Dict* d, Value key) {
  int64_t hash = hash_key(ts, key);
  if (hash == -1) return Value();
  CriticalSection cs(ts, d);
  size_t slot;
  int64_t ix = lookup(ts, d, key, hash, &slot);
  if (ix < 0) return Value();
  return pop_entry(d, slot, ix);
}

int dict_discard(ThreadState& ts, Dict* d, Value key) {
  Value value = dict_pop(ts, d, key);
  if (!value) return error_occurred(ts) ? -1 : 0;
  decref(value);
  return 1;
}

int dict_del(ThreadState& ts, Dict* d, Value key) {
  int rc = dict_discard(ts, d, key);
  if (rc == 0) raise_key_error(ts, key);
  return rc > 0 ? 0 : -1;
}

bool dict_next_with_hash(Dict* d, size_t* pos, Value* key, Value* value, int64_t* hash) {
  DictLock lock(d);
  while (*pos < d->nentries) {
    const DictEntry& e = d->entries[(*pos)++];
    if (!e.key) continue;
    *key = e.key;
    if (value) *value = e.value;
    if (hash) *hash = e.hash;
    return true;
  }
  return false;
}

bool dict_next(Dict* d, size_t* pos, Value* key, Value* value) {
  return dict_next_with_hash(d, pos, key, value, nullptr);
}

void dict_clear(Dict* d) {
  DictEntry* entries;
  size_t n;
  {
    DictLock lock(d);
    entries = d->entries;
    n = d->nentries;
    d->indices = nullptr;
    std::atomic_ref<DictEntry*>(d->entries).store(nullptr, std::memory_order_release);
    d->index_size = 0;
    d->entry_capacity = 0;
    d->nentries = 0;
    std::atomic_ref<size_t>(d->used).store(0, std::memory_order_relaxed);
    store_key_hash_bits(d, 0);
    bump_keys_version(d);
  }
  // Released only now: a __del__ run by these decrefs sees an empty, consistent dict.
  for (size_t i = 0; i < n; i++) {
    decref_after_readers(entries[i].key);
    decref_after_readers(entries[i].value);
  }
  table_free(entries, true);
}

int dict_merge(ThreadState& ts, Dict* d, Dict* other, bool override) {
  if (other == d) return 0;
  CriticalSection2 cs(ts, d, other);
  if (other->used == 0) return 0;
  if (d->used == 0 && d->nentries == 0) {
    // Into an empty dict the keys are known to be distinct: no lookups, hence no Python
    // code, runs while entries are appended.
    if (d->entry_capacity < other->used && !resize(ts, d, index_size_holding(other->used))) return -1;
    for (size_t i = 0; i < other->nentries; i++) {
      const DictEntry& e = other->entries[i];
      if (e.key) append_entry(d, newref(e.key), e.hash, newref(e.value));
    }
    return 0;
  }
  size_t expected = other->used;
  for (size_t i = 0; i < other->nentries; i++) {
    DictEntry e = other->entries[i];
    if (!e.key) continue;
    Ref key(newref(e.key)), value(newref(e.value));
    if (!override) {
      size_t slot;
      int64_t found = lookup(ts, d, key.get(), e.hash, &slot);
      if (found == -2) return -1;
      if (found >= 0) continue;
    }
    if (insert(ts, d, key.get(), e.hash, value.get()) < 0) return -1;
    if (other->used != expected) {
      raise(ts, &RuntimeError_type, "dict mutated during update");
      return -1;
    }
  }
  return 0;
}

// d.update(iterable of pairs), with CPython's errors for items that are not pairs.
static int merge_pairs(ThreadState& ts, Dict* d, Value iterable) {
  Ref it(object_iter(ts, iterable));
  if (!it) return -1;
  for (size_t index = 0;; index++) {
    Ref item(iter_next(ts, it.get()));
    if (!item) return error_occurred(ts) ? -1 : 0;
    Ref pair;
    if (is_list(item.get()) || is_tuple(item.get())) {
      pair.reset(newref(item.get()));
    } else {
      pair.reset(list_from_iterable(ts, item.get()));
      if (!pair) {
        if (error_matches(ts, &TypeError_type)) {
          clear_error(ts);
          raise_fmt(ts, &TypeError_type,
                    "cannot convert dictionary update sequence element #%zu to a sequence", index);
        }
        return -1;
      }
    }
    bool is_list_pair = is_list(pair.get());
    size_t n = is_list_pair ? pair.as<List>()->size : pair.as<Tuple>()->size;
    if (n != 2) {
      raise_fmt(ts, &ValueError_type,
                "dictionary update sequence element #%zu has length %zu; 2 is required", index, n);
      return -1;
    }
    const Value* kv = is_list_pair ? pair.as<List>()->items : pair.as<Tuple>()->items;
    Ref key(newref(kv[0])), value(newref(kv[1]));   // a list pair may change under __eq__
    if (dict_set(ts, d, key.get(), value.get()) < 0) return -1;
  }
}

static Value dict_iter_slot(ThreadState& ts, Value self);

// d.update(mapping) for a mapping that is not a plain dict: d[k] = m[k] for k in m.keys().
static int merge_mapping(ThreadState& ts, Dict* d, Value mapping, Value keys_method) {
  Ref keys(call_function(ts, keys_method, {}));
  if (!keys) return -1;
  Ref it(object_iter(ts, keys.get()));
  if (!it) return -1;
  while (Value k = iter_next(ts, it.get())) {
    Ref key(k);
    Ref value(object_getitem(ts, mapping, key.get()));
    if (!value || dict_set(ts, d, key.get(), value.get()) < 0) return -1;
  }
  return error_occurred(ts) ? -1 : 0;
}

int dict_update(ThreadState& ts, Dict* d, Value other) {
  // A dict subclass that overrides __iter__ is treated as a general mapping, as in CPython.
  if (is_dict(other) && type_of(other)->iter == dict_iter_slot)
    return dict_merge(ts, d, other.as<Dict>(), true);
  static Str* keys_name = intern("keys");
  Ref keys_method(object_lookup_attr(ts, other, keys_name));
  if (keys_method) return merge_mapping(ts, d, other, keys_method.get());
  if (error_occurred(ts)) return -1;
  return merge_pairs(ts, d, other);
}

Dict* dict_copy(ThreadState& ts, Dict* d) {
  Dict* copy = dict_new(ts);
  if (!copy) return nullptr;
  if (dict_merge(ts, copy, d, true) < 0) {
    decref(copy);
    return nullptr;
  }
  return copy;
}

Value dict_subscript(ThreadState& ts, Dict* d, Value key) {
  int64_t hash = hash_key(ts, key);
  if (hash == -1) return Value();
  Value value = dict_get_known_hash(ts, d, key, hash);
  if (value) return newref(value);
  if (error_occurred(ts)) return Value();
  if (d->ob_type != &dict_type) {
    static Str* missing_name = intern("__missing__");
    if (type_lookup(d->ob_type, missing_name))
      return call_method(ts, Value::from_obj(d), missing_name, {key});
  }
  return raise_key_error(ts, key);
}

// ---------------------------------------------------------------------------------------
// Slots

static void dict_dealloc(Object* self) {
  Dict* d = static_cast<Dict*>(self);
  for (size_t i = 0; i < d->nentries; i++) {
    decref(d->entries[i].key);
    decref(d->entries[i].value);
  }
  table_free(d->entries, false);
  free_object(self);
}

static Value dict_repr(ThreadState& ts, Value self) {
  Dict* d = self.as<Dict>();
  CriticalSection cs(ts, d);
  if (d->used == 0) return str_value("{}");
  if (repr_enter(ts, d)) return str_value("{...}");
  std::string out = "{";
  bool ok = true;
  // Index-based: a repr may add or remove keys, so the bound is re-read on every step.
  for (size_t i = 0; ok && i < d->nentries; i++) {
    if (!d->entries[i].key) continue;
    Ref key(newref(d->entries[i].key)), value(newref(d->entries[i].value));
    if (out.size() > 1) out += ", ";
    ok = append_repr(ts, out, key.get());
    if (ok) {
      out += ": ";
      ok = append_repr(ts, out, value.get());
    }
  }
  repr_leave(ts, d);
  if (!ok) return Value();
  out += '}';
  Str* s = str_new_checked(ts, out);
  return s ? Value::from_obj(s) : Value();
}

// a == b for two dicts: same size and every key of a maps to an equal value in b.
static int dict_equal(ThreadState& ts, Dict* a, Dict* b) {
  CriticalSection cs(ts, a);
  if (a->used != dict_size(b)) return 0;
  for (size_t i = 0; i < a->nentries; i++) {
    if (!a->entries[i].key) continue;
    int64_t hash = a->entries[i].hash;
    Ref key(newref(a->entries[i].key)), value(newref(a->entries[i].value));
    Value other = dict_get_known_hash(ts, b, key.get(), hash);
    if (!other) return error_occurred(ts) ? -1 : 0;
    Ref held(newref(other));
    int eq = value.get() == other ? 1 : object_equal(ts, value.get(), other);
    if (eq <= 0) return eq;
  }
  return 1;
}

static Value dict_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if (!is_dict(a) || !is_dict(b) || (op != CompareOp::Eq && op != CompareOp::Ne))
    return newref(not_implemented());
  int eq = dict_equal(ts, a.as<Dict>(), b.as<Dict>());
  if (eq < 0) return Value();
  return bool_value((op == CompareOp::Eq) == (eq == 1));
}

static Value dict_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  if (base_op(op) != BinaryOp::Or || !is_dict(a)) return newref(not_implemented());
  if (is_inplace(op)) {   // d |= other accepts any mapping or iterable of pairs
    if (dict_update(ts, a.as<Dict>(), b) < 0) return Value();
    return newref(a);
  }
  if (!is_dict(b)) return newref(not_implemented());
  Dict* result = dict_copy(ts, a.as<Dict>());
  if (!result) return Value();
  Ref owned(Value::from_obj(result));
  if (dict_merge(ts, result, b.as<Dict>(), true) < 0) return Value();
  return owned.release();
}

static int dict_truth(ThreadState&, Value self) { return dict_size(self.as<Dict>()) != 0; }
static int64_t dict_length(ThreadState&, Value self) { return int64_t(dict_size(self.as<Dict>())); }

static Value dict_getitem(ThreadState& ts, Value self, Value key) {
  return dict_subscript(ts, self.as<Dict>(), key);
}

static int dict_setitem(ThreadState& ts, Value self, Value key, Value value) {
  if (!value) return dict_del(ts, self.as<Dict>(), key);
  return dict_set(ts, self.as<Dict>(), key, value);
}

static int dict_contains(ThreadState& ts, Value self, Value key) {
  if (dict_get(ts, self.as<Dict>(), key)) return 1;
  return error_occurred(ts) ? -1 : 0;
}

static Value dict_iter_slot(ThreadState& ts, Value self) {
  return dict_iter_new(ts, self.as<Dict>(), &dict_keyiterator_type);
}

static Value dict_new_slot(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  Dict* d = dict_alloc(ts, type);   // dict.__init__ fills it
  return d ? Value::from_obj(d) : Value();
}

// dict(mapping_or_pairs, **kwargs) and d.update(...): the positional source, then the
// keyword arguments.
static int update_from_args(ThreadState& ts, Dict* d, const char* fname, const Value* args,
                            size_t nargs, Tuple* kwnames) {
  if (nargs > 1) {
    raise_fmt(ts, &TypeError_type, "%s expected at most 1 argument, got %zu", fname, nargs);
    return -1;
  }
  if (nargs == 1 && dict_update(ts, d, args[0]) < 0) return -1;
  size_t nkw = kwnames ? kwnames->size : 0;
  for (size_t i = 0; i < nkw; i++)
    if (dict_set(ts, d, kwnames->items[i], args[nargs + i]) < 0) return -1;
  return 0;
}

static int dict_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  return update_from_args(ts, self.as<Dict>(), "dict", args, nargs, kwnames);
}

// ---------------------------------------------------------------------------------------
// Methods

static Dict* self_dict(const Value* args) { return args[0].as<Dict>(); }

template <const char* kName>
bool no_arguments(ThreadState& ts, size_t nargs, Tuple* kwnames) {
  return check_no_kwargs(ts, kName, kwnames) && check_nargs(ts, kName, nargs - 1, 0, 0);
}
static constexpr char kKeys[] = "dict.keys";
static constexpr char kValues[] = "dict.values";
static constexpr char kItems[] = "dict.items";
static constexpr char kPopitem[] = "dict.popitem";
static constexpr char kCopy[] = "dict.copy";
static constexpr char kClear[] = "dict.clear";
static constexpr char kReversed[] = "dict.__reversed__";

static Value dict_method_keys(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!no_arguments<kKeys>(ts, nargs, kwnames)) return Value();
  return dict_view_new(ts, self_dict(args), &dict_keys_type);
}

static Value dict_method_values(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!no_arguments<kValues>(ts, nargs, kwnames)) return Value();
  return dict_view_new(ts, self_dict(args), &dict_values_type);
}

static Value dict_method_items(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!no_arguments<kItems>(ts, nargs, kwnames)) return Value();
  return dict_view_new(ts, self_dict(args), &dict_items_type);
}

static Value dict_method_get(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "get", kwnames) || !check_nargs(ts, "get", nargs - 1, 1, 2)) return Value();
  Value value = dict_get(ts, self_dict(args), args[1]);
  if (value) return newref(value);
  if (error_occurred(ts)) return Value();
  return newref(nargs > 2 ? args[2] : none());
}

static Value dict_method_setdefault(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "setdefault", kwnames) || !check_nargs(ts, "setdefault", nargs - 1, 1, 2))
    return Value();
  Dict* d = self_dict(args);
  Value key = args[1];
  int64_t hash = hash_key(ts, key);
  if (hash == -1) return Value();
  // One critical section: another thread cannot insert the key between lookup and insert.
  CriticalSection cs(ts, d);
  Value value = dict_get_known_hash(ts, d, key, hash);
  if (value) return newref(value);
  if (error_occurred(ts)) return Value();
  Value dflt = nargs > 2 ? args[2] : none();
  if (insert(ts, d, key, hash, dflt) < 0) return Value();
  return newref(dflt);
}

static Value dict_method_pop(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "pop", kwnames) || !check_nargs(ts, "pop", nargs - 1, 1, 2)) return Value();
  Value value = dict_pop(ts, self_dict(args), args[1]);
  if (value || error_occurred(ts)) return value;
  if (nargs > 2) return newref(args[2]);
  return raise_key_error(ts, args[1]);
}

static Value dict_method_popitem(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!no_arguments<kPopitem>(ts, nargs, kwnames)) return Value();
  Dict* d = self_dict(args);
  CriticalSection cs(ts, d);
  if (d->used == 0) {
    Ref message(str_value("popitem(): dictionary is empty"));
    return raise_key_error(ts, message.get());
  }
  Tuple* pair = tuple_new(ts, 2);
  if (!pair) return Value();
  // The last live entry; the entries after it are all deleted, so they can be reused.
  int64_t ix = int64_t(d->nentries) - 1;
  while (!d->entries[ix].key) ix--;
  pair->items[0] = newref(d->entries[ix].key);
  pair->items[1] = pop_entry(d, slot_of_entry(d, ix), ix);
  d->nentries = size_t(ix);
  return Value::from_obj(pair);
}

static Value dict_method_update(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (update_from_args(ts, self_dict(args), "update", args + 1, nargs - 1, kwnames) < 0) return Value();
  return none();
}

static Value dict_method_copy(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!no_arguments<kCopy>(ts, nargs, kwnames)) return Value();
  Dict* copy = dict_copy(ts, self_dict(args));
  return copy ? Value::from_obj(copy) : Value();
}

static Value dict_method_clear(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!no_arguments<kClear>(ts, nargs, kwnames)) return Value();
  dict_clear(self_dict(args));
  return none();
}

// dict.fromkeys(iterable, value=None), a classmethod: args[0] is the class.
static Value dict_method_fromkeys(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "fromkeys", kwnames) || !check_nargs(ts, "fromkeys", nargs - 1, 1, 2))
    return Value();
  Value cls = args[0];
  Value value = nargs > 2 ? args[2] : none();
  Ref result(object_call(ts, cls, nullptr, 0));
  if (!result) return Value();
  bool plain = type_of(result.get()) == &dict_type;
  Ref it(object_iter(ts, args[1]));
  if (!it) return Value();
  while (Value k = iter_next(ts, it.get())) {
    Ref key(k);
    int rc = plain ? dict_set(ts, result.as<Dict>(), key.get(), value)
                   : object_setitem(ts, result.get(), key.get(), value);
    if (rc < 0) return Value();
  }
  if (error_occurred(ts)) return Value();
  return result.release();
}

static Value dict_method_reversed(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!no_arguments<kReversed>(ts, nargs, kwnames)) return Value();
  return dict_iter_new(ts, self_dict(args), &dict_reversekeyiterator_type);
}

static const MethodDef dict_methods[] = {
    {"keys", dict_method_keys},
    {"values", dict_method_values},
    {"items", dict_method_items},
    {"get", dict_method_get},
    {"setdefault", dict_method_setdefault},
    {"pop", dict_method_pop},
    {"popitem", dict_method_popitem},
    {"update", dict_method_update},
    {"copy", dict_method_copy},
    {"clear", dict_method_clear},
    {"fromkeys", dict_method_fromkeys, kMethClass},
    {"__reversed__", dict_method_reversed},
    {nullptr, nullptr},
};

Type dict_type;
MINIVM_TYPE_SETUP(dict_type) {
  t.name = "dict";
  t.basic_size = sizeof(Dict);
  t.flags = kTypeBaseType | kTypeDictSubclass;
  t.dealloc = dict_dealloc;
  t.repr = dict_repr;
  t.hash = hash_unhashable;
  t.compare = dict_compare;
  t.binary = dict_binary;
  t.binary_ops = t.rbinary_ops = op_mask({BinaryOp::Or});
  t.truth = dict_truth;
  t.length = dict_length;
  t.getitem = dict_getitem;
  t.setitem = dict_setitem;
  t.contains = dict_contains;
  t.iter = dict_iter_slot;
  t.new_ = dict_new_slot;
  t.init = dict_init;
  t.methods = dict_methods;
}

}  // namespace mvm
