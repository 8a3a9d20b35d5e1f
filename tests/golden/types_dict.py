# dict: insertion order, deletion and resizing, methods, views, subclasses with __missing__,
# comparisons and the exact error messages.

def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

d = {}
for i in range(8):
    d[i] = i * i
for i in range(0, 8, 2):
    del d[i]
d[100] = 1
d[3] = 33
print(d, len(d), list(d), list(d.values()), list(d.items())[:2])
print(d.popitem(), d, 3 in d, 4 in d, 4 not in d)

# Churn: many insertions and deletions keep the order of the survivors.
c = {}
for r in range(10):
    for i in range(200):
        c[r * 1000 + i] = i
    for i in range(200):
        if i % 7:
            del c[r * 1000 + i]
print(len(c), list(c)[:6], list(c)[-3:], c[9196], sum(c.values()))

# Construction.
print(dict(), dict(a=1, b=2), dict([(1, 2), [3, 4]]), dict({1: 2}, x=3), dict(["ab", "cd"]))
print(dict.fromkeys([1, 2]), dict.fromkeys("ab", 0), {k: k * 2 for k in range(3)})
show(lambda: dict([1]))
show(lambda: dict([(1, 2, 3)]))
show(lambda: dict(1))
show(lambda: dict({}, {}))

# Methods.
m = {"a": 1, "b": 2}
print(m.get("a"), m.get("z"), m.get("z", 0), m.setdefault("c", 3), m.setdefault("a", 9), m)
print(m.pop("c"), m.pop("z", "default"), m.copy(), m.copy() is m)
m.update({"b": 20, "d": 4})
m.update([("e", 5)], f=6)
m.update(g=7)
print(m)
print(m.keys(), m.values(), m.items())
print(list(reversed(m)), list(reversed(m.items()))[:2], list(reversed(m.values()))[:3])
m.clear()
print(m, bool(m), bool({0: 0}))
show(lambda: {}["missing"])
show(lambda: {}.pop(1))
show(lambda: {}.popitem())
show(lambda: {}.get())
show(lambda: {[1]: 2})
show(lambda: {}[[]])
show(lambda: {}.update([1]))
show(lambda: {}.update(["ab", "c"]))
show(lambda: hash({}))
def delete_missing():
    del {}[5]
show(delete_missing)

# Keys that are equal across types find the same entry.
n = {1: "int"}
n[1.0] = "float"
n[True] = "bool"
print(n, n[1], {0: "a", 0.0: "b", False: "c"})

# Views are live and set-like.
v = {1: "a", 2: "b", 3: "c"}
keys = v.keys()
items = v.items()
v[4] = "d"
print(len(keys), 4 in keys, (4, "d") in items, (4, "x") in items, "a" in v.values())
print(keys | {9}, keys & {2, 3, 10}, keys - [1], keys ^ [1, 10], sorted(items - {(1, "a")}))
print(keys == {1, 2, 3, 4}, keys <= {1, 2, 3, 4, 5}, keys > {1}, keys.isdisjoint([7, 8]))
print(sorted(keys), list(items), [k for k in keys if k % 2])

# Equality and merging.
print({1: 2, 3: 4} == {3: 4, 1: 2}, {1: 2} == {1: 3}, {1: 2} != {1: 2}, {} == {})
x = {1: 1, 2: 2}
y = {2: 20, 3: 30}
print(x | y, y | x, x)
x |= y
x |= [(4, 40)]
print(x)

# Iterating while changing the size is an error.
def grow_while_iterating():
    g = {1: 1}
    for k in g:
        g[k + 1] = 1
show(grow_while_iterating)

# A dict that contains itself prints as {...}.
s = {"me": None}
s["me"] = s
print(s)

# Subclasses: __missing__ is called for absent keys.
class Counter(dict):
    def __missing__(self, key):
        return 0

cnt = Counter()
for ch in "abracadabra":
    cnt[ch] = cnt[ch] + 1
print(sorted(cnt.items()), cnt["z"], "z" in cnt, len(cnt), isinstance(cnt, dict))

class Defaulting(dict):
    def __missing__(self, key):
        self[key] = value = [key]
        return value

dd = Defaulting()
dd["x"].append(1)
print(dd, dd.get("y"), dd["y"], dd)
