# threading.Thread: naming, lifecycle, errors, subclasses, current/main thread, Timer.
import threading
import time


def work(results, key, value):
    results[key] = value * 2


def status(t):
    # A thread's repr with its ident (which varies from run to run) blanked out.
    text = repr(t)
    if t.ident is not None:
        text = text.replace(str(t.ident), "IDENT")
    return text


results = {}
t1 = threading.Thread(target=work, args=(results, "a", 21))
t2 = threading.Thread(target=work, args=(results,), kwargs={"key": "b", "value": 5})
t3 = threading.Thread(target=lambda: None)
named = threading.Thread(target=work, name="custom", args=(results, "c", 1))
print(t1.name, "|", t2.name, "|", t3.name, "|", named.name)
print(status(t1), t1.ident, t1.native_id, t1.is_alive(), t1.daemon)
for t in (t1, t2, t3, named):
    t.start()
for t in (t1, t2, t3, named):
    t.join()
print(sorted(results.items()))
print(status(t1), t1.is_alive(), type(t1.ident).__name__, type(t1.native_id).__name__)
print(t1.ident != threading.get_ident(), t1.native_id != threading.get_native_id())

# Errors.
try:
    t1.start()
except RuntimeError as e:
    print("RuntimeError:", e)
fresh = threading.Thread(target=work)
try:
    fresh.join()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    threading.current_thread().join()
except RuntimeError as e:
    print("RuntimeError:", e)

# Daemon flag: inherited from the creating thread, settable before start only.
d = threading.Thread(target=time.sleep, args=(0.01,), daemon=True)
print(d.daemon, threading.Thread(target=work).daemon)
d.start()
try:
    d.daemon = False
except RuntimeError as e:
    print("RuntimeError:", e)
d.join()
print(status(d))

inherited = []
def spawn_child():
    inherited.append(threading.Thread(target=work).daemon)
p = threading.Thread(target=spawn_child, daemon=True)
p.start()
p.join()
print("child of daemon is daemon:", inherited)


# Subclassing Thread and overriding run().
class Squarer(threading.Thread):
    def __init__(self, n):
        super().__init__(name=f"sq-{n}")
        self.n = n
        self.result = None

    def run(self):
        self.result = (threading.current_thread().name, self.n * self.n)


squarers = [Squarer(n) for n in range(4)]
for s in squarers:
    s.start()
for s in squarers:
    s.join()
print([s.result for s in squarers])
print(repr(Squarer(9)).split(",")[0])

# current_thread, main_thread, active_count, enumerate.
main = threading.main_thread()
print(main.name, main is threading.current_thread(), main.is_alive(), main.daemon)
release = threading.Event()
seen = []
def blocker():
    seen.append(threading.current_thread().name)
    release.wait(5)
blockers = [threading.Thread(target=blocker, name=f"blocker-{i}") for i in range(3)]
for b in blockers:
    b.start()
# Without a GIL the blockers run alongside this thread: wait (bounded) until all have run.
deadline = time.monotonic() + 5
while len(seen) < 3 and time.monotonic() < deadline:
    time.sleep(0.001)
print("active:", threading.active_count())
print(sorted(t.name for t in threading.enumerate()))
print(sorted(seen))
blockers[0].join(timeout=0.05)
print("still alive after join timeout:", blockers[0].is_alive())
release.set()
for b in blockers:
    b.join()
print("active after:", threading.active_count(), [t.name for t in threading.enumerate()])

# A thread that raises can still be joined; the exception goes to excepthook.
caught = []
def hook(args):
    caught.append((args.exc_type.__name__, str(args.exc_value), args.thread.name))
threading.excepthook = hook
failing = threading.Thread(target=lambda: 1 / 0, name="failing")
failing.start()
failing.join()
print(caught, failing.is_alive())
threading.excepthook = threading.__excepthook__

# Timer fires once; a cancelled Timer never does.
fired = []
timer = threading.Timer(0.02, fired.append, args=["fired"])
timer.start()
timer.join(2)
cancelled = threading.Timer(0.5, fired.append, args=["cancelled"])
cancelled.start()
cancelled.cancel()
cancelled.join(2)
print(fired, timer.is_alive(), cancelled.is_alive())
print(threading.TIMEOUT_MAX > 1000, threading.ThreadError is RuntimeError)


# The program waits for non-daemon threads before it exits.
def late():
    time.sleep(0.1)
    print("late thread finished")
threading.Thread(target=late).start()
print("main done")
