// Revoking a biased lock (runtime/lock_bias.h). The owner's skipping paths hold no
// quiescent point, so once the owner has passed one after seeing kLockRevoking, it takes
// the lock like every other thread; the revoker waits for that with QSBR's grace period.
#include "runtime/lock_bias.h"

#include "runtime/parking_lot.h"
#include "runtime/qsbr.h"

namespace mvm {

#if MINIVM_FREE_THREADING
namespace {
std::atomic<uint64_t> revocations{0};
}

void lock_bias_revoke(Object* o) {
  uint8_t state = kLockBiased;
  lock_bias_of(o).compare_exchange_strong(state, kLockRevoking, std::memory_order_seq_cst);
  // Pairs with the fence in qsbr_set_online: a thread coming online either is seen online
  // by the grace period below, or sees kLockRevoking at its first skipping path.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (lock_bias_of(o).load(std::memory_order_acquire) == kLockUnbiased) return;
  {
    // Blocked meanwhile: offline for QSBR, critical sections suspended, so that a thread
    // waiting for this one (revoking an object this thread owns, or for a lock it holds)
    // gets through.
    BlockedRegion blocked;
    qsbr_synchronize();
  }
  // Several threads may have waited for the same object; each grace period sufficed.
  lock_bias_of(o).store(kLockUnbiased, std::memory_order_release);
  revocations.fetch_add(1, std::memory_order_relaxed);
}

uint64_t lock_bias_revocations() { return revocations.load(std::memory_order_relaxed); }
#endif

}  // namespace mvm
