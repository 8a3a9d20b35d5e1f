# list and tuple: methods, slicing (incl. extended slices and slice assignment), sorting,
# comparisons, hashing and error messages.

def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

# Tuples.
print((), (1,), (1, 2), tuple(), tuple([1, 2]), tuple("ab"), tuple(range(3)), ((),))
t = (1, 2, 3, 2)
print(t[0], t[-1], t[1:3], t[::-1], t[::2], t[10:], t.index(2), t.index(2, 2), t.count(2), len(t))
print(t + (4,), t * 2, 2 * (0,), (1,) * -1, 2 in t, 5 not in t, t == (1, 2, 3, 2), t < (1, 2, 4))
print((1, 2) < (1, 2, 0), (1, "a") == (1, "a"), (1, 2.0) == (1, 2), () < (0,))
print(hash(()), hash((1,)), hash((1, 2)), hash((1, (2, 3))), hash((1.5, -1)), hash((True, False)))
show(lambda: t[4])
show(lambda: t["a"])
show(lambda: t + [1])
show(lambda: t * 2.0)
show(lambda: t.index(9))
show(lambda: hash((1, [])))
a, b, *rest = (1, 2, 3, 4)
print(a, b, rest)

# Lists: mutation methods.
l = [3, 1, 2]
l.append(4)
l.insert(0, 0)
l.insert(-1, 9)
l.insert(100, 7)
print(l, len(l), l.pop(), l.pop(0), l)
l.remove(9)
l.extend((5, 6))
l.extend(l)
print(l, l.index(5), l.index(5, 4), l.count(1))
l.reverse()
print(l)
l.clear()
print(l, [] == l, list(), list("abc"), list(range(4)), list((1, 2)), list({1: 2, 3: 4}))
show(lambda: [].pop())
show(lambda: [1].pop(5))
show(lambda: [1].remove(2))
show(lambda: [1].index(2))
show(lambda: ["a"].index("b"))
show(lambda: [].append())
show(lambda: [].insert(1))
show(lambda: hash([]))

# Operators.
m = [1, 2]
alias = m
m += (3,)
m *= 2
print(m, alias is m, [1, 2] + [3], [0] * 3, [1, 2] * 0, [[]] * 2, [1, 2] < [1, 3], [1] < [1, 0])
show(lambda: [1] + (1,))
show(lambda: [1] * 2.0)
show(lambda: [1] * "a")

# Indexing and slicing.
l = list(range(10))
print(l[0], l[-1], l[2:5], l[:3], l[7:], l[::3], l[8:2:-2], l[-3:], l[::-1], l[5:2], l[-100:100])
show(lambda: l[10])
show(lambda: l["a"])
show(lambda: l[::0])
show(lambda: l[2 ** 100])
l[2:5] = ["a"]
print(l)
del l[::2]
print(l)
l[1::2] = [0, 0]
print(l)
l[:0] = [7, 8]
l[len(l):] = [9]
print(l)
del l[1]
del l[-2:]
print(l)
l[0] = "first"
l[-1] = "last"
print(l)
s = [1, 2, 3]
s[1:1] = s
print(s)
def assign_extended():
    s[::2] = [1]
def assign_index():
    s[10] = 1
def delete_index():
    del s[10]
def assign_non_iterable():
    s[0:1] = 5
show(assign_extended)
show(assign_index)
show(delete_index)
show(assign_non_iterable)

# Sorting is stable, takes key= and reverse=, and reports bad comparisons.
pairs = [(1, "b"), (0, "x"), (1, "a"), (0, "y")]
print(sorted(pairs, key=lambda p: p[0]), sorted(pairs, key=lambda p: p[0], reverse=True))
words = ["banana", "Apple", "cherry", "apple", "Banana"]
words.sort(key=str.lower)
print(words, sorted(words), sorted([3, 1, 2], reverse=True), sorted([2.5, 1, -1.0, 10 ** 20]))
big = [(i * 7919) % 101 for i in range(300)]
print(sorted(big) == sorted(sorted(big, reverse=True)), sorted(big)[:10], sorted(big)[-5:])
show(lambda: sorted([1, "a", 0]))
show(lambda: [].sort(1))
show(lambda: [3, 1].sort(key=1))
def mutate_during_sort():
    data = [3, 1, 2]
    def key(x):
        data.append(x)
        return x
    data.sort(key=key)
show(mutate_during_sort)

# Self-containing lists print as [...]; iteration tolerates changes in size.
r = [1, 2]
r.append(r)
print(r, len(r))
it = iter([1, 2, 3])
print(next(it), list(it), list(it))
grow = [1, 2, 3]
for x in grow:
    if x < 6:
        grow.append(x + 3)
print(grow, list(reversed([1, 2, 3])), [x * 2 for x in range(5) if x % 2 == 0])
