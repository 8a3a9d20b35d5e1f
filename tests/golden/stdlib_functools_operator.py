# functools and operator.
import functools
import operator
from functools import reduce, partial, lru_cache, cache, wraps, total_ordering, cmp_to_key

print(reduce(operator.add, [1, 2, 3, 4]), reduce(operator.mul, range(1, 6)), reduce(lambda a, b: a + b, [], 10))
try:
    reduce(operator.add, [])
except TypeError as e:
    print("TypeError:", e)

base2 = partial(int, base=2)
print(base2("1010"), base2("11", base=3), base2.func is int, base2.args, base2.keywords)
add3 = partial(lambda a, b, c: a + b + c, 1)
add3b = partial(add3, 2)
print(add3(2, 3), add3b(3), add3b.args, repr(partial(max, 1, key=None)))

calls = []
@lru_cache(maxsize=None)
def fib(n):
    calls.append(n)
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(40), len(calls), fib.cache_info())
fib.cache_clear()
print(fib.cache_info())

@lru_cache(maxsize=2)
def square(n):
    calls.append(("sq", n))
    return n * n
calls.clear()
for n in [1, 2, 1, 3, 2, 1]:
    square(n)
print(calls, square.cache_info())

@lru_cache
def plain(x, y=1):
    return x + y
print(plain(1), plain(1, y=1), plain(x=1), plain.cache_info().misses)

@cache
def double(x):
    return x * 2
print(double(4), double(4), double.cache_info().hits, double.__name__)

def logged(func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        return ("logged", func(*args, **kwargs))
    return wrapper

@logged
def greet(name):
    "Say hello."
    return "hi " + name
print(greet("bob"), greet.__name__, greet.__doc__, greet.__wrapped__("x"))

@total_ordering
class Version:
    def __init__(self, n):
        self.n = n
    def __eq__(self, other):
        return self.n == other.n
    def __lt__(self, other):
        return self.n < other.n
print(Version(1) < Version(2), Version(1) <= Version(1), Version(3) > Version(2), Version(2) >= Version(3))
print(sorted([5, 2, 9, 1], key=cmp_to_key(lambda a, b: b - a)))
print(sorted(["bb", "a", "ccc"], key=cmp_to_key(lambda a, b: len(a) - len(b))))

print(operator.add(2, 3), operator.sub(5, 2), operator.mul("ab", 2), operator.truediv(7, 2), operator.floordiv(7, 2))
print(operator.mod(7, 3), operator.pow(2, 8), operator.neg(4), operator.pos(-4), operator.abs(-9), operator.not_(0))
print(operator.eq(1, 1), operator.ne(1, 2), operator.lt(1, 2), operator.le(2, 2), operator.gt(1, 2), operator.ge(3, 2))
print(operator.and_(6, 3), operator.or_(6, 3), operator.xor(6, 3), operator.invert(5), operator.lshift(1, 4), operator.rshift(16, 2))
print(operator.contains([1, 2], 2), operator.countOf([1, 2, 1], 1), operator.indexOf("abc", "c"), operator.truth([]), operator.is_(None, None))
seq = [1, 2, 3]
operator.setitem(seq, 0, 9)
operator.delitem(seq, 1)
print(seq, operator.getitem(seq, 1), operator.concat([1], [2]), operator.index(7), operator.length_hint([1, 2]))
get1 = operator.itemgetter(1)
get_many = operator.itemgetter(0, 2)
print(get1("abc"), get_many("abc"), get1({1: "one"}), sorted([(1, "b"), (2, "a")], key=get1))
class P:
    def __init__(self, name, child=None):
        self.name = name
        self.child = child
print(operator.attrgetter("name")(P("x")), operator.attrgetter("child.name", "name")(P("a", P("b"))))
print(operator.methodcaller("replace", "a", "o")("banana"), operator.methodcaller("split", sep=",")("a,b"))
print(repr(operator.itemgetter(1, 2)), repr(operator.attrgetter("x")), repr(operator.methodcaller("m", 1, k=2)))
x = [1]
print(operator.iadd(x, [2]), x, operator.iadd(1, 2))
