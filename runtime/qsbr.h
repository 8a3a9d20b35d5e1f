// Quiescent-state-based reclamation: memory that lock-free readers may still be looking at
// (a list's old item array, a dict's old table, a value just removed from a container) is
// released only after every thread has passed a quiescent point. docs/free-threading.md.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "runtime/alloc.h"
#include "runtime/object.h"
#include "runtime/refcount.h"

#if MINIVM_FREE_THREADING
namespace mvm {

// A thread's part in QSBR (embedded in ThreadState). A thread is *online* while it may
// hold borrowed pointers into shared containers, that is while it runs Python code; it
// passes a quiescent point at the eval loop's poll point and whenever it blocks (goes
// offline). Invariant: a pointer loaded from a shared container before a quiescent point
// is never used after it without a reference of its own.
struct QsbrThread {
  // The global sequence this thread saw at its last quiescent point; 0 while offline.
  std::atomic<uint64_t> seen{0};
  std::atomic<uint32_t>* eval_breaker = nullptr;   // to ask the thread to report
  struct Retired {
    uint64_t goal;        // free once every online thread has seen this sequence
    void* memory;         // object_free()d, or...
    Object* object;       // ...decref()ed
  };
  std::vector<Retired> retired;
  bool registered = false;
};

// Joins and leaves (at thread exit) the set of threads QSBR waits for. A new thread is
// registered by the thread that starts it, before the new one runs (registering twice is
// harmless; true when this call registered it), and then binds the slot to itself.
// Leaving hands the thread's unfinished retirements to the threads that remain.
bool qsbr_register(QsbrThread& t, std::atomic<uint32_t>* eval_breaker);
void qsbr_bind_to_current_thread(QsbrThread& t);
void qsbr_unregister(QsbrThread& t);
void qsbr_set_online(QsbrThread& t);
void qsbr_set_offline(QsbrThread& t);

// The poll point's report: "I hold no borrowed pointers now".
extern std::atomic<uint64_t> qsbr_global_sequence;
inline void qsbr_quiescent(QsbrThread& t) {
  t.seen.store(qsbr_global_sequence.load(std::memory_order_acquire), std::memory_order_release);
}

// Threads in the registry. While there is one, nothing another thread could be reading
// needs a grace period, and the eval loop's inline fast paths skip objects' locks
// (runtime/fast_path_lock.h). Two ways of joining keep that safe for the thread that was
// alone: a thread started from Python is registered by its parent before it exists, at a
// moment when the parent is in no fast path; a thread that registers itself (an embedding
// host's) then waits in qsbr_wait_for_other_threads until the other has passed a
// quiescent point, so has left any fast path and sees the new count.
extern std::atomic<int> qsbr_registered_threads;
inline bool qsbr_single_threaded() { return qsbr_registered_threads.load(std::memory_order_acquire) <= 1; }
// Advances the global sequence and waits until every other online thread has reported it,
// asking them to report at their next poll point. Offline (blocked) threads do not count.
// Gives up after 100 ms: see qsbr.cpp for why that is safe in practice.
void qsbr_wait_for_other_threads(QsbrThread& self);
// The same wait for the calling thread, without the time limit (runtime/lock_bias.cpp):
// returns once every other thread that was online has passed a quiescent point or gone
// offline. The caller should count as blocked meanwhile (BlockedRegion), so that two
// threads waiting for each other both get through.
void qsbr_synchronize();

// Frees `memory` (object_free) / drops a reference to `object` once no reader can still
// see it. When no other thread is online, that is at once. A single-threaded program
// pays one load and a branch, inline.
void qsbr_free_later(void* memory);
void qsbr_retire_decref(Object* object);
inline void qsbr_decref_later(Object* object) {
  if (qsbr_single_threaded()) return BiasedRefcount::decref(object);
  qsbr_retire_decref(object);
}
inline void qsbr_decref_later(Value v) {
  if (v.is_obj()) qsbr_decref_later(v.obj());
}

// Releases what the calling thread retired and every thread has since passed; asks the
// others to report if something is still waiting. Called at the poll point.
void qsbr_process(QsbrThread& t);

// For tests and statistics.
struct QsbrStats {
  uint64_t released = 0;    // items released after waiting for a grace period
};
QsbrStats qsbr_stats();

}  // namespace mvm
#else
#include "runtime/refcount.h"
namespace mvm {
// A GIL-only build releases at once: no thread reads without the GIL.
inline void qsbr_decref_later(Value v) { decref(v); }
inline bool qsbr_single_threaded() { return true; }
}  // namespace mvm
#endif

namespace mvm {
// What containers call when they drop a reference or an array that a lock-free reader may
// have loaded: in free-threaded mode after a grace period, otherwise at once.
inline void decref_after_readers(Value v) {
#if MINIVM_FREE_THREADING
  if (RefcountMode::free_threaded) return qsbr_decref_later(v);
#endif
  decref(v);
}
inline void free_after_readers(void* memory) {
#if MINIVM_FREE_THREADING
  if (RefcountMode::free_threaded) return qsbr_free_later(memory);
#endif
  object_free(memory);
}

// An exhausted iterator drops the container it held. Threads sharing the iterator may race
// to do so: exactly one takes the pointer out of the slot, and the reference goes after a
// grace period, since the others may have loaded the pointer just before.
template <class T>
void release_iterated(T*& slot) {
  T* container = std::atomic_ref<T*>(slot).exchange(nullptr, std::memory_order_acq_rel);
  if (container) decref_after_readers(Value::from_obj(container));
}
template <class T>
T* load_iterated(T*& slot) {
  return std::atomic_ref<T*>(slot).load(std::memory_order_acquire);
}
}  // namespace mvm
