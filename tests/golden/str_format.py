# Formatting: format() and the spec mini-language, f-strings, str.format, and % formatting.
print(format(42, ""), format(42, "5"), format(42, "<5") + "|", format(42, "^6"), format(-42, "=+6"))
print(format(42, "06"), format(-42, "06"), format(255, "x"), format(255, "#X"), format(5, "#b"), format(8, "#o"))
print(format(1234567, ","), format(1234567, "_"), format(1234567, "_x"), format(1234, "010,"))
print(format(65, "c"), format(2**100, ","), format(-(2**70), "_x"), format(True, ""), format(True, "d"))
print(format(1.0, ""), format(1e16, ""), format(1e20, ".3"), format(12.0, ".3"), format(1.5, ".0"))
print(format(3.14159, ".2f"), format(2.675, ".2f"), format(1234.5678, "e"), format(0.0001234, "g"))
print(format(0.25, "%"), format(0.25, ".1%"), format(1234567.891, ",.2f"), format(-0.0, "z"))
print(format(float("inf"), ""), format(float("-inf"), "+"), format(float("nan"), "F"), format(1.0, "#g"))
print(format("abc", ">8"), format("abc", "*^9"), format("héllo", ".3"), format("ab", "é<5"))
x, y, name = 3.14159, 42, "world"
print(f"{x:.2f} {y:5d}| {y:<5}| {name!r} {name:^11}| {y:#x} {x:10.3e}")
print(f"{2**80:,} {1234567:,} {0.25:.1%} {42:>6} {'x':<3}| {3:03d} {255:x}")
width, prec = 10, 3
print(f"[{x:{width}.{prec}f}] [{name:>{width}}]")
print("{} {}".format(1, "a"), "{0} {1} {0}".format("x", "y"), "{{}} {}".format(5))
print("{name}={value:>4}".format(name="n", value=7), "{0[1]} {1[k]}".format([1, 2], {"k": "v"}))
print("{:>{}}|".format("x", 4), "{:{}.{}f}".format(3.14159, 8, 2), "{!r:>6}".format("a"))
print("{0.real} {0.imag}".format(5), "{:,}".format(10**12), "{!a}".format("é"))
print("hello {who}".format_map({"who": "there"}))
for template, args in [("{} {1}", (1, 2)), ("{0} {}", (1, 2)), ("}", ()), ("{", ()), ("{2}", (1,)),
                       ("{!x}", (1,)), ("{0:d}", ("s",))]:
    try:
        print(template.format(*args))
    except (ValueError, IndexError) as e:
        print(type(e).__name__ + ":", e)
try:
    "{missing}".format()
except KeyError as e:
    print("KeyError:", e)
for spec in ["abc", ".", ",_", "=5", "+", "z", ",c"]:
    try:
        print(format(1, spec) if spec != "=5" and spec != "+" else format("s", spec))
    except ValueError as e:
        print("ValueError:", e)
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __format__(self, spec):
        return "(" + format(self.x, spec) + ", " + format(self.y, spec) + ")"
class Plain:
    pass
print(format(Point(1.5, 2), ".2f"), f"{Point(1, 2):>3}")
try:
    format(Plain(), "x")
except TypeError as e:
    print("TypeError:", e)
print("%s %r %a" % ("é", "é", "é"), "%5s|%-5s|" % ("a", "b"), "%.2s" % "abcdef")
print("%d %i %5d %-5d| %05d %+d % d %.3d" % (42, -42, 42, 42, -42, 42, 42, 5))
print("%x %X %#x %#o %#5.3x %d" % (255, 255, 255, 8, 7, 3.7))
print("%e %E %f %.2f %10.3f| %g %G %#g" % (1234.5, 1234.5, 3.14159, 2.675, -3.14159, 0.0001, 1e-10, 1.0))
print("%c%c %% %s%%" % (65, "é", 5), "%(a)s-%(b)d" % {"a": "x", "b": 2}, "%*d|%-*d|" % (5, 42, 5, 42))
print("%.*f" % (2, 3.14159), "%s" % None, "%s" % [1, 2], "%s" % (("a", "b"),), "hello" % [])
for template, args in [("%s %s", ("a",)), ("%s", ("a", "b")), ("hello", 5), ("%d", "a"), ("%x", 3.5),
                       ("%f", "x"), ("%q", 1), ("%", 1), ("%(a)s", 5), ("%c", "ab")]:
    try:
        print(template % args)
    except (TypeError, ValueError, OverflowError) as e:
        print(type(e).__name__ + ":", e)
