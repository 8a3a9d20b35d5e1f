// Unit tests for biased reference counting's state machine (owner, shared, queued, merged,
// immortal) and for QSBR's deferred release. They use bare Objects of a test type whose
// deallocator records the free, and threads that belong to no interpreter.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "runtime/alloc.h"
#include "runtime/biased_refcount.h"
#include "runtime/qsbr.h"
#include "runtime/type.h"
#include "vm/thread_state.h"

#if MINIVM_FREE_THREADING
using namespace mvm;

namespace {

std::atomic<int> objects_freed{0};

void counted_dealloc(Object* o) {
  objects_freed.fetch_add(1);
  object_free(o);
}

Type counted_type;
MINIVM_TYPE_SETUP(counted_type) {
  t.name = "counted";
  t.basic_size = sizeof(Object);
  t.dealloc = counted_dealloc;
}

// Switches the process to biased counting for one test (no interpreter runs meanwhile).
struct FreeThreadedScope {
  bool previous = RefcountMode::free_threaded;
  FreeThreadedScope() { RefcountMode::free_threaded = true; }
  ~FreeThreadedScope() { RefcountMode::free_threaded = previous; }
};

int64_t shared_count(const Object* o) {
  return o->ob_ref_shared.load() >> kSharedShift;
}
int64_t shared_state(const Object* o) { return o->ob_ref_shared.load() & kSharedStateMask; }

// Runs f on another thread, which is a non-owner of every object the test made.
template <class F>
void on_other_thread(F f) {
  std::thread(f).join();
}

}  // namespace

TEST_CASE("refcount: the owner counts locally, without atomics, and frees at zero") {
  FreeThreadedScope mode;
  int freed_before = objects_freed.load();
  Object* o = new_object<Object>(&counted_type);
  CHECK(o->ob_tid == refcount_owner());
  incref(o);
  CHECK(o->ob_ref_local == 2);
  CHECK(o->ob_ref_shared.load() == 0);
  decref(o);
  decref(o);
  CHECK(objects_freed.load() == freed_before + 1);
}

TEST_CASE("refcount: other threads use the shared count") {
  FreeThreadedScope mode;
  Object* o = new_object<Object>(&counted_type);
  on_other_thread([o] { incref(o); });
  CHECK(o->ob_ref_local == 1);
  CHECK(shared_count(o) == 1);
  on_other_thread([o] { decref(o); });
  CHECK(shared_count(o) == 0);
  CHECK(shared_state(o) == kSharedDefault);
  decref(o);
}

TEST_CASE("refcount: the owner's count reaching zero merges, and the last shared decref frees") {
  FreeThreadedScope mode;
  int freed_before = objects_freed.load();
  Object* o = new_object<Object>(&counted_type);
  on_other_thread([o] { incref(o); });
  decref(o);   // the owner's last reference: the object lives on, merged
  CHECK(objects_freed.load() == freed_before);
  CHECK(shared_state(o) == kSharedMerged);
  CHECK(o->ob_tid == 0);
  CHECK(shared_count(o) == 1);
  on_other_thread([o] { decref(o); });
  CHECK(objects_freed.load() == freed_before + 1);
}

TEST_CASE("refcount: a reference the owner handed over is queued back to it and merged") {
  FreeThreadedScope mode;
  MergeQueue queue;
  std::atomic<uint32_t> eval_breaker{0};
  merge_queue_register(queue, &eval_breaker);
  int freed_before = objects_freed.load();
  uint64_t queued_before = biased_refcount_stats().queued;

  Object* o = new_object<Object>(&counted_type);   // one reference, counted by the owner
  on_other_thread([o] { decref(o); });           // ...which another thread releases
  CHECK(shared_state(o) == kSharedQueued);
  CHECK(biased_refcount_stats().queued == queued_before + 1);
  CHECK((eval_breaker.load() & kBreakPendingWork) != 0);
  CHECK(objects_freed.load() == freed_before);   // waits for its owner
  merge_queue_drain(queue);
  CHECK(objects_freed.load() == freed_before + 1);
  merge_queue_unregister(queue);
}

TEST_CASE("refcount: while the owner is blocked, other threads merge for it") {
  FreeThreadedScope mode;
  MergeQueue queue;
  std::atomic<uint32_t> eval_breaker{0};
  merge_queue_register(queue, &eval_breaker);
  int freed_before = objects_freed.load();
  uint64_t merged_before = biased_refcount_stats().merged_for_owner;

  Object* o = new_object<Object>(&counted_type);
  merge_queue_detach(queue);   // the owner goes to sleep
  on_other_thread([o] { decref(o); });
  CHECK(objects_freed.load() == freed_before + 1);   // not pinned by the sleeping owner
  CHECK(biased_refcount_stats().merged_for_owner == merged_before + 1);
  merge_queue_attach(queue);
  merge_queue_unregister(queue);
}

