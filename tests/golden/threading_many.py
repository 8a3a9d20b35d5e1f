# Many threads: 100 started and joined, five rounds; a lock held across a blocking call;
# exceptions in threads reported while the program goes on; a daemon thread left running.
import threading
import time

results = []
results_lock = threading.Lock()

def record(i):
    with results_lock:
        results.append(i)

for round_number in range(5):
    threads = [threading.Thread(target=record, args=(i,)) for i in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    print("round", round_number, "alive:", sum(t.is_alive() for t in threads), "total:", len(results))
print("sum ok:", sum(results) == 5 * sum(range(100)))

# A lock held while sleeping: the others wait for it, and the sleep lets them try.
held = threading.Lock()
order = []
def holder():
    with held:
        order.append("holder in")
        time.sleep(0.05)
        order.append("holder out")
def waiter():
    time.sleep(0.01)
    with held:
        order.append("waiter in")
h = threading.Thread(target=holder)
w = threading.Thread(target=waiter)
h.start(); w.start()
h.join(timeout=10); w.join(timeout=10)
print(order)

# A failing thread does not stop the others.
def fail():
    raise RuntimeError("expected failure")
captured = []
threading.excepthook = lambda args: captured.append((args.exc_type.__name__, str(args.exc_value)))
failing = [threading.Thread(target=fail) for _ in range(3)]
for t in failing:
    t.start()
for t in failing:
    t.join(timeout=10)
print(captured)

stop = threading.Event()
daemon = threading.Thread(target=stop.wait, daemon=True)
daemon.start()
print("daemon alive at exit:", daemon.is_alive())
