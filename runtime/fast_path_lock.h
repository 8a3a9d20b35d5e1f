// The lock of the eval loop's inline fast paths (list stores and unpacking, attribute
// stores): an object's lock byte taken without a critical section, or not at all while the
// process has one thread. docs/free-threading.md, "Locks".
#pragma once

#include <atomic>
#include <cstdint>

#include "runtime/lock.h"
#include "runtime/lock_bias.h"
#include "runtime/object.h"
#include "runtime/qsbr.h"

namespace mvm {

// For free-threaded code only. Between acquire() and release() the caller may neither
// block nor run Python code (a __del__ included): then no critical section is needed, and
// while qsbr_single_threaded() holds, no other thread can reach the object, so the lock is
// skipped altogether (runtime/qsbr.h says why a joining thread cannot break in).
class FastPathLock {
 public:
  // False when the lock is held, by another thread or by this one in an enclosing critical
  // section: the caller then takes its general path, which waits or re-enters properly.
  bool acquire(Object* o) {
    if (qsbr_single_threaded()) return true;
    return acquire_among_threads(o);
  }
  void release() {
    if (held_) mutex_unlock(*held_);
  }

 private:
  // Out of line: inlined into every fast path of the eval loop, these few lines cost a
  // single thread 10-15% of its time on allocation-heavy code (same instruction count:
  // GCC's code layout), while a call costs two threads far less than the lock they skip.
  [[gnu::noinline]] bool acquire_among_threads(Object* o) {
    if (lock_biased_to_caller(o)) return true;
    // Biased to another thread: the general path's critical section revokes the bias.
    if (lock_bias_of(o).load(std::memory_order_relaxed) != kLockUnbiased) return false;
    if (!mutex_lock_fast(o->ob_mutex)) return false;
    held_ = &o->ob_mutex;
    return true;
  }

  std::atomic<uint8_t>* held_ = nullptr;
};

}  // namespace mvm
