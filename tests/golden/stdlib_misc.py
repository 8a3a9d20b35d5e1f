# The small pure-Python modules: heapq, bisect, copy, statistics, string, typing, abc, types.
import heapq
import bisect
import copy
import statistics
import string
import types
from abc import ABC, abstractmethod
from typing import List, Dict, Optional, Tuple, Callable, Iterable, Any, Union, TypeVar, Generic

h = []
for v in [5, 1, 8, 3, 9, 2, 7]:
    heapq.heappush(h, v)
print(h, heapq.heappop(h), heapq.heappop(h), h)
data = [9, 4, 7, 1, 8, 2, 6, 3, 5, 0]
heapq.heapify(data)
print(data, heapq.heapreplace(data, 10), heapq.heappushpop(data, -1), data)
print(heapq.nlargest(3, [5, 1, 8, 3, 9]), heapq.nsmallest(2, [5, 1, 8, 3, 9]), heapq.nlargest(2, ["aa", "b", "ccc"], key=len))
print(list(heapq.merge([1, 4, 7], [2, 5, 8], [3, 6, 9])), list(heapq.merge([3, 1], [2], reverse=True)))
tasks = []
for item in [(2, "write"), (1, "plan"), (3, "test"), (1, "coffee")]:
    heapq.heappush(tasks, item)
print([heapq.heappop(tasks) for _ in range(len(tasks))])
try:
    heapq.heappop([])
except IndexError as e:
    print("IndexError:", e)

grades = [60, 70, 80, 90]
print(bisect.bisect(grades, 75), bisect.bisect_left(grades, 70), bisect.bisect_right(grades, 70), bisect.bisect_left(grades, 100))
items = [1, 3, 5]
bisect.insort(items, 4)
bisect.insort_left(items, 3)
bisect.insort_right(items, 0)
print(items, bisect.bisect_left([(1, "a"), (3, "c")], 2, key=lambda t: t[0]))
try:
    bisect.bisect([1], 1, lo=-1)
except ValueError as e:
    print("ValueError:", e)

class Node:
    def __init__(self, value, children=None):
        self.value = value
        self.children = children or []
tree = Node(1, [Node(2), Node(3, [Node(4)])])
shallow = copy.copy(tree)
deep = copy.deepcopy(tree)
deep.children[1].value = 30
shallow.value = 10
print(tree.value, tree.children[1].value, shallow.children is tree.children, deep.children is tree.children)
nested = {"a": [1, 2], "b": ({"c": 3},)}
clone = copy.deepcopy(nested)
clone["a"].append(9)
clone["b"][0]["c"] = 99
print(nested, clone, copy.copy([1, [2]])[1] is not None, copy.deepcopy((1, "x")) == (1, "x"))
loop = [1]
loop.append(loop)
loop_copy = copy.deepcopy(loop)
print(loop_copy[1] is loop_copy, loop_copy is not loop)

print(statistics.mean([1, 2, 3, 4]), statistics.mean([1, 2, 3]), statistics.mean([0.5, 1.5]), statistics.fmean([1, 2, 4]))
print(statistics.median([3, 1, 2]), statistics.median([4, 1, 3, 2]), statistics.median_low([1, 2, 3, 4]), statistics.median_high([1, 2, 3, 4]))
print(statistics.mode([1, 2, 2, 3]), statistics.mode("aabbbc"), statistics.multimode("aabbcd"))
print(statistics.variance([2, 4, 4, 4, 5, 5, 7, 9]), statistics.pvariance([2, 4, 4, 4, 5, 5, 7, 9]))
print(statistics.stdev([2, 4, 4, 4, 5, 5, 7, 9]), statistics.pstdev([2, 4, 4, 4, 5, 5, 7, 9]), statistics.stdev([1.5, 2.5, 2.5, 2.75, 3.25, 4.75]))
print(statistics.quantiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), statistics.quantiles(range(1, 11), n=5, method="inclusive"))
for call in [lambda: statistics.mean([]), lambda: statistics.stdev([1]), lambda: statistics.median([])]:
    try:
        call()
    except statistics.StatisticsError as e:
        print("StatisticsError:", e, isinstance(e, ValueError))

print(string.ascii_letters, string.digits, string.hexdigits, string.octdigits)
print(repr(string.whitespace), len(string.punctuation), len(string.printable), string.capwords("hello  big world"))

T = TypeVar("T")
class Stack(Generic[T]):
    def __init__(self) -> None:
        self.items: List[T] = []
    def push(self, item: T) -> None:
        self.items.append(item)
def total(values: Iterable[int], scale: Optional[float] = None) -> Dict[str, Any]:
    return {"sum": sum(values) * (scale or 1)}
s = Stack()
s.push(1)
print(s.items, total([1, 2], 2.0), T, List[int], Dict[str, List[int]], Optional[str], Tuple[int, ...])
print(Callable[[int], str], Union[int, str])

class Shape(ABC):
    @abstractmethod
    def area(self):
        ...
    def describe(self):
        return f"{type(self).__name__} with area {self.area()}"
class Square(Shape):
    def __init__(self, side):
        self.side = side
    def area(self):
        return self.side ** 2
print(Square(3).describe(), isinstance(Square(1), Shape))
try:
    Shape()
except TypeError:
    print("TypeError: abstract class")

def gen():
    yield 1
print(type(gen) is types.FunctionType, type(gen()) is types.GeneratorType, type(len) is types.BuiltinFunctionType)
print(type(string) is types.ModuleType, isinstance(lambda: 0, types.LambdaType))
ns = types.SimpleNamespace(a=1, b="x")
ns.c = [1]
print(ns, ns.a, ns == types.SimpleNamespace(a=1, b="x", c=[1]))
