# Stress: many short-lived threads, started and joined in a loop, each touching shared
# state: a list, a dict slot of its own and a lock-protected counter.
import threading

from stress_util import JOIN_TIMEOUT_SECONDS, SCALE, check

BATCHES = 60 * SCALE
THREADS_PER_BATCH = 4

log = []
per_batch = {}
lock = threading.Lock()
locked_total = [0]


def short_task(batch, index):
    log.append((batch, index))
    per_batch.setdefault(batch, [0] * THREADS_PER_BATCH)[index] += 1
    with lock:
        locked_total[0] += batch


stragglers = []
for batch in range(BATCHES):
    threads = [threading.Thread(target=short_task, args=(batch, index)) for index in range(THREADS_PER_BATCH)]
    for thread in threads:
        thread.start()
    # Every other batch also starts a thread that is only joined one batch later, so
    # threads start and end while others of an earlier batch are still finishing.
    for straggler in stragglers:
        straggler.join(JOIN_TIMEOUT_SECONDS)
    stragglers.clear()
    if batch % 2 == 0:
        stragglers.append(threading.Thread(target=log.append, args=((batch, -1),)))
        stragglers[0].start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_SECONDS)
for straggler in stragglers:
    straggler.join(JOIN_TIMEOUT_SECONDS)

check("every thread ran exactly once",
      sorted(log) == sorted([(batch, index) for batch in range(BATCHES) for index in range(THREADS_PER_BATCH)] +
                            [(batch, -1) for batch in range(0, BATCHES, 2)]))
check("every slot was bumped once", all(slots == [1] * THREADS_PER_BATCH for slots in per_batch.values()))
check("locked total", locked_total[0] == THREADS_PER_BATCH * sum(range(BATCHES)))
check("only the main thread is left", threading.active_count() == 1)
