// The parking lot: a process-wide table where threads sleep until another thread wakes
// them by address, after CPython's Python/parking_lot.c. Locks built on it (runtime/lock.h)
// need only a byte each, because the queue of sleepers lives here, not in the lock.
#pragma once

#include <cstdint>

namespace mvm {

struct ThreadState;

enum class ParkResult {
  Ok,         // woken by unpark_one / unpark_all
  Invalid,    // validate() returned false: the thread did not sleep
  TimedOut,   // the timeout passed first
};

// Sleeps until another thread unparks `address`. Under the lock of the address's bucket it
// first calls validate(address, validate_arg), if given, and sleeps only if that returns true;
// because unpark_* take the same bucket lock, a waker either sees this thread queued or runs
// before the check (so a lock can test "is the HAS_PARKED bit still set?" without losing a
// wake-up). park_arg is handed to the unpark_one callback that wakes this thread.
// timeout_ns < 0 waits forever. While asleep the thread runs the blocking hooks (below).
ParkResult park(const void* address, bool (*validate)(const void* address, void* validate_arg),
                void* validate_arg, int64_t timeout_ns, void* park_arg);

// Wakes the thread that has waited longest on `address`. Before it wakes, and still under
// the bucket lock, calls callback(callback_arg, park_arg of that thread, whether other
// threads still wait on address); with nobody waiting it calls callback(callback_arg, nullptr,
// false). The callback is where a lock updates its byte, atomically with respect to park().
void unpark_one(const void* address, void (*callback)(void* callback_arg, void* park_arg, bool more_waiters),
                void* callback_arg);

// Wakes every thread waiting on `address`.
void unpark_all(const void* address);

// What a thread does around sleeping in park(). The VM installs hooks that let the thread go
// idle while it sleeps: suspend its critical sections (runtime/critical_section.h), go
// offline for QSBR, drop the GIL; `after` undoes that in reverse order. Both run outside
// any bucket lock and get the sleeping thread's ThreadState (current_thread_state()); a
// thread without one (not attached to the VM) skips them. Install before threads start.
struct BlockingHooks {
  void (*before_sleep)(ThreadState& ts) = nullptr;
  void (*after_wake)(ThreadState& ts) = nullptr;
};
// Installs `hooks` and returns the ones they replace.
BlockingHooks set_blocking_hooks(BlockingHooks hooks);

// Runs the hooks around a wait that is not a park() (runtime/lock_bias.cpp): for its
// lifetime the calling thread counts as blocked.
class BlockedRegion {
 public:
  BlockedRegion();
  ~BlockedRegion();
  BlockedRegion(const BlockedRegion&) = delete;
  BlockedRegion& operator=(const BlockedRegion&) = delete;

 private:
  ThreadState* ts_;
};

}  // namespace mvm
