# Randomised churn (a fixed linear congruential generator, so the run is deterministic):
# dicts, sets and lists under many insertions and deletions must keep CPython's contents,
# dict order and set iteration order.

state = 12345

def rand(n):
    global state
    state = (state * 1103515245 + 12345) % 2147483648
    return state % n

d = {}
s = set()
l = []
for step in range(20000):
    op = rand(10)
    k = rand(500)
    if op < 5:
        d[k] = step
        s.add(k * 7)
        l.append(k)
    elif op < 8:
        d.pop(k, None)
        s.discard(k * 7)
        if k in l:
            l.remove(k)
    elif op == 8 and d:
        d.popitem()
        if s:
            s.pop()
    else:
        l.insert(rand(len(l) + 1), -k)
        if len(l) > 300:
            del l[rand(len(l)):]
print(len(d), list(d)[:10], list(d)[-5:], sum(d.values()))
print(len(s), list(s)[:12], sum(s))
print(len(l), l[:10], sum(l))

# Dicts with string keys, deleted and re-added in another order.
names = {}
for i in range(300):
    names["k" + str(rand(200))] = i
for i in range(150):
    names.pop("k" + str(rand(200)), None)
for i in range(100):
    names["k" + str(rand(300))] = -i
print(len(names), list(names)[:8], list(names.items())[-3:])

# Sets built in different ways from the same keys.
keys = [rand(10000) for i in range(200)]
a = set(keys)
b = set()
for k in reversed(keys):
    b.add(k)
c = set(dict.fromkeys(keys))
print(a == b == c, list(a)[:8], list(b)[:8], list(c)[:8])
a -= set(keys[:50])
b &= set(keys[25:])
print(len(a), len(b), list(a)[:6], list(b)[:6], list(a ^ b)[:6], list(a | b)[:6])

# Sorting agrees with CPython for many equal keys.
pairs = [(rand(20), i) for i in range(1000)]
pairs.sort(key=lambda p: p[0])
print(pairs[:5], pairs[-3:], pairs == sorted(pairs))
