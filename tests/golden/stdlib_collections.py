# collections: namedtuple, defaultdict, Counter, OrderedDict.
from collections import namedtuple, defaultdict, Counter, OrderedDict

Point = namedtuple("Point", ["x", "y"])
p = Point(1, y=2)
print(p, p.x, p.y, p[0], p[-1], list(p), len(p), tuple(p))
x, y = p
print(x, y, p == Point(1, 2), p == (1, 2), p != Point(2, 1), hash(p) == hash((1, 2)))
print(p._asdict(), p._replace(y=5), Point._make([7, 8]), Point._fields)
print(Point.__name__, type(p).__name__, 2 in p, p.count(1), p.index(2), p[:1])
Color = namedtuple("Color", "red green blue", defaults=[0])
print(Color(1, 2), Color(red=1, green=2, blue=3), Color._field_defaults)
R = namedtuple("R", "a, def, a", rename=True)
print(R._fields)
for call in [lambda: Point(1), lambda: Point(1, 2, 3), lambda: Point(1, 2, z=3),
             lambda: namedtuple("Bad", "x x"), lambda: namedtuple("Bad", "_x"),
             lambda: namedtuple("Bad", "1x"), lambda: p._replace(z=1)]:
    try:
        call()
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)
try:
    p.x = 5
except AttributeError:
    print("AttributeError on assignment")
print(sorted([Point(2, 1), Point(1, 5), Point(1, 2)]))

d = defaultdict(list)
d["a"].append(1)
d["a"].append(2)
d["b"].append(3)
print(d, d["missing"], len(d), dict(d))
counts = defaultdict(int)
for word in "the cat and the hat and the bat".split():
    counts[word] += 1
print(sorted(counts.items()), counts.default_factory)
nd = defaultdict(None)
try:
    nd["x"]
except KeyError as e:
    print("KeyError:", e)
print(isinstance(d, dict), defaultdict(int, {"k": 1}), d.copy() == d)

c = Counter("abracadabra")
print(c, c["a"], c["z"], c.most_common(2), c.total())
print(sorted(c.elements()))
c.update("aaz")
c.update({"b": 10})
print(c.most_common(3))
c.subtract("aaaa")
print(c["a"], Counter(a=3, b=1) + Counter(a=1, b=2), Counter(a=3, b=1) - Counter(a=1, b=2))
print(Counter(a=3, b=1) | Counter(a=1, b=2), Counter(a=3, b=1) & Counter(a=1, b=2))
print(Counter(), Counter({"x": 2}), Counter(cats=4, dogs=8), +Counter(a=2, b=-1), -Counter(a=2, b=-1))
words = Counter(["red", "blue", "red", "green", "blue", "red"])
print(words.most_common(), words == Counter(red=3, blue=2, green=1))
del words["red"]
del words["nope"]
print(words)

o = OrderedDict()
o["b"] = 1
o["a"] = 2
o["c"] = 3
o.move_to_end("b")
print(list(o), list(o.items()))
o.move_to_end("c", last=False)
print(list(o.keys()), o.popitem(), o.popitem(last=False), list(o))
print(OrderedDict(a=1, b=2) == OrderedDict(b=2, a=1), OrderedDict(a=1, b=2) == {"b": 2, "a": 1})
