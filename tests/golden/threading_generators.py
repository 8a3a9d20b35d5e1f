# A generator created in one thread and resumed by others: its frame runs on its own stack,
# so any thread can switch into it.
import threading
def counter():
    total = 0
    while True:
        x = yield total
        total += x
g = counter()
next(g)
results = []
def use(k):
    for i in range(1000):
        results.append(g.send(1))
ts = [threading.Thread(target=use, args=(k,)) for k in range(1)]
for t in ts: t.start()
for t in ts: t.join()
print(g.send(0), len(results))
def squares():
    for i in range(5):
        yield i * i
it = squares()
out = []
def take():
    out.append(next(it))
for _ in range(5):
    t = threading.Thread(target=take); t.start(); t.join()
print(out)
