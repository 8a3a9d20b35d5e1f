// A blocking wait for native modules (_thread, _interpreters): on a condition variable,
// with the GIL released, bounded by a timeout, and cut short by Ctrl-C.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "runtime/errors.h"
#include "vm/eval_breaker.h"
#include "vm/gil.h"
#include "vm/thread_state.h"

namespace mvm {

// Waits on cv until ready() holds, the timeout passes (-1: never) or Ctrl-C arrives for this
// thread. The GIL is released while waiting. Returns 1 when ready, 0 on timeout, -1 with
// KeyboardInterrupt raised.
template <class Ready>
inline int wait_released(ThreadState& ts, std::mutex& m, std::condition_variable& cv, double timeout, Ready ready) {
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(timeout));
  // Waits are cut into slices so that a signal (which cannot notify a condition variable)
  // is noticed within a few milliseconds.
  constexpr auto slice = std::chrono::milliseconds(20);
  bool interrupted = false;
  int result;
  {
    GilReleased released(ts);
    std::unique_lock<std::mutex> lock(m);
    for (;;) {
      if (ready()) {
        result = 1;
        break;
      }
      if (take_pending_interrupt(ts)) {
        interrupted = true;
        result = -1;
        break;
      }
      auto now = clock::now();
      if (timeout >= 0 && now >= deadline) {
        result = 0;
        break;
      }
      auto until = timeout >= 0 ? std::min(deadline, now + slice) : now + slice;
      cv.wait_until(lock, until);
    }
  }
  if (interrupted) raise_with_args(ts, &KeyboardInterrupt_type, nullptr, 0);
  return result;
}

}  // namespace mvm
