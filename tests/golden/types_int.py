# int and bool: small/big arithmetic, Python's division rules, powers, bit operations,
# int() parsing and the exact error messages.

def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

# Around the small-int boundary (2**62) and far beyond it.
big = 2 ** 62
print(big - 1, big, big + 1, -big, -big - 1)
print(big * big, (big * big) // big == big, 2 ** 100 - 2 ** 100 + 5)
print(10 ** 30, -10 ** 30, 3 ** 40, (-3) ** 41)
print(12345678901234567890 * 98765432109876543210)

# Floor division and modulo take the sign of the divisor.
for a, b in [(7, 2), (-7, 2), (7, -2), (-7, -2), (10 ** 30, 7), (-10 ** 30, 7), (10 ** 30, -7)]:
    print(a // b, a % b, divmod(a, b))
print(-big // -1, (-2 ** 63) // -1)

# True division rounds correctly, even for huge operands.
print(7 / 2, 1 / 3, 10 ** 30 / 3, (2 ** 53 + 1) / 1, 2 ** 1100 / 2 ** 1090, -7 / 2)
show(lambda: 2 ** 1024 / 1)
show(lambda: 1 / 0)
show(lambda: 1 // 0)
show(lambda: 1 % 0)
show(lambda: divmod(1, 0))

# Powers.
print(2 ** 10, 2 ** -1, (-2) ** -2, 0 ** 0, (-1) ** (10 ** 20), pow(3, 200, 10 ** 9 + 7))
print(pow(2, -1, 7), pow(5, 3, -7), pow(-5, 3, 7))
show(lambda: 0 ** -1)
show(lambda: pow(2, 3, 0))
show(lambda: pow(2, -1, 4))

# Shifts and bitwise operations use two's complement semantics.
print(1 << 62, 1 << 100, -1 << 70, (1 << 200) >> 190, -10 ** 30 >> 10, -1 >> 100, 5 >> 1)
print(10 ** 30 & 0xFFFF, -10 ** 30 | 5, 10 ** 30 ^ -10 ** 30, ~10 ** 30, ~0, -(-big))
show(lambda: 1 << -1)
show(lambda: 1 >> -1)

# Comparisons between ints, bools and floats are exact.
print(2 ** 53 + 1 > 2.0 ** 53, 2 ** 53 + 1 == 2.0 ** 53, 1 == 1.0, True == 1, 10 ** 400 > 1e308)
print(-10 ** 400 < -1e308, 3 < 3.5 < 4, 1 < float("nan"), 1 != float("nan"))

# Hashes are CPython's.
print(hash(-1), hash(2 ** 61 - 1), hash(2 ** 61), hash(2 ** 64), hash(-2 ** 64), hash(10 ** 30))
print(hash(True), hash(1.0) == hash(1), hash(2 ** 70) == hash(2.0 ** 70))

# Methods and attributes.
print((255).bit_length(), (-2 ** 70).bit_length(), (0).bit_length(), (-255).bit_count())
print((7).as_integer_ratio(), (5).conjugate(), (5).real, (5).imag, (5).numerator, (5).denominator)
print((1024).to_bytes(2, "big"), (1024).to_bytes(2, "little"), (-1).to_bytes(2, "big", signed=True))
print(int.from_bytes(b"\xff\xfe", "big", signed=True), int.from_bytes(b"\x01\x00", "little"))
show(lambda: (1024).to_bytes(1, "big"))
show(lambda: (-1).to_bytes(2, "big"))
print(round(1250, -2), round(1350, -2), round(-1250, -2), round(15, -1), round(25, -1), round(7))
print(abs(-big), abs(-10 ** 30), abs(True), -True, ~True, True + True, True & False, True | False)
print(True ^ True, type(True & 1).__name__, type(True & False).__name__)

# int() from strings, floats and numbers.
print(int(), int("42"), int(" -17 "), int("1_000_000"), int("0x_ff", 0), int("0b101", 0))
print(int("z", 36), int("0b1", 16), int("00", 0), int("12345678901234567890123"))
print(int(3.9), int(-3.9), int(1e20), int(2.0 ** 70), int(True), int("\u0661\u0662"))
show(lambda: int("x"))
show(lambda: int(""))
show(lambda: int("010", 0))
show(lambda: int("1__0"))
show(lambda: int("1.5"))
show(lambda: int("12", 40))
show(lambda: int(1.5, 10))
show(lambda: int([]))
show(lambda: int(float("inf")))
show(lambda: int(float("nan")))

class Index:
    def __index__(self):
        return 7

class Convert:
    def __int__(self):
        return 12

print(int(Index()), int(Convert()), [10, 20, 30, 40, 50, 60, 70, 80][Index()])
print(bool(), bool(0), bool(3), bool(-big), bool([]), bool([0]), bool(""), bool(None))
print(repr(True), str(False), True is bool(1), isinstance(True, int))
print(str(-2 ** 200))

# CPython limits decimal conversions of huge ints to 4300 digits.
print(len(str(10 ** 4299)), len(str(-(10 ** 4300 - 1))), len(hex(2 ** 20000)))
show(lambda: str(10 ** 5000))
show(lambda: int("1" * 5000))
