// The time module, and the one sleeping primitive that the rest of minivm uses.
#pragma once

#include "runtime/object.h"

namespace mvm {

// Sleeps for `seconds` (>= 0). This is the single place where a thread sleeps, so that the
// GIL can be released around it and Ctrl-C can cut it short. Returns false with an
// exception set when the sleep fails or is interrupted by a pending exception.
bool sleep_for(ThreadState& ts, double seconds);

}  // namespace mvm
