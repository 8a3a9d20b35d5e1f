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

// A waiter spins before it sleeps, because sleeping and being woken costs far more than a
// short critical section. While it spins it yields the processor (the holder may be waiting
// for a core) and looks at the lock byte after each yield, for up to kSpinNs; then it parks.
constexpr int64_t kSpinNs = 60'000;

// Taking the lock the moment it is free is right when its holder is done with it, and wrong
// when the holder takes it again a moment later, as `with lock: counter += 1` in a loop does.
// Then every change of hands moves the cache lines of the lock and of the data it protects
// between cores (about 200 ns each on a 2-core machine, more than a whole iteration of that
// loop without contention) and gains nothing, since only one thread can hold the lock
// anyway. So for the first kPoliteNs of its wait a waiter does not take a free lock but
// claims it (kClaimed) and gives the holder kClaimNs to come back: enough for a loop to
// return to the lock and move its cache line back. A holder that comes back takes the lock
// and clears the claim; the waiter then leaves the lock alone until kPoliteNs have passed,
// and takes it at first sight afterwards. A lock whose holder has finished costs the waiter
// only kClaimNs more.
constexpr int64_t kPoliteNs = 30'000;
constexpr int64_t kClaimNs = 300;


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

// Takes the free lock whose byte reads `bits`, clearing a claim; false (with `bits`
// reloaded) if the byte has changed.
bool take_free(std::atomic<uint8_t>& m, uint8_t& bits) {
  return m.compare_exchange_weak(bits, uint8_t((bits & ~kClaimed) | kLocked), std::memory_order_acquire,
                                 std::memory_order_relaxed);
}

// Claims the lock if it is free, waits kClaimNs, and takes it if the claim is still there.
// False if the lock was taken meanwhile (or already was): by its holder coming back, as a
// rule.
bool claim_then_take(std::atomic<uint8_t>& m) {
  uint8_t bits = m.load(std::memory_order_relaxed);
  while (!(bits & kClaimed)) {
    if (bits & kLocked) return false;
    if (m.compare_exchange_weak(bits, bits | kClaimed, std::memory_order_relaxed, std::memory_order_relaxed)) break;
  }
  for (int64_t until = now_ns() + kClaimNs; now_ns() < until;) cpu_relax();
  bits = m.load(std::memory_order_relaxed);
  while ((bits & kClaimed) && !(bits & kLocked))
    if (take_free(m, bits)) return true;
  return false;
}

}  // namespace

bool mutex_lock_slow(std::atomic<uint8_t>& m, int64_t timeout_ns) {
  int64_t start = now_ns();
  int64_t deadline = timeout_ns > 0 ? start + timeout_ns : 0;
  int64_t polite_until = start + kPoliteNs;
  int64_t spin_until = deadline ? std::min(deadline, start + kSpinNs) : start + kSpinNs;
  int64_t next_look = 0;   // the spin looks again after one yield, or not before this time
  bool arrived = true;     // the first look, before any waiting
  LockWaiter waiter{start + kFairnessThresholdNs};
  uint8_t bits = m.load(std::memory_order_relaxed);
  for (;;) {
    if (!(bits & kLocked)) {
      // Free, perhaps with waiters parked or a claim. A thread that has just arrived (a holder
      // coming back, too) takes it; so does a waiter past its polite phase or one that sees
      // sleepers (politeness is for a looping holder, above). Taking it may overtake the
      // sleepers; see the fairness rule above for why that cannot go on forever.
      bool polite = !arrived && !(bits & kHasParked) && now_ns() < polite_until;
      if (!polite) {
        if (take_free(m, bits)) return true;
        continue;
      }
      if (claim_then_take(m)) return true;
      next_look = polite_until;
      bits = m.load(std::memory_order_relaxed);
    }
    if (timeout_ns == 0) return false;
    int64_t now = now_ns();
    // Spin only while nobody sleeps on the lock: if somebody does, the lock has been busy for
    // a while, and this waiter queues up behind the sleeper.
    if (!(bits & kHasParked) && now < spin_until) {
      do std::this_thread::yield();
      while (now_ns() < std::min(next_look, spin_until));
      arrived = false;
      bits = m.load(std::memory_order_relaxed);
      continue;
    }
    if (deadline && now >= deadline) return false;
    if (!(bits & kLocked)) continue;   // released since the lost claim: look again
    // Announce a sleeper before sleeping, so the holder's unlock takes the slow path.
    uint8_t parked_bits = bits | kHasParked;
    if (!(bits & kHasParked) &&
        !m.compare_exchange_weak(bits, parked_bits, std::memory_order_relaxed, std::memory_order_relaxed))
      continue;

    ParkResult result = park(&m, lock_byte_unchanged, &parked_bits, deadline ? deadline - now : -1, &waiter);
    if (result != ParkResult::Invalid) park_count.fetch_add(1, std::memory_order_relaxed);
    if (result == ParkResult::TimedOut) return false;
    if (waiter.handed_off) {
      handoff_count.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
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
