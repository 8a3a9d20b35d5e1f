# range and slice objects: lengths, indexing, slicing, membership, equality, hashing,
# iteration forwards and backwards, and slice.indices().

def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

r = range(0, 100, 3)
print(r, range(10), range(5, 0, -1), range(1, 2, 1), len(r), len(range(10, 0)), len(range(0, -10, -3)))
print(r[0], r[-1], r[5:20:4], r[::-1], range(10)[::-1], range(5, 0, -1)[1:3], r[100:], r[-2:])
print(list(range(5)), list(range(10, 0, -3)), list(range(-5, 5, 4)), list(range(3, 3)), list(r[2:5]))
print(99 in r, 98 in r, 3.0 in r, 3.5 in r, "a" in r, -3 in r, 10 ** 30 in r, True in range(2))
print(r.index(30), r.count(30), r.count(31), range(10).count(2.0), r.start, r.stop, r.step)
print(range(0) == range(5, 1), range(0, 10, 2) == range(0, 9, 2), range(1) == range(1, 2, 5))
print(range(3) == [0, 1, 2], range(3) != range(4), bool(range(0)), bool(range(1)))
# (hashes of empty and one-item ranges involve hash(None), which varies between runs)
print(hash(range(5)), hash(range(0, 10, 3)), hash(range(1, 2)) == hash(range(1, 5, 7)))
print(hash(range(0)) == hash(range(3, 3)), hash(range(0, 10, 3)) == hash(range(0, 11, 3)))
print(list(reversed(range(5))), list(reversed(range(0, 10, 3))), list(reversed(range(0))))
big = 2 ** 62
print(list(range(big - 2, big + 1)), len(range(-big, big - 1)), range(-big, big - 1)[-1])
print(list(range(2 ** 63 - 3, 2 ** 63 - 1)), sum(range(1000)), sum(range(1, 100, 2)))
total = 0
for i in range(10):
    total += i
print(total, [i * i for i in range(5)], list(enumerate(range(3, 6))))
show(lambda: r[34])
show(lambda: r["a"])
show(lambda: range(1, 2, 0))
show(lambda: range(1.5))
show(lambda: range())
show(lambda: range(1, 2, 3, 4))
show(lambda: r.index(31))
show(lambda: r.index("a"))
show(lambda: range(3)[::0])

it = iter(range(3))
print(next(it), next(it), next(it), next(it, "done"), type(it).__name__, type(iter([])).__name__)

# Slices.
s = slice(1, 10, 2)
print(s, slice(5), slice(None, None, -1), s.start, s.stop, s.step, slice(1, 2) == slice(1, 2))
print(slice(1, 2) < slice(1, 3), slice(None) == slice(None, None, None))
print(slice(None, None, -1).indices(10), slice(-100, 100, 3).indices(10), slice(5, 2).indices(3))
print(slice(2, None).indices(0), slice(-1, None, -2).indices(7), slice(10 ** 30, None).indices(5))
print("abcdefgh"[s], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10][s], (1, 2, 3)[slice(None, None, -1)])
show(lambda: slice(1, 2, 0).indices(5))
show(lambda: slice(1, 2).indices(-1))
show(lambda: hash(slice(1)))
show(lambda: [1, 2, 3]["a":])
show(lambda: slice())

class Seven:
    def __index__(self):
        return 7

l = list(range(20))
print(l[Seven()], l[Seven():], l[:Seven():3], range(20)[Seven()], range(Seven()), slice(Seven()).indices(20))
