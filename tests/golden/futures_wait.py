# concurrent.futures.wait and as_completed, with completion order driven by events.
import concurrent.futures
from concurrent.futures import (ThreadPoolExecutor, Future, wait, as_completed,
                                FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED)
import threading
import time

print(FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED)


def labelled(futures):
    return sorted(futures[f] for f in futures)


def names(fs, labels):
    return sorted(labels[f] for f in fs)


# Futures finished in a known order by the main thread are yielded in that order.
fs = [Future() for _ in range(4)]
labels = {f: i for i, f in enumerate(fs)}
for f in fs:
    f.set_running_or_notify_cancel()
order = []
def finish_in_order():
    for i in (2, 0, 3, 1):
        fs[i].set_result(i * 10)
        seen.wait(5)
        seen.clear()
seen = threading.Event()
finisher = threading.Thread(target=finish_in_order)
finisher.start()
for f in as_completed(fs, timeout=5):
    order.append((labels[f], f.result()))
    seen.set()
finisher.join(5)
print("as_completed order:", order)

# Already finished futures come first; duplicates are yielded once.
done_f = Future()
done_f.set_result("early")
pending_f = Future()
threading.Timer(0.02, pending_f.set_result, args=["late"]).start()
print([f.result() for f in as_completed([done_f, pending_f, done_f], timeout=5)])

# Timeout: the message counts the unfinished futures.
never = [Future() for _ in range(3)]
never[0].set_result(None)
got = []
try:
    for f in as_completed(never, timeout=0.02):
        got.append(f.result())
except TimeoutError as e:
    print("TimeoutError:", e, got)

# as_completed also accepts a dict of futures (its keys).
with ThreadPoolExecutor(max_workers=3) as pool:
    jobs = {pool.submit(pow, 2, n): n for n in range(6)}
    print(sorted((jobs[f], f.result()) for f in as_completed(jobs)))

# wait() with each return_when.
a, b, c = Future(), Future(), Future()
labels = {a: "a", b: "b", c: "c"}
a.set_result(1)
result = wait([a, b, c], timeout=0.02)
print(type(result).__name__, names(result.done, labels), names(result.not_done, labels))
done, not_done = wait([a, b, c], return_when=FIRST_COMPLETED)
print("first completed:", names(done, labels), names(not_done, labels))
print("all done already:", names(wait([a]).done, labels))

threading.Timer(0.02, b.set_exception, args=[OSError("disk")]).start()
done, not_done = wait([b, c], timeout=5, return_when=FIRST_EXCEPTION)
print("first exception:", names(done, labels), names(not_done, labels))
done, not_done = wait([a, b, c], timeout=0.01, return_when=FIRST_EXCEPTION)
print("exception already there:", names(done, labels), names(not_done, labels))
# A cancelled future counts as done once its executor has noticed the cancellation.
c.cancel()
print("before notice:", names(wait([c], timeout=0.01).done, labels))
c.set_running_or_notify_cancel()
done, not_done = wait([a, b, c], timeout=5, return_when=ALL_COMPLETED)
print("all completed:", names(done, labels), names(not_done, labels))
try:
    x = Future()
    wait([x], timeout=0.01, return_when="SOMETIMES")
except ValueError as e:
    print("ValueError:", e)

# wait() on pool futures, where the slow one is released by an event.
gate = threading.Event()
with ThreadPoolExecutor(max_workers=2) as pool:
    fast = pool.submit(lambda: "fast")
    slow = pool.submit(gate.wait, 5)
    done, not_done = wait([fast, slow], timeout=5, return_when=FIRST_COMPLETED)
    print("fast done:", fast in done, "slow pending:", slow in not_done)
    gate.set()
    done, not_done = wait([fast, slow], timeout=5)
    print(len(done), len(not_done), slow.result())

# A cancelled pool future is reported by as_completed and wait.
gate = threading.Event()
with ThreadPoolExecutor(max_workers=1) as pool:
    running = pool.submit(gate.wait, 5)
    queued = pool.submit(pow, 2, 3)
    # Without a GIL the worker may not have picked the first job up yet: wait (bounded).
    deadline = time.monotonic() + 5
    while not running.running() and time.monotonic() < deadline:
        time.sleep(0.001)
    print("cancel queued:", queued.cancel(), "cancel running:", running.cancel() and running.running())
    gate.set()
    states = sorted((f is queued, f.cancelled()) for f in as_completed([running, queued], timeout=5))
    print(states)
