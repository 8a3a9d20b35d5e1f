// Unit tests for biased locks (runtime/lock_bias.h): the creating thread skips the lock of
// a dict until another thread revokes the bias, and revocation waits until the creator has
// passed a quiescent point. Threads here belong to no interpreter.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "runtime/dict.h"
#include "runtime/lock_bias.h"
#include "runtime/parking_lot.h"
#include "runtime/qsbr.h"
#include "vm/thread_state.h"

#if MINIVM_FREE_THREADING
using namespace mvm;

namespace {
struct FreeThreadedScope {
  bool previous = RefcountMode::free_threaded;
  FreeThreadedScope() { RefcountMode::free_threaded = true; }
  ~FreeThreadedScope() { RefcountMode::free_threaded = previous; }
};

// Registered, bound and online for QSBR, as the VM's threads are.
struct QsbrMember {
  QsbrThread slot;
  std::atomic<uint32_t> breaker{0};
  QsbrMember() {
    qsbr_register(slot, &breaker);
    qsbr_bind_to_current_thread(slot);
    qsbr_set_online(slot);
  }
  ~QsbrMember() {
    qsbr_set_offline(slot);
    qsbr_unregister(slot);
  }
};
}  // namespace

TEST_CASE("lock bias: the thread that made a dict skips its lock until another thread wants it") {
  FreeThreadedScope mode;
  Dict* d = dict_new_nogil();
  CHECK(lock_bias_of(d).load() == kLockBiased);
  CHECK(lock_biased_to_caller(d));
  lock_bias_prepare(d);   // the owner taking its own lock revokes nothing
  CHECK(lock_biased_to_caller(d));
  uint64_t before = lock_bias_revocations();
  std::thread([d] {
    CHECK(!lock_biased_to_caller(d));
    lock_bias_prepare(d);
  }).join();
  CHECK(lock_bias_revocations() == before + 1);
  CHECK(lock_bias_of(d).load() == kLockUnbiased);
  CHECK(!lock_biased_to_caller(d));   // from now on the owner locks too
  std::thread([d] { lock_bias_prepare(d); }).join();
  CHECK(lock_bias_revocations() == before + 1);   // once is enough
  decref(Value::from_obj(d));
}

TEST_CASE("lock bias: revocation waits until the owner has passed a quiescent point") {
  // The owner may be in the middle of a store that skips the lock; the revoker must not
  // take the lock before the owner has left every such stretch.
  FreeThreadedScope mode;
  QsbrMember owner;
  Dict* d = dict_new_nogil();
  std::atomic<bool> revoked{false};
  std::thread revoker([&] {
    QsbrMember self;
    lock_bias_prepare(d);
    revoked.store(true);
  });
  // The revoker announces itself at once and asks the owner to report.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (lock_bias_of(d).load() != kLockRevoking && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  CHECK(lock_bias_of(d).load() == kLockRevoking);
  CHECK(!lock_biased_to_caller(d));   // the owner's next store takes the lock
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(!revoked.load());
  CHECK((owner.breaker.load() & kBreakPendingWork) != 0);
  qsbr_quiescent(owner.slot);   // the owner's poll point
  revoker.join();
  CHECK(revoked.load());
  CHECK(lock_bias_of(d).load() == kLockUnbiased);
  decref(Value::from_obj(d));
}

TEST_CASE("lock bias: two threads revoking each other's dicts both finish") {
  // Each waits for the other's quiescent point, which it gets because a revoker waits as a
  // blocked thread (offline for QSBR). The hooks here do only that part of the VM's.
  FreeThreadedScope mode;
  BlockingHooks saved = set_blocking_hooks({[](ThreadState& ts) { qsbr_set_offline(ts.qsbr); },
                                            [](ThreadState& ts) { qsbr_set_online(ts.qsbr); }});
  ThreadState states[2];
  std::atomic<uint32_t> breakers[2] = {0, 0};
  Dict* made[2] = {nullptr, nullptr};
  std::atomic<int> ready{0}, finished{0};
  auto body = [&](int me) {
    ThreadState& ts = states[me];
    qsbr_register(ts.qsbr, &breakers[me]);
    qsbr_bind_to_current_thread(ts.qsbr);
    qsbr_set_online(ts.qsbr);
    set_current_thread_state(&ts);
    made[me] = dict_new_nogil();
    ready.fetch_add(1);
    while (ready.load() < 2) qsbr_quiescent(ts.qsbr);
    lock_bias_prepare(made[1 - me]);
    finished.fetch_add(1);
    set_current_thread_state(nullptr);
    qsbr_set_offline(ts.qsbr);
    qsbr_unregister(ts.qsbr);
  };
  std::thread a(body, 0), b(body, 1);
  // Bounded: were the revokers to wait for each other online, this reports for them after
  // 10 s (a failure), so that the test ends.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (finished.load() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  bool in_time = finished.load() == 2;
  while (finished.load() < 2) {
    for (ThreadState& ts : states) qsbr_quiescent(ts.qsbr);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  a.join();
  b.join();
  CHECK(in_time);
  set_blocking_hooks(saved);
  decref(Value::from_obj(made[0]));
  decref(Value::from_obj(made[1]));
}
#endif
