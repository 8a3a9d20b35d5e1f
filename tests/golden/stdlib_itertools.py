# itertools: every function, checked by its items (not by the iterator objects' repr).
import itertools as it
from itertools import islice, count

print(list(islice(count(), 5)), list(islice(count(10, 5), 3)), list(islice(count(1.5, 0.5), 3)))
print(list(islice(it.cycle("AB"), 5)), list(it.repeat("x", 3)), list(islice(it.repeat(7), 2)))
print(list(it.accumulate([1, 2, 3, 4])), list(it.accumulate([1, 2, 3], initial=100)), list(it.accumulate([3, 1, 4, 1, 5], max)))
print(list(it.accumulate([])), list(it.accumulate([], initial=0)), list(it.accumulate("abc")))
print(list(it.chain("ab", [1, 2], ())), list(it.chain.from_iterable(["xy", "z"])), list(it.chain()))
print(list(it.compress("ABCDEF", [1, 0, 1, 0, 1, 1])), list(it.dropwhile(lambda v: v < 5, [1, 4, 6, 4, 1])))
print(list(it.takewhile(lambda v: v < 5, [1, 4, 6, 4, 1])), list(it.filterfalse(lambda v: v % 2, range(10))), list(it.filterfalse(None, [0, 1, ""])))
print([(k, list(g)) for k, g in it.groupby("AAAABBBCCDAABBB")], [k for k, _ in it.groupby([1, 1, 2, 3, 3])])
print([(k, len(list(g))) for k, g in it.groupby(["apple", "avocado", "banana", "blueberry", "cherry"], key=lambda s: s[0])])
print(list(islice("ABCDEFG", 2)), list(islice("ABCDEFG", 2, 4)), list(islice("ABCDEFG", 2, None)), list(islice("ABCDEFG", 0, None, 2)))
print(list(islice(range(10), 1, 8, 3)), list(islice([], 3)), list(islice("abc", None)))
source = iter(range(10))
print(list(islice(source, 0, 6, 4)), next(source))
print(list(it.starmap(pow, [(2, 5), (3, 2), (10, 3)])))
a, b = it.tee([1, 2, 3])
print(list(a), list(b), [list(t) for t in it.tee("xy", 3)], it.tee("q", 0))
print(list(it.zip_longest("ABCD", "xy", fillvalue="-")), list(it.zip_longest("ab", range(3))), list(it.zip_longest()))
print(list(it.product("ab", range(2))), list(it.product(range(2), repeat=2)), list(it.product()), list(it.product("ab", [])))
print(list(it.permutations("ABC", 2)), list(it.permutations(range(3))), list(it.permutations("AB", 3)))
print(list(it.combinations("ABCD", 2)), list(it.combinations(range(4), 3)), list(it.combinations("AB", 0)))
print(list(it.combinations_with_replacement("ABC", 2)), list(it.combinations_with_replacement("", 2)))
print(list(it.pairwise("ABCDE")), list(it.pairwise("A")), list(it.pairwise([])))
print(len(list(it.permutations(range(5)))), len(list(it.combinations(range(10), 4))), len(list(it.product("abc", repeat=4))))
for call in [lambda: it.islice("abc", -1), lambda: it.islice("abc", 0, 5, 0), lambda: it.permutations("ab", -1),
             lambda: it.combinations("ab", -1), lambda: it.product("ab", repeat=-1), lambda: it.tee("ab", -1)]:
    try:
        call()
    except ValueError as e:
        print("ValueError:", e)
