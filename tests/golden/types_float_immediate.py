# Floats inside and outside the immediate window (runtime/float.h) behave alike.

big = 2.0 ** 255
print(big * 2, big * 4, (big * 4) / 4 == big * 1.0)
tiny = 2.0 ** -255
print(tiny / 2, tiny / 2 * 2 == tiny, tiny / 4 / 2 ** 900)
print(1e308 * 10, -1e308 * 10, (1e308 * 10) - (1e308 * 10))
print(0.0, -0.0, 0.0 == -0.0, -0.0 * 1.0, 0.0 * -1.0, 1.0 - 1.0)

# Mixed int and float operands convert the int, as float.__add__ does.
print(1.5 + 2, 2 + 1.5, 3 * 0.5, 7 / 2.0, 2 - 0.25, 10 ** 17 + 1.0, 2 ** 62 * 1.0)
print(1.0 / 3, 2 ** 70 * 0.5, 0.5 * 2 ** 70)

# Comparisons: float with float inline, float with int exact.
print(0.1 + 0.2 == 0.3, 0.1 + 0.2 > 0.3, 1.0 < 2.0, 2.0 <= 2.0, 3.0 != 3.0)
print(2 ** 53 + 1 == float(2 ** 53 + 1), 2 ** 53 + 1 > float(2 ** 53), 1.0 == 1)
nan = float("nan")
print(nan == nan, nan < 1.0, nan != nan, [nan] == [nan])

# Identity, hashing and dict keys agree between the two forms and with ints.
class F(float):
    pass

print(F(1.5) == 1.5, hash(F(1.5)) == hash(1.5), {1.5: "a"}[F(1.5)], {1: "one"}[1.0])
print(hash(0.0) == hash(-0.0) == hash(0), {0.0: "z"}[-0.0], hash(big) == hash(int(big)))
print(type(1.5).__name__, type(big * 4).__name__, type(F(2.0)).__name__, isinstance(2.5, float))
x = 0.5
y = x
print(x is y, sorted([3.5, -1e300, 2.5, 1e300, 0.0]), max(0.5, 0.25), min(-0.0, 0.0))

# Accumulation, as numeric loops do it.
total = 0.0
for i in range(1, 1001):
    total += 1.0 / (i * i)
print(f"{total:.12f}", round(total, 3), int(total * 1000), total.is_integer())
print(sum([0.5, 0.25, 0.125]), abs(-2.5), -(2.5), +(2.5), divmod(7.5, 2), 7.5 // 2, -7.5 % 2)

# Negation flips the sign bit, zeros included.
z = 0.0
print(-z, -(-z), -1.5, -(-2.5), -(2.0 ** 255), -(2.0 ** 300), -float("inf"))
