// Per-thread state: the frame data stack, recursion limits and the repr guard.
#include "vm/thread_state.h"

#include <algorithm>
#include <cstdlib>
#include <pthread.h>

#include "runtime/alloc.h"
#include "runtime/errors.h"
#include "vm/interpreter.h"

namespace mvm {

static thread_local ThreadState* tls_thread_state = nullptr;

ThreadState* current_thread_state() { return tls_thread_state; }
void set_current_thread_state(ThreadState* ts) { tls_thread_state = ts; }

// Frames live in chunks linked into a stack; a chunk is freed when its last frame goes.
struct DataChunk {
  DataChunk* previous;
  char* saved_top;     // the previous chunk's top when this one was started
  size_t size;
  alignas(16) char data[1];
};

static constexpr size_t kDataChunkSize = 256 * 1024;

void* datastack_push_slow(ThreadState& ts, size_t size) {
  size_t chunk_size = std::max(kDataChunkSize, size + sizeof(DataChunk));
  auto* chunk = static_cast<DataChunk*>(object_malloc(chunk_size));
  if (!chunk) return nullptr;
  chunk->previous = ts.datastack_chunk;
  chunk->saved_top = ts.datastack_top;
  chunk->size = chunk_size;
  ts.datastack_chunk = chunk;
  ts.datastack_base = chunk->data;
  ts.datastack_top = chunk->data + size;
  ts.datastack_limit = reinterpret_cast<char*>(chunk) + chunk_size;
  return chunk->data;
}

void datastack_pop_slow(ThreadState& ts, void* frame_memory) {
  DataChunk* chunk = ts.datastack_chunk;
  if (frame_memory == chunk->data) {
    // The chunk's first frame: return to the previous chunk.
    ts.datastack_chunk = chunk->previous;
    ts.datastack_base = chunk->previous ? chunk->previous->data : nullptr;
    ts.datastack_top = chunk->saved_top;
    ts.datastack_limit = chunk->previous ? reinterpret_cast<char*>(chunk->previous) + chunk->previous->size : nullptr;
    object_free(chunk);
    return;
  }
  ts.datastack_top = static_cast<char*>(frame_memory);
}

uintptr_t thread_stack_limit() {
  // The lowest address of this thread's stack, plus a margin for C++ frames that run
  // between two checks.
  pthread_attr_t attr;
  void* base = nullptr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &base, &size);
    pthread_attr_destroy(&attr);
  }
  if (!base) return 0;
  size_t margin = size > (1u << 20) ? 256 * 1024 : size / 4;
  return reinterpret_cast<uintptr_t>(base) + margin;
}

// A thread whose stack limit is not known yet (0) looks it up once this many calls are in
// progress; so few take far less C stack than the margin kept below the limit (a level of
// repr() recursion takes about 0.5 KiB). For the main thread the lookup is glibc's
// pthread_getattr_np reading /proc/self/maps: 0.1 to 0.3 ms that `minivm -c pass` skips.
constexpr int kCallsBeforeStackLookup = 64;

static bool stack_is_low(ThreadState& ts) {
  if (!ts.stack_limit) {
    if (ts.recursion_depth < kCallsBeforeStackLookup) return false;
    ts.stack_limit = thread_stack_limit();
  }
  char probe;
  return ts.stack_limit && reinterpret_cast<uintptr_t>(&probe) < ts.stack_limit;
}

bool enter_recursive_call(ThreadState& ts, const char* where) {
  int limit = ts.interp ? ts.interp->recursion_limit : 1000;
  if (++ts.recursion_depth > limit + 50 || stack_is_low(ts)) {
    --ts.recursion_depth;
    raise_fmt(ts, &RecursionError_type, "maximum recursion depth exceeded%s", where);
    return false;
  }
  return true;
}

bool repr_enter(ThreadState& ts, Object* o) {
  auto& v = ts.repr_in_progress;
  if (std::find(v.begin(), v.end(), o) != v.end()) return true;
  v.push_back(o);
  return false;
}

void repr_leave(ThreadState& ts, Object* o) {
  auto& v = ts.repr_in_progress;
  auto it = std::find(v.rbegin(), v.rend(), o);
  if (it != v.rend()) v.erase(std::next(it).base());
}

}  // namespace mvm
