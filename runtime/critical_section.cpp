// The out-of-line parts of critical sections: contended entry, and releasing and re-taking
// a thread's locks when it blocks and runs again.
#include "runtime/critical_section.h"

#include <functional>
#include <utility>

namespace mvm {

bool CriticalSection::held_by_active_section(const ThreadState& ts, const std::atomic<uint8_t>& m) {
  for (const CriticalSection* c = ts.critical_section; c && !c->suspended_; c = c->enclosing_)
    if (c->holds(m)) return true;
  return false;
}

void CriticalSection::begin_slow(ThreadState& ts, std::atomic<uint8_t>& m) {
  // Re-entry: the innermost section already holds m (a method of an object calling another
  // method of the same object). Its lock covers this section too, and waiting for it would
  // mean waiting for ourselves. The innermost section is always active when code runs.
  if (ts.critical_section && ts.critical_section->holds(m)) return;
  // An enclosing section holds m: release the locks of all of them first, as if this thread
  // had blocked; they take them back when this section ends.
  if (held_by_active_section(ts, m)) critical_sections_suspend_all(ts);
  // Push first, with no lock recorded: if mutex_lock must sleep, the blocking hook suspends
  // the enclosing sections (releasing their locks) and leaves this one, which holds nothing.
  push(ts);
  mutex_lock(m);
  mutex_ = &m;
}

void CriticalSection::begin_two(ThreadState& ts, std::atomic<uint8_t>& a, std::atomic<uint8_t>& b) {
  if (&a == &b) return begin(ts, a);
  // Re-entry, as in begin_slow: not to wait for ourselves, release the enclosing locks.
  if (held_by_active_section(ts, a) || held_by_active_section(ts, b)) critical_sections_suspend_all(ts);
  bool a_first = std::less<std::atomic<uint8_t>*>()(&a, &b);
  std::atomic<uint8_t>& first = a_first ? a : b;
  std::atomic<uint8_t>& second = a_first ? b : a;
  // While waiting for `second` the thread sleeps holding `first`: the only lock a sleeping
  // thread can hold, and only while it waits for a lock at a higher address, so waiting
  // threads never form a cycle.
  push(ts);
  mutex_lock(first);
  mutex_lock(second);
  mutex_ = &first;
  mutex2_ = &second;
}

void critical_sections_suspend_all(ThreadState& ts) {
  // Sections enclosing a suspended one are suspended already.
  for (CriticalSection* c = ts.critical_section; c && !c->suspended_; c = c->enclosing_) {
    if (c->mutex2_) mutex_unlock(*c->mutex2_);
    if (c->mutex_) mutex_unlock(*c->mutex_);
    c->suspended_ = true;
  }
}

void critical_sections_resume(ThreadState& ts) {
  CriticalSection* c = ts.critical_section;
  if (!c || !c->suspended_) return;
  // Taking a lock may block again, and then the hooks suspend and resume this same section
  // from inside mutex_lock: with its lock fields cleared meanwhile, that inner round
  // releases and re-takes nothing.
  std::atomic<uint8_t>* first = std::exchange(c->mutex_, nullptr);
  std::atomic<uint8_t>* second = std::exchange(c->mutex2_, nullptr);
  if (first) mutex_lock(*first);
  if (second) mutex_lock(*second);
  c->mutex_ = first;
  c->mutex2_ = second;
  c->suspended_ = false;
}

}  // namespace mvm
