// Quiescent-state-based reclamation: the global sequence, the registry of threads, and the
// per-thread lists of retired memory. See runtime/qsbr.h for the rules readers follow.
#include "runtime/qsbr.h"

#if MINIVM_FREE_THREADING
#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "runtime/alloc.h"
#include "runtime/lock.h"
#include "vm/thread_state.h"

namespace mvm {

std::atomic<uint64_t> qsbr_global_sequence{1};
std::atomic<int> qsbr_registered_threads{0};

namespace {
// Retirements waiting before the calling thread asks the others to report.
constexpr size_t kRetiredBatch = 64;

// The registry is never destroyed: daemon threads may still use it while the process exits.
struct Registry {
  std::mutex mutex;
  std::vector<QsbrThread*> threads;             // every registered thread
  std::vector<QsbrThread::Retired> orphans;     // retirements of threads that have exited
};
Registry& registry_state() {
  static Registry* const state = new Registry;
  return *state;
}
std::atomic<bool> have_orphans{false};        // !orphans.empty(), readable without the lock
std::atomic<int> online_threads{0};
std::atomic<uint64_t> stat_released{0};

thread_local QsbrThread* tls_qsbr = nullptr;

void release(const QsbrThread::Retired& r) {
  if (r.memory) object_free(r.memory);
  else decref(r.object);
}

// The oldest sequence any online thread may still be reading under; UINT64_MAX if none.
uint64_t oldest_online_sequence() {
  uint64_t oldest = UINT64_MAX;
  for (QsbrThread* t : registry_state().threads) {
    uint64_t seen = t->seen.load(std::memory_order_acquire);
    if (seen != 0) oldest = std::min(oldest, seen);
  }
  return oldest;
}

// Removes the items of `items` whose goal every thread has reached, appending them to
// `ready`.
void take_ready(std::vector<QsbrThread::Retired>& items, uint64_t oldest, std::vector<QsbrThread::Retired>& ready) {
  auto keep = std::stable_partition(items.begin(), items.end(),
                                    [&](const QsbrThread::Retired& r) { return r.goal > oldest; });
  ready.insert(ready.end(), keep, items.end());
  items.erase(keep, items.end());
}

void retire(QsbrThread::Retired item) {
  QsbrThread* t = tls_qsbr;
  if (!t || qsbr_single_threaded()) return release(item);
  // Pairs with the fence in qsbr_set_online: either the new reader sees the container
  // without the item, or we see the reader online.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  // Acquire: a thread that went offline after reading (release) is done with what it read.
  if (online_threads.load(std::memory_order_acquire) <= 1) return release(item);
  // The goal is the next sequence: a reader that reports it has seen this removal.
  item.goal = qsbr_global_sequence.load(std::memory_order_relaxed) + 1;
  t->retired.push_back(item);
  if (t->retired.size() % kRetiredBatch == 0) t->eval_breaker->fetch_or(kBreakPendingWork, std::memory_order_release);
}
}  // namespace

bool qsbr_register(QsbrThread& t, std::atomic<uint32_t>* eval_breaker) {
  if (t.registered) return false;
  t.eval_breaker = eval_breaker;
  Registry& r = registry_state();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.threads.push_back(&t);
  t.registered = true;
  qsbr_registered_threads.fetch_add(1, std::memory_order_relaxed);
  return true;
}

namespace {
// Advances the global sequence and waits until every online thread but `self` has reported
// it, asking them to report at their next poll point; with a time limit, gives up after it.
// It spins for a while before sleeping: a thread running Python code on another core
// reports within microseconds, and biased-lock revocation waits here.
void wait_for_reports(const QsbrThread* self, std::optional<std::chrono::milliseconds> limit) {
  Registry& r = registry_state();
  uint64_t goal;
  {
    // Release: a thread that reads the new sequence also sees what the caller wrote before.
    std::lock_guard<std::mutex> lock(r.mutex);
    goal = qsbr_global_sequence.load(std::memory_order_relaxed) + 1;
    qsbr_global_sequence.store(goal, std::memory_order_release);
  }
  auto start = std::chrono::steady_clock::now();
  for (int round = 0;; round++) {
    bool waiting = false;
    {
      std::lock_guard<std::mutex> lock(r.mutex);
      for (QsbrThread* t : r.threads) {
        uint64_t seen = t == self ? 0 : t->seen.load(std::memory_order_acquire);
        if (seen != 0 && seen < goal) {
          waiting = true;
          t->eval_breaker->fetch_or(kBreakPendingWork, std::memory_order_release);
        }
      }
    }
    if (!waiting || (limit && std::chrono::steady_clock::now() - start > *limit)) return;
    // Not yield(): with both threads on one core, it gives the other a whole time slice.
    if (round < 20) {
      for (int i = 0; i < 100; i++) cpu_relax();
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(round < 100 ? 20 : 50));
    }
  }
}
}  // namespace

