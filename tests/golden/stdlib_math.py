# The math module: constants, functions, integer functions and error messages.
import math

print(math.pi, math.e, math.tau, math.inf, -math.inf, math.isnan(math.nan))
print(math.sqrt(2), math.sqrt(16), math.exp(1), math.log(100, 10), math.log(8, 2), math.log2(1024))
print(math.log10(1000), math.log(2**1000), math.log10(10**400), math.log1p(1e-10), math.expm1(1e-10))
print(math.sin(0), math.cos(0), math.tan(0), math.atan2(1, 1), math.asin(1), math.acos(1), math.atan(1))
print(math.sinh(1), math.cosh(1), math.tanh(1), math.asinh(1), math.acosh(2), math.atanh(0.5))
print(math.hypot(3, 4), math.hypot(1, 2, 2), math.hypot(), math.dist((0, 0), (3, 4)), math.dist([1, 1, 1], [2, 2, 2]))
print(math.floor(2.7), math.floor(-2.7), math.ceil(2.1), math.ceil(-2.1), math.trunc(-2.7), math.floor(5))
print(type(math.floor(2.5)).__name__, math.floor(1e20), math.ceil(-1e20), math.floor(True))
print(math.fabs(-3), math.fmod(7, 3), math.fmod(-7, 3), math.copysign(2, -0.0), math.remainder(7, 4))
print(math.isfinite(1.0), math.isinf(math.inf), math.isclose(1.0, 1.0 + 1e-10), math.isclose(1, 1.1), math.isclose(0, 1e-12, abs_tol=1e-9))
print(math.factorial(0), math.factorial(20), math.factorial(25), math.gcd(12, 18), math.gcd(0, 0), math.gcd(-4, 6, 10))
print(math.lcm(4, 6), math.lcm(3, 5, 7), math.lcm(), math.gcd(), math.gcd(2**80, 2**70 * 3))
print(math.comb(10, 3), math.comb(5, 7), math.perm(5, 2), math.perm(4), math.comb(100, 50))
print(math.isqrt(17), math.isqrt(10**40), math.prod([1, 2, 3, 4]), math.prod([]), math.prod([2.5, 2]), math.prod([3], start=2))
print(math.fsum([0.1] * 10), math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]))
print(math.degrees(math.pi), math.radians(180), math.modf(3.25), math.modf(-2.5), math.frexp(8.0), math.frexp(0.0))
print(math.ldexp(0.5, 4), math.pow(2, 10), math.pow(2, -1), math.pow(-8, 1/3) if False else "skip", math.pow(0.0, 0.0))
print(math.erf(0), math.erfc(0), math.gamma(5), math.lgamma(1), math.cbrt(27), math.exp2(10))
print(math.nextafter(1.0, 2.0), math.ulp(1.0), math.ulp(0.0))

errors = [
    lambda: math.sqrt(-1), lambda: math.log(0), lambda: math.log(-1), lambda: math.exp(1000),
    lambda: math.pow(0.0, -1.0), lambda: math.pow(-8, 1 / 3), lambda: math.pow(10.0, 400.0),
    lambda: math.acos(2), lambda: math.factorial(-1), lambda: math.factorial(2.5),
    lambda: math.isqrt(-1), lambda: math.comb(-1, 2), lambda: math.comb(5, -2),
    lambda: math.fsum([math.inf, -math.inf]), lambda: math.fsum([1.7e308, 1.7e308]),
    lambda: math.sqrt("x"), lambda: math.floor(math.inf), lambda: math.floor(math.nan),
    lambda: math.gamma(0), lambda: math.ldexp(1.0, 2000), lambda: math.fmod(1.0, 0.0),
    lambda: math.log(1, 1), lambda: math.dist((1, 2), (1,)), lambda: math.isclose(1, 2, rel_tol=-1),
    lambda: math.atanh(1), lambda: math.cosh(1000),
]
for f in errors:
    try:
        print("no error", f())
    except (ValueError, OverflowError, TypeError, ZeroDivisionError) as e:
        print(type(e).__name__ + ":", e)

class Num:
    def __float__(self):
        return 2.25
    def __floor__(self):
        return "floored"
print(math.sqrt(Num()), math.floor(Num()), math.ceil(Num()))
