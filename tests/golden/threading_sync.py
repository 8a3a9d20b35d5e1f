# Locks, Condition, Semaphore, Event and Barrier from threading.
import threading
import time


def run_threads(target, n, *args):
    threads = [threading.Thread(target=target, args=args) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    return threads


# Lock.
lock = threading.Lock()
print(lock.acquire(), lock.locked(), lock.acquire(False), lock.acquire(timeout=0.01))
lock.release()
print(lock.locked())
try:
    lock.release()
except RuntimeError as e:
    print("RuntimeError:", e)
with lock:
    print("in with:", lock.locked())
print(type(lock) is type(threading.Lock()))

# A lock is not owned: another thread may release it.
handoff = threading.Lock()
handoff.acquire()
t = threading.Thread(target=handoff.release)
t.start()
t.join()
print("released by other thread:", not handoff.locked())

# RLock.
rlock = threading.RLock()
with rlock:
    with rlock:
        print("re-entered")
    print(rlock.acquire(blocking=False))
    rlock.release()
try:
    rlock.release()
except RuntimeError as e:
    print("RuntimeError:", e)
others = []
rlock.acquire()
t = threading.Thread(target=lambda: others.append(rlock.acquire(timeout=0.02)))
t.start()
t.join()
rlock.release()
print("other thread got held rlock:", others)

# Condition: wait without the lock, timeouts, notify and notify_all.
cond = threading.Condition()
try:
    cond.wait(0.01)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    cond.notify()
except RuntimeError as e:
    print("RuntimeError:", e)
with cond:
    print("wait timed out:", cond.wait(0.01))
    print("wait_for timed out:", cond.wait_for(lambda: False, timeout=0.01))
    print("wait_for true at once:", cond.wait_for(lambda: 42))

state = {"ready": 0, "woken": 0}
def cond_waiter():
    with cond:
        state["ready"] += 1
        if cond.wait(5):
            state["woken"] += 1
waiters = [threading.Thread(target=cond_waiter) for _ in range(4)]
for w in waiters:
    w.start()
deadline = time.monotonic() + 5
while time.monotonic() < deadline:
    with cond:
        if state["ready"] == 4:
            cond.notify(1)
            break
    time.sleep(0.005)
time.sleep(0.05)
with cond:
    print("after notify(1):", state["woken"])
    cond.notify_all()
for w in waiters:
    w.join(5)
print("after notify_all:", state["woken"])

# Condition over a plain Lock.
plain = threading.Condition(threading.Lock())
items = []
def consume():
    with plain:
        plain.wait_for(lambda: items, timeout=5)
        items.append("consumed")
c = threading.Thread(target=consume)
c.start()
with plain:
    items.append("produced")
    plain.notify()
c.join(5)
print(items)

# Semaphore and BoundedSemaphore.
sem = threading.Semaphore(2)
print(sem.acquire(), sem.acquire(), sem.acquire(blocking=False), sem.acquire(timeout=0.01))
sem.release(2)
print(sem.acquire(blocking=False))
try:
    sem.acquire(False, 1)
except ValueError as e:
    print("ValueError:", e)
try:
    threading.Semaphore(-1)
except ValueError as e:
    print("ValueError:", e)
try:
    sem.release(0)
except ValueError as e:
    print("ValueError:", e)
bounded = threading.BoundedSemaphore(1)
with bounded:
    print("inside bounded")
try:
    bounded.release()
except ValueError as e:
    print("ValueError:", e)

limit = threading.Semaphore(2)
counts = {"inside": 0, "max": 0}
count_lock = threading.Lock()
def limited():
    with limit:
        with count_lock:
            counts["inside"] += 1
            counts["max"] = max(counts["max"], counts["inside"])
        time.sleep(0.01)
        with count_lock:
            counts["inside"] -= 1
run_threads(limited, 6)
print("at most two inside:", counts["max"] <= 2, counts["inside"])

# Event.
ev = threading.Event()
print(ev.is_set(), ev.wait(0.01))
woke = []
def event_waiter():
    woke.append(ev.wait(5))
ws = [threading.Thread(target=event_waiter) for _ in range(3)]
for w in ws:
    w.start()
ev.set()
for w in ws:
    w.join(5)
print(woke, ev.is_set(), ev.wait())
ev.clear()
print(ev.is_set(), ev.wait(0))

# Barrier.
actions = []
barrier = threading.Barrier(3, action=lambda: actions.append("tripped"))
print(barrier.parties, barrier.n_waiting, barrier.broken)
indices = []
def at_barrier():
    indices.append(barrier.wait(5))
run_threads(at_barrier, 3)
print(sorted(indices), actions)
run_threads(at_barrier, 3)
print(sorted(indices), actions)

lonely = threading.Barrier(2)
try:
    lonely.wait(0.02)
except threading.BrokenBarrierError as e:
    print("broken by timeout:", type(e).__name__, lonely.broken)
lonely.reset()
print("after reset:", lonely.broken)

aborted = threading.Barrier(3)
outcomes = []
def abort_waiter():
    try:
        aborted.wait(5)
        outcomes.append("passed")
    except threading.BrokenBarrierError:
        outcomes.append("broken")
ws = [threading.Thread(target=abort_waiter) for _ in range(2)]
for w in ws:
    w.start()
while aborted.n_waiting < 2:
    time.sleep(0.005)
aborted.abort()
for w in ws:
    w.join(5)
print(outcomes, aborted.broken, issubclass(threading.BrokenBarrierError, RuntimeError))
