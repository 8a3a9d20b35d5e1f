// The eval loop's poll point: what it does when ThreadState::eval_breaker is set.
#pragma once

#include "runtime/object.h"

namespace mvm {

// Handles every pending request (signals -> KeyboardInterrupt, GIL drop requests, ...).
// Returns false with an exception set when the running code must be interrupted.
bool handle_eval_breaker(ThreadState& ts);

// Marks that SIGINT arrived; safe to call from a signal handler. The main thread of the
// main interpreter raises KeyboardInterrupt at its next poll point.
void signal_keyboard_interrupt();
// Installs the SIGINT handler that calls signal_keyboard_interrupt.
void install_signal_handlers(ThreadState& main_thread);
// Consumes a pending SIGINT (for blocking calls that must wake up): true if one was pending.
// Also consumes a KeyboardInterrupt that request_keyboard_interrupt posted to ts.
bool take_pending_interrupt(ThreadState& ts);
// Asks `target` (another thread) to raise KeyboardInterrupt at its next poll point, or to
// wake from a blocking call with it: how Ctrl-C reaches a subinterpreter that the main
// thread is waiting for (vm/subinterpreters.cpp).
void request_keyboard_interrupt(ThreadState& target);

}  // namespace mvm