void qsbr_wait_for_other_threads(QsbrThread& self) {
  // Bounded: a thread inside a long native call (a host function waiting for the host
  // thread that is registering now, say) reports only when the call returns. A thread that
  // has not reported for this long is in such a call or descheduled; only the latter could
  // still be inside a fast path, a window of a few instructions (docs/free-threading.md).
  // Host threads between embedding API calls are offline and not waited for.
  wait_for_reports(&self, std::chrono::milliseconds(100));
}

void qsbr_synchronize() { wait_for_reports(tls_qsbr, std::nullopt); }

void qsbr_bind_to_current_thread(QsbrThread& t) { tls_qsbr = &t; }

void qsbr_set_online(QsbrThread& t) {
  online_threads.fetch_add(1, std::memory_order_relaxed);
  t.seen.store(qsbr_global_sequence.load(std::memory_order_acquire), std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_seq_cst);
}

void qsbr_set_offline(QsbrThread& t) {
  t.seen.store(0, std::memory_order_release);
  online_threads.fetch_sub(1, std::memory_order_release);
}

void qsbr_unregister(QsbrThread& t) {
  Registry& r = registry_state();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.threads.erase(std::find(r.threads.begin(), r.threads.end(), &t));
  // Release: the thread left alone, which skips locks from now on, sees this one's writes.
  qsbr_registered_threads.fetch_sub(1, std::memory_order_release);
  r.orphans.insert(r.orphans.end(), t.retired.begin(), t.retired.end());
  have_orphans.store(!r.orphans.empty(), std::memory_order_relaxed);
  t.retired.clear();
  t.registered = false;
  if (tls_qsbr == &t) tls_qsbr = nullptr;
}

void qsbr_process(QsbrThread& t) {
  qsbr_quiescent(t);
  if (t.retired.empty() && !have_orphans.load(std::memory_order_relaxed)) return;
  std::vector<QsbrThread::Retired> ready;
  bool waiting;
  {
    Registry& registry = registry_state();
    std::vector<QsbrThread::Retired>& orphans = registry.orphans;
    std::lock_guard<std::mutex> lock(registry.mutex);
    // Advance the sequence past every goal handed out so far, so that the goals become
    // reachable; then see how far the threads have come.
    uint64_t newest_goal = 0;
    for (const auto& r : t.retired) newest_goal = std::max(newest_goal, r.goal);
    for (const auto& r : orphans) newest_goal = std::max(newest_goal, r.goal);
    uint64_t current = qsbr_global_sequence.load(std::memory_order_relaxed);
    if (newest_goal > current) qsbr_global_sequence.store(newest_goal, std::memory_order_release);
    qsbr_quiescent(t);
    uint64_t oldest = oldest_online_sequence();
    take_ready(t.retired, oldest, ready);
    take_ready(orphans, oldest, ready);
    have_orphans.store(!orphans.empty(), std::memory_order_relaxed);
    waiting = !t.retired.empty() || !orphans.empty();
    if (waiting) {
      for (QsbrThread* other : registry.threads)
        if (other != &t && other->seen.load(std::memory_order_relaxed) != 0)
          other->eval_breaker->fetch_or(kBreakPendingWork, std::memory_order_release);
    }
  }
  stat_released.fetch_add(ready.size(), std::memory_order_relaxed);
  // Releasing runs deallocators, which may retire more: outside the lock, after the lists
  // are consistent again.
  for (const auto& r : ready) release(r);
  // Come back at the next poll point until the others have caught up.
  if (waiting) t.eval_breaker->fetch_or(kBreakPendingWork, std::memory_order_release);
}

void qsbr_free_later(void* memory) { retire({0, memory, nullptr}); }
void qsbr_retire_decref(Object* object) {
  if (BiasedRefcount::load_local(object) == kImmortalRefcount) return;
  retire({0, nullptr, object});
}

QsbrStats qsbr_stats() { return {stat_released.load(std::memory_order_relaxed)}; }

}  // namespace mvm
#endif