TEST_CASE("refcount: objects of a thread that has exited are merged by whoever releases them") {
  FreeThreadedScope mode;
  int freed_before = objects_freed.load();
  Object* o = nullptr;
  on_other_thread([&o] {
    MergeQueue queue;
    std::atomic<uint32_t> eval_breaker{0};
    merge_queue_register(queue, &eval_breaker);
    o = new_object<Object>(&counted_type);
    merge_queue_unregister(queue);   // the thread ends; its object lives on
  });
  CHECK(objects_freed.load() == freed_before);
  decref(o);   // this thread is not the owner, and the owner is gone
  CHECK(objects_freed.load() == freed_before + 1);
}

TEST_CASE("refcount: immortal objects are never counted or freed") {
  FreeThreadedScope mode;
  int freed_before = objects_freed.load();
  Object* o = new_object<Object>(&counted_type);
  make_immortal(o);
  for (int i = 0; i < 3; i++) decref(o);
  on_other_thread([o] {
    for (int i = 0; i < 3; i++) decref(o);
  });
  CHECK(o->ob_ref_local == kImmortalRefcount);
  CHECK(o->ob_ref_shared.load() == 0);
  CHECK(objects_freed.load() == freed_before);
}

TEST_CASE("refcount: many threads sharing one object free it exactly once") {
  FreeThreadedScope mode;
  int freed_before = objects_freed.load();
  Object* o = new_object<Object>(&counted_type);
  constexpr int kThreads = 4, kRounds = 20000;
  for (int i = 0; i < kThreads; i++) incref(o);   // one reference per thread, given away
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; i++)
    threads.emplace_back([o] {
      for (int r = 0; r < kRounds; r++) {
        incref(o);
        decref(o);
      }
      decref(o);
    });
  for (std::thread& t : threads) t.join();
  CHECK(objects_freed.load() == freed_before);
  decref(o);   // the owner's own reference, the last one
  CHECK(objects_freed.load() == freed_before + 1);
}

TEST_CASE("qsbr: with no other thread online, a retired object is released at once") {
  FreeThreadedScope mode;
  int freed_before = objects_freed.load();
  Object* o = new_object<Object>(&counted_type);
  qsbr_decref_later(o);
  CHECK(objects_freed.load() == freed_before + 1);
}

// A thread joins QSBR as the VM's threads do (registered, bound, online); true when this
// call registered it. leave_qsbr undoes it.
static bool join_qsbr(QsbrThread& t, std::atomic<uint32_t>& breaker) {
  bool registered = qsbr_register(t, &breaker);
  qsbr_bind_to_current_thread(t);
  qsbr_set_online(t);
  return registered;
}
static void leave_qsbr(QsbrThread& t) {
  qsbr_set_offline(t);
  qsbr_unregister(t);
}

TEST_CASE("qsbr: a retired object waits until every online thread has passed a quiescent point") {
  FreeThreadedScope mode;
  QsbrThread self, reader;
  std::atomic<uint32_t> self_breaker{0}, reader_breaker{0};
  join_qsbr(self, self_breaker);
  std::atomic<int> phase{0};
  std::thread reader_thread([&] {
    join_qsbr(reader, reader_breaker);
    phase.store(1);
    while (phase.load() != 2) std::this_thread::yield();
    qsbr_quiescent(reader);   // the reader's poll point
    phase.store(3);
    while (phase.load() != 4) std::this_thread::yield();
    leave_qsbr(reader);
  });
  while (phase.load() != 1) std::this_thread::yield();

  int freed_before = objects_freed.load();
  Object* o = new_object<Object>(&counted_type);
  qsbr_decref_later(o);
  qsbr_process(self);
  CHECK(objects_freed.load() == freed_before);   // the reader may still hold it
  CHECK((reader_breaker.load() & kBreakPendingWork) != 0);   // it was asked to report
  phase.store(2);
  while (phase.load() != 3) std::this_thread::yield();
  qsbr_process(self);
  CHECK(objects_freed.load() == freed_before + 1);
  phase.store(4);
  reader_thread.join();
  leave_qsbr(self);
}
TEST_CASE("qsbr: a thread that registers itself waits until the thread that was alone has passed a quiescent point") {
  // The thread that was alone may be inside a fast path that skips locks; the newcomer must
  // not touch objects before that thread has reached its poll point and seen the new count.
  FreeThreadedScope mode;
  QsbrThread alone, newcomer;
  std::atomic<uint32_t> alone_breaker{0}, newcomer_breaker{0};
  join_qsbr(alone, alone_breaker);
  CHECK(qsbr_single_threaded());
  std::atomic<bool> newcomer_done{false};
  std::thread newcomer_thread([&] {
    CHECK(join_qsbr(newcomer, newcomer_breaker));
    qsbr_wait_for_other_threads(newcomer);
    newcomer_done.store(true);
  });
  // The newcomer asks this thread to report, and waits for it (bounded: 10 s).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!(alone_breaker.load() & kBreakPendingWork) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  CHECK((alone_breaker.load() & kBreakPendingWork) != 0);
  CHECK(!newcomer_done.load());
  CHECK(!qsbr_single_threaded());
  qsbr_quiescent(alone);   // this thread's poll point
  newcomer_thread.join();
  CHECK(newcomer_done.load());
  leave_qsbr(newcomer);
  leave_qsbr(alone);
  CHECK(qsbr_single_threaded());
}
#endif
