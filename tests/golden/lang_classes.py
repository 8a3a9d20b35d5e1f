# Classes: inheritance, super(), class attributes, properties, static/class methods,
# special methods, __eq__/__hash__, __getattr__, descriptors.
class Animal:
    kingdom = "animalia"
    def __init__(self, name):
        self.name = name
    def speak(self):
        return f"{self.name} makes a sound"
    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"

class Dog(Animal):
    def __init__(self, name, tricks=()):
        super().__init__(name)
        self.tricks = list(tricks)
    def speak(self):
        return super().speak().replace("a sound", "woof")

d = Dog("rex", ["sit"])
print(d, d.speak(), d.kingdom, Dog.kingdom, d.tricks)
print(isinstance(d, Animal), issubclass(Dog, Animal), type(d) is Dog, Dog.__mro__)
print(Dog.__name__, Dog.__qualname__, Dog.__bases__, Animal.__subclasses__())

class Temperature:
    def __init__(self, c):
        self._c = c
    @property
    def f(self):
        return self._c * 9 / 5 + 32
    @f.setter
    def f(self, value):
        self._c = (value - 32) * 5 / 9
    @staticmethod
    def zero():
        return Temperature(0)
    @classmethod
    def from_f(cls, f):
        t = cls(0)
        t.f = f
        return t

t = Temperature.from_f(212)
print(t._c, t.f, Temperature.zero().f)
try:
    del t.f
except AttributeError as e:
    print("AttributeError:", e)

class Money:
    def __init__(self, cents):
        self.cents = cents
    def __add__(self, other):
        if isinstance(other, int):
            return Money(self.cents + other)
        return Money(self.cents + other.cents)
    __radd__ = __add__
    def __eq__(self, other):
        return isinstance(other, Money) and self.cents == other.cents
    def __hash__(self):
        return hash(self.cents)
    def __lt__(self, other):
        return self.cents < other.cents
    def __repr__(self):
        return f"Money({self.cents})"
    def __bool__(self):
        return self.cents != 0
    def __len__(self):
        return 1

print(Money(5) + Money(7), 3 + Money(4), sum([Money(1), Money(2)], Money(0)))
print(Money(1) == Money(1), Money(1) != Money(2), sorted([Money(3), Money(1)]), bool(Money(0)))
print(len({Money(1), Money(1), Money(2)}))

class NoHash:
    def __eq__(self, other):
        return True
try:
    hash(NoHash())
except TypeError as e:
    print("TypeError:", e)

class Dynamic:
    def __getattr__(self, name):
        return name.upper()
print(Dynamic().hello)

class Counter:
    count = 0
    def __init__(self):
        Counter.count += 1
        self.__class__.last = self
for _ in range(3):
    Counter()
print(Counter.count, Counter.last is not None)

class Base:
    def who(self):
        return "base"
class Mixin:
    def who(self):
        return "mixin+" + super().who()
class Both(Mixin, Base):
    pass
print(Both().who(), [c.__name__ for c in Both.__mro__])

class Slotted:
    def __init__(self):
        self.a = 1
s = Slotted()
s.b = 2
print(sorted(vars(s).items()), hasattr(s, "c"), getattr(s, "c", "default"))
del s.a
print(hasattr(s, "a"))
try:
    s.missing
except AttributeError as e:
    print("AttributeError:", e)
