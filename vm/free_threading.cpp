// A thread's life in free-threaded mode. The refcount merge queue and the QSBR slot live in
// the ThreadState; this file decides when they are joined, left, drained and reported.
#include "vm/free_threading.h"

#include <mutex>

#include "runtime/critical_section.h"
#include "runtime/parking_lot.h"
#include "runtime/refcount.h"
#include "vm/thread_state.h"

namespace mvm {

#if MINIVM_FREE_THREADING
namespace {
// A thread about to sleep on a contended per-object lock blocks like any other blocking
// call; these hooks may nest (re-taking a lock while resuming can park again), so each
// level remembers whether it was the one that blocked.
void before_park(ThreadState& ts) {
  ts.park_blocked_levels = (ts.park_blocked_levels << 1) | (free_threaded_block(ts) ? 1 : 0);
}
void after_park(ThreadState& ts) {
  bool blocked_here = ts.park_blocked_levels & 1;
  ts.park_blocked_levels >>= 1;
  if (blocked_here) free_threaded_resume(ts);
}
}  // namespace

void free_threaded_thread_start(ThreadState& ts) {
  if (!RefcountMode::free_threaded || ts.attached_free_threaded) return;
  static std::once_flag hooks_installed;
  std::call_once(hooks_installed, [] { set_blocking_hooks({before_park, after_park}); });
  merge_queue_register(ts.merge_queue, &ts.eval_breaker);
  bool registered_itself = qsbr_register(ts.qsbr, &ts.eval_breaker);
  qsbr_bind_to_current_thread(ts.qsbr);
  qsbr_set_online(ts.qsbr);
  // A thread that was alone may be in a fast path that skips locks (runtime/qsbr.h).
  if (registered_itself) qsbr_wait_for_other_threads(ts.qsbr);
  ts.attached_free_threaded = true;
}

void free_threaded_register_new_thread(ThreadState& child) {
  if (RefcountMode::free_threaded) qsbr_register(child.qsbr, &child.eval_breaker);
}

void free_threaded_thread_end(ThreadState& ts) {
  if (!ts.attached_free_threaded) return;
  qsbr_process(ts.qsbr);
  qsbr_set_offline(ts.qsbr);
  qsbr_unregister(ts.qsbr);
  merge_queue_unregister(ts.merge_queue);
  ts.attached_free_threaded = false;
}

bool free_threaded_block(ThreadState& ts) {
  if (!ts.attached_free_threaded || ts.blocked_free_threaded) return false;
  critical_sections_suspend_all(ts);
  merge_queue_detach(ts.merge_queue);
  qsbr_process(ts.qsbr);
  qsbr_set_offline(ts.qsbr);
  ts.blocked_free_threaded = true;
  return true;
}

void free_threaded_resume(ThreadState& ts) {
  merge_queue_attach(ts.merge_queue);
  qsbr_set_online(ts.qsbr);
  ts.blocked_free_threaded = false;
  critical_sections_resume(ts);
}

void free_threaded_pending_work(ThreadState& ts) {
  if (!ts.attached_free_threaded) return;
  merge_queue_drain(ts.merge_queue);
  qsbr_process(ts.qsbr);
}
#else
void free_threaded_thread_start(ThreadState&) {}
void free_threaded_register_new_thread(ThreadState&) {}
void free_threaded_thread_end(ThreadState&) {}
bool free_threaded_block(ThreadState&) { return false; }
void free_threaded_resume(ThreadState&) {}
void free_threaded_pending_work(ThreadState&) {}
#endif

}  // namespace mvm
