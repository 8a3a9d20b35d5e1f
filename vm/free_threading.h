// A thread's life in free-threaded mode: joining biased refcounting and QSBR when it
// starts, leaving them when it blocks or ends, and the poll point's share of the work.
#pragma once

namespace mvm {

struct ThreadState;

// In free-threaded mode these do the work below; in GIL mode they do nothing.
// A thread starts running Python code (first attach) / ends for good.
void free_threaded_thread_start(ThreadState& ts);
// Called by the thread that starts `child`, before the child runs: from then on, code that
// removes items from containers knows it may have a concurrent reader (runtime/qsbr.h).
void free_threaded_register_new_thread(ThreadState& child);
void free_threaded_thread_end(ThreadState& ts);
// The thread is about to block (sleep, lock wait, I/O) and will not touch objects until
// free_threaded_resume: its queued objects are merged, its critical sections suspended,
// and it counts as quiescent for memory reclamation.
// Returns false (and does nothing) if the thread is already blocked or not free-threaded.
bool free_threaded_block(ThreadState& ts);
void free_threaded_resume(ThreadState& ts);
// At the poll point (kBreakPendingWork): merge the objects other threads handed back and
// release memory that every thread has stopped reading.
void free_threaded_pending_work(ThreadState& ts);

}  // namespace mvm
