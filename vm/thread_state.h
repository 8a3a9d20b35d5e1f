// Per-thread interpreter state: the running frame, the pending exception, recursion
// accounting. One ThreadState exists per OS thread per Interpreter (docs/architecture.md, docs/free-threading.md).
#pragma once

#include <atomic>
#include <string>
#include <cstdint>
#include <vector>

#include "runtime/biased_refcount.h"
#include "runtime/object.h"
#include "runtime/qsbr.h"

namespace mvm {

struct Interpreter;
struct Frame;

// Aligned to a cache line: a thread writes its ThreadState on every call (frame, stack
// top, depth), and two ThreadStates that the same thread allocated one after the other
// must not share a line, or two threads running in parallel would slow each other down.
struct alignas(64) ThreadState {
  Interpreter* interp = nullptr;
  Frame* frame = nullptr;            // innermost executing frame (null when idle)
  // The exception being propagated (owned); null when none. Set by raise() and friends.
  Value current_exception;
  // The exception that the innermost active `except`/`finally` handler is handling (owned);
  // used by bare `raise`, sys.exc_info() and to set __context__ on new exceptions.
  Value handled_exception;
  int recursion_depth = 0;           // Python-level calls in progress on this thread
  uintptr_t stack_limit = 0;         // lowest safe C stack address on the current stack
  uintptr_t thread_id = 0;           // current_thread_id() of the OS thread
  ThreadState* next = nullptr;       // the interpreter's list of thread states

  // The data stack: frames of running functions are bump-allocated from chunks of it.
  struct DataChunk* datastack_chunk = nullptr;
  char* datastack_base = nullptr;    // the current chunk's first frame
  char* datastack_top = nullptr;
  char* datastack_limit = nullptr;

  // Bits that ask the eval loop to stop at its next poll point (EvalBreakerBits).
  std::atomic<uint32_t> eval_breaker{0};
  // Another thread asked this one to raise KeyboardInterrupt (request_keyboard_interrupt).
  std::atomic<bool> interrupt_requested{false};
  bool reraising = false;            // the eval loop re-raises: add no traceback entry
  bool holds_gil = false;            // GIL mode: this thread holds its interpreter's GIL
  int gil_stats_index = -1;          // slot in the GIL's statistics (-X gilstats)
  std::string thread_name;           // threading's name, for statistics and traces
  // A thread that _thread started, and whether it is counted in its interpreter's
  // finishing_threads yet (vm/threads.cpp: mark_thread_finishing).
  bool started_by_thread_module = false;
  bool counted_as_finishing = false;

  // The generator running on this thread, if any (its stack is the current C stack).
  struct Generator* current_generator = nullptr;
  // Containers whose repr() is in progress on this thread, so a list that contains itself
  // prints as [...] (see repr_enter/repr_leave).
  std::vector<Object*> repr_in_progress;

#if MINIVM_FREE_THREADING
  // Free-threaded mode (vm/free_threading.cpp): objects handed back to this thread by
  // others, and this thread's part in safe memory reclamation.
  MergeQueue merge_queue;
  QsbrThread qsbr;
  bool attached_free_threaded = false;
  bool blocked_free_threaded = false;   // inside GilReleased: offline, queue detached
  uint32_t park_blocked_levels = 0;     // vm/free_threading.cpp: nested parking hooks
#endif

  // The innermost active critical section of this thread, or null (runtime/critical_section.h).
  class CriticalSection* critical_section = nullptr;

  bool has_error() const { return !current_exception.is_null(); }
};

enum EvalBreakerBits : uint32_t {
  kBreakSignals = 1 << 0,        // a signal handler ran (Ctrl-C)
  kBreakGilDropRequest = 1 << 1, // another thread waits for the GIL
  kBreakAsyncException = 1 << 2, // KeyboardInterrupt was posted to this thread
  kBreakPendingWork = 1 << 3,    // merge queues, pending calls
};

// Allocates `size` bytes (a multiple of 16) for a frame on the thread's data stack; null
// when out of memory. The common case is a pointer bump, inlined into the eval loop.
void* datastack_push_slow(ThreadState& ts, size_t size);
inline void* datastack_push(ThreadState& ts, size_t size) {
  size = (size + 15) & ~size_t(15);
  if (size_t(ts.datastack_limit - ts.datastack_top) >= size && ts.datastack_top) {
    void* p = ts.datastack_top;
    ts.datastack_top += size;
    return p;
  }
  return datastack_push_slow(ts, size);
}
// Releases the most recently pushed frame memory.
void datastack_pop_slow(ThreadState& ts, void* frame_memory);
inline void datastack_pop(ThreadState& ts, void* frame_memory) {
  if (static_cast<char*>(frame_memory) != ts.datastack_base) ts.datastack_top = static_cast<char*>(frame_memory);
  else datastack_pop_slow(ts, frame_memory);
}

// The ThreadState attached to the calling OS thread, or null. Set by attach/detach
// (vm/interpreter.cpp); used only at entry points that have no ThreadState parameter,
// such as signal handling and host callbacks.
ThreadState* current_thread_state();
void set_current_thread_state(ThreadState* ts);

// The address below which the C stack of the calling thread is too close to its end.
uintptr_t thread_stack_limit();

// Raises RecursionError when the Python call depth passes the limit or the C stack nears
// its end. Call on entry to anything that can recurse without bound; pair with
// leave_recursive_call(). Returns false with the exception set.
bool enter_recursive_call(ThreadState& ts, const char* where = "");
inline void leave_recursive_call(ThreadState& ts) { --ts.recursion_depth; }

// Guards repr() of containers against self-reference: repr_enter returns true if o's repr
// is already in progress on this thread (print "[...]" then, and do not call repr_leave).
bool repr_enter(ThreadState& ts, Object* o);
void repr_leave(ThreadState& ts, Object* o);

}  // namespace mvm
