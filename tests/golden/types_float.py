# float: CPython's repr, arithmetic rules, rounding, float() parsing and error messages.

def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

# repr picks the shortest digits that round-trip, switching to exponent form outside
# 1e-4 <= |x| < 1e16.
for x in [0.0, -0.0, 1.0, -1.5, 0.1, 0.1 + 0.2, 1 / 3, 2 / 3, 1e16, 1e15, 123456789012345678.0,
          1e-4, 1e-5, 0.00012345, 1.5e-7, 1e22, 1e300 * 10, 5e-324, 1.7976931348623157e308,
          100.0, 12345.678, 9999999999999998.0, 2.5e-5, 1e100, 1e300 * 1e10, -1e300 * 1e10]:
    print(repr(x), str(x))
print(float("nan"), -float("nan"), [1.5, float("inf")], (0.5,))

# Arithmetic, mixed with ints.
print(0.1 + 0.2, 1.5 * 4, 7.5 - 10, 1 / 4.0, 2 * 0.5, 10 ** 20 * 1.0, (2 ** 53 + 1) + 0.0)
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7.5 % -2, -0.0 % 5, 0.0 % -5, 3.0 * -0.0)
print(divmod(-7.5, 2), divmod(7, -2.5), divmod(1e300, 1e-300) == divmod(1e300, 1e-300))
print(2.0 ** 0.5, 2 ** 0.5, (-8.0) ** 3, (-2.0) ** -1, 0.0 ** 0, 1.0 ** float("nan"))
print(float("inf") ** -1, (-float("inf")) ** 3, 4 ** 0.5, 10 ** -2, 1e308 * 10, 5e-324 / 2)
show(lambda: 1.0 / 0)
show(lambda: 1 / 0.0)
show(lambda: 1.0 // 0.0)
show(lambda: 1.0 % 0.0)
show(lambda: divmod(1.0, 0))
show(lambda: 0.0 ** -1)
show(lambda: 2.0 ** 10000)
show(lambda: 2 ** 1024 + 1.0)
show(lambda: 1.0 + "a")
show(lambda: -(1.5))
show(lambda: +(-0.0))

# Comparisons: NaN is unequal to everything; ints compare exactly.
nan = float("nan")
print(nan == nan, nan != nan, nan < 1, 0.5 < 1, -0.0 == 0, 2.0 ** 53 == 2 ** 53 + 1, 1e308 < 10 ** 400)
print(max(1.5, 2), min(-0.0, 0.0), sorted([2.5, 1, -1.0, 10 ** 20, 0.5]))

# Hashes are CPython's, and equal numbers hash alike.
print(hash(0.0), hash(-0.0), hash(1.5), hash(-1.5), hash(0.1), hash(1e100), hash(float("inf")))
print(hash(1.0) == hash(1), hash(2.0 ** 70) == hash(2 ** 70), hash(-1.0), hash(3.14159))

# round(): correct on the exact binary value, ties to even.
print(round(2.675, 2), round(0.125, 2), round(0.375, 2), round(1234.5678, -2), round(123.456, 1))
print(round(0.5), round(1.5), round(2.5), round(-2.5), round(3.7), round(-0.4, 0), round(-0.5, 0))
print(round(1e300, -300), round(5e-324, 400), round(2.5, 0), type(round(2.5)).__name__)
show(lambda: round(1.7976931348623157e308, -308))
show(lambda: round(float("inf")))
show(lambda: round(float("nan")))

# float() from strings and numbers.
for s in ["1.5", " -3e2 ", "1_000.5", "inf", "-Infinity", "nAn", ".5", "5.", "1e-500", "1e500",
          "\uff11.\uff15", "+0.0"]:
    print(repr(s), float(s))
for s in ["1__0", "1_.5", ".", "e5", "0x10", "  ", "1.5.2", "infinit"]:
    show(lambda: float(s))
print(float(), float(3), float(-2 ** 70), float(True), float(2 ** 53 + 1))
show(lambda: float(2 ** 1024))
show(lambda: float([]))

class Half:
    def __float__(self):
        return 0.5

print(float(Half()), 1.0 + float(Half()))

# Methods and attributes.
print((0.5).as_integer_ratio(), (-0.75).as_integer_ratio(), (0.1).as_integer_ratio())
print((3.0).is_integer(), (3.5).is_integer(), (2.5).real, (2.5).imag, (2.5).conjugate())
print(int(2.5), int(-2.5), abs(-2.5), abs(-0.0), -(0.0))
show(lambda: float("inf").as_integer_ratio())
show(lambda: float("nan").as_integer_ratio())

# float.hex() and float.fromhex()
for x in [1.5, -0.1, 0.0, -0.0, 1e308, 5e-324, 2.2250738585072014e-308, float("inf"), float("-inf"), float("nan"), 3.0]:
    print(x.hex())
for text in ["0x1.8p+0", "-0x1p-2", "1.8p0", "  0X1.FFFFFFFFFFFFFp+1023 ", "inf", "-Infinity", "nan", "0x10", "10", "0x.8", "0x1p-1074"]:
    print(repr(text), float.fromhex(text))
for text in ["", "0x", "0xg", "1.2.3", "0x1p", "hello"]:
    try:
        float.fromhex(text)
    except ValueError as error:
        print(repr(text), "ValueError:", error)
try:
    float.fromhex("0x1p2000")
except OverflowError as error:
    print("OverflowError:", error)
print(float.fromhex((2.5).hex()) == 2.5, all(float.fromhex(x.hex()) == x for x in [0.1, 1 / 3, 1e-300, 123456.789]))
