// Signals and other requests that reach running bytecode through the eval breaker.
#include "vm/eval_breaker.h"

#include <csignal>

#include "runtime/errors.h"
#include "vm/free_threading.h"
#include "vm/interpreter.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {
// The thread that receives KeyboardInterrupt: the main thread of the main interpreter.
// Signal handlers can only touch lock-free atomics, so these two are process-wide.
std::atomic<ThreadState*> signal_target{nullptr};
std::atomic<bool> interrupt_pending{false};

void on_sigint(int) { signal_keyboard_interrupt(); }
}  // namespace

void signal_keyboard_interrupt() {
  interrupt_pending.store(true, std::memory_order_release);
  if (ThreadState* ts = signal_target.load(std::memory_order_acquire))
    ts->eval_breaker.fetch_or(kBreakSignals, std::memory_order_release);
}

void install_signal_handlers(ThreadState& main_thread) {
  signal_target.store(&main_thread, std::memory_order_release);
  // A process started with SIGINT ignored (nohup, `cmd &` in a script) keeps ignoring it.
  struct sigaction current {};
  if (sigaction(SIGINT, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) return;
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;   // no SA_RESTART: blocking calls return EINTR and check for Ctrl-C
  sigaction(SIGINT, &sa, nullptr);
}

bool take_pending_interrupt(ThreadState& ts) {
  if (ts.interrupt_requested.exchange(false, std::memory_order_acq_rel)) {
    ts.eval_breaker.fetch_and(~uint32_t(kBreakAsyncException), std::memory_order_acq_rel);
    return true;
  }
  if (signal_target.load(std::memory_order_acquire) != &ts) return false;
  if (!interrupt_pending.exchange(false, std::memory_order_acq_rel)) return false;
  ts.eval_breaker.fetch_and(~uint32_t(kBreakSignals), std::memory_order_acq_rel);
  return true;
}

void request_keyboard_interrupt(ThreadState& target) {
  target.interrupt_requested.store(true, std::memory_order_release);
  target.eval_breaker.fetch_or(kBreakAsyncException, std::memory_order_release);
}

bool handle_eval_breaker(ThreadState& ts) {
  uint32_t bits = ts.eval_breaker.load(std::memory_order_acquire);
  if (bits & (kBreakSignals | kBreakAsyncException)) {
    if (take_pending_interrupt(ts)) {
      raise_with_args(ts, &KeyboardInterrupt_type, nullptr, 0);
      return false;
    }
    ts.eval_breaker.fetch_and(~uint32_t(kBreakSignals | kBreakAsyncException), std::memory_order_acq_rel);
  }
  if (bits & kBreakPendingWork) {
    ts.eval_breaker.fetch_and(~uint32_t(kBreakPendingWork), std::memory_order_acq_rel);
    free_threaded_pending_work(ts);
  }
  if (bits & kBreakGilDropRequest) {
    ts.eval_breaker.fetch_and(~uint32_t(kBreakGilDropRequest), std::memory_order_acq_rel);
    if (ts.holds_gil) ts.interp->gil.yield_to_waiter(ts);
  }
  return true;
}

}  // namespace mvm
