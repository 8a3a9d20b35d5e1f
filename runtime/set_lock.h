// The locks a set operation takes in free-threaded mode: those of the sets (or the dict)
// it reads or writes, except frozensets', which never change once built.
#pragma once

#include <optional>

#include "runtime/abstract.h"
#include "runtime/critical_section.h"
#include "runtime/set.h"

namespace mvm {

// Whether o must be locked to be read or written: not a frozenset (nor an instance of a
// subclass of frozenset), which never changes once built, and is private to its builder
// until then.
inline bool set_needs_lock(const Object* o) {
  const Type* t = o->ob_type;
  if (!(t->flags & kTypeHeap)) return t != &frozenset_type;   // the only built-in frozenset type
  return !type_is_subtype(t, &frozenset_type);
}

// Holds the locks of one or two objects for the scope, skipping those that need none; two
// are taken together, as by CriticalSection2. `SetLock lock(ts, so, other);`
class SetLock {
 public:
  SetLock(ThreadState& ts, Object* a, Object* b = nullptr) {
    if (!object_locks_enabled()) return;
    bool lock_a = set_needs_lock(a);
    bool lock_b = b && b != a && set_needs_lock(b);
    if (lock_a && lock_b)
      both_.emplace(ts, a, b);
    else if (lock_a || lock_b)
      one_.emplace(ts, lock_a ? a : b);
  }

 private:
  std::optional<CriticalSection> one_;
  std::optional<CriticalSection2> both_;
};

}  // namespace mvm
