// Object allocation from mimalloc, and the matching free.
#pragma once

#include <new>

#include "runtime/object.h"
#include "runtime/refcount.h"

namespace mvm {

// Raw memory for objects and their side buffers. object_malloc returns null when out of
// memory; callers with a size a script controls must check and raise MemoryError.
void* object_malloc(size_t size);
void* object_realloc(void* p, size_t size);
void object_free(void* p);

// The id of the calling OS thread (pthread_self(); reused after the thread ends).
uintptr_t current_thread_id();

// Constructs a T (which derives from Object) of `size` bytes (more than sizeof(T) for
// variable-size objects) with one reference, owned by the calling thread. Heap types are
// kept alive by their instances. Aborts on out-of-memory: fixed small sizes only; use
// try_new_object for sizes a script controls.
template <class T>
T* try_new_object(Type* type, size_t size = sizeof(T)) {
  void* mem = object_malloc(size);
  if (!mem) return nullptr;
  T* o = new (mem) T();
  // A plain store beside the header's other constants, so that the compiler merges them:
  // a separate byte store after construction made allocation-heavy code 15% slower in one
  // thread, with the same instruction count (a store-forwarding stall, probably).
  if constexpr (T::kLockBiasedAtBirth) o->ob_lock_bias = 1;   // kLockBiased
  o->ob_type = type;
#if MINIVM_FREE_THREADING
  o->ob_tid = refcount_owner();
#endif
  if (type->flags & kTypeHeap) incref(type);
  return o;
}
[[noreturn]] void fatal_out_of_memory();
template <class T>
T* new_object(Type* type, size_t size = sizeof(T)) {
  T* o = try_new_object<T>(type, size);
  if (!o) fatal_out_of_memory();
  return o;
}

// Frees the object's memory and drops its reference to a heap type. Every dealloc slot
// ends with this after releasing what the object owns.
void free_object(Object* o);

}  // namespace mvm
