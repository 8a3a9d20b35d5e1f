// Reference counting: the two policies (GIL and free-threaded) and the generic entry points.
// The eval loop is compiled once per policy (vm/eval.cpp), so the GIL mode never pays for
// free-threading checks on its hot path; runtime code calls the generic incref/decref,
// which branch once on the process-wide mode. See docs/free-threading.md.
#pragma once

#include "runtime/object.h"

namespace mvm {

// Frees an object whose count reached zero (calls its type's dealloc).
void dealloc_object(Object* o);

// The refcount mode is chosen once, before the first thread starts, and never changes:
// it is the one process-wide setting (create_interpreter in vm/interpreter.cpp sets it).
struct RefcountMode {
  static inline bool free_threaded = false;
};

// With the GIL held every count change is serialised, so the whole count lives in the
// non-atomic ob_ref_local and ob_tid is ignored.
struct GilRefcount {
  static constexpr bool kFreeThreaded = false;
  static void incref(Object* o) {
    if (!o->is_immortal()) ++o->ob_ref_local;
  }
  static void decref(Object* o) {
    if (!o->is_immortal() && --o->ob_ref_local == 0) dealloc_object(o);
  }
};

#if MINIVM_FREE_THREADING
// Biased reference counting (runtime/biased_refcount.cpp, docs/free-threading.md). The
// thread that allocated an object owns it: it changes ob_ref_local with plain loads and
// stores. Every other thread adds to the atomic ob_ref_shared, whose low two bits hold
// the merge state. The true count is local + (shared >> 2).
//
// Fields that another thread may read while the owner writes them (ob_ref_local, ob_tid)
// are accessed as relaxed atomics: on x86-64 and ARM64 those are ordinary moves, and they
// tell ThreadSanitizer that the race is intended.
enum SharedRefcountState : int64_t {
  kSharedDefault = 0,   // the owner is counting; shared may go negative
  kSharedQueued = 2,    // other threads drove shared below zero: queued for the owner to merge
  kSharedMerged = 3,    // merged: no owner, ob_ref_shared is the whole count
};
inline constexpr int kSharedShift = 2;
inline constexpr int64_t kSharedStateMask = 3;

// The refcount owner id of the calling thread: small, unique for the life of the process,
// never reused (so a dead thread's objects can never look owned by a new thread).
// constinit: no dynamic initialisation, so other files read it directly, without a TLS wrapper.
// A thread gets its id when it first allocates; until then it holds kNoRefcountOwner,
// which no object's ob_tid equals (merged objects have 0), so the counting fast paths
// compare ob_tid with it directly and never need to assign one.
inline constexpr uintptr_t kNoRefcountOwner = ~uintptr_t(0);
// The local-exec model: minivm_core is linked only into executables (it is not
// position-independent, CMakeLists.txt), so the id sits at an offset from the thread
// pointer known at link time, and the owner check reads it with one instruction, not two.
extern constinit thread_local uintptr_t tls_refcount_owner __attribute__((tls_model("local-exec")));
[[gnu::cold]] uintptr_t assign_refcount_owner();
inline uintptr_t refcount_owner() {
  uintptr_t id = tls_refcount_owner;
  return id != kNoRefcountOwner ? id : assign_refcount_owner();
}

// The slow paths, out of line and marked cold, so the eval loop keeps only the owner's
// and the immortal case inline.
[[gnu::cold]] void merge_zero_local_refcount(Object* o);
[[gnu::cold]] void decref_shared(Object* o);

struct BiasedRefcount {
  static constexpr bool kFreeThreaded = true;
  static uint32_t load_local(const Object* o) {
    return std::atomic_ref<uint32_t>(const_cast<uint32_t&>(o->ob_ref_local)).load(std::memory_order_relaxed);
  }
  static void store_local(Object* o, uint32_t v) {
    std::atomic_ref<uint32_t>(o->ob_ref_local).store(v, std::memory_order_relaxed);
  }
  static bool owned_by_caller(const Object* o) {
    return std::atomic_ref<uintptr_t>(const_cast<uintptr_t&>(o->ob_tid)).load(std::memory_order_relaxed) ==
           tls_refcount_owner;
  }
  // Forced inline: the eval loop is too large for GCC's own inlining budget, and these
  // run for nearly every instruction.
  [[gnu::always_inline]] static void incref(Object* o) {
    uint32_t local = load_local(o);
    if (local == kImmortalRefcount) return;
    if (owned_by_caller(o)) store_local(o, local + 1);
    else o->ob_ref_shared.fetch_add(int64_t(1) << kSharedShift, std::memory_order_relaxed);
  }
  [[gnu::always_inline]] static void decref(Object* o) {
    uint32_t local = load_local(o);
    if (local == kImmortalRefcount) return;
    if (owned_by_caller(o)) {
      store_local(o, --local);
      if (local == 0) merge_zero_local_refcount(o);
    } else {
      decref_shared(o);
    }
  }
};
#endif

inline void incref(Object* o) {
#if MINIVM_FREE_THREADING
  if (RefcountMode::free_threaded) return BiasedRefcount::incref(o);
#endif
  GilRefcount::incref(o);
}
inline void decref(Object* o) {
#if MINIVM_FREE_THREADING
  if (RefcountMode::free_threaded) return BiasedRefcount::decref(o);
#endif
  GilRefcount::decref(o);
}
// Both accept small ints and null, which are not counted.
inline void incref(Value v) {
  if (v.is_obj()) incref(v.obj());
}
inline void decref(Value v) {
  if (v.is_obj()) decref(v.obj());
}
// Returns v with one more reference, for `return newref(x);`.
inline Value newref(Value v) {
  incref(v);
  return v;
}

// Marks an object as never freed; used for constants shared by every thread. Only the
// object's creator may call it, before other threads can see the object.
// Shared singletons (the empty tuple) are immortal already: they are not written again.
inline void make_immortal(Object* o) {
  std::atomic_ref<uint32_t> local(o->ob_ref_local);
  if (local.load(std::memory_order_relaxed) != kImmortalRefcount) local.store(kImmortalRefcount, std::memory_order_relaxed);
}

// Objects that every thread touches (module-level functions, classes, modules) would make
// their reference count a contended cache line in free-threaded mode. Until minivm has
// deferred reference counting, they become immortal at creation in that mode, as CPython
// 3.13 immortalised them when the first thread started (docs/free-threading.md).
inline void make_immortal_if_free_threaded(Object* o) {
#if MINIVM_FREE_THREADING
  if (RefcountMode::free_threaded) make_immortal(o);
#endif
}

// Gives an object that is being deallocated one reference again, owned by the caller, so
// that its finaliser (a generator's close()) can run; end_resurrection() takes it back and
// says whether the object may now be freed (nobody else kept a reference).
#if MINIVM_FREE_THREADING
void biased_begin_resurrection(Object* o);
bool biased_end_resurrection(Object* o);
#endif
inline void begin_resurrection(Object* o) {
#if MINIVM_FREE_THREADING
  if (RefcountMode::free_threaded) return biased_begin_resurrection(o);
#endif
  o->ob_ref_local = 1;
}
inline bool end_resurrection(Object* o) {
#if MINIVM_FREE_THREADING
  if (RefcountMode::free_threaded) return biased_end_resurrection(o);
#endif
  return --o->ob_ref_local == 0;
}

// An owning reference for C++ code: decrefs on scope exit unless released.
class Ref {
 public:
  Ref() = default;
  explicit Ref(Value v) : v_(v) {}        // steals a reference
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  Ref(Ref&& o) noexcept : v_(o.release()) {}
  Ref& operator=(Ref&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  ~Ref() { decref(v_); }

  Value get() const { return v_; }
  Value release() {
    Value v = v_;
    v_ = Value();
    return v;
  }
  void reset(Value v = Value()) {
    decref(v_);
    v_ = v;
  }
  explicit operator bool() const { return bool(v_); }
  template <class T> T* as() const { return v_.as<T>(); }

 private:
  Value v_;
};

}  // namespace mvm
