// The global interpreter lock, after CPython's Python/ceval_gil.c. One thread of an
// interpreter runs bytecode at a time. A thread that wants the lock waits one switch
// interval, then asks the holder to drop it; the holder sees the request at its next poll
// point (a call or a backward jump), drops the lock and waits until another thread has
// taken it, so it cannot grab it straight back. Blocking calls drop the lock for their
// duration (GilReleased). See docs/gil.md.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace mvm {

struct ThreadState;

// What -X gilstats and -X giltrace report, per thread. Times are nanoseconds.
struct GilThreadStats {
  uint64_t thread_id = 0;
  std::string name;
  uint64_t held_ns = 0;          // time spent holding the lock (running bytecode)
  uint64_t wait_ns = 0;          // time spent waiting to take it
  uint64_t acquisitions = 0;     // hand-overs to this thread
  uint64_t forced_drops = 0;     // times it dropped the lock because another thread asked
  uint64_t held_since = 0;       // start of the current holding interval (0: not holding)
  uint64_t wait_since = 0;
};

struct GilEvent {
  int thread_index;
  uint64_t start_ns, end_ns;     // one interval of holding the lock
};

class Gil {
 public:
  // Blocks until the calling thread holds the lock.
  void take(ThreadState& ts);
  // Releases the lock. After a forced drop, waits until another thread has taken it.
  void drop(ThreadState& ts);
  // The poll-point side of a drop request: hands the lock over and takes it back.
  void yield_to_waiter(ThreadState& ts);

  void set_switch_interval(double seconds);
  double switch_interval() const;

  // Recording for -X gilstats / -X giltrace; off unless enabled before threads start.
  void enable_recording(bool on);
  bool recording() const { return recording_; }
  void register_thread(ThreadState& ts, const std::string& name);
  void rename_thread(ThreadState& ts, const std::string& name);
  std::vector<GilThreadStats> stats_snapshot();
  std::vector<GilEvent> events_snapshot();
  uint64_t start_time_ns() const { return start_ns_; }

 private:
  std::mutex mutex_;
  std::condition_variable released_;   // signalled when the lock becomes free
  std::condition_variable switched_;   // signalled when a new thread takes the lock
  bool locked_ = false;
  ThreadState* holder_ = nullptr;
  uint64_t switch_number_ = 0;         // bumped on every take
  std::atomic<int64_t> interval_us_{5000};
  std::atomic<double> interval_seconds_{0.005};   // as set, for sys.getswitchinterval()

  bool recording_ = false;
  uint64_t start_ns_ = 0;
  std::vector<GilThreadStats> stats_;  // indexed by ThreadState::gil_stats_index
  std::vector<GilEvent> events_;
};

// Releases the GIL of the current thread for a blocking call and takes it back at the end
// of the scope. In free-threaded mode the thread goes offline instead (vm/free_threading.h:
// its critical sections are suspended and it stops pinning memory). Either way, while
// released the thread must not touch Python objects.
class GilReleased {
 public:
  explicit GilReleased(ThreadState& ts);
  ~GilReleased();
  GilReleased(const GilReleased&) = delete;
  GilReleased& operator=(const GilReleased&) = delete;

 private:
  ThreadState& ts_;
  bool released_;
  bool blocked_ = false;
};

uint64_t monotonic_ns();

}  // namespace mvm
