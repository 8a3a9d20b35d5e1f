// The runtime-wide intern table: one immortal Str per distinct text, so that names in
// attribute and global lookups compare by pointer. Shared by every interpreter and thread.
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <mutex>
#include <string_view>
#include <vector>

#include "runtime/alloc.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/unicode.h"

namespace mvm {

namespace {

// An open-addressing set of Str* with linear probing. Entries are never removed (interned
// strings live forever), so there are no tombstones. Lookups take no lock: code interns
// names on hot paths (intern("__name__") when a function is made), and in free-threaded
// mode a mutex there would be a point every thread contends on. Insertions take the
// mutex; a slot is published with a release store once its Str is complete, and a grown
// array replaces the old one with a release store. Old arrays are kept (readers may still
// be probing them); their total size is less than the current one.
class InternTable {
 public:
  // Returns the interned Str for text, or inserts the Str that `make()` returns (called with
  // the lock held, so it must not intern) when there is none.
  template <class Make>
  Str* find_or_insert(std::string_view text, int64_t hash, Make make) {
    if (Str* s = find(slots_.load(std::memory_order_acquire), text, hash)) return s;
    std::lock_guard<std::mutex> lock(mutex_);
    Slots* slots = slots_.load(std::memory_order_relaxed);
    if (!slots) slots = publish(new_slots(1024));
    size_t i = size_t(hash) & (slots->size - 1);
    for (Str* s; (s = slots->at(i).load(std::memory_order_relaxed)); i = (i + 1) & (slots->size - 1))
      if (s->hash == hash && str_view(s) == text) return s;
    Str* s = make();
    if (!s) fatal_out_of_memory();
    s->hash = hash;
    s->ob_flags |= kFlagInterned;
    make_immortal(s);
    slots->at(i).store(s, std::memory_order_release);
    // Keep the load factor at or below one half so probe sequences stay short.
    if (++used_ * 2 > slots->size) grow(slots);
    return s;
  }

 private:
  struct Slots {
    size_t size;   // a power of two
    std::atomic<Str*>& at(size_t i) { return entries()[i]; }
    std::atomic<Str*>* entries() { return reinterpret_cast<std::atomic<Str*>*>(this + 1); }
  };

  static Slots* new_slots(size_t size) {
    void* memory = std::calloc(1, sizeof(Slots) + size * sizeof(std::atomic<Str*>));
    if (!memory) fatal_out_of_memory();
    auto* slots = new (memory) Slots{size};
    for (size_t i = 0; i < size; i++) new (&slots->entries()[i]) std::atomic<Str*>(nullptr);
    return slots;
  }

  Slots* publish(Slots* slots) {
    slots_.store(slots, std::memory_order_release);
    return slots;
  }

  static Str* find(Slots* slots, std::string_view text, int64_t hash) {
    if (!slots) return nullptr;
    size_t i = size_t(hash) & (slots->size - 1);
    for (Str* s; (s = slots->at(i).load(std::memory_order_acquire)); i = (i + 1) & (slots->size - 1))
      if (s->hash == hash && str_view(s) == text) return s;
    return nullptr;
  }

  void grow(Slots* old) {
    Slots* slots = new_slots(old->size * 2);
    for (size_t j = 0; j < old->size; j++) {
      Str* s = old->at(j).load(std::memory_order_relaxed);
      if (!s) continue;
      size_t i = size_t(s->hash) & (slots->size - 1);
      while (slots->at(i).load(std::memory_order_relaxed)) i = (i + 1) & (slots->size - 1);
      slots->at(i).store(s, std::memory_order_relaxed);
    }
    retired_.push_back(old);
    publish(slots);
  }

  std::mutex mutex_;
  std::atomic<Slots*> slots_{nullptr};
  std::vector<Slots*> retired_;   // earlier arrays, which lock-free readers may still probe
  size_t used_ = 0;
};

InternTable& table() {
  static InternTable* const instance = new InternTable();   // never destroyed
  return *instance;
}

// A fresh Str for text, built with str_alloc because str_new itself interns (the empty and
// one-character strings are interned) and the table's lock is held here.
Str* new_uninterned(std::string_view text) {
  size_t length = 0;
  bool ascii = true;
  for (unsigned char byte : text) {
    length += !utf8_is_continuation(byte);
    ascii &= byte < 0x80;
  }
  Str* s = str_alloc(text.size(), length, ascii);
  if (s) std::memcpy(s->data, text.data(), text.size());
  return s;
}

// Whether no other reference to s can exist or change concurrently, so that s itself may
// become the immortal interned copy.
bool solely_owned(const Str* s) {
  if (s->ob_type != &str_type || s->ob_ref_local != 1) return false;
#if MINIVM_FREE_THREADING
  if (RefcountMode::free_threaded) {
    return s->ob_tid == refcount_owner() &&
           s->ob_ref_shared.load(std::memory_order_acquire) == 0;
  }
#endif
  return true;
}

}  // namespace

Str* intern(std::string_view text) {
  return table().find_or_insert(text, hash_bytes(text), [&] { return new_uninterned(text); });
}

Str* intern_str(Str* s) {
  if (s->ob_flags & kFlagInterned) return s;
  bool reuse = solely_owned(s);
  Str* interned = table().find_or_insert(str_view(s), str_hash(s), [&] {
    return reuse ? s : new_uninterned(str_view(s));
  });
  if (interned != s) decref(s);
  return interned;
}

}  // namespace mvm
