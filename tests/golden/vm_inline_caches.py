# The eval loop's fast paths must behave exactly like the general ones: attribute caches
# (classes remembered per instruction, entry hints into instance dicts), float temporaries
# reused for results, list/tuple indexing and unpacking, list stores.


class Base:
    def __init__(self, n):
        self.a = n
        self.b = n * 2

    def total(self):
        return self.a + self.b


class Left(Base):
    pass


class Right(Base):
    def __init__(self, n):
        self.extra = "first"   # attributes in another order: other entry numbers
        super().__init__(n)


class Third(Base):
    pass


class Fourth(Base):
    pass


# One instruction (self.a in total) sees four classes and two dict layouts.
objs = [Left(1), Right(2), Third(3), Fourth(4), Base(5)]
for _ in range(3):
    print([o.total() for o in objs])

# Deleting and re-adding moves an attribute to another entry.
o = Left(10)
for step in range(4):
    if step == 1:
        del o.a
        o.z = 0
        o.a = 100
    if step == 2:
        o.__dict__.clear()
        o.b = 7
        o.a = 8
    print(step, o.total(), sorted(o.__dict__))

# A class attribute added later, then a property: the cache must notice both.
class P:
    def __init__(self):
        self.v = 1

p = P()
def read(x):
    return x.v
print(read(p), read(p))
P.v = 50                      # a plain class attribute: the instance's still wins
print(read(p))
P.v = property(lambda self: "property wins")
print(read(p))
del P.v
print(read(p))

# Stores through the cache, then a __setattr__ defined later.
class S:
    pass

s = S()
def store(x, value):
    x.w = value
for i in range(3):
    store(s, i)
print(s.w)
S.__setattr__ = lambda self, name, value: object.__setattr__(self, name, value * 10)
store(s, 4)
print(s.w)

# Float arithmetic on temporaries and on values that live elsewhere.
x = 1.5
y = 2.25
t = x * y
u = t + 1.0           # t is still referenced by a name: it must not change
print(t, u, x * y + x * y, (x + y) * (x - y), x / y - y / x)
vals = [0.5, 0.25]
w = vals[0] * 4.0 + vals[1]
print(vals, w)
acc = 0.0
for k in range(5):
    acc = acc * 0.5 + k * 1.0
print(acc)
print(1.0 / 3.0 * 3.0 == 1.0, 0.1 + 0.2)

# Lists and tuples: indexing, negative indexes, unpacking, stores.
lst = [10, 20, 30]
tup = (1, "two", 3.0)
print(lst[0], lst[-1], tup[1], tup[-1])
lst[-1] = 33
lst[0] += 1
print(lst)
a, b, c = lst
d, e, f = tup
print(a, b, c, d, e, f)
for (p1, v1), q in [((1, 2), 3), ([4, 5], 6)]:
    print(p1, v1, q)
try:
    lst[3] = 0
except IndexError as err:
    print("IndexError:", err)
try:
    print(tup[5])
except IndexError as err:
    print("IndexError:", err)
try:
    a, b = lst
except ValueError as err:
    print("ValueError:", err)
try:
    a, b, c, d = tup
except ValueError as err:
    print("ValueError:", err)

# Method calls skip the instance dict when it cannot hold the method's name (LOAD_METHOD
# checks a per-dict filter of key hashes): every way of adding that name must be seen.
class Greeter:
    def hello(self):
        return "method"

g = Greeter()
def call_hello(x):
    return x.hello()
print(call_hello(g), call_hello(g))
g.hello = lambda: "instance attribute"
print(call_hello(g))
del g.hello
print(call_hello(g))
g.__dict__["hel" + "lo"] = lambda: "key built at run time"
print(call_hello(g))
g.__dict__.clear()
print(call_hello(g))
setattr(g, "hello", lambda: "setattr")
print(call_hello(g))
for i in range(40):                 # many keys: the dict grows and is rebuilt
    setattr(g, f"filler{i}", i)
print(call_hello(g))
del g.hello
for i in range(40):
    delattr(g, f"filler{i}")
print(call_hello(g))
vars(g).update(hello=lambda: "update")
print(call_hello(g), len(vars(g)))
