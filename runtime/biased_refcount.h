// Biased reference counting's per-thread merge queue: how a count that other threads drove
// below zero goes back to the object's owner. The fast paths are in runtime/refcount.h.
#pragma once

#include <atomic>
#include <mutex>
#include <vector>

#include "runtime/refcount.h"

#if MINIVM_FREE_THREADING
namespace mvm {

// One per thread that runs Python code in free-threaded mode (embedded in ThreadState).
// While the owner is attached, objects handed back to it wait in `objects` until it drains
// them at its poll point. While it is detached (blocked, or not running Python code) it
// cannot touch its objects' local counts, so other threads merge them on its behalf,
// holding `mutex`, which the owner must take to attach again.
struct MergeQueue {
  uintptr_t owner = 0;                          // refcount_owner() of the thread
  std::mutex mutex;                             // guards objects and attached
  std::vector<Object*> objects;                 // each holds one reference to give back
  bool attached = false;
  std::atomic<uint32_t>* eval_breaker = nullptr;   // the owner's, to ask it to drain
};

// Makes q the merge queue of the calling thread (attached) / removes it at thread exit,
// merging whatever is still queued. After removal, other threads merge the thread's
// objects themselves.
void merge_queue_register(MergeQueue& q, std::atomic<uint32_t>* eval_breaker);
void merge_queue_unregister(MergeQueue& q);
// The owner stops or starts touching local counts (it blocks, or wakes up).
void merge_queue_detach(MergeQueue& q);
void merge_queue_attach(MergeQueue& q);
// Merges every queued object into its shared count; frees those that reached zero.
void merge_queue_drain(MergeQueue& q);

// Folds the local count into the shared one, adding `extra`, and leaves the object without
// an owner. Returns the count as this thread leaves the object: zero means the caller frees
// it (and no other thread will). The caller must be the owner, or hold the owner's queue
// mutex while the owner is detached, or know the owner has exited.
int64_t merge_refcount(Object* o, int64_t extra);

// Statistics for tests and -X refstats: how objects reached their merge.
struct BiasedRefcountStats {
  uint64_t queued = 0;            // handed to an attached owner
  uint64_t merged_for_owner = 0;  // merged by another thread while the owner was detached or gone
};
BiasedRefcountStats biased_refcount_stats();

}  // namespace mvm
#endif
