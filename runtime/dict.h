// dict: an insertion-ordered hash table (compact layout: a sparse index table over a dense
// entry array, as in CPython). Also backs module globals, class dicts and instance __dict__.
#pragma once

#include <atomic>

#include "runtime/fast_path_lock.h"
#include "runtime/object.h"
#include "runtime/str.h"

namespace mvm {

extern Type dict_type;

struct DictEntry {
  Value key;         // null for a deleted entry
  Value value;
  int64_t hash;
};

struct Dict : Object {
  static constexpr bool kLockBiasedAtBirth = true;   // runtime/lock_bias.h
  size_t used = 0;            // live entries
  size_t nentries = 0;        // entries[0..nentries) are in use or deleted
  size_t entry_capacity = 0;
  size_t index_size = 0;      // power of two
  int32_t* indices = nullptr; // -1 empty, -2 deleted, else an entry number
  DictEntry* entries = nullptr;
  // Changes whenever a key is added or removed or entries move, never on a plain value
  // update; inline caches keep (keys_version, entry index) pairs.
  uint64_t keys_version = 0;
  // A one-word Bloom filter: bit (hash % 64) of every key the dict holds is set, so a clear
  // bit proves a key absent without a lookup (dict_has_str). Bits of removed keys stay set
  // until a resize or a clear rebuilds the word from the live keys.
  uint64_t key_hash_bits = 0;
};
// The bit of key_hash_bits that stands for keys with this hash.
inline uint64_t key_hash_bit(int64_t hash) { return uint64_t(1) << (uint64_t(hash) & 63); }

inline bool is_dict(Value v) {
  return v.is_obj() && (v.obj()->ob_type == &dict_type || (v.obj()->ob_type->flags & kTypeDictSubclass));
}
Dict* dict_new(ThreadState& ts);
Dict* dict_new_nogil();            // same, aborting on out-of-memory (start-up code)

// Lookup: returns a borrowed value, or null. Null with no exception means missing; an
// exception is set only if hashing or comparing the key failed.
Value dict_get(ThreadState& ts, Dict* d, Value key);
// Fast lookup for string keys: interned keys match by pointer, others by content. Never
// raises (str hashing and comparison cannot fail).
Value dict_get_str(Dict* d, Str* key);
// The same, also setting *index to the key's entry number when found (for inline caches).
Value dict_get_str_at(Dict* d, Str* key, uint32_t* index);
// Whether d has the string key `key`. Most absent keys are answered by key_hash_bits alone,
// which is how LOAD_METHOD checks cheaply that an instance does not shadow a method.
// Lock-free: a writer sets a key's bit before it publishes the key.
[[gnu::always_inline]] inline bool dict_has_str(Dict* d, Str* key) {
  int64_t hash = std::atomic_ref<int64_t>(key->hash).load(std::memory_order_relaxed);
  uint64_t bits = std::atomic_ref<uint64_t>(d->key_hash_bits).load(std::memory_order_relaxed);
  if (hash != -1 && !(bits & key_hash_bit(hash))) return false;
  return bool(dict_get_str(d, key));
}
// Entry number of a string key, or -1; with dict_value_at it backs the inline caches.
int64_t dict_index_of_str(Dict* d, Str* key);
inline Value dict_value_at(Dict* d, int64_t index) { return d->entries[index].value; }

// Insert or replace; key and value are borrowed (the dict takes references). -1 on error.
int dict_set(ThreadState& ts, Dict* d, Value key, Value value);
// With `index`, *index is set to the key's entry number afterwards: the attribute caches of
// the eval loop remember it for dict_exchange_cached_str_value.
int dict_set_str(ThreadState& ts, Dict* d, Str* key, Value value, uint32_t* index = nullptr);
// Removes key; raises KeyError if missing. -1 on error.
int dict_del(ThreadState& ts, Dict* d, Value key);
// Removes key if present: 1 removed, 0 missing, -1 error.
int dict_discard(ThreadState& ts, Dict* d, Value key);
// Iteration in insertion order: start with *pos = 0; key and value are borrowed.
bool dict_next(Dict* d, size_t* pos, Value* key, Value* value);
// Readable without the dict's lock.
inline size_t dict_size(const Dict* d) {
  return std::atomic_ref<size_t>(const_cast<size_t&>(d->used)).load(std::memory_order_relaxed);
}
// The eval loop's global-variable cache: the value of entry `index` if that entry's key is
// `name`, else null (borrowed). Lock-free: it reads a snapshot of the entry array, whose
// capacity is stored in the word before it, and writers store entries atomically and free
// replaced arrays and values only after a grace period (runtime/qsbr.h). Forced inline,
// like instance_dict_slot.
[[gnu::always_inline]] inline Value dict_cached_str_value(Dict* d, uint32_t index, Str* name) {
  DictEntry* entries = std::atomic_ref<DictEntry*>(d->entries).load(std::memory_order_acquire);
  if (!entries || index >= uint64_t(entries[-1].hash)) return Value();
  if (std::atomic_ref<Value>(entries[index].key).load(std::memory_order_acquire).raw() != reinterpret_cast<uintptr_t>(name))
    return Value();
  return std::atomic_ref<Value>(entries[index].value).load(std::memory_order_acquire);
}
// The eval loop's attribute-store cache: when entry `index` has the key `name`, stores
// `value` there, taking over the caller's reference, and returns the value it replaced for
// the caller to drop with decref_after_readers (lock-free readers may still hold it).
// Otherwise returns null and changes nothing: the caller takes the general path
// (dict_set_str). Free-threaded, under a FastPathLock: the index and the key are read under
// the dict's lock, and a held lock, even by this thread, means the general path.
template <bool kFreeThreaded>
[[gnu::always_inline]] inline Value dict_exchange_cached_str_value(Dict* d, uint32_t index, Str* name, Value value) {
  FastPathLock lock;
  if (kFreeThreaded && !lock.acquire(d)) return Value();
  Value old;
  if (index < d->nentries && d->entries[index].key.raw() == reinterpret_cast<uintptr_t>(name)) {
    old = d->entries[index].value;
    std::atomic_ref<Value>(d->entries[index].value).store(value, std::memory_order_release);
  }
  if (kFreeThreaded) lock.release();
  return old;
}
inline uint64_t dict_keys_version(const Dict* d) {
  return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(d->keys_version)).load(std::memory_order_acquire);
}
// d.update(other) for a dict or an iterable of pairs / mapping with keys(). -1 on error.
int dict_update(ThreadState& ts, Dict* d, Value other);
Dict* dict_copy(ThreadState& ts, Dict* d);
void dict_clear(Dict* d);

