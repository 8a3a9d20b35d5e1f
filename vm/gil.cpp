// The GIL: take, drop, forced switching, and the recording behind -X gilstats/giltrace.
#include "vm/gil.h"

#include <ctime>

#include "vm/free_threading.h"
#include "vm/interpreter.h"
#include "vm/thread_state.h"

namespace mvm {

uint64_t monotonic_ns() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return uint64_t(t.tv_sec) * 1000000000u + uint64_t(t.tv_nsec);
}

void Gil::take(ThreadState& ts) {
  std::unique_lock<std::mutex> lock(mutex_);
  uint64_t now = recording_ ? monotonic_ns() : 0;
  if (locked_) {
    auto interval = std::chrono::microseconds(interval_us_.load(std::memory_order_relaxed));
    while (locked_) {
      uint64_t seen = switch_number_;
      bool woken = released_.wait_for(lock, interval, [&] { return !locked_; });
      // Waited a whole interval and nobody switched: ask the holder to drop the lock.
      if (!woken && locked_ && switch_number_ == seen && holder_)
        holder_->eval_breaker.fetch_or(kBreakGilDropRequest, std::memory_order_release);
    }
  }
  locked_ = true;
  holder_ = &ts;
  switch_number_++;
  ts.holds_gil = true;
  // A drop request aimed at an earlier holding of ours is stale now.
  ts.eval_breaker.fetch_and(~uint32_t(kBreakGilDropRequest), std::memory_order_acq_rel);
  if (recording_ && ts.gil_stats_index >= 0) {
    GilThreadStats& s = stats_[size_t(ts.gil_stats_index)];
    uint64_t t = monotonic_ns();
    s.wait_ns += t - now;
    s.acquisitions++;
    s.held_since = t;
  }
  switched_.notify_all();
}

void Gil::drop(ThreadState& ts) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (recording_ && ts.gil_stats_index >= 0) {
    GilThreadStats& s = stats_[size_t(ts.gil_stats_index)];
    uint64_t t = monotonic_ns();
    if (s.held_since) {
      s.held_ns += t - s.held_since;
      events_.push_back(GilEvent{ts.gil_stats_index, s.held_since - start_ns_, t - start_ns_});
    }
    s.held_since = 0;
  }
  locked_ = false;
  holder_ = nullptr;
  ts.holds_gil = false;
  released_.notify_one();
}

void Gil::yield_to_waiter(ThreadState& ts) {
  uint64_t switch_before;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    switch_before = switch_number_;
    if (recording_ && ts.gil_stats_index >= 0) stats_[size_t(ts.gil_stats_index)].forced_drops++;
  }
  drop(ts);
  {
    // No convoy: wait until the thread that asked has taken the lock before competing again.
    std::unique_lock<std::mutex> lock(mutex_);
    switched_.wait_for(lock, std::chrono::milliseconds(50),
                       [&] { return switch_number_ != switch_before; });
  }
  take(ts);
}

void Gil::set_switch_interval(double seconds) {
  int64_t us = int64_t(seconds * 1e6);
  interval_us_.store(us < 1 ? 1 : us, std::memory_order_relaxed);
  interval_seconds_.store(seconds, std::memory_order_relaxed);
}

double Gil::switch_interval() const { return interval_seconds_.load(std::memory_order_relaxed); }

void Gil::rename_thread(ThreadState& ts, const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (ts.gil_stats_index >= 0) stats_[size_t(ts.gil_stats_index)].name = name;
}

void Gil::enable_recording(bool on) {
  std::lock_guard<std::mutex> lock(mutex_);
  recording_ = on;
  start_ns_ = monotonic_ns();
}

void Gil::register_thread(ThreadState& ts, const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!recording_) return;
  ts.gil_stats_index = int(stats_.size());
  GilThreadStats s;
  s.thread_id = ts.thread_id;
  s.name = name;
  stats_.push_back(s);
}

std::vector<GilThreadStats> Gil::stats_snapshot() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<GilThreadStats> copy = stats_;
  uint64_t now = monotonic_ns();
  for (GilThreadStats& s : copy)
    if (s.held_since) s.held_ns += now - s.held_since;   // the caller still holds it
  return copy;
}

std::vector<GilEvent> Gil::events_snapshot() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<GilEvent> copy = events_;
  uint64_t now = monotonic_ns();
  for (size_t i = 0; i < stats_.size(); i++)
    if (stats_[i].held_since) copy.push_back(GilEvent{int(i), stats_[i].held_since - start_ns_, now - start_ns_});
  return copy;
}

GilReleased::GilReleased(ThreadState& ts) : ts_(ts), released_(ts.holds_gil) {
  if (released_) ts_.interp->gil.drop(ts_);
  else blocked_ = free_threaded_block(ts_);
}

GilReleased::~GilReleased() {
  if (released_) ts_.interp->gil.take(ts_);
  else if (blocked_) free_threaded_resume(ts_);
}

}  // namespace mvm
