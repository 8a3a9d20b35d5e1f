// The runtime-wide intern table: one immortal Str per distinct text, so that names in
// attribute and global lookups compare by pointer. Shared by every interpreter and thread.
#include <cstring>
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
// strings live forever), so there are no tombstones. One mutex guards it: interning happens
// when code is loaded and names are built, not on the hot path of a running loop, and
// threads intern concurrently only in free-threaded mode.
class InternTable {
 public:
  // Returns the interned Str for text, or inserts the Str that `make()` returns (called with
  // the lock held, so it must not intern) when there is none.
  template <class Make>
  Str* find_or_insert(std::string_view text, int64_t hash, Make make) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (slots_.empty()) slots_.assign(1024, nullptr);
    size_t i = probe_start(hash);
    for (; slots_[i]; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i]->hash == hash && str_view(slots_[i]) == text) return slots_[i];
    }
    Str* s = make();
    if (!s) fatal_out_of_memory();
    s->hash = hash;
    s->ob_flags |= kFlagInterned;
    make_immortal(s);
    slots_[i] = s;
    // Keep the load factor at or below one half so probe sequences stay short.
    if (++used_ * 2 > slots_.size()) grow();
    return s;
  }

 private:
  size_t probe_start(int64_t hash) const { return size_t(hash) & (slots_.size() - 1); }

  void grow() {
    std::vector<Str*> old(slots_.size() * 2, nullptr);
    old.swap(slots_);
    for (Str* s : old) {
      if (!s) continue;
      size_t i = probe_start(s->hash);
      while (slots_[i]) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = s;
    }
  }

  std::mutex mutex_;
  std::vector<Str*> slots_;   // size is a power of two
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
