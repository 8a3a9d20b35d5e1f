"""Basic statistics (a subset of CPython's statistics module) for int and float data.

Sums are exact: each value becomes a fraction (numerator, denominator) of ints, so that the
results are the correctly rounded ones CPython computes with fractions.Fraction.
"""

import math

__all__ = ["StatisticsError", "mean", "fmean", "geometric_mean", "median", "median_low",
           "median_high", "mode", "multimode", "pstdev", "pvariance", "stdev", "variance",
           "quantiles"]


class StatisticsError(ValueError):
    pass


# --- exact arithmetic on (numerator, denominator) pairs ---------------------------------

def _reduce(n, d):
    g = math.gcd(n, d)
    if d < 0:
        g = -g
    return n // g, d // g


def _add(a, b):
    return _reduce(a[0] * b[1] + b[0] * a[1], a[1] * b[1])


def _exact_ratio(x):
    """x as (numerator, denominator), or (x, None) for an infinity or NaN."""
    if isinstance(x, int):
        return x, 1
    if isinstance(x, float):
        if not math.isfinite(x):
            return x, None
        mantissa, exponent = math.frexp(x)
        n = int(mantissa * 9007199254740992.0)   # 2**53: exact for a double's mantissa
        exponent -= 53
        if exponent >= 0:
            return n << exponent, 1
        return _reduce(n, 1 << -exponent)
    raise TypeError(f"can't convert type '{type(x).__name__}' to numerator/denominator")


def _coerce(T, S):
    # The result type of mixing data of types T and S: int with int stays int.
    if T is S:
        return T
    if T is bool or T is int:
        return S if S is not bool else int
    if S is bool or S is int:
        return T
    if issubclass(S, T):
        return S
    if issubclass(T, S):
        return T
    raise TypeError(f"can't convert type '{T.__name__}' to '{S.__name__}'")


def _to_type(value, T):
    # An exact (n, d) as type T; ints that do not divide evenly become floats.
    n, d = value
    if d is None:
        return n
    if T is int or T is bool:
        if d == 1:
            return n
        T = float
    return n / d


def _sum(data):
    """(type, exact total, count) of the data."""
    count = 0
    T = int
    partials = {}
    special = None
    for x in data:
        T = _coerce(T, type(x))
        n, d = _exact_ratio(x)
        count += 1
        if d is None:
            special = n if special is None else special + n
        else:
            partials[d] = partials.get(d, 0) + n
    if special is not None:
        return T, (special, None), count
    total = (0, 1)
    for d, n in partials.items():
        total = _add(total, (n, d))
    return T, total, count


def _ss(data, c=None):
    """(type, exact sum of squared deviations, count) about the mean (or about c)."""
    if c is not None:
        return _sum((x - c) * (x - c) for x in data)
    count = 0
    T = int
    sx = (0, 1)
    sxx = (0, 1)
    special = None
    for x in data:
        T = _coerce(T, type(x))
        n, d = _exact_ratio(x)
        count += 1
        if d is None:
            special = n if special is None else special + n
            continue
        sx = _add(sx, (n, d))
        sxx = _add(sxx, (n * n, d * d))
    if special is not None:
        return T, (special, None), count
    if not count:
        return T, (0, 1), 0
    # ss = (count * sxx - sx * sx) / count
    numerator = count * sxx[0] * sx[1] * sx[1] - sx[0] * sx[0] * sxx[1]
    return T, _reduce(numerator, sxx[1] * sx[1] * sx[1] * count), count


