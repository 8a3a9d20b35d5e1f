// Reference counting: the two policies (GIL and free-threaded) and the generic entry points.
// The eval loop is compiled once per policy (vm/eval.cpp), so the GIL mode never pays for
// free-threading checks on its hot path; runtime code calls the generic incref/decref,
// which branch once on the process-wide mode. See docs/refcounting.md.
#pragma once

#include "runtime/object.h"

namespace mvm {

// Frees an object whose count reached zero (calls its type's dealloc).
void dealloc_object(Object* o);

// The refcount mode is chosen once, before the first thread starts, and never changes:
// it is the one process-wide setting (runtime/runtime.cpp sets it).
struct RefcountMode {
  static inline bool free_threaded = false;
};

// With the GIL held every count change is serialised, so the whole count lives in the
// non-atomic ob_ref_local and ob_tid is ignored.
struct GilRefcount {
  static void incref(Object* o) {
    if (!o->is_immortal()) ++o->ob_ref_local;
  }
  static void decref(Object* o) {
    if (!o->is_immortal() && --o->ob_ref_local == 0) dealloc_object(o);
  }
};

#if MINIVM_FREE_THREADING
// Biased reference counting (vm/refcount_biased.cpp): the owner thread uses ob_ref_local
// with plain loads and stores, every other thread the atomic ob_ref_shared.
struct BiasedRefcount {
  static void incref(Object* o);
  static void decref(Object* o);
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

// Marks an object as never freed; used for constants shared by every thread.
inline void make_immortal(Object* o) { o->ob_ref_local = kImmortalRefcount; }

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
