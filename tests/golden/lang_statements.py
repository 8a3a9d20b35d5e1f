# Statements and expressions: assignment forms, loops with else, comparisons, conditionals,
# del, walrus, chained comparisons, unpacking, augmented assignment on containers.
a, (b, c), *rest = 1, (2, 3), 4, 5
print(a, b, c, rest)
first, *middle, last = range(6)
print(first, middle, last)
x = y = [1]
x.append(2)
print(y, x is y)
data = {"k": [1, 2]}
data["k"][0] += 10
data["n"] = data.get("n", 0) + 1
print(data)

class Box:
    pass
box = Box()
box.items = []
box.items += [1]
box.count = 1
box.count *= 5
print(box.items, box.count)

for i in range(3):
    pass
else:
    print("for-else ran", i)
for i in range(3):
    if i == 1:
        break
else:
    print("not printed")
n = 0
while n < 5:
    n += 1
    if n == 2:
        continue
else:
    print("while-else", n)

print(1 < 2 < 3, 1 < 3 < 2, 1 == 1 != 2, "a" < "b" <= "b")
print(0 or "" or None or "last", 1 and 2 and 3, not None, not [])
print("yes" if [] else "no", [1, 2] if True else None)
values = [5, 3, 8]
if (m := max(values)) > 6:
    print("max is", m)
del values[0]
print(values)
del data["k"]
print(data)
z = 3
del z
try:
    z
except NameError as e:
    print(e)
print(7 // 2, -7 // 2, 7 % -3, 2 ** -1, 10 / 4, divmod(-7, 2), 1_000_000, 0xff, 0o17, 0b101)
print(3 * "ab", [0] * 3, (1,) * 2, "x" in "xyz", 3 not in [1, 2], None is None, 1 is not None)
print(~5, -(-3), +4, 1 << 10, 1024 >> 3, 6 & 3, 6 | 3, 6 ^ 3)
print(abs(-2.5), round(3.14159, 2), round(2.5), round(3.5), int(-3.9), float("inf") > 10 ** 300)
s = "hello"
print(s[1], s[-1], s[1:3], s[::-1], s[::2], len(s))
lst = list(range(10))
lst[2:5] = ["a"]
print(lst, lst[-3:], lst[:2])
t = (1, 2, 3)
print(t.index(2), t.count(3), t + (4,), t[1:])
print(type(1), type(1.0), type("s"), type([]), type(None), type(type))
print(isinstance(True, int), True + True, int(True), 5 > False)
