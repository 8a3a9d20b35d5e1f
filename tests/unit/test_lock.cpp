// Unit tests for the parking lot, the per-object lock and critical sections. They use bare
// lock bytes and Objects, and ThreadStates that belong to no interpreter.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "runtime/critical_section.h"
#include "runtime/lock.h"
#include "runtime/parking_lot.h"

using namespace mvm;
using namespace std::chrono_literals;

namespace {

constexpr int64_t kMs = 1'000'000;
// The bound on every wait: far longer than any of these tests needs.
constexpr auto kPatience = 5s;

// Polls `done` until it holds or kPatience has passed; returns whether it holds.
bool eventually(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50us);
  }
  return true;
}

// Runs each body on a thread of its own, all starting together so that they contend, and
// waits at most kPatience for all of them. If some have not finished by then (a lock bug),
// they are detached, so the test fails instead of hanging; that is why bodies keep the
// state they touch in shared_ptrs.
bool run_threads_bounded(const std::vector<std::function<void()>>& bodies) {
  struct Progress {
    std::atomic<size_t> started{0}, finished{0};
  };
  auto progress = std::make_shared<Progress>();
  size_t count = bodies.size();
  std::vector<std::thread> threads;
  for (const auto& body : bodies)
    threads.emplace_back([body, progress, count] {
      progress->started.fetch_add(1);
      eventually([&] { return progress->started.load() == count; });
      body();
      progress->finished.fetch_add(1);
    });
  bool all_finished = eventually([&] { return progress->finished.load() == count; });
  for (auto& t : threads) all_finished ? t.join() : t.detach();
  return all_finished;
}

}  // namespace

TEST_CASE("lock: uncontended lock and unlock leave the byte as they found it") {
  std::atomic<uint8_t> m{0};
  mutex_lock(m);
  CHECK(mutex_is_locked(m));
  CHECK(m.load() == kLocked);
  mutex_unlock(m);
  CHECK_FALSE(mutex_is_locked(m));
  CHECK(m.load() == 0);
  CHECK(mutex_lock_timed(m, 0));
  mutex_unlock(m);
}

TEST_CASE("lock: try_lock succeeds only on a free lock") {
  std::atomic<uint8_t> m{0};
  CHECK(mutex_try_lock(m));
  CHECK_FALSE(mutex_try_lock(m));
  bool other_thread_got_it = true;
  std::thread([&] { other_thread_got_it = mutex_try_lock(m); }).join();
  CHECK_FALSE(other_thread_got_it);
  mutex_unlock(m);
  CHECK(mutex_try_lock(m));
  mutex_unlock(m);
}

TEST_CASE("lock: a claimed lock is free: any thread takes it and clears the claim") {
  // A spinning waiter claims a free lock before taking it (lock.cpp); meanwhile the lock
  // must behave as free for everyone else, and the claim must not outlive the next taker.
  std::atomic<uint8_t> m{kClaimed};
  CHECK_FALSE(mutex_is_locked(m));
  mutex_lock(m);
  CHECK(m.load() == kLocked);
  mutex_unlock(m);
  CHECK(m.load() == 0);
  m.store(kClaimed);
  CHECK(mutex_try_lock(m));
  CHECK(m.load() == kLocked);
  mutex_unlock(m);
  CHECK(m.load() == 0);
}

TEST_CASE("lock: a timed lock gives up, and the unlock after it clears HAS_PARKED") {
  std::atomic<uint8_t> m{0};
  mutex_lock(m);
  bool acquired = true;
  std::thread([&] { acquired = mutex_lock_timed(m, 20 * kMs); }).join();
  CHECK_FALSE(acquired);
  mutex_unlock(m);
  CHECK(m.load() == 0);
}

