// The parking lot: 257 buckets, each a std::mutex and a FIFO queue of the threads sleeping
// on addresses that hash to it. Every sleeper waits on its own futex-based semaphore, so
// waking one thread never wakes (or makes runnable) any other.
#include "runtime/parking_lot.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <mutex>

#include "vm/thread_state.h"

namespace mvm {

namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A counting semaphore waited on by a single thread. The count is a 32-bit futex word:
// wait() sleeps in the kernel only while it is zero.
class Semaphore {
 public:
  // Takes one count, sleeping while there is none. False when timeout_ns (< 0: never)
  // passes first.
  bool wait(int64_t timeout_ns) {
    int64_t deadline = timeout_ns >= 0 ? now_ns() + timeout_ns : 0;
    for (;;) {
      uint32_t count = count_.load(std::memory_order_acquire);
      while (count > 0) {
        if (count_.compare_exchange_weak(count, count - 1, std::memory_order_acquire)) return true;
      }
      timespec relative{};
      if (timeout_ns >= 0) {
        int64_t remaining = deadline - now_ns();
        if (remaining <= 0) return false;
        relative.tv_sec = remaining / 1'000'000'000;
        relative.tv_nsec = remaining % 1'000'000'000;
      }
      // Returns at once if the count is no longer 0; wake-ups, signals and timeouts all
      // lead back to the re-check above.
      syscall(SYS_futex, futex_word(), FUTEX_WAIT_PRIVATE, 0, timeout_ns >= 0 ? &relative : nullptr, nullptr, 0);
    }
  }

  // The waiter may take the count and return before the wake below is sent; a futex wake
  // on memory that is no longer a semaphore is harmless, because every futex waiter
  // re-checks its condition after waking.
  void post() {
    count_.fetch_add(1, std::memory_order_release);
    syscall(SYS_futex, futex_word(), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
  }

 private:
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t) && std::atomic<uint32_t>::is_always_lock_free);
  uint32_t* futex_word() { return reinterpret_cast<uint32_t*>(&count_); }
  std::atomic<uint32_t> count_{0};
};

// One sleeping thread. It lives on that thread's stack for the duration of park().
struct Waiter {
  Waiter(const void* address, void* park_arg) : address(address), park_arg(park_arg) {}
  const void* address;
  void* park_arg;
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
  // Set (under the bucket lock) when a waker has taken this waiter off the queue: the
  // waker will post the semaphore once it has released the bucket lock.
  bool being_woken = false;
  Semaphore semaphore;
};

// A prime number of buckets spreads the addresses of lock bytes, which are multiples of
// small powers of two, evenly.
constexpr size_t kBucketCount = 257;

struct alignas(64) Bucket {
  std::mutex mutex;
  Waiter* head = nullptr;   // oldest waiter
  Waiter* tail = nullptr;

  void append(Waiter* w) {
    w->prev = tail;
    w->next = nullptr;
    (tail ? tail->next : head) = w;
    tail = w;
  }
  void remove(Waiter* w) {
    (w->prev ? w->prev->next : head) = w->next;
    (w->next ? w->next->prev : tail) = w->prev;
  }
  Waiter* first_waiting_on(const void* address, Waiter* from) {
    for (Waiter* w = from; w; w = w->next)
      if (w->address == address) return w;
    return nullptr;
  }
};

Bucket buckets[kBucketCount];
BlockingHooks blocking_hooks;

Bucket& bucket_for(const void* address) { return buckets[reinterpret_cast<uintptr_t>(address) % kBucketCount]; }

}  // namespace

BlockingHooks set_blocking_hooks(BlockingHooks hooks) {
  BlockingHooks previous = blocking_hooks;
  blocking_hooks = hooks;
  return previous;
}

BlockedRegion::BlockedRegion() : ts_(current_thread_state()) {
  if (ts_ && blocking_hooks.before_sleep) blocking_hooks.before_sleep(*ts_);
}
BlockedRegion::~BlockedRegion() {
  if (ts_ && blocking_hooks.after_wake) blocking_hooks.after_wake(*ts_);
}

ParkResult park(const void* address, bool (*validate)(const void*, void*), void* validate_arg, int64_t timeout_ns,
                void* park_arg) {
  Bucket& bucket = bucket_for(address);
  Waiter waiter{address, park_arg};
  {
    std::lock_guard<std::mutex> lock(bucket.mutex);
    if (validate && !validate(address, validate_arg)) return ParkResult::Invalid;
    bucket.append(&waiter);
  }

  ThreadState* ts = current_thread_state();
  if (ts && blocking_hooks.before_sleep) blocking_hooks.before_sleep(*ts);

  ParkResult result = ParkResult::Ok;
  if (!waiter.semaphore.wait(timeout_ns)) {
    std::unique_lock<std::mutex> lock(bucket.mutex);
    if (waiter.being_woken) {
      // A waker dequeued us just as the timeout passed and is about to post: wait for that
      // post, so it does not reach a Waiter that no longer exists. It counts as a wake-up.
      lock.unlock();
      waiter.semaphore.wait(-1);
    } else {
      bucket.remove(&waiter);
      result = ParkResult::TimedOut;
    }
  }

  if (ts && blocking_hooks.after_wake) blocking_hooks.after_wake(*ts);
  return result;
}

void unpark_one(const void* address, void (*callback)(void*, void*, bool), void* callback_arg) {
  Bucket& bucket = bucket_for(address);
  Waiter* woken;
  {
    std::lock_guard<std::mutex> lock(bucket.mutex);
    woken = bucket.first_waiting_on(address, bucket.head);
    if (woken) {
      bucket.remove(woken);
      woken->being_woken = true;
      callback(callback_arg, woken->park_arg, bucket.first_waiting_on(address, woken->next) != nullptr);
    } else {
      callback(callback_arg, nullptr, false);
    }
  }
  // Posting outside the bucket lock lets the woken thread run without at once blocking on it.
  if (woken) woken->semaphore.post();
}

void unpark_all(const void* address) {
  Bucket& bucket = bucket_for(address);
  Waiter* woken = nullptr;   // chained through `next`, in no particular order
  {
    std::lock_guard<std::mutex> lock(bucket.mutex);
    for (Waiter* w = bucket.first_waiting_on(address, bucket.head); w;) {
      Waiter* following = bucket.first_waiting_on(address, w->next);
      bucket.remove(w);
      w->being_woken = true;
      w->next = woken;
      woken = w;
      w = following;
    }
  }
  while (woken) {
    // Read the link first: once posted, the waiter may return and its stack frame vanish.
    Waiter* next = woken->next;
    woken->semaphore.post();
    woken = next;
  }
}

}  // namespace mvm
