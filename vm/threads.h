// Starting OS threads that run Python functions, and attaching threads to the GIL.
#pragma once

#include <cstdint>

#include "runtime/object.h"

namespace mvm {

// Starts an OS thread in ts's interpreter that calls function(*args, **kwargs) (kwargs may
// be null). Stores the new thread's ident (what _thread.get_ident() returns in it).
// Returns false with RuntimeError raised if the OS refuses a thread.
bool start_new_thread(ThreadState& ts, Value function, Tuple* args, Dict* kwargs, uint64_t* ident);

// Tells the interpreter that this thread (one that _thread started) has finished its work
// and only tears down from now on: the interpreter's exit waits for such threads, and
// leaves itself in place for the others (daemons). threading calls it before it lets
// joiners through, so that a joined thread is always waited for; otherwise the thread's
// function returning does. Idempotent.
void mark_thread_finishing(ThreadState& ts);

// Prepares the calling thread to run Python code: in GIL mode registers it for statistics
// and takes the GIL; in free-threaded mode joins biased refcounting and QSBR.
void attach_gil(ThreadState& ts);
// The reverse, when the thread is done with Python code for good.
void detach_gil(ThreadState& ts);

// The kernel's id for the calling thread (threading.get_native_id()).
uint64_t native_thread_id();

}  // namespace mvm
