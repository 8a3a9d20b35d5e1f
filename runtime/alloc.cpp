// Object memory comes from mimalloc: fast thread-local free lists, and in free-threaded
// mode a per-thread heap so that allocation never contends on a global lock.
#include "runtime/alloc.h"

#include <mimalloc.h>

#include <cstdio>
#include <cstdlib>
#include <pthread.h>

namespace mvm {

void* object_malloc(size_t size) { return mi_malloc(size); }
void* object_realloc(void* p, size_t size) { return mi_realloc(p, size); }
void object_free(void* p) { mi_free(p); }

uintptr_t current_thread_id() {
  // pthread_self() is a single TLS load on glibc; stable for the thread's lifetime.
  return static_cast<uintptr_t>(pthread_self());
}

void fatal_out_of_memory() {
  std::fputs("minivm: fatal error: out of memory\n", stderr);
  std::abort();
}

void free_object(Object* o) {
  Type* type = o->ob_type;
  if (o->ob_flags & kFlagStatic) return;
  object_free(o);
  if (type->flags & kTypeHeap) decref(type);
}

void dealloc_object(Object* o) { o->ob_type->dealloc(o); }

}  // namespace mvm
