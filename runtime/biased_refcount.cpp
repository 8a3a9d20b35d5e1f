// Biased reference counting's slow paths: the merge when the owner's count reaches zero,
// other threads' decrements, and the queues that hand objects back to their owners.
// docs/free-threading.md walks through the states; the fast paths are in refcount.h.
#include "runtime/biased_refcount.h"

#if MINIVM_FREE_THREADING
#include <unordered_map>

#include "vm/thread_state.h"

namespace mvm {

constinit thread_local uintptr_t tls_refcount_owner = kNoRefcountOwner;

namespace {
std::atomic<uintptr_t> next_refcount_owner{1};
std::atomic<uint64_t> stat_queued{0}, stat_merged_for_owner{0};

// Owner id -> the owner's queue, sharded so that threads handing back objects to
// different owners rarely meet on one mutex. Lock order: shard, then queue.
struct QueueShard {
  std::mutex mutex;
  std::unordered_map<uintptr_t, MergeQueue*> queues;
};
constexpr size_t kQueueShards = 16;
// Never destroyed: daemon threads may still release objects while the process exits.
QueueShard& shard_of(uintptr_t owner) {
  static QueueShard* const shards = new QueueShard[kQueueShards];
  return shards[owner % kQueueShards];
}

void store_owner(Object* o, uintptr_t owner) {
  std::atomic_ref<uintptr_t>(o->ob_tid).store(owner, std::memory_order_relaxed);
}

// Merges each object's count for its owner, freeing those that reached zero.
void merge_and_free(const std::vector<Object*>& objects) {
  for (Object* o : objects)
    if (merge_refcount(o, -1) == 0) dealloc_object(o);
}
}  // namespace

uintptr_t assign_refcount_owner() {
  tls_refcount_owner = next_refcount_owner.fetch_add(1, std::memory_order_relaxed);
  return tls_refcount_owner;
}

int64_t merge_refcount(Object* o, int64_t extra) {
  constexpr int64_t kOne = int64_t(1) << kSharedShift;
  int64_t local = BiasedRefcount::load_local(o);
  int64_t shared = o->ob_ref_shared.load(std::memory_order_relaxed);
  int64_t count;
  // The merged count is published with one reference more, held while this thread still
  // writes the local count and the owner: once the count is merged, another thread may drop
  // the last reference and free the object, which must not happen under those writes.
  do {
    // An arithmetic shift keeps a negative shared count negative.
    count = local + (shared >> kSharedShift) + extra;
  } while (!o->ob_ref_shared.compare_exchange_weak(shared, ((count + 1) << kSharedShift) | kSharedMerged,
                                                   std::memory_order_acq_rel));
  BiasedRefcount::store_local(o, 0);
  store_owner(o, 0);
  // Dropping the hold: exactly one thread sees the count reach zero, this one or another.
  return (o->ob_ref_shared.fetch_sub(kOne, std::memory_order_acq_rel) - kOne) >> kSharedShift;
}

// The owner's count reached zero: from now on the shared count is the whole count, and
// whoever brings it to zero frees the object. Returns true if that is already the case.
static bool release_to_shared_count(Object* o) {
  int64_t shared = o->ob_ref_shared.load(std::memory_order_acquire);
  // No other thread ever took a reference: the common case, decided without atomics.
  if (shared == 0) return true;
  store_owner(o, 0);
  int64_t merged;
  do {
    merged = (shared & ~kSharedStateMask) | kSharedMerged;
  } while (!o->ob_ref_shared.compare_exchange_weak(shared, merged, std::memory_order_acq_rel));
  return merged == kSharedMerged;
}

void merge_zero_local_refcount(Object* o) {
  if (release_to_shared_count(o)) dealloc_object(o);
}

// Another thread gives the object back to its owner. The caller's reference travels with
// it: the owner subtracts it when it merges.
static void queue_for_owner(Object* o) {
  uintptr_t owner = std::atomic_ref<uintptr_t>(o->ob_tid).load(std::memory_order_relaxed);
  QueueShard& shard = shard_of(owner);
  bool merged_here = false;
  int64_t count = 1;
  {
    std::lock_guard<std::mutex> shard_lock(shard.mutex);
    auto it = shard.queues.find(owner);
    if (it == shard.queues.end()) {
      // The owner has exited: nobody touches the local count any more.
      count = merge_refcount(o, -1);
      merged_here = true;
    } else {
      MergeQueue& q = *it->second;
      std::lock_guard<std::mutex> queue_lock(q.mutex);
      if (q.attached) {
        q.objects.push_back(o);
        q.eval_breaker->fetch_or(kBreakPendingWork, std::memory_order_release);
      } else {
        // The owner is blocked and cannot attach while we hold its queue's mutex.
        count = merge_refcount(o, -1);
        merged_here = true;
      }
    }
  }
  if (merged_here) {
    stat_merged_for_owner.fetch_add(1, std::memory_order_relaxed);
    if (count == 0) dealloc_object(o);
  } else {
    stat_queued.fetch_add(1, std::memory_order_relaxed);
  }
}

void decref_shared(Object* o) {
  int64_t shared = o->ob_ref_shared.load(std::memory_order_relaxed);
  int64_t updated;
  bool queue;
  do {
    // A zero shared count in the default state means the reference being dropped was
    // counted by the owner: rather than go negative, the object is queued for the owner.
    queue = shared == kSharedDefault;
    updated = queue ? kSharedQueued : shared - (int64_t(1) << kSharedShift);
  } while (!o->ob_ref_shared.compare_exchange_weak(shared, updated, std::memory_order_acq_rel));
  if (queue) queue_for_owner(o);
  else if (updated == kSharedMerged) dealloc_object(o);
}

void merge_queue_register(MergeQueue& q, std::atomic<uint32_t>* eval_breaker) {
  q.owner = refcount_owner();
  q.eval_breaker = eval_breaker;
  QueueShard& shard = shard_of(q.owner);
  std::lock_guard<std::mutex> shard_lock(shard.mutex);
  std::lock_guard<std::mutex> queue_lock(q.mutex);
  q.attached = true;
  shard.queues[q.owner] = &q;
}

void merge_queue_unregister(MergeQueue& q) {
  std::vector<Object*> left;
  {
    QueueShard& shard = shard_of(q.owner);
    std::lock_guard<std::mutex> shard_lock(shard.mutex);
    std::lock_guard<std::mutex> queue_lock(q.mutex);
    shard.queues.erase(q.owner);
    q.attached = false;
    left.swap(q.objects);
  }
  merge_and_free(left);
}

void merge_queue_detach(MergeQueue& q) {
  merge_queue_drain(q);
  std::lock_guard<std::mutex> lock(q.mutex);
  // Objects queued between the drain and here are merged now, by their owner.
  merge_and_free(q.objects);
  q.objects.clear();
  q.attached = false;
}

void merge_queue_attach(MergeQueue& q) {
  std::lock_guard<std::mutex> lock(q.mutex);
  q.attached = true;
}

void merge_queue_drain(MergeQueue& q) {
  std::vector<Object*> objects;
  {
    std::lock_guard<std::mutex> lock(q.mutex);
    objects.swap(q.objects);
  }
  merge_and_free(objects);
}

BiasedRefcountStats biased_refcount_stats() {
  return {stat_queued.load(std::memory_order_relaxed), stat_merged_for_owner.load(std::memory_order_relaxed)};
}

void biased_begin_resurrection(Object* o) {
  BiasedRefcount::store_local(o, 1);
  store_owner(o, refcount_owner());
  o->ob_ref_shared.store(0, std::memory_order_relaxed);
}

bool biased_end_resurrection(Object* o) {
  uint32_t local = BiasedRefcount::load_local(o) - 1;
  BiasedRefcount::store_local(o, local);
  return local == 0 && release_to_shared_count(o);
}

}  // namespace mvm
#endif