def _float_sqrt_of_frac(n, m):
    """The correctly rounded square root of n/m as a float (round-to-odd, then one
    rounding), as CPython computes it."""
    def isqrt_frac_rto(n, m):
        a = math.isqrt(n // m)
        return a | (a * a * m != n)
    q = (n.bit_length() - m.bit_length() - 109) // 2
    if q >= 0:
        numerator = isqrt_frac_rto(n, m << 2 * q) << q
        denominator = 1
    else:
        numerator = isqrt_frac_rto(n << -2 * q, m)
        denominator = 1 << -q
    return numerator / denominator


# --- averages --------------------------------------------------------------------------------

def mean(data):
    """Arithmetic mean, exact before the final rounding."""
    T, total, n = _sum(data)
    if n < 1:
        raise StatisticsError("mean requires at least one data point")
    num, den = total
    if den is None:
        return num / n
    return _to_type(_reduce(num, den * n), T)


def fmean(data):
    """Fast floating-point arithmetic mean."""
    data = list(data)
    n = len(data)
    if n == 0:
        raise StatisticsError("fmean requires at least one data point")
    return math.fsum(data) / n


def geometric_mean(data):
    """Geometric mean of positive numbers."""
    try:
        return math.exp(fmean([math.log(x) for x in data]))
    except ValueError:
        raise StatisticsError("geometric mean requires a non-empty dataset "
                              "containing positive numbers") from None


def median(data):
    data = sorted(data)
    n = len(data)
    if n == 0:
        raise StatisticsError("no median for empty data")
    if n % 2 == 1:
        return data[n // 2]
    i = n // 2
    return (data[i - 1] + data[i]) / 2


def median_low(data):
    data = sorted(data)
    n = len(data)
    if n == 0:
        raise StatisticsError("no median for empty data")
    if n % 2 == 1:
        return data[n // 2]
    return data[n // 2 - 1]


def median_high(data):
    data = sorted(data)
    n = len(data)
    if n == 0:
        raise StatisticsError("no median for empty data")
    return data[n // 2]


def _counts(data):
    counts = {}
    for x in data:
        counts[x] = counts.get(x, 0) + 1
    return counts


def mode(data):
    """The most common value; the first one seen among equally common values."""
    counts = _counts(data)
    if not counts:
        raise StatisticsError("no mode for empty data")
    best = None
    best_count = 0
    for value, count in counts.items():
        if count > best_count:
            best, best_count = value, count
    return best


def multimode(data):
    """Every most common value, in order of first appearance."""
    counts = _counts(data)
    if not counts:
        return []
    top = max(counts.values())
    return [value for value, count in counts.items() if count == top]


def quantiles(data, *, n=4, method="exclusive"):
    """Cut points dividing the data into n intervals of equal probability."""
    if n < 1:
        raise StatisticsError("n must be at least 1")
    data = sorted(data)
    ld = len(data)
    if ld < 2:
        raise StatisticsError("must have at least two data points")
    result = []
    if method == "inclusive":
        m = ld - 1
        for i in range(1, n):
            j, delta = divmod(i * m, n)
            result.append((data[j] * (n - delta) + data[j + 1] * delta) / n)
        return result
    if method == "exclusive":
        m = ld + 1
        for i in range(1, n):
            j = i * m // n
            j = 1 if j < 1 else ld - 1 if j > ld - 1 else j
            delta = i * m - j * n
            result.append((data[j - 1] * (n - delta) + data[j] * delta) / n)
        return result
    raise ValueError(f"Unknown method: {method!r}")


# --- spread ----------------------------------------------------------------------------------

def _variance_parts(data, xbar, what, minimum):
    T, ss, n = _ss(data, xbar)
    if n < minimum:
        raise StatisticsError(f"{what} requires at least {'two data points' if minimum == 2 else 'one data point'}")
    return T, ss, n


def variance(data, xbar=None):
    """Sample variance (divides by n - 1)."""
    T, (num, den), n = _variance_parts(data, xbar, "variance", 2)
    if den is None:
        return num
    return _to_type(_reduce(num, den * (n - 1)), T)


def pvariance(data, mu=None):
    """Population variance (divides by n)."""
    T, (num, den), n = _variance_parts(data, mu, "pvariance", 1)
    if den is None:
        return num
    return _to_type(_reduce(num, den * n), T)


def stdev(data, xbar=None):
    """Sample standard deviation, the correctly rounded square root of the variance."""
    T, (num, den), n = _variance_parts(data, xbar, "stdev", 2)
    if den is None:
        return math.sqrt(num)
    num, den = _reduce(num, den * (n - 1))
    return _float_sqrt_of_frac(num, den)


def pstdev(data, mu=None):
    """Population standard deviation."""
    T, (num, den), n = _variance_parts(data, mu, "pstdev", 1)
    if den is None:
        return math.sqrt(num)
    num, den = _reduce(num, den * n)
    return _float_sqrt_of_frac(num, den)
