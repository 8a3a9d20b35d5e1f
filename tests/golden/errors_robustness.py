# Bad input gets an exception, never a crash: runaway recursion in __repr__ and through
# yield from, allocations larger than memory, self-containing containers, a low recursion limit.
class R:
    def __repr__(self):
        return repr(self)
try:
    repr(R())
except RecursionError:
    print("repr recursion ok")
try:
    x = [0] * (10 ** 12)
except MemoryError:
    print("memory error ok")
try:
    s = "x" * (10 ** 13)
except (MemoryError, OverflowError) as e:
    print("str memory", type(e).__name__)
l = [1]
l.append(l)
print(l)
d = {}
d["self"] = d
print(d)
def gen():
    yield from gen()
try:
    list(gen())
except RecursionError:
    print("yield from recursion ok")
import sys
sys.setrecursionlimit(50)
def f(n): return f(n+1)
try:
    f(0)
except RecursionError as e:
    print("limit 50:", e)