// --- Additions for sets, the eval loop and the views. ---

// Lookup and insertion with a hash the caller already has (sets and merges reuse stored
// hashes). Same conventions as dict_get and dict_set.
Value dict_get_known_hash(ThreadState& ts, Dict* d, Value key, int64_t hash);
int dict_set_known_hash(ThreadState& ts, Dict* d, Value key, int64_t hash, Value value);
// Like dict_next, also giving the entry's stored hash.
bool dict_next_with_hash(Dict* d, size_t* pos, Value* key, Value* value, int64_t* hash);
// Removes key and returns its value (an owned reference); null without an exception when
// the key is missing, null with one when hashing or comparing failed.
Value dict_pop(ThreadState& ts, Dict* d, Value key);
// Adds every entry of other to d (other's entries win when override is true, as in
// d.update(other)). RuntimeError if a key comparison changes other's size. -1 on error.
int dict_merge(ThreadState& ts, Dict* d, Dict* other, bool override);
// dict.__getitem__: d[key], calling __missing__ for subclasses that define it; KeyError
// otherwise. A new reference.
Value dict_subscript(ThreadState& ts, Dict* d, Value key);

// The views d.keys(), d.values(), d.items() (dict_views.cpp).
extern Type dict_keys_type, dict_values_type, dict_items_type;
struct DictView : Object {
  Dict* dict = nullptr;      // owned
};
Value dict_view_new(ThreadState& ts, Dict* d, Type* view_type);

// Iterators over keys, values or items, forwards or reversed (dict_iter.cpp). The type
// says which. An iterator raises RuntimeError when the dict changes size under it.
extern Type dict_keyiterator_type, dict_valueiterator_type, dict_itemiterator_type,
    dict_reversekeyiterator_type, dict_reversevalueiterator_type, dict_reverseitemiterator_type;
struct DictIterator : Object {
  Dict* dict = nullptr;      // owned; null once exhausted
  size_t pos = 0;            // next entry (reversed: one past it)
  size_t expected_used = 0;  // the dict's size when iteration began
  size_t remaining = 0;      // entries still to produce
};
Value dict_iter_new(ThreadState& ts, Dict* d, Type* iterator_type);

}  // namespace mvm
