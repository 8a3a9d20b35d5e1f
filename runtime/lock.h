// The per-object lock: one byte (Object::ob_mutex), after CPython's PyMutex. Locking and
// unlocking without contention is one compare-and-swap each, inline; waiting threads sleep
// in the parking lot (runtime/parking_lot.h). See docs/free-threading.md.
#pragma once

#include <atomic>
#include <cstdint>

namespace mvm {

// Bits of a lock byte. HAS_PARKED means a thread may be asleep waiting for the lock, so
// unlock must go through the parking lot to wake it. CLAIMED, only ever on a free lock,
// means a spinning waiter is about to take it (runtime/lock.cpp says why it waits first);
// any other thread that wants the lock meanwhile takes it anyway and clears the claim.
enum LockBits : uint8_t {
  kLocked = 1,
  kHasParked = 2,
  kClaimed = 4,
};

// Tells the CPU that this thread spins, waiting for another (a pause instruction).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// The slow paths (runtime/lock.cpp). mutex_lock_slow returns false when timeout_ns (< 0:
// never) passed first; 0 means "do not wait".
bool mutex_lock_slow(std::atomic<uint8_t>& m, int64_t timeout_ns);
void mutex_unlock_slow(std::atomic<uint8_t>& m);

// Takes a free lock that nobody waits for: the whole uncontended lock.
inline bool mutex_lock_fast(std::atomic<uint8_t>& m) {
  uint8_t expected = 0;
  return m.compare_exchange_strong(expected, kLocked, std::memory_order_acquire, std::memory_order_relaxed);
}

// Blocks until the calling thread holds the lock. It spins briefly, then sleeps; a thread
// that has waited more than 1 ms is handed the lock directly by the unlocking thread.
// The lock is not re-entrant: taking it twice on one thread waits forever.
inline void mutex_lock(std::atomic<uint8_t>& m) {
  if (!mutex_lock_fast(m)) mutex_lock_slow(m, -1);
}

// Like mutex_lock, but gives up after timeout_ns; true when the lock was taken.
inline bool mutex_lock_timed(std::atomic<uint8_t>& m, int64_t timeout_ns) {
  return mutex_lock_fast(m) || mutex_lock_slow(m, timeout_ns);
}

// Takes the lock only if it is free now.
inline bool mutex_try_lock(std::atomic<uint8_t>& m) { return mutex_lock_timed(m, 0); }

// Releases the lock, which the calling thread must hold; wakes a waiter if there is one.
inline void mutex_unlock(std::atomic<uint8_t>& m) {
  uint8_t expected = kLocked;
  if (!m.compare_exchange_strong(expected, 0, std::memory_order_release, std::memory_order_relaxed))
    mutex_unlock_slow(m);
}

// Releases the lock if it is locked and says whether it was: for locks that any thread
// may release (threading.Lock), where releasing an unlocked lock is an error to report.
inline bool mutex_unlock_if_locked(std::atomic<uint8_t>& m) {
  uint8_t bits = m.load(std::memory_order_relaxed);
  for (;;) {
    if (!(bits & kLocked)) return false;
    if (bits & kHasParked) {
      mutex_unlock_slow(m);
      return true;
    }
    if (m.compare_exchange_weak(bits, 0, std::memory_order_release, std::memory_order_relaxed)) return true;
  }
}

// A snapshot: another thread may take or release the lock right after.
inline bool mutex_is_locked(const std::atomic<uint8_t>& m) {
  return (m.load(std::memory_order_relaxed) & kLocked) != 0;
}

// Counts since the process started, for tests and statistics.
struct LockStats {
  uint64_t parks;      // times a thread went to sleep on a lock
  uint64_t handoffs;   // unlocks that passed the lock straight to a long-waiting thread
};
LockStats lock_stats();

}  // namespace mvm
