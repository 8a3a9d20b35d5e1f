# Four threads hammer one deque and one set at once; only invariants that hold under any
# interleaving are printed (item totals, final contents), so the output is deterministic.
import threading
from collections import deque

THREADS = 4
ROUNDS = 10000

shared = deque()
bounded = deque(maxlen=50)
keys = set()
start = threading.Barrier(THREADS, timeout=10)
pushed = [0] * THREADS      # per thread: sum of the values it pushed
popped = [0] * THREADS      # per thread: sum of the values it popped
pop_counts = [0] * THREADS
empty_pops = [0] * THREADS
errors = []


def deque_worker(k):
    push_sum = pop_sum = pops = misses = 0
    for i in range(ROUNDS):
        value = k * ROUNDS + i + 1
        if i % 2:
            shared.append(value)
        else:
            shared.appendleft(value)
        push_sum += value
        bounded.append(value)
        # The deque grows during the first half and shrinks during the second, where pops
        # outnumber pushes.
        for _ in range(0 if i < ROUNDS // 2 else 2):
            try:
                got = shared.popleft() if i % 2 else shared.pop()
            except IndexError:
                misses += 1
                continue
            pop_sum += got
            pops += 1
        if i % 500 == 0:
            # Readers that run while the others write: they must not fail or crash.
            len(shared)
            value in shared
            shared.count(value)
            repr(bounded)
            bounded == shared
            try:
                for _ in shared:
                    pass
            except RuntimeError:
                pass   # "deque mutated during iteration": expected under contention
    # Drain what is left, until a pop finds the deque empty.
    while True:
        try:
            pop_sum += shared.popleft()
        except IndexError:
            misses += 1
            break
        pops += 1
    pushed[k] = push_sum
    popped[k] = pop_sum
    pop_counts[k] = pops
    empty_pops[k] = misses


def set_worker(k):
    mine = range(k * 1000000, k * 1000000 + ROUNDS)
    for key in mine:
        keys.add(key)
        keys.add(-1 - key % 50)       # keys every thread adds
        if key not in keys:
            errors.append(("lost", key))
        if key % 2:
            keys.discard(key)
            if key in keys:
                errors.append(("kept", key))
        if key % 200 == 0:
            len(keys)
            keys.copy()
            keys | {1, 2}
            try:
                for _ in keys:
                    pass
            except RuntimeError:
                pass   # "Set changed size during iteration"


def worker(k):
    start.wait()
    deque_worker(k)
    set_worker(k)


threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join(30)
print("threads done:", not any(t.is_alive() for t in threads))

rest = list(shared)
total_pushed = sum(pushed)
print("pushed:", THREADS * ROUNDS, "items")
print("popped + left:", sum(pop_counts) + len(rest))
print("sums add up:", sum(popped) + sum(rest) == total_pushed)
print("no item twice:", len(set(rest)) == len(rest))
print("each drain ended on IndexError:", all(n >= 1 for n in empty_pops))
print("bounded deque:", len(bounded), bounded.maxlen)
print("bounded items distinct:", len(set(bounded)) == 50)

expected = {k * 1000000 + i for k in range(THREADS) for i in range(0, ROUNDS, 2)}
expected |= {-1 - i for i in range(50)}
print("set errors:", errors)
print("set as expected:", keys == expected, len(keys))
print("frozen copy:", frozenset(keys) == expected, sorted(keys)[:3], max(keys))
