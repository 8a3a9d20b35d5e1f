# queue between threads: bounded producer/consumer pipelines and join().
import queue
import threading

PRODUCERS = 3
CONSUMERS = 3
ITEMS = 200

work = queue.Queue(maxsize=50)
done = queue.Queue()


def producer(base):
    for i in range(ITEMS):
        work.put(base + i, timeout=10)


def consumer():
    while True:
        item = work.get(timeout=10)
        if item is None:
            work.task_done()
            return
        done.put(item * item)
        work.task_done()


producers = [threading.Thread(target=producer, args=(k * ITEMS,)) for k in range(PRODUCERS)]
consumers = [threading.Thread(target=consumer) for _ in range(CONSUMERS)]
for t in producers + consumers:
    t.start()
for t in producers:
    t.join(10)
work.join()
print("all processed:", work.unfinished_tasks, work.empty())
for _ in consumers:
    work.put(None)
for t in consumers:
    t.join(10)
squares = []
while not done.empty():
    squares.append(done.get_nowait())
total = PRODUCERS * ITEMS
print(len(squares), sum(squares) == sum(i * i for i in range(total)))
print("consumers alive:", [t.is_alive() for t in consumers])

# A priority queue filled by several threads drains in order.
pq = queue.PriorityQueue()
def fill(k):
    for i in range(k, 60, 3):
        pq.put((i, f"job{i}"))
fillers = [threading.Thread(target=fill, args=(k,)) for k in range(3)]
for t in fillers:
    t.start()
for t in fillers:
    t.join(10)
drained = [pq.get_nowait()[0] for _ in range(pq.qsize())]
print(drained == list(range(60)), len(drained))

# A LIFO stack shared by pushers and poppers loses nothing.
stack = queue.LifoQueue()
popped = []
popped_lock = threading.Lock()
def pusher():
    for i in range(100):
        stack.put(i)
def popper():
    for _ in range(100):
        value = stack.get(timeout=10)
        with popped_lock:
            popped.append(value)
threads = [threading.Thread(target=f) for f in (pusher, popper, pusher, popper)]
for t in threads:
    t.start()
for t in threads:
    t.join(10)
print(sorted(popped) == sorted(list(range(100)) * 2), stack.qsize())
