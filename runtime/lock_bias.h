// Biased locking for dicts and lists: the thread that made one (its refcount owner) skips
// the object's lock on the paths that run no Python code, until another thread first wants
// the lock and revokes the bias. docs/free-threading.md, "Biased locks".
#pragma once

#include <atomic>
#include <cstdint>

#include "runtime/object.h"
#include "runtime/refcount.h"

namespace mvm {

struct ThreadState;

// Object::ob_lock_bias. Zero, the default, is "unbiased": every thread takes the lock.
enum LockBias : uint8_t {
  kLockUnbiased = 0,
  kLockBiased = 1,     // the owner (ob_tid) may skip the lock where FastPathLock may
  kLockRevoking = 2,   // another thread wants the lock: the owner may still be skipping it
};

// The header's ob_lock_bias as an atomic. A dict or list is born kLockBiased (alloc.h),
// every other object kLockUnbiased.
static_assert(kLockBiased == 1, "try_new_object stores 1 for kLockBiased");
inline std::atomic_ref<uint8_t> lock_bias_of(const Object* o) {
  return std::atomic_ref<uint8_t>(const_cast<uint8_t&>(o->ob_lock_bias));
}

#if MINIVM_FREE_THREADING
// True when the calling thread may skip o's lock. The caller must then neither block nor
// run Python code until it is done with o: that is what makes revocation safe, since such a
// stretch contains no quiescent point.
inline bool lock_biased_to_caller(const Object* o) {
  return lock_bias_of(o).load(std::memory_order_relaxed) == kLockBiased && BiasedRefcount::owned_by_caller(o);
}

// Called before taking o's lock: a thread that is not o's owner first revokes the bias,
// waiting (as a blocked thread) until the owner has passed a quiescent point.
[[gnu::cold]] void lock_bias_revoke(Object* o);
inline void lock_bias_prepare(Object* o) {
  if (lock_bias_of(o).load(std::memory_order_acquire) != kLockUnbiased && !BiasedRefcount::owned_by_caller(o))
    lock_bias_revoke(o);
}

// Revocations since the process started, for tests and statistics.
uint64_t lock_bias_revocations();
#else
// A GIL-only build has no biased locks: the GIL already serialises every object.
inline bool lock_biased_to_caller(const Object*) { return false; }
inline void lock_bias_prepare(Object*) {}
#endif

}  // namespace mvm
