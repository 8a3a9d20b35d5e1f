# enumerate, zip, map, filter, reversed, iter, next, sorted, any, all.
print(list(enumerate("abc")), list(enumerate("ab", 10)), list(enumerate([], 5)))
print(list(enumerate("xy", start=-1)), list(enumerate("z", 2**70)))
e = enumerate(["p", "q"])
print(next(e), next(e), next(e, "done"))

print(list(zip("abc", [1, 2, 3], (True, False, None))), list(zip()), list(zip("ab", "xyz")))
print(list(zip("ab", "xy", strict=True)))
for args in [("ab", "xyz"), ("abc", "x"), ("ab", "ab", "a"), ("a", "a", "abc")]:
    try:
        list(zip(*args, strict=True))
    except ValueError as e:
        print("ValueError:", e)

print(list(map(str, [1, 2])), list(map(pow, [2, 3], [5, 2])), list(map(lambda a, b, c: a + b + c, "ab", "cd", "efg")))
try:
    map(str)
except TypeError as e:
    print("TypeError:", e)
print(list(filter(None, [0, 1, "", "a", [], [0], None])), list(filter(lambda v: v % 3 == 0, range(10))))

print(list(reversed([1, 2, 3])), list(reversed((4, 5))), list(reversed("abc")), list(reversed(range(4))))
print(list(reversed({"a": 1, "b": 2})))
class Seq:
    def __len__(self):
        return 3
    def __getitem__(self, i):
        return i * 10
class Rev:
    def __reversed__(self):
        return iter("custom")
print(list(reversed(Seq())), list(reversed(Rev())))
try:
    reversed({1, 2})
except TypeError as e:
    print("TypeError:", e)

it = iter([1, 2])
print(iter(it) is it, next(it), next(it), next(it, None))
try:
    next(it)
except StopIteration:
    print("StopIteration")
try:
    next([1])
except TypeError as e:
    print("TypeError:", e)
counter = [0]
def tick():
    counter[0] += 1
    return counter[0]
print(list(iter(tick, 4)))
try:
    iter(5, 5)
except TypeError as e:
    print("TypeError:", e)
try:
    iter(5)
except TypeError as e:
    print("TypeError:", e)

print(sorted([3, 1, 2]), sorted("cba", reverse=True), sorted([(2, "b"), (1, "z"), (2, "a")]))
print(sorted(["bb", "a", "ccc", "dd"], key=len), sorted({"b": 1, "a": 2}), sorted([], key=len))
print(any([]), any([0, None, 3]), all([]), all([1, "x"]), all(x > 0 for x in [1, -1, 2]))
print(type(enumerate([])).__name__, type(zip()).__name__, type(map(str, [])).__name__, isinstance(filter(None, []), filter))
class Upper(map):
    pass
print(list(Upper(str.upper, "ab")))
