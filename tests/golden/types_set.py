# set and frozenset: algebra, comparisons, mutation, hashing and iteration order. Only
# sets of ints are printed unsorted: their order is fixed by the table layout, which
# follows CPython's exactly.

def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

print(set(), frozenset(), set([3, 1, 2]), set(range(0, 100, 7)), set([5, 3, 1, 100, 33, 8, 16]))
print(set([-1, -2, -3, 1000000, 2 ** 40]), frozenset([1]), set((1, 1, 2, 2)), set({1: 2, 3: 4}))
a = set([1, 2, 3, 4, 5, 40, 70])
b = set([4, 5, 6, 7, 33, 70])
print(a | b, a & b, a - b, b - a, a ^ b)
print(a.union([9, 10], (11,)), a.intersection(b, [4, 70]), a.difference([1], [2]))
print(a.symmetric_difference([1, 99]), a.union(), a.intersection(), a.difference())
show(lambda: a | [1])
show(lambda: a - 1)

# Comparisons are subset tests.
print(set([1, 2]) < set([1, 2, 3]), set([1, 2]) <= set([1, 2]), set([1, 2]) > set([1]))
print(set([1, 2]) == frozenset([2, 1]), set([1]) != set([2]), set([1, 2]) < set([1, 2]))
print(set([1, 2]).isdisjoint([3]), set([1, 2]).issubset(range(5)), set([1, 2, 3]).issuperset([1, 2]))
print(set([1, 2]).isdisjoint(set([2])), set([3]).issubset([]), set().issuperset(set()))

# Mutation.
x = set([1, 2, 3])
x.discard(2)
x.discard(42)
x.add(10)
x.add(10)
print(x, x.pop(), x, len(x), 10 in x, 1 in x)
x.update([7, 8], (9,))
print(x)
x.difference_update([7])
x.intersection_update(range(9), [3, 8, 10])
print(x)
x.symmetric_difference_update([3, 4])
print(x)
x |= set([1])
x &= set([1, 4, 8])
x -= set([8])
x ^= set([5])
print(x)
x.clear()
print(x, len(x), bool(x))
show(lambda: x.remove(42))
show(lambda: x.pop())
show(lambda: set([[1]]))
show(lambda: hash(set()))
show(lambda: set().add())

# Sets of mixed kinds of numbers: equal numbers are one element.
print(set([1, 1.0, True]), len(set([0, 0.0, False, -0.0])), 2.0 in set([2]), set([2]) == set([2.0]))

# frozensets are hashable and immutable; their hash is CPython's.
f = frozenset([1, 2, 3])
print(hash(frozenset()), hash(frozenset([1])), hash(f), hash(frozenset(range(20))))
print(f, f | set([4]), set([4]) | f, f & set([1]), f.copy() is f, frozenset(f) is f)
print({f: "found"}[frozenset([3, 2, 1])], frozenset([1]) in set([frozenset([1])]))
print(set([1]) in set([frozenset([1])]), set([frozenset([1, 2])]))
show(lambda: f.add(4))

# Set displays and comprehensions.
print({1, 2, 3}, {x % 5 for x in range(20)}, {(i, i) for i in range(2)} == {(0, 0), (1, 1)})
print(sorted(set("hello")), sorted({"b", "a"} | {"c"}), len(set("mississippi")))

# Iteration order and changes in size.
s = set(range(5))
print(list(s), sorted(s, reverse=True), [v * 2 for v in s], sum(s))
def grow_while_iterating():
    g = set([1])
    for v in g:
        g.add(v + 1)
show(grow_while_iterating)

class Tagged(set):
    pass

t = Tagged([3, 1])
print(t, type(t).__name__, type(t | set([2])).__name__, t == set([1, 3]), Tagged())
