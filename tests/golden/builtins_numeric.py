# abs, round, divmod, pow, sum, min/max, hex/oct/bin and their errors.
print(abs(-5), abs(3.5), abs(-0.0), abs(True), abs(-2**70))
print(round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5), round(2.675, 2))
print(round(1234.5678, -2), round(1234, -2), round(1250, -2), round(1350, -2), round(-1250, -2))
print(round(5, 2), round(0.125, 2), round(0.375, 2), round(1e300, 2), round(2.5, 0))
print(type(round(2.5)).__name__, type(round(2.5, 0)).__name__, type(round(7, 1)).__name__)
for bad in [float("inf"), float("nan")]:
    try:
        round(bad)
    except (OverflowError, ValueError) as e:
        print(type(e).__name__, e)

class Money:
    def __init__(self, cents):
        self.cents = cents
    def __round__(self, ndigits=None):
        return f"rounded({ndigits})"
    def __abs__(self):
        return "absolute"
    def __divmod__(self, other):
        return ("divmod", other)
print(round(Money(5)), round(Money(5), 1), abs(Money(1)), divmod(Money(1), 7))
try:
    round("x")
except TypeError as e:
    print("TypeError:", e)
try:
    abs("x")
except TypeError as e:
    print("TypeError:", e)

print(divmod(7, 2), divmod(-7, 2), divmod(7, -2), divmod(7.5, 2), divmod(-7.5, 2), divmod(2**70, 3))
for a, b in [(1, 0), (1.0, 0)]:
    try:
        divmod(a, b)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
try:
    divmod("a", 1)
except TypeError as e:
    print("TypeError:", e)

print(pow(2, 10), pow(2, -1), pow(2.0, 3), pow(3, 4, 5), pow(7, -1, 5), pow(10, 30, 7))
try:
    pow(2.0, 3, 5)
except TypeError as e:
    print("TypeError:", e)

print(sum([1, 2, 3]), sum([1, 2, 3], 10), sum([0.5, 0.25]), sum([1, 2.5]), sum(range(101)))
print(sum([[1], [2, 3]], []), sum([2**62, 2**62, 2**62]), sum([], 7), sum(x * x for x in range(5)))
for start in ["", b""]:
    try:
        sum(["a"], start)
    except TypeError as e:
        print("TypeError:", e)

print(min(3, 1, 2), max(3, 1, 2), min([4, 2, 8]), max("hello"), min([], default="empty"))
print(max([1, 5, 3], key=lambda v: -v), min(["bb", "a", "ccc"], key=len), max([(1, "b"), (1, "a")]))
print(max([2, 7, 7, 3], key=lambda v: v % 5), min(1, 2, key=None))
for call in [lambda: max([]), lambda: min(()), lambda: max(), lambda: max(1, 2, default=0)]:
    try:
        call()
    except (ValueError, TypeError) as e:
        print(type(e).__name__ + ":", e)

print(hex(255), hex(-255), hex(0), oct(8), oct(-8), bin(5), bin(-5), bin(0), hex(2**64))
class Idx:
    def __index__(self):
        return 10
print(hex(Idx()), bin(Idx()), chr(Idx()))
try:
    hex(1.5)
except TypeError as e:
    print("TypeError:", e)
