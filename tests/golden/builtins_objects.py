# Inspection builtins: isinstance/issubclass, attribute functions, len, hash, id, callable,
# ord/chr, dir, and the names builtins provides.
class Base:
    kind = "base"
    def method(self):
        return 1
class Child(Base):
    pass

c = Child()
print(isinstance(c, Base), isinstance(c, (int, Child)), isinstance(3, (str, (float, int))))
print(issubclass(Child, Base), issubclass(Base, Child), issubclass(bool, (str, int)), issubclass(int, object))
for call in [lambda: issubclass(c, Base), lambda: issubclass(Child, 3), lambda: isinstance(c, 3)]:
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)

print(getattr(c, "kind"), getattr(c, "missing", "default"), hasattr(c, "method"), hasattr(c, "nope"))
setattr(c, "colour", "red")
print(c.colour, getattr(c, "colour"))
delattr(c, "colour")
print(hasattr(c, "colour"))
try:
    getattr(c, "nope")
except AttributeError as e:
    print("AttributeError:", e)
class Weird:
    @property
    def boom(self):
        raise ValueError("inside property")
try:
    hasattr(Weird(), "boom")
except ValueError as e:
    print("ValueError:", e)

print(len("héllo"), len([1, 2]), len({"a": 1}), len(range(0, 10, 3)), len(b"ab"))
try:
    len(5)
except TypeError as e:
    print("TypeError:", e)
print(hash(1) == hash(1.0), hash("a") == hash("a"), hash((1, 2)) == hash((1, 2)), hash(True))
try:
    hash([])
except TypeError as e:
    print("TypeError:", e)
x = object()
print(id(x) == id(x), id(x) != id(object()), id(5) == id(5), type(id(x)).__name__)
print(callable(len), callable(Base), callable(c.method), callable(3), callable(c))

print(ord("A"), ord("é"), ord("😀"), chr(97), chr(233), chr(128512), ord(b"z"))
for call in [lambda: ord("ab"), lambda: ord(""), lambda: ord(5), lambda: chr(-1), lambda: chr(0x110000), lambda: chr("a")]:
    try:
        call()
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)

class Point:
    def __init__(self):
        self.x = 1
        self._y = 2
    def norm(self):
        return 0
names = dir(Point())
print([n for n in names if not n.startswith("__")], "__init__" in names, names == sorted(names))
print([n for n in dir(Child) if not n.startswith("__")])
import math
print("sqrt" in dir(math), "pi" in dir(math))

import builtins
for name in ["int", "float", "bool", "str", "bytes", "list", "tuple", "dict", "set", "frozenset",
             "range", "slice", "enumerate", "zip", "map", "filter", "reversed", "ValueError",
             "KeyError", "FileNotFoundError", "StopIteration", "OSError", "None", "Ellipsis",
             "NotImplemented", "__debug__", "print", "len", "sorted", "open", "input", "iter"]:
    print(name, hasattr(builtins, name), end="; ")
print()
print(IOError is OSError, EnvironmentError is OSError, issubclass(FileNotFoundError, OSError))
print(None, Ellipsis, NotImplemented, __debug__)
