// Cross-interpreter queues (concurrent.interpreters.Queue): a queue of Shareable values
// that each interpreter sees through a Queue object of its own.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

#include "vm/subinterpreters.h"

namespace mvm {

struct CrossQueue {
  int64_t id = 0;
  size_t maxsize = 0;                 // 0: unbounded
  std::mutex mutex;
  std::condition_variable changed;    // an item was added or taken
  std::deque<Shareable> items;
};

// A new Queue object of ts's interpreter for `queue`; null with an error set.
Value cross_queue_wrap(ThreadState& ts, const std::shared_ptr<CrossQueue>& queue);
// The queue behind a Queue object, or null when `v` is not one.
std::shared_ptr<CrossQueue> cross_queue_of(Value v);

}  // namespace mvm
