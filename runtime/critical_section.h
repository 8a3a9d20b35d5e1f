// Critical sections: scoped locking of one or two objects' lock bytes that cannot deadlock,
// after CPython's Python/critical_section.c. In GIL mode they cost one branch.
#pragma once

#include <atomic>
#include <cstdint>

#include "runtime/lock.h"
#include "runtime/lock_bias.h"
#include "runtime/refcount.h"
#include "vm/thread_state.h"

namespace mvm {

// Whether per-object locks are taken at all: only in free-threaded mode, where no GIL
// serialises access to objects. In a build without free threading this is a constant.
inline bool object_locks_enabled() {
#if MINIVM_FREE_THREADING
  return RefcountMode::free_threaded;
#else
  return false;
#endif
}

// Called by the VM whenever a thread is about to block (and from the parking lot's blocking
// hook): releases the locks of every active critical section of the thread.
void critical_sections_suspend_all(ThreadState& ts);
// Called when the thread runs again: re-takes the locks of the innermost section only.
// Does nothing if that section is not suspended (or there is none).
void critical_sections_resume(ThreadState& ts);

// Holds obj's lock for the scope: `CriticalSection cs(ts, list);`.
//
// A thread's critical sections form a stack, innermost first (ThreadState::critical_section).
// Whenever the thread blocks -- on a contended lock, on I/O, in sleep() -- it first releases
// the locks of all its sections (critical_sections_suspend_all); when it runs again only the
// innermost section takes its locks back, and an outer one does so when the sections inside
// it have ended. So a thread never sleeps holding an object's lock, and nesting sections in
// any order cannot deadlock. The price: code inside a section may assume its object is
// locked only as long as it does not block (or call something that might).
class CriticalSection {
 public:
  CriticalSection(ThreadState& ts, Object* obj) {
    if (object_locks_enabled()) {
      take_over_bias(obj);
      begin(ts, obj->ob_mutex);
    }
  }
  ~CriticalSection() {
    if (ts_) end();
  }
  CriticalSection(const CriticalSection&) = delete;
  CriticalSection& operator=(const CriticalSection&) = delete;

 protected:
  // For CriticalSection2, whose constructor calls begin_two.
  CriticalSection() = default;
  // A lock biased to another thread is revoked before it is taken (runtime/lock_bias.h).
  static void take_over_bias(Object* obj) {
#if MINIVM_FREE_THREADING
    lock_bias_prepare(obj);
#else
    (void)obj;
#endif
  }
  void begin_two(ThreadState& ts, std::atomic<uint8_t>& a, std::atomic<uint8_t>& b);

 private:
  friend void critical_sections_suspend_all(ThreadState& ts);
  friend void critical_sections_resume(ThreadState& ts);

  void begin(ThreadState& ts, std::atomic<uint8_t>& m) {
    if (!mutex_lock_fast(m)) return begin_slow(ts, m);
    mutex_ = &m;
    push(ts);
  }
  void begin_slow(ThreadState& ts, std::atomic<uint8_t>& m);
  void push(ThreadState& ts) {
    ts_ = &ts;
    enclosing_ = ts.critical_section;
    ts.critical_section = this;
  }
  bool holds(const std::atomic<uint8_t>& m) const { return mutex_ == &m || mutex2_ == &m; }
  static bool held_by_active_section(const ThreadState& ts, const std::atomic<uint8_t>& m);
  void end() {
    if (mutex2_) mutex_unlock(*mutex2_);
    mutex_unlock(*mutex_);
    ts_->critical_section = enclosing_;
    if (enclosing_ && enclosing_->suspended_) critical_sections_resume(*ts_);
  }

  ThreadState* ts_ = nullptr;               // null: this section holds nothing (GIL mode, re-entry)
  CriticalSection* enclosing_ = nullptr;    // the next section out, or null
  std::atomic<uint8_t>* mutex_ = nullptr;   // null while the section is taking its locks
  std::atomic<uint8_t>* mutex2_ = nullptr;  // a CriticalSection2's second lock, else null
  bool suspended_ = false;                  // its locks were released while the thread blocked
};

// Holds the locks of two objects for the scope, taken in address order so that two threads
// locking the same pair cannot each hold one and wait for the other. a == b locks once.
class CriticalSection2 : public CriticalSection {
 public:
  CriticalSection2(ThreadState& ts, Object* a, Object* b) {
    if (object_locks_enabled()) {
      take_over_bias(a);
      take_over_bias(b);
      begin_two(ts, a->ob_mutex, b->ob_mutex);
    }
  }
};

}  // namespace mvm
