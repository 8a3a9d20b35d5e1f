// The slow paths of the per-object lock: spinning, parking, and handing the lock over to
// a thread that has waited too long, after CPython's Python/lock.c.
#include "runtime/lock.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <thread>

#include "runtime/parking_lot.h"

namespace mvm {

namespace {

// A waiter first spins this many times, hoping the holder is about to release: much
// cheaper than sleeping and being woken when critical sections are short. The first spins
// only pause the core (a few nanoseconds each, for a holder running on another core); the
// later ones yield the processor (a system call, for a holder that is not running).
constexpr int kSpinLimit = 40;
constexpr int kPauseSpins = 100;

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}
// A waiter that has waited longer than this is handed the lock by the next unlock, so
// threads that keep re-taking the lock cannot starve it.
constexpr int64_t kFairnessThresholdNs = 1'000'000;

std::atomic<uint64_t> park_count{0};
std::atomic<uint64_t> handoff_count{0};

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// What a sleeping locker shares with the unlocker that wakes it (the park_arg).
struct LockWaiter {
  int64_t fair_after_ns;     // from this time on, an unlock hands the lock over
  bool handed_off = false;   // set by the unlocker: the waiter owns the lock when it wakes
};

// Park only if the byte still reads as the waiter left it (locked, with HAS_PARKED set);
// otherwise the lock changed hands and the waiter should look again instead of sleeping.
bool lock_byte_unchanged(const void* address, void* expected) {
  return static_cast<const std::atomic<uint8_t>*>(address)->load(std::memory_order_relaxed) ==
         *static_cast<uint8_t*>(expected);
}

// Runs under the parking lot's bucket lock, so no thread can park on m while the byte is
// rewritten here.
void release_or_hand_over(void* mutex, void* park_arg, bool more_waiters) {
  auto& m = *static_cast<std::atomic<uint8_t>*>(mutex);
  uint8_t bits = 0;
  if (auto* waiter = static_cast<LockWaiter*>(park_arg)) {
    // Handing over leaves kLocked set: the lock passes from us to the waiter without ever
    // being free, so no running thread can barge in front of it.
    waiter->handed_off = now_ns() > waiter->fair_after_ns;
    if (waiter->handed_off) bits |= kLocked;
    if (more_waiters) bits |= kHasParked;
  }
  m.store(bits, std::memory_order_release);
}

}  // namespace

bool mutex_lock_slow(std::atomic<uint8_t>& m, int64_t timeout_ns) {
  int64_t start = now_ns();
  int64_t deadline = timeout_ns > 0 ? start + timeout_ns : 0;
  LockWaiter waiter{start + kFairnessThresholdNs};
  int spins = 0;
  uint8_t bits = m.load(std::memory_order_relaxed);
  for (int pauses = 0; (bits & kLocked) && !(bits & kHasParked) && timeout_ns != 0 && pauses < kPauseSpins; pauses++) {
    cpu_relax();
    bits = m.load(std::memory_order_relaxed);
  }
  for (;;) {
    if (!(bits & kLocked)) {
      // Free, perhaps with waiters parked: take it (this may overtake them; see the fairness
      // rule above for why that cannot go on forever).
      if (m.compare_exchange_weak(bits, bits | kLocked, std::memory_order_acquire, std::memory_order_relaxed))
        return true;
      continue;
    }
    if (timeout_ns == 0) return false;
    if (!(bits & kHasParked) && spins < kSpinLimit) {
      std::this_thread::yield();
      ++spins;
      bits = m.load(std::memory_order_relaxed);
      continue;
    }
    // Announce a sleeper before sleeping, so the holder's unlock takes the slow path.
    uint8_t parked_bits = bits | kHasParked;
    if (!(bits & kHasParked) &&
        !m.compare_exchange_weak(bits, parked_bits, std::memory_order_relaxed, std::memory_order_relaxed))
      continue;

    ParkResult result = park(&m, lock_byte_unchanged, &parked_bits, timeout_ns, &waiter);
    if (result != ParkResult::Invalid) park_count.fetch_add(1, std::memory_order_relaxed);
    if (result == ParkResult::TimedOut) return false;
    if (waiter.handed_off) {
      handoff_count.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
    if (timeout_ns > 0) timeout_ns = std::max<int64_t>(deadline - now_ns(), 0);
    bits = m.load(std::memory_order_relaxed);
  }
}

void mutex_unlock_slow(std::atomic<uint8_t>& m) {
  uint8_t bits = m.load(std::memory_order_relaxed);
  for (;;) {
    assert((bits & kLocked) && "unlocking a lock that is not locked");
    if (bits & kHasParked) {
      unpark_one(&m, release_or_hand_over, &m);
      return;
    }
    if (m.compare_exchange_weak(bits, 0, std::memory_order_release, std::memory_order_relaxed)) return;
  }
}

LockStats lock_stats() {
  return {park_count.load(std::memory_order_relaxed), handoff_count.load(std::memory_order_relaxed)};
}

}  // namespace mvm
