# queue: FIFO, LIFO and priority order, bounds, timeouts, task tracking, SimpleQueue.
import queue
import threading

q = queue.Queue()
for i in range(5):
    q.put(i)
print(q.qsize(), q.empty(), q.full(), q.maxsize)
print([q.get() for _ in range(5)], q.empty())

lifo = queue.LifoQueue()
for item in "abc":
    lifo.put(item)
print([lifo.get_nowait() for _ in range(3)])

pq = queue.PriorityQueue()
for item in [(3, "c"), (1, "a"), (4, "d"), (2, "b"), (1, "a0")]:
    pq.put(item)
print([pq.get() for _ in range(pq.qsize())])

bounded = queue.Queue(maxsize=2)
bounded.put("x")
bounded.put_nowait("y")
print(bounded.full(), bounded.qsize())
for attempt in (lambda: bounded.put_nowait("z"), lambda: bounded.put("z", timeout=0.01),
                lambda: bounded.put("z", block=False)):
    try:
        attempt()
    except queue.Full as e:
        print("Full", repr(e))
print(bounded.get(), bounded.get())
for attempt in (bounded.get_nowait, lambda: bounded.get(timeout=0.01),
                lambda: bounded.get(False)):
    try:
        attempt()
    except queue.Empty as e:
        print("Empty", repr(e))
try:
    bounded.get(timeout=-1)
except ValueError as e:
    print("ValueError:", e)
try:
    queue.Queue(1).put(1, timeout=-1)
except ValueError as e:
    print("ValueError:", e)
print(queue.Empty, queue.Full, issubclass(queue.Empty, Exception))

# task_done / join.
tracked = queue.Queue()
tracked.put(1)
tracked.get()
tracked.task_done()
try:
    tracked.task_done()
except ValueError as e:
    print("ValueError:", e)
tracked.join()
print("joined an idle queue")

# A blocked get() is woken by a put() from another thread.
handoff = queue.Queue()
got = []
t = threading.Thread(target=lambda: got.append(handoff.get(timeout=5)))
t.start()
handoff.put("hello")
t.join(5)
print(got)

# A blocked put() on a full queue is woken by a get().
full = queue.Queue(1)
full.put("first")
t = threading.Thread(target=lambda: full.put("second", timeout=5))
t.start()
print(full.get(timeout=5), full.get(timeout=5))
t.join(5)

# Subclasses may replace the storage.
class SortedQueue(queue.Queue):
    def _init(self, maxsize):
        self.queue = []

    def _put(self, item):
        self.queue.append(item)
        self.queue.sort(reverse=True)

    def _get(self):
        return self.queue.pop()

sq = SortedQueue()
for x in (5, 1, 3):
    sq.put(x)
print([sq.get() for _ in range(3)])

# SimpleQueue.
simple = queue.SimpleQueue()
print(simple.empty(), simple.qsize())
simple.put(1)
simple.put_nowait(2)
print(simple.qsize(), simple.get(), simple.get_nowait(), simple.empty())
for attempt in (simple.get_nowait, lambda: simple.get(timeout=0.01), lambda: simple.get(False, 1)):
    try:
        attempt()
    except queue.Empty:
        print("SimpleQueue empty")
try:
    simple.get(timeout=-1)
except ValueError as e:
    print("ValueError:", e)
got = []
t = threading.Thread(target=lambda: got.append(simple.get(timeout=5)))
t.start()
simple.put("woken")
t.join(5)
print(got)