TEST_CASE("lock: a timed lock whose timeout ends while it spins gives up without sleeping") {
  // 10 us is well inside the spin before parking: the waiter must notice its deadline there.
  std::atomic<uint8_t> m{0};
  mutex_lock(m);
  uint64_t parks_before = lock_stats().parks;
  bool acquired = true;
  std::thread([&] { acquired = mutex_lock_timed(m, 10'000); }).join();
  CHECK_FALSE(acquired);
  CHECK(lock_stats().parks == parks_before);
  CHECK(m.load() == kLocked);   // no HAS_PARKED left behind
  mutex_unlock(m);
}

TEST_CASE("lock: four threads increment a counter under the lock") {
  constexpr int kThreads = 4, kIncrements = 100'000;
  struct Shared {
    std::atomic<uint8_t> m{0};
    int64_t counter = 0;   // deliberately not atomic: only the lock protects it
  };
  auto shared = std::make_shared<Shared>();
  std::vector<std::function<void()>> bodies(kThreads, [shared] {
    for (int i = 0; i < kIncrements; ++i) {
      mutex_lock(shared->m);
      ++shared->counter;
      mutex_unlock(shared->m);
    }
  });
  REQUIRE(run_threads_bounded(bodies));
  CHECK(shared->counter == int64_t(kThreads) * kIncrements);
  CHECK(shared->m.load() == 0);
}

TEST_CASE("lock: a thread that re-takes the lock in a loop does not starve another") {
  // The waiter alternates with a thread that takes the lock again right after releasing it;
  // the spin and, failing that, the 1 ms hand-off must let it through every time.
  constexpr int kRounds = 200;
  struct Shared {
    std::atomic<uint8_t> m{0};
    std::atomic<bool> waiter_done{false}, hammer_gave_up{false};
    int64_t waiter_rounds = 0;   // only the lock protects it
  };
  auto shared = std::make_shared<Shared>();
  auto deadline = std::chrono::steady_clock::now() + kPatience;
  REQUIRE(run_threads_bounded({
      [shared, deadline] {
        for (uint64_t i = 0; !shared->waiter_done.load(std::memory_order_relaxed); ++i) {
          mutex_lock(shared->m);
          mutex_unlock(shared->m);
          if (i % 1024 == 0 && std::chrono::steady_clock::now() > deadline) {
            shared->hammer_gave_up = true;   // the waiter starved: end, so that the test fails
            break;
          }
        }
      },
      [shared] {
        for (int i = 0; i < kRounds; ++i) {
          mutex_lock(shared->m);
          ++shared->waiter_rounds;
          mutex_unlock(shared->m);
        }
        shared->waiter_done = true;
      },
  }));
  CHECK_FALSE(shared->hammer_gave_up.load());
  CHECK(shared->waiter_rounds == kRounds);
  CHECK(shared->m.load() == 0);
}

TEST_CASE("lock: a thread that has waited over 1 ms is handed the lock on unlock") {
  // The waiter may, rarely, still be between setting HAS_PARKED and falling asleep when we
  // unlock; then it takes the lock the ordinary way. A few attempts make a hand-off certain.
  bool handed_off = false;
  for (int attempt = 0; attempt < 5 && !handed_off; ++attempt) {
    struct Shared {
      std::atomic<uint8_t> m{0};
      std::atomic<bool> waiter_holds{false}, checked{false};
    };
    auto shared = std::make_shared<Shared>();
    mutex_lock(shared->m);
    uint64_t handoffs_before = lock_stats().handoffs;
    std::thread waiter([shared] {
      mutex_lock(shared->m);
      shared->waiter_holds = true;
      eventually([&] { return shared->checked.load(); });
      mutex_unlock(shared->m);
    });
    REQUIRE(eventually([&] { return (shared->m.load() & kHasParked) != 0; }));
    // The waiter started waiting before it set HAS_PARKED, so it has now waited over 1 ms.
    std::this_thread::sleep_for(5ms);
    mutex_unlock(shared->m);
    REQUIRE(eventually([&] { return shared->waiter_holds.load(); }));
    handed_off = lock_stats().handoffs == handoffs_before + 1;
    // Handed over, the lock never became free: the waiter holds it and the byte says so.
    if (handed_off) CHECK(mutex_is_locked(shared->m));
    shared->checked = true;
    waiter.join();
    CHECK(shared->m.load() == 0);
  }
  CHECK(handed_off);
}

TEST_CASE("parking lot: park returns TimedOut, or Invalid when validation fails") {
  int word = 0;
  CHECK(park(&word, nullptr, nullptr, 10 * kMs, nullptr) == ParkResult::TimedOut);
  auto refuse = [](const void*, void*) { return false; };
  CHECK(park(&word, refuse, nullptr, -1, nullptr) == ParkResult::Invalid);
}

namespace {
// A validate callback that counts the threads it let park (it runs under the bucket lock,
// just before the thread is queued).
bool count_parker(const void*, void* counter) {
  static_cast<std::atomic<int>*>(counter)->fetch_add(1);
  return true;
}
}  // namespace

TEST_CASE("parking lot: unpark_one wakes the oldest waiter and reports who is left") {
  int word = 0;
  std::atomic<int> queued{0};
  int first_tag = 1, second_tag = 2;
  ParkResult first_result = ParkResult::Invalid, second_result = ParkResult::Invalid;
  std::thread first([&] { first_result = park(&word, count_parker, &queued, 5'000 * kMs, &first_tag); });
  REQUIRE(eventually([&] { return queued.load() == 1; }));
  std::thread second([&] { second_result = park(&word, count_parker, &queued, 5'000 * kMs, &second_tag); });
  REQUIRE(eventually([&] { return queued.load() == 2; }));

  struct Seen {
    void* park_arg;
    bool more_waiters;
  } seen{};
  auto record = [](void* out, void* park_arg, bool more_waiters) { *static_cast<Seen*>(out) = {park_arg, more_waiters}; };
  unpark_one(&word, record, &seen);
  CHECK(seen.park_arg == &first_tag);
  CHECK(seen.more_waiters);
  first.join();
  unpark_one(&word, record, &seen);
  CHECK(seen.park_arg == &second_tag);
  CHECK_FALSE(seen.more_waiters);
  second.join();
  unpark_one(&word, record, &seen);
  CHECK(seen.park_arg == nullptr);
  CHECK(first_result == ParkResult::Ok);
  CHECK(second_result == ParkResult::Ok);
}

TEST_CASE("parking lot: unpark_all wakes every waiter on its address, and only those") {
  // Two addresses 257 bytes apart share a bucket: waking one must leave the other asleep.
  alignas(8) static char words[512];
  const void* address = &words[0];
  const void* neighbour = &words[257];
  int neighbour_tag = 0;
  std::atomic<int> queued{0};
  std::vector<ParkResult> results(4, ParkResult::Invalid);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    const void* where = i < 3 ? address : neighbour;
    void* tag = i < 3 ? nullptr : &neighbour_tag;
    threads.emplace_back([&, i, where, tag] { results[i] = park(where, count_parker, &queued, 5'000 * kMs, tag); });
  }
  REQUIRE(eventually([&] { return queued.load() == 4; }));
  unpark_all(address);
  for (int i = 0; i < 3; ++i) threads[i].join();
  void* woken_tag = nullptr;
  unpark_one(neighbour, [](void* out, void* park_arg, bool) { *static_cast<void**>(out) = park_arg; }, &woken_tag);
  CHECK(woken_tag == &neighbour_tag);   // it was still asleep
  threads[3].join();
  for (ParkResult r : results) CHECK(r == ParkResult::Ok);
}

TEST_CASE("critical section: in GIL mode it takes no lock") {
  if (object_locks_enabled()) return;   // this process runs free-threaded
  Object x;
  ThreadState ts;
  {
    CriticalSection cs(ts, &x);
    CHECK_FALSE(mutex_is_locked(x.ob_mutex));
    CHECK(ts.critical_section == nullptr);
  }
  CHECK(x.ob_mutex.load() == 0);
}

#if MINIVM_FREE_THREADING
namespace {
// Critical sections lock only in free-threaded mode. These tests touch no Python object, so
// switching the process to that mode for their duration is safe.
struct FreeThreadedForTest {
  bool saved = RefcountMode::free_threaded;
  FreeThreadedForTest() { RefcountMode::free_threaded = true; }
  ~FreeThreadedForTest() { RefcountMode::free_threaded = saved; }
};

// The blocking hooks as the VM installs them, minus the GIL and QSBR parts.
struct SuspendingHooksForTest {
  BlockingHooks saved = set_blocking_hooks({critical_sections_suspend_all, critical_sections_resume});
  ~SuspendingHooksForTest() { set_blocking_hooks(saved); }
};
}  // namespace

TEST_CASE("critical section: suspended sections come back innermost first") {
  FreeThreadedForTest mode;
  Object x, y;
  ThreadState ts;
  {
    CriticalSection outer(ts, &x);
    {
      CriticalSection inner(ts, &y);
      CHECK(mutex_is_locked(x.ob_mutex));
      CHECK(mutex_is_locked(y.ob_mutex));
      // What a blocking thread does: release everything, then re-take the innermost only.
      critical_sections_suspend_all(ts);
      CHECK_FALSE(mutex_is_locked(x.ob_mutex));
      CHECK_FALSE(mutex_is_locked(y.ob_mutex));
      critical_sections_resume(ts);
      CHECK_FALSE(mutex_is_locked(x.ob_mutex));
      CHECK(mutex_is_locked(y.ob_mutex));
    }
    // Ending the inner section re-took the outer one's lock.
    CHECK(mutex_is_locked(x.ob_mutex));
    CHECK_FALSE(mutex_is_locked(y.ob_mutex));
  }
  CHECK(x.ob_mutex.load() == 0);
  CHECK(ts.critical_section == nullptr);
}

TEST_CASE("critical section: re-entering an object the thread holds does not wait") {
  FreeThreadedForTest mode;
  Object x, y;
  ThreadState ts;
  {
    CriticalSection outer(ts, &x);
    {
      CriticalSection same(ts, &x);   // the innermost holds x: nothing to do
      CHECK(mutex_is_locked(x.ob_mutex));
    }
    CHECK(mutex_is_locked(x.ob_mutex));
    {
      CriticalSection middle(ts, &y);
      {
        CriticalSection again(ts, &x);   // an enclosing section holds x: they are suspended
        CHECK(mutex_is_locked(x.ob_mutex));
        CHECK_FALSE(mutex_is_locked(y.ob_mutex));
      }
      CHECK(mutex_is_locked(y.ob_mutex));
    }
    CHECK(mutex_is_locked(x.ob_mutex));
  }
  CHECK(x.ob_mutex.load() == 0);
  CHECK(y.ob_mutex.load() == 0);
  CHECK(ts.critical_section == nullptr);
}

TEST_CASE("critical section: CriticalSection2 locks two objects, or one object once") {
  FreeThreadedForTest mode;
  Object x, y;
  ThreadState ts;
  {
    CriticalSection2 both(ts, &y, &x);
    CHECK(mutex_is_locked(x.ob_mutex));
    CHECK(mutex_is_locked(y.ob_mutex));
  }
  {
    CriticalSection2 same(ts, &x, &x);
    CHECK(x.ob_mutex.load() == kLocked);
  }
  {
    CriticalSection outer(ts, &x);
    CriticalSection2 overlapping(ts, &x, &y);   // re-entry: the outer section is suspended
    CHECK(mutex_is_locked(x.ob_mutex));
    CHECK(mutex_is_locked(y.ob_mutex));
  }
  CHECK(x.ob_mutex.load() == 0);
  CHECK(y.ob_mutex.load() == 0);
  CHECK(ts.critical_section == nullptr);
}

TEST_CASE("critical section: two threads taking two objects in opposite orders both finish") {
  // A holds x and wants y; B holds y and wants x. Without suspension this deadlocks; with it,
  // whichever blocks first releases its outer lock and the other goes on.
  FreeThreadedForTest mode;
  SuspendingHooksForTest hooks;
  struct Shared {
    Object x, y;
    std::atomic<bool> a_holds_x{false}, b_holds_y{false};
    std::atomic<int> inner_sections_done{0};
  };
  auto shared = std::make_shared<Shared>();
  uint64_t parks_before = lock_stats().parks;
  auto body = [shared](Object* first, Object* second, std::atomic<bool>* mine, std::atomic<bool>* theirs) {
    ThreadState ts;
    set_current_thread_state(&ts);
    {
      CriticalSection outer(ts, first);
      *mine = true;
      eventually([&] { return theirs->load(); });
      CriticalSection inner(ts, second);
      if (mutex_is_locked(second->ob_mutex)) shared->inner_sections_done.fetch_add(1);
    }
    set_current_thread_state(nullptr);
  };
  REQUIRE(run_threads_bounded({
      [=] { body(&shared->x, &shared->y, &shared->a_holds_x, &shared->b_holds_y); },
      [=] { body(&shared->y, &shared->x, &shared->b_holds_y, &shared->a_holds_x); },
  }));
  CHECK(shared->inner_sections_done.load() == 2);
  // Neither could go on until one of them slept and so released its outer lock.
  CHECK(lock_stats().parks > parks_before);
  CHECK(shared->x.ob_mutex.load() == 0);
  CHECK(shared->y.ob_mutex.load() == 0);
}
TEST_CASE("critical section: threads nesting sections over shared objects at random all finish") {
  // Every nesting order occurs, re-entry included; the per-object counters (changed only
  // while their object is locked, with no blocking in between) must add up exactly.
  FreeThreadedForTest mode;
  SuspendingHooksForTest hooks;
  constexpr int kThreads = 4, kObjects = 4, kRounds = 5'000;
  struct Shared {
    Object objects[kObjects];
    int64_t counters[kObjects] = {};
    std::atomic<int64_t> expected[kObjects] = {};
  };
  auto shared = std::make_shared<Shared>();
  std::vector<std::function<void()>> bodies;
  for (int t = 0; t < kThreads; ++t)
    bodies.push_back([shared, t] {
      ThreadState ts;
      set_current_thread_state(&ts);
      uint32_t random = 12345u + uint32_t(t);
      auto pick = [&] { return int((random = random * 1103515245u + 12345u) >> 16) % kObjects; };
      int64_t expected[kObjects] = {};
      for (int round = 0; round < kRounds; ++round) {
        int a = pick(), b = pick(), c = pick();
        CriticalSection outer(ts, &shared->objects[a]);
        ++shared->counters[a];
        {
          CriticalSection2 inner(ts, &shared->objects[b], &shared->objects[c]);
          ++shared->counters[b];
          if (c != b) ++shared->counters[c];
        }
        ++shared->counters[a];   // the outer lock was taken back when the inner section ended
        expected[a] += 2;
        expected[b] += 1;
        if (c != b) expected[c] += 1;
      }
      for (int i = 0; i < kObjects; ++i) shared->expected[i] += expected[i];
      set_current_thread_state(nullptr);
    });
  REQUIRE(run_threads_bounded(bodies));
  for (int i = 0; i < kObjects; ++i) {
    CHECK(shared->counters[i] == shared->expected[i].load());
    CHECK(shared->objects[i].ob_mutex.load() == 0);
  }
}
#endif
