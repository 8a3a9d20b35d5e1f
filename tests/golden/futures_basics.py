# concurrent.futures: Future states and callbacks, ThreadPoolExecutor submit/map/shutdown.
import concurrent.futures
from concurrent.futures import ThreadPoolExecutor, Future
import threading
import time

# A Future driven by hand, as an executor would.
f = Future()
print(f.done(), f.running(), f.cancelled())
log = []
f.add_done_callback(lambda fut: log.append(("first", fut.result())))
f.add_done_callback(lambda fut: log.append(("second", fut.done())))
print(f.set_running_or_notify_cancel(), f.running(), f.cancel())
try:
    f.result(timeout=0.01)
except concurrent.futures.TimeoutError as e:
    print("TimeoutError", repr(e), TimeoutError is concurrent.futures.TimeoutError)
f.set_result(42)
print(f.result(), f.exception(), f.done(), f.running(), log)
f.add_done_callback(lambda fut: log.append(("late", fut.result())))
print(log[-1])
try:
    f.set_result(43)
except concurrent.futures.InvalidStateError as e:
    print("InvalidStateError", str(e).split(":")[0])

failed = Future()
failed.set_running_or_notify_cancel()
failed.set_exception(KeyError("k"))
print(repr(failed.exception()), failed.done())
try:
    failed.result()
except KeyError as e:
    print("re-raised", repr(e))

cancelled = Future()
print(cancelled.cancel(), cancelled.cancelled(), cancelled.done(), cancelled.cancel())
for method in (cancelled.result, cancelled.exception):
    try:
        method()
    except concurrent.futures.CancelledError as e:
        print("CancelledError", repr(e))
print(cancelled.set_running_or_notify_cancel())
print(issubclass(concurrent.futures.CancelledError, Exception),
      concurrent.futures.CancelledError.__module__)

# A result set by another thread wakes result().
later = Future()
t = threading.Timer(0.02, later.set_result, args=["from timer"])
t.start()
print(later.result(timeout=5))
t.join()


# Executors.
def square(x):
    return x * x


def whoami(_):
    time.sleep(0.01)
    return threading.current_thread().name


with ThreadPoolExecutor(max_workers=1) as pool:
    print(pool.submit(square, 7).result(timeout=5))
    print(sorted(set(pool.map(whoami, range(3)))))

with ThreadPoolExecutor(max_workers=3, thread_name_prefix="worker") as pool:
    futures = [pool.submit(square, i) for i in range(10)]
    print([fut.result(timeout=5) for fut in futures])
    print(list(pool.map(square, range(8))))
    print(list(pool.map(pow, [2, 3, 4], [5, 6])))
    print(list(pool.map(square, [])))
    names = set(pool.map(whoami, range(6)))
    print(names <= {"worker_0", "worker_1", "worker_2"}, len(names) >= 1)
    print(pool.submit(lambda a, b=0, *, c: (a, b, c), 1, c=3).result(timeout=5))
    print(pool.submit(dict, fn=1, self=2).result(timeout=5))


def maybe_fail(x):
    if x == 2:
        raise ValueError(f"bad {x}")
    return x


# An exception in a call does not kill its worker; map re-raises it in order.
with ThreadPoolExecutor(max_workers=1, thread_name_prefix="solo") as pool:
    bad = pool.submit(maybe_fail, 2)
    good = pool.submit(whoami, None)
    print(type(bad.exception(timeout=5)).__name__, good.result(timeout=5))
    results = []
    try:
        for value in pool.map(maybe_fail, range(5)):
            results.append(value)
    except ValueError as e:
        print("map raised:", e, "after", results)

pool = ThreadPoolExecutor(max_workers=2)
pool.shutdown()
try:
    pool.submit(square, 1)
except RuntimeError as e:
    print("RuntimeError:", e)
pool.shutdown()
try:
    ThreadPoolExecutor(max_workers=0)
except ValueError as e:
    print("ValueError:", e)

# shutdown(cancel_futures=True) cancels the calls that have not started.
gate = threading.Event()
pool = ThreadPoolExecutor(max_workers=1)
blocked = pool.submit(gate.wait, 5)
queued = [pool.submit(square, i) for i in range(3)]
time.sleep(0.02)
threading.Timer(0.05, gate.set).start()
pool.shutdown(wait=True, cancel_futures=True)
print(blocked.result(), [q.cancelled() for q in queued])

# The context manager waits for every submitted call.
finished = []
with ThreadPoolExecutor(max_workers=2) as pool:
    for i in range(4):
        pool.submit(lambda i=i: (time.sleep(0.01), finished.append(i)))
print(sorted(finished))

# map with a timeout raises TimeoutError when a result is late. (The late call waits for
# an event, not a sleep: a result that a loaded machine let finish first would not be late.)
late = threading.Event()
with ThreadPoolExecutor(max_workers=1) as pool:
    try:
        list(pool.map(late.wait, [5, 0], timeout=0.02))
    except TimeoutError:
        print("map timed out")
    late.set()


# A subclass of the Executor base class only needs submit().
class InlineExecutor(concurrent.futures.Executor):
    def submit(self, fn, /, *args, **kwargs):
        future = Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


with InlineExecutor() as inline:
    print(list(inline.map(square, [1, 2, 3])))
