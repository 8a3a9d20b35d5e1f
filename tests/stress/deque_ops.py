# Stress: producers and consumers at both ends of a shared collections.deque, whose
# operations are atomic, and producers filling a deque with a maxlen.
#
# Every item produced is consumed exactly once. The maxlen deque keeps only the newest
# items, each producer's in the order it added them.
import collections

from stress_util import SCALE, check, note, run_threads

PRODUCERS = 2
CONSUMERS = 2
ITEMS_PER_PRODUCER = 15000 * SCALE
OWNER_STRIDE = 10**9
MAXLEN = 64

shared = collections.deque()
bounded = collections.deque(maxlen=MAXLEN)
finished = collections.deque()  # one entry per producer that is done


def producer(owner):
    produced = []
    for n in range(ITEMS_PER_PRODUCER):
        item = owner * OWNER_STRIDE + n
        if n % 4 == 3:
            shared.extend([item, -item])
            produced.extend([item, -item])
        elif n % 2 == 0:
            shared.append(item)
            produced.append(item)
        else:
            shared.appendleft(item)
            produced.append(item)
        bounded.append(item)
    finished.append(owner)
    return produced


def consumer(index):
    consumed = []
    bad = mutated_errors = 0
    while True:
        producers_done = len(finished) == PRODUCERS
        try:
            consumed.append(shared.pop() if len(consumed) % 2 else shared.popleft())
        except IndexError:
            if producers_done:
                break  # nothing can be added any more, and the deque is empty
            continue
        try:
            if abs(shared[0]) // OWNER_STRIDE not in range(1, PRODUCERS + 1):
                bad += 1
        except IndexError:
            pass
        if len(consumed) % 500 == 0:
            try:
                bad += sum(1 for item in bounded if item // OWNER_STRIDE not in range(1, PRODUCERS + 1))
            except RuntimeError:  # "deque mutated during iteration" is allowed
                mutated_errors += 1
            if len(bounded) > MAXLEN:
                bad += 1
    return consumed, bad, mutated_errors


results = run_threads([lambda owner=owner: producer(owner) for owner in range(1, PRODUCERS + 1)] +
                      [lambda index=index: consumer(index) for index in range(CONSUMERS)])
produced = [item for items in results[:PRODUCERS] for item in items]
consumed = [item for items, _, _ in results[PRODUCERS:] for item in items]
note(f"deque_ops: {sum(errors for _, _, errors in results[PRODUCERS:])} iterations saw the deque change")
check("every item seen while consuming was valid", sum(bad for _, bad, _ in results[PRODUCERS:]) == 0)
check("the shared deque is empty", len(shared) == 0)
check("every item produced was consumed exactly once", sorted(consumed) == sorted(produced))
check("the bounded deque holds maxlen items", len(bounded) == MAXLEN)
in_order = True
for owner in range(1, PRODUCERS + 1):
    own = [item for item in bounded if item // OWNER_STRIDE == owner]
    in_order = in_order and own == sorted(own)
check("the bounded deque keeps each producer's items in order", in_order)
