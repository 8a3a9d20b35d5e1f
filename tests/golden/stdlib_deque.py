# collections.deque: a ring buffer with bounded length, rotation and mutation checks.
from collections import deque

d = deque([1, 2, 3])
d.append(4)
d.appendleft(0)
print(d, len(d), d[0], d[-1], d[2], 3 in d, 9 in d, bool(d), bool(deque()))
print(d.pop(), d.popleft(), d)
d.extend([5, 6])
d.extendleft("ab")
print(d, d.count(5), d.index(5), d.index(2, 1, 4))
d.rotate(2)
print(d)
d.rotate(-3)
print(d)
d.remove("a")
d.insert(1, "x")
d.reverse()
print(d, list(reversed(d)))
d[0] = "first"
del d[1]
print(d, d.maxlen)
d.clear()
print(d, len(d))

b = deque(range(10), maxlen=3)
print(b, b.maxlen)
b.append(10)
b.appendleft(-1)
print(b)
b.extend([20, 21, 22, 23])
print(b, list(b))
z = deque(maxlen=0)
z.append(1)
print(z)

e = deque([1, 2])
print(e == deque([1, 2]), e != deque([2, 1]), e < deque([1, 3]), e == [1, 2], deque("ab") + deque("cd"))
print(e * 3, 2 * deque("x"), deque([1, 2, 3], maxlen=4) * 2)
e += [3, 4]
print(e, e.copy(), deque(e, maxlen=2))
nested = deque([1])
nested.append(nested)
print(nested)

for call in [lambda: deque().pop(), lambda: deque().popleft(), lambda: deque([1])[5],
             lambda: deque([1]).remove(2), lambda: deque([1]).index(7), lambda: deque(maxlen=-1),
             lambda: deque([1], maxlen=1).insert(0, 2), lambda: hash(deque()),
             lambda: deque([1])["a"], lambda: deque() + [1]]:
    try:
        call()
    except (IndexError, ValueError, TypeError) as e:
        print(type(e).__name__ + ":", e)

m = deque([1, 2, 3])
try:
    for item in m:
        m.append(item)
except RuntimeError as e:
    print("RuntimeError:", e)
print(m)

class Sub(deque):
    pass
s = Sub([1, 2])
print(s, isinstance(s, deque))
