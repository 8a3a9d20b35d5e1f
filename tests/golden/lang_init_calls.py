# How a class's __init__ gets called: a def (called with self, no bound method made), an
# inherited one, a replaced one, and objects of other kinds stored as __init__.

class Point:
    def __init__(self, x, y=0, *, label="p"):
        self.x, self.y, self.label = x, y, label

p = Point(1, y=2, label="q")
print(p.x, p.y, p.label, Point(5).y)


class Point3(Point):
    pass

print(Point3(7, 8).x)


class Replacing:
    def __init__(self):
        # Replacing __init__ while it runs must not free the running function.
        Replacing.__init__ = lambda self: setattr(self, "second", True)
        self.first = True

a = Replacing()
b = Replacing()
print(hasattr(a, "first"), hasattr(b, "second"), hasattr(b, "first"))


class Bad:
    def __init__(self):
        return 42

try:
    Bad()
except TypeError as e:
    print("TypeError:", e)


class WithStatic:
    @staticmethod
    def __init__(*args):
        print("static init got", len(args), "arguments")

WithStatic(1, 2)


class Callable:
    def __call__(self, *args):
        print("callable init got", len(args), "arguments")

class WithCallable:
    __init__ = Callable()

WithCallable(1)

try:
    Point()
except TypeError as e:
    print("TypeError:", e)
