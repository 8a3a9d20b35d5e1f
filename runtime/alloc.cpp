// Object memory comes from mimalloc: fast thread-local free lists, and in free-threaded
// mode a per-thread heap so that allocation never contends on a global lock.
#include "runtime/alloc.h"

#include <mimalloc.h>

#include <cstdio>
#include <cstdlib>
#include <pthread.h>
#include <unistd.h>

namespace mvm {

// mimalloc reserves huge blocks without committing them, so `[0] * 10**12` would "succeed"
// and then fill memory until the kernel kills the process. A request larger than the
// machine's physical memory fails here instead, and the caller raises MemoryError.
static bool larger_than_memory(size_t size) {
  if (size < (size_t(1) << 30)) return false;
  static const size_t physical = size_t(sysconf(_SC_PHYS_PAGES)) * size_t(sysconf(_SC_PAGESIZE));
  return size > physical;
}

#if MINIVM_USE_MIMALLOC
void* object_malloc(size_t size) { return larger_than_memory(size) ? nullptr : mi_malloc(size); }
void* object_realloc(void* p, size_t size) { return larger_than_memory(size) ? nullptr : mi_realloc(p, size); }
void object_free(void* p) { mi_free(p); }
#else
// Sanitizer builds: the system allocator, whose calls AddressSanitizer and ThreadSanitizer
// intercept (they cannot see reuse of memory inside mimalloc).
void* object_malloc(size_t size) { return larger_than_memory(size) ? nullptr : std::malloc(size); }
void* object_realloc(void* p, size_t size) { return larger_than_memory(size) ? nullptr : std::realloc(p, size); }
void object_free(void* p) { std::free(p); }
#endif

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
