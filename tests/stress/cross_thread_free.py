# Stress: objects that die in a thread other than the one that made them, or after
# the thread that made them has exited.
#
# Producers hand objects to consumers through queue.Queue and drop their own references,
# so the consumer drops the last one; whole lists are built by one thread and cleared by
# another; threads exit while their objects live on, freed by the main thread later; and
# all threads take and drop references to the same few objects at once.
import queue
import threading

from stress_util import JOIN_TIMEOUT_SECONDS, SCALE, check, run_threads

THREADS = 4
OBJECTS = 3000 * SCALE


class Node:
    def __init__(self, owner, n):
        self.owner = owner
        self.payload = [n, str(n), (n, n + 1), {"n": n}]

    def checksum(self):
        n = self.payload[0]
        ok = self.payload[1] == str(n) and self.payload[2] == (n, n + 1) and self.payload[3]["n"] == n
        return n if ok else -10**9


# 1. Through a queue: each consumer drops the last reference to what it receives.
def produce(channel, owner):
    total = 0
    for n in range(OBJECTS):
        node = Node(owner, n)
        total += n
        channel.put(node)
        del node  # the queue, then the consumer, hold the only references
    channel.put(None)
    return total


def consume(channel):
    total = 0
    while True:
        node = channel.get(timeout=JOIN_TIMEOUT_SECONDS)
        if node is None:
            return total
        total += node.checksum()


channel = queue.Queue(maxsize=100)
results = run_threads([lambda: produce(channel, 1), lambda: produce(channel, 2),
                       lambda: consume(channel), lambda: consume(channel)])
check("queue: consumers received what producers sent", results[0] + results[1] == results[2] + results[3])

# 2. Whole lists built in one thread and emptied in another.
batches = queue.Queue()


def build_batches():
    for n in range(OBJECTS // 100):
        batches.put([Node(3, n * 100 + i) for i in range(100)])
    batches.put(None)


def free_batches():
    freed = 0
    while True:
        batch = batches.get(timeout=JOIN_TIMEOUT_SECONDS)
        if batch is None:
            return freed
        freed += sum(node.checksum() for node in batch)
        batch.clear()


freed = run_threads([build_batches, free_batches])[1]
check("batches: every object built was freed by the other thread", freed == sum(range(OBJECTS // 100 * 100)))

# 3. Threads that exit while their objects live on; the main thread frees them later.
kept = []


def create_and_exit(owner):
    kept.append([Node(owner, n) for n in range(OBJECTS // 4)])


for owner in range(THREADS):
    thread = threading.Thread(target=create_and_exit, args=(owner,))
    thread.start()
    thread.join(JOIN_TIMEOUT_SECONDS)
check("survivors: objects outlive their threads",
      sum(node.checksum() for nodes in kept for node in nodes) == THREADS * sum(range(OBJECTS // 4)))
# Threads that own nothing now mix the survivors up before the main thread frees them.
run_threads([lambda: kept.append(kept[0][:] + kept[1][:]) for _ in range(THREADS)])
kept.clear()

# 4. Every thread takes and drops references to the same objects at once.
hot = [Node(0, 7), (1, 2, 3), "hot string", 10**30]


def churn_references():
    total = 0
    for _ in range(OBJECTS // 10):
        copies = hot * 10
        mapping = {"node": hot[0], "tuple": hot[1]}
        total += len(copies) + len(mapping)
        del copies, mapping
    return total


results = run_threads([churn_references] * THREADS)
check("shared references: all taken and dropped", results == [(OBJECTS // 10) * 42] * THREADS)
check("shared references: objects intact", hot[0].checksum() == 7 and hot[1] == (1, 2, 3) and hot[3] == 10**30)
