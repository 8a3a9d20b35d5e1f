// The math module: libm functions with CPython's error rules ("math domain error" for
// arguments outside the domain, "math range error" for results that overflow), exact
// integer functions on GMP, and accurate sums and norms (fsum, hypot, dist).
#include "stdlib/math.h"

#include <gmp.h>

#include <cerrno>
#include <cfloat>
#include <climits>
#include <cmath>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/module.h"
#include "runtime/refcount.h"
#include "runtime/tuple.h"
#include "stdlib/modules.h"
#include "stdlib/native.h"

namespace mvm {

// --- fsum --------------------------------------------------------------------------------------

FsumStatus FsumAccumulator::add(double x) {
  double xsave = x;
  size_t kept = 0;
  for (size_t j = 0; j < partials_.size(); ++j) {
    double y = partials_[j];
    if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
    double hi = x + y;
    double lo = y - (hi - x);
    if (lo != 0.0) partials_[kept++] = lo;
    x = hi;
  }
  partials_.resize(kept);
  if (x == 0.0) return FsumStatus::Ok;
  if (!std::isfinite(x)) {
    // Either an infinity or NaN was added, or a finite partial sum overflowed.
    if (std::isfinite(xsave)) return FsumStatus::Overflow;
    if (std::isinf(xsave)) inf_sum_ += xsave;
    special_sum_ += xsave;
    partials_.clear();
    return FsumStatus::Ok;
  }
  partials_.push_back(x);
  return FsumStatus::Ok;
}

FsumStatus FsumAccumulator::result(double* out) const {
  if (special_sum_ != 0.0) {
    if (std::isnan(inf_sum_)) return FsumStatus::InfMinusInf;
    *out = special_sum_;
    return FsumStatus::Ok;
  }
  size_t n = partials_.size();
  double hi = 0.0, lo = 0.0;
  if (n > 0) {
    hi = partials_[--n];
    // Add from the top while the sum stays exact.
    while (n > 0) {
      double x = hi;
      double y = partials_[--n];
      hi = x + y;
      double yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) break;
    }
    // Half-even rounding across several partials: the ones below can tip a tie.
    if (n > 0 && ((lo < 0.0 && partials_[n - 1] < 0.0) || (lo > 0.0 && partials_[n - 1] > 0.0))) {
      double y = lo * 2.0;
      double x = hi + y;
      double yr = x - hi;
      if (y == yr) hi = x;
    }
  }
  *out = hi;
  return FsumStatus::Ok;
}

namespace {

Value domain_error(ThreadState& ts) { return raise(ts, &ValueError_type, "math domain error"); }
Value range_error(ThreadState& ts) { return raise(ts, &OverflowError_type, "math range error"); }

// An mpz_t that clears itself.
struct Mpz {
  mpz_t z;
  Mpz() { mpz_init(z); }
  ~Mpz() { mpz_clear(z); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
};

// Loads an integer argument (int or __index__) into z.
bool integer_arg(ThreadState& ts, Value v, mpz_t z) {
  Ref index(to_index(ts, v));
  if (!index) return false;
  int_to_mpz(index.get(), z);
  return true;
}

bool one_double(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                const char* name, double* x) {
  return check_no_kwargs(ts, name, kwnames) && check_nargs(ts, name, nargs, 1, 1) &&
         to_double(ts, args[0], x);
}

bool two_doubles(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                 const char* name, double* x, double* y) {
  return check_no_kwargs(ts, name, kwnames) && check_nargs(ts, name, nargs, 2, 2) &&
         to_double(ts, args[0], x) && to_double(ts, args[1], y);
}

// --- functions of one real argument ------------------------------------------------------------

// Applies f with CPython's math_1 error rules: a NaN from a non-NaN argument is a domain
// error; an infinity from a finite argument is a range error when the function can
// overflow and a domain error (a pole, such as atanh(1)) otherwise.
Value math_1(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames, const char* name,
             double (*f)(double), bool can_overflow) {
  double x;
  if (!one_double(ts, args, nargs, kwnames, name, &x)) return Value();
  double r = f(x);
  if (std::isnan(r) && !std::isnan(x)) return domain_error(ts);
  if (std::isinf(r) && std::isfinite(x)) return can_overflow ? range_error(ts) : domain_error(ts);
  return float_new(r);
}

// The gamma functions have poles at zero and the negative integers.
double checked_gamma(double x) {
  if (x <= 0 && x == std::floor(x)) return NAN;
  return std::tgamma(x);
}
double checked_lgamma(double x) {
  if (x <= 0 && x == std::floor(x)) return NAN;
  return std::lgamma(x);
}
double fabs_fn(double x) { return std::fabs(x); }

#define MINIVM_MATH_1(name, fn, can_overflow)                                           \
  Value math_##name(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) { \
    return math_1(ts, args, nargs, kwnames, #name, fn, can_overflow);                  \
  }
MINIVM_MATH_1(sqrt, ::sqrt, false)
MINIVM_MATH_1(cbrt, ::cbrt, false)
MINIVM_MATH_1(exp, ::exp, true)
MINIVM_MATH_1(exp2, ::exp2, true)
MINIVM_MATH_1(expm1, ::expm1, true)
MINIVM_MATH_1(log1p, ::log1p, false)
MINIVM_MATH_1(sin, ::sin, false)
MINIVM_MATH_1(cos, ::cos, false)
MINIVM_MATH_1(tan, ::tan, false)
MINIVM_MATH_1(asin, ::asin, false)
MINIVM_MATH_1(acos, ::acos, false)
MINIVM_MATH_1(atan, ::atan, false)
MINIVM_MATH_1(sinh, ::sinh, true)
MINIVM_MATH_1(cosh, ::cosh, true)
MINIVM_MATH_1(tanh, ::tanh, false)
MINIVM_MATH_1(asinh, ::asinh, false)
MINIVM_MATH_1(acosh, ::acosh, false)
MINIVM_MATH_1(atanh, ::atanh, false)
MINIVM_MATH_1(erf, ::erf, false)
MINIVM_MATH_1(erfc, ::erfc, false)
MINIVM_MATH_1(gamma, checked_gamma, true)
MINIVM_MATH_1(lgamma, checked_lgamma, true)
MINIVM_MATH_1(fabs, fabs_fn, false)
#undef MINIVM_MATH_1

// --- logarithms --------------------------------------------------------------------------------

// log_fn(x) for any real x, including ints too large for a double (via their binary
// exponent). Non-positive arguments are a domain error.
bool log_of(ThreadState& ts, Value v, double (*log_fn)(double), double* out) {
  if (is_int(v)) {
    if (int_sign(v) <= 0) {
      domain_error(ts);
      return false;
    }
    Mpz z;
    int_to_mpz(v, z.z);
    long exponent;
    double mantissa = mpz_get_d_2exp(&exponent, z.z);
    *out = exponent > 1000 ? log_fn(mantissa) + log_fn(2.0) * double(exponent)
                           : log_fn(std::ldexp(mantissa, int(exponent)));
    return true;
  }
  double x;
  if (!to_double(ts, v, &x)) return false;
  if (std::isnan(x) || x == INFINITY) {
    *out = x;
    return true;
  }
  if (x <= 0) {
    domain_error(ts);
    return false;
  }
  *out = log_fn(x);
  return true;
}

Value math_log(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "log", kwnames) || !check_nargs(ts, "log", nargs, 1, 2))
    return Value();
  double num;
  if (!log_of(ts, args[0], ::log, &num)) return Value();
  if (nargs == 1) return float_new(num);
  double den;
  if (!log_of(ts, args[1], ::log, &den)) return Value();
  if (den == 0.0) return raise(ts, &ZeroDivisionError_type, "float division by zero");
  return float_new(num / den);
}

Value math_log2(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double r;
  if (!check_no_kwargs(ts, "log2", kwnames) || !check_nargs(ts, "log2", nargs, 1, 1) ||
      !log_of(ts, args[0], ::log2, &r))
    return Value();
  return float_new(r);
}

Value math_log10(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double r;
  if (!check_no_kwargs(ts, "log10", kwnames) || !check_nargs(ts, "log10", nargs, 1, 1) ||
      !log_of(ts, args[0], ::log10, &r))
    return Value();
  return float_new(r);
}

// --- functions of two real arguments -----------------------------------------------------------

Value math_pow(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x, y;
  if (!two_doubles(ts, args, nargs, kwnames, "pow", &x, &y)) return Value();
  double r = std::pow(x, y);
  if (std::isfinite(x) && std::isfinite(y) && !std::isfinite(r)) {
    // NaN: a negative base with a non-integral exponent; infinity: 0 to a negative
    // power (a pole) or a genuine overflow.
    if (std::isnan(r) || x == 0.0) return domain_error(ts);
    return range_error(ts);
  }
  return float_new(r);
}

Value math_atan2(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double y, x;
  if (!two_doubles(ts, args, nargs, kwnames, "atan2", &y, &x)) return Value();
  return float_new(std::atan2(y, x));
}

Value math_copysign(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x, y;
  if (!two_doubles(ts, args, nargs, kwnames, "copysign", &x, &y)) return Value();
  return float_new(std::copysign(x, y));
}

Value math_fmod(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x, y;
  if (!two_doubles(ts, args, nargs, kwnames, "fmod", &x, &y)) return Value();
  if (std::isinf(y) && std::isfinite(x)) return float_new(x);
  double r = std::fmod(x, y);
  if (std::isnan(r) && !std::isnan(x) && !std::isnan(y)) return domain_error(ts);
  return float_new(r);
}

Value math_remainder(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x, y;
  if (!two_doubles(ts, args, nargs, kwnames, "remainder", &x, &y)) return Value();
  double r = std::remainder(x, y);
  if (std::isnan(r) && !std::isnan(x) && !std::isnan(y)) return domain_error(ts);
  return float_new(r);
}

Value math_nextafter(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x, y;
  if (!two_doubles(ts, args, nargs, kwnames, "nextafter", &x, &y)) return Value();
  return float_new(std::nextafter(x, y));
}

Value math_ulp(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x;
  if (!one_double(ts, args, nargs, kwnames, "ulp", &x)) return Value();
  if (std::isnan(x)) return float_new(x);
  x = std::fabs(x);
  if (std::isinf(x)) return float_new(x);
  double next = std::nextafter(x, INFINITY);
  if (std::isinf(next)) return float_new(x - std::nextafter(x, -INFINITY));
  return float_new(next - x);
}

// --- classification and comparison -------------------------------------------------------------

Value math_isfinite(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x;
  if (!one_double(ts, args, nargs, kwnames, "isfinite", &x)) return Value();
  return bool_value(std::isfinite(x));
}

Value math_isinf(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x;
  if (!one_double(ts, args, nargs, kwnames, "isinf", &x)) return Value();
  return bool_value(std::isinf(x));
}

Value math_isnan(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x;
  if (!one_double(ts, args, nargs, kwnames, "isnan", &x)) return Value();
  return bool_value(std::isnan(x));
}

Value math_isclose(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[4];
  if (!bind_args(ts, "isclose", args, nargs, kwnames, {"a", "b", "rel_tol", "abs_tol"}, 2, a, 2))
    return Value();
  double x, y, rel_tol = 1e-9, abs_tol = 0.0;
  if (!to_double(ts, a[0], &x) || !to_double(ts, a[1], &y)) return Value();
  if (a[2] && !to_double(ts, a[2], &rel_tol)) return Value();
  if (a[3] && !to_double(ts, a[3], &abs_tol)) return Value();
  if (rel_tol < 0.0 || abs_tol < 0.0)
    return raise(ts, &ValueError_type, "tolerances must be non-negative");
  if (x == y) return true_value();
  if (std::isinf(x) || std::isinf(y)) return false_value();
  double diff = std::fabs(y - x);
  return bool_value(diff <= std::fabs(rel_tol * y) || diff <= std::fabs(rel_tol * x) ||
                    diff <= abs_tol);
}

// --- rounding to integers ----------------------------------------------------------------------

// floor/ceil/trunc: ints are returned as they are, floats converted, other objects asked
// through their special method (or converted to float when they have none).
Value integral_part(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                    const char* name, const char* special,
                    Value (*to_int)(ThreadState&, double), bool float_fallback) {
  if (!check_no_kwargs(ts, name, kwnames) || !check_nargs(ts, name, nargs, 1, 1))
    return Value();
  Value x = args[0];
  if (is_float(x)) return to_int(ts, float_value(x));
  if (x.is_small_int() || is_bigint(x)) return newref(x);
  bool missing = false;
  Value result = call_special(ts, x, special, {}, &missing);
  if (!missing) return result;
  if (is_int(x)) {
    // An int subclass (bool) answers with a plain int.
    Mpz z;
    int_to_mpz(x, z.z);
    return int_from_mpz(z.z);
  }
  if (!float_fallback)
    return raise_fmt(ts, &TypeError_type, "type %s doesn't define %s method", type_name(x),
                     special);
  double d;
  if (!to_double(ts, x, &d)) return Value();
  return to_int(ts, d);
}

Value math_floor(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return integral_part(ts, args, nargs, kwnames, "floor", "__floor__", float_floor_to_int, true);
}
Value math_ceil(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return integral_part(ts, args, nargs, kwnames, "ceil", "__ceil__", float_ceil_to_int, true);
}
Value math_trunc(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return integral_part(ts, args, nargs, kwnames, "trunc", "__trunc__", int_from_double, false);
}

// --- float decomposition -----------------------------------------------------------------------

Value math_modf(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x;
  if (!one_double(ts, args, nargs, kwnames, "modf", &x)) return Value();
  double integral, fraction;
  if (std::isinf(x)) {
    integral = x;
    fraction = std::copysign(0.0, x);
  } else {
    fraction = std::modf(x, &integral);
  }
  Ref f(float_new(fraction)), i(float_new(integral));
  return Value::from_obj(tuple_pack(ts, {f.get(), i.get()}));
}

Value math_frexp(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x;
  if (!one_double(ts, args, nargs, kwnames, "frexp", &x)) return Value();
  int exponent = 0;
  double mantissa = x;
  if (std::isfinite(x) && x != 0.0) mantissa = std::frexp(x, &exponent);
  Ref m(float_new(mantissa));
  return Value::from_obj(tuple_pack(ts, {m.get(), Value::small_int(exponent)}));
}

Value math_ldexp(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "ldexp", kwnames) || !check_nargs(ts, "ldexp", nargs, 2, 2))
    return Value();
  double x;
  if (!to_double(ts, args[0], &x)) return Value();
  if (!is_int(args[1])) return raise(ts, &TypeError_type, "Expected an int as second argument to ldexp.");
  if (x == 0.0 || !std::isfinite(x)) return float_new(x);
  int64_t exponent;
  if (!int_to_int64(ts, args[1], &exponent)) {
    if (!error_matches(ts, &OverflowError_type)) return Value();
    clear_error(ts);
    exponent = int_sign(args[1]) > 0 ? INT_MAX : INT_MIN;
  }
  exponent = std::max<int64_t>(INT_MIN, std::min<int64_t>(INT_MAX, exponent));
  double r = std::ldexp(x, int(exponent));
  if (std::isinf(r)) return range_error(ts);
  return float_new(r);
}

Value math_degrees(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x;
  if (!one_double(ts, args, nargs, kwnames, "degrees", &x)) return Value();
  return float_new(x * (180.0 / M_PI));
}

Value math_radians(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  double x;
  if (!one_double(ts, args, nargs, kwnames, "radians", &x)) return Value();
  return float_new(x * (M_PI / 180.0));
}

// --- exact integer functions -------------------------------------------------------------------

Value math_factorial(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "factorial", kwnames) || !check_nargs(ts, "factorial", nargs, 1, 1))
    return Value();
  Mpz n;
  if (!integer_arg(ts, args[0], n.z)) return Value();
  if (mpz_sgn(n.z) < 0)
    return raise(ts, &ValueError_type, "factorial() not defined for negative values");
  if (!mpz_fits_slong_p(n.z))
    return raise(ts, &OverflowError_type,
                 "factorial() argument should not exceed 9223372036854775807");
  Mpz result;
  mpz_fac_ui(result.z, mpz_get_ui(n.z));
  return int_from_mpz(result.z);
}

// gcd() and lcm() fold their arguments; with none they return 0 and 1.
Value gcd_lcm(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames, const char* name,
              bool lcm) {
  if (!check_no_kwargs(ts, name, kwnames)) return Value();
  Mpz acc, x;
  mpz_set_ui(acc.z, lcm ? 1 : 0);
  for (size_t i = 0; i < nargs; ++i) {
    if (!integer_arg(ts, args[i], x.z)) return Value();
    if (lcm)
      mpz_lcm(acc.z, acc.z, x.z);
    else
      mpz_gcd(acc.z, acc.z, x.z);
  }
  return int_from_mpz(acc.z);
}

Value math_gcd(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return gcd_lcm(ts, args, nargs, kwnames, "gcd", false);
}
Value math_lcm(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return gcd_lcm(ts, args, nargs, kwnames, "lcm", true);
}

// The n and k of comb() and perm(): non-negative integers.
bool n_and_k(ThreadState& ts, Value n_arg, Value k_arg, mpz_t n, mpz_t k) {
  if (!integer_arg(ts, n_arg, n) || !integer_arg(ts, k_arg, k)) return false;
  if (mpz_sgn(n) < 0) {
    raise(ts, &ValueError_type, "n must be a non-negative integer");
    return false;
  }
  if (mpz_sgn(k) < 0) {
    raise(ts, &ValueError_type, "k must be a non-negative integer");
    return false;
  }
  return true;
}

// comb(n, k) into result, assuming 0 <= k <= n.
bool binomial(ThreadState& ts, mpz_t result, const mpz_t n, const mpz_t k) {
  Mpz smaller;
  mpz_sub(smaller.z, n, k);
  if (mpz_cmp(smaller.z, k) > 0) mpz_set(smaller.z, k);
  if (!mpz_fits_slong_p(smaller.z)) {
    raise(ts, &OverflowError_type, "min(n - k, k) must not exceed 9223372036854775807");
    return false;
  }
  mpz_bin_ui(result, n, mpz_get_ui(smaller.z));
  return true;
}

Value math_comb(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "comb", kwnames) || !check_nargs(ts, "comb", nargs, 2, 2))
    return Value();
  Mpz n, k, result;
  if (!n_and_k(ts, args[0], args[1], n.z, k.z)) return Value();
  if (mpz_cmp(k.z, n.z) > 0) return Value::small_int(0);
  if (!binomial(ts, result.z, n.z, k.z)) return Value();
  return int_from_mpz(result.z);
}

Value math_perm(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "perm", kwnames) || !check_nargs(ts, "perm", nargs, 1, 2))
    return Value();
  if (nargs == 1 || is_none(args[1])) return math_factorial(ts, args, 1, nullptr);
  Mpz n, k, result, k_factorial;
  if (!n_and_k(ts, args[0], args[1], n.z, k.z)) return Value();
  if (mpz_cmp(k.z, n.z) > 0) return Value::small_int(0);
  if (!mpz_fits_slong_p(k.z))
    return raise(ts, &OverflowError_type, "k must not exceed 9223372036854775807");
  // perm(n, k) = comb(n, k) * k!
  if (!binomial(ts, result.z, n.z, k.z)) return Value();
  mpz_fac_ui(k_factorial.z, mpz_get_ui(k.z));
  mpz_mul(result.z, result.z, k_factorial.z);
  return int_from_mpz(result.z);
}

Value math_isqrt(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "isqrt", kwnames) || !check_nargs(ts, "isqrt", nargs, 1, 1))
    return Value();
  Mpz n;
  if (!integer_arg(ts, args[0], n.z)) return Value();
  if (mpz_sgn(n.z) < 0) return raise(ts, &ValueError_type, "isqrt() argument must be nonnegative");
  mpz_sqrt(n.z, n.z);
  return int_from_mpz(n.z);
}

// --- reductions --------------------------------------------------------------------------------

Value math_prod(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "prod", args, nargs, kwnames, {"iterable", "start"}, 1, a, 1))
    return Value();
  Ref it(object_iter(ts, a[0]));
  if (!it) return Value();
  Ref total(newref(a[1] ? a[1] : Value::small_int(1)));
  for (;;) {
    Ref item(iter_next(ts, it.get()));
    if (!item) break;
    Value product = binary_op(ts, total.get(), item.get(), BinaryOp::Mul);
    if (!product) return Value();
    total = Ref(product);
  }
  if (error_occurred(ts)) return Value();
  return total.release();
}

Value math_fsum(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "fsum", kwnames) || !check_nargs(ts, "fsum", nargs, 1, 1))
    return Value();
  Ref it(object_iter(ts, args[0]));
  if (!it) return Value();
  FsumAccumulator acc;
  for (;;) {
    Ref item(iter_next(ts, it.get()));
    if (!item) break;
    double x;
    if (!to_double(ts, item.get(), &x)) return Value();
    if (acc.add(x) == FsumStatus::Overflow)
      return raise(ts, &OverflowError_type, "intermediate overflow in fsum");
  }
  if (error_occurred(ts)) return Value();
  double total;
  if (acc.result(&total) == FsumStatus::InfMinusInf)
    return raise(ts, &ValueError_type, "-inf + inf in fsum");
  return float_new(total);
}

// The Euclidean norm of non-negative values whose maximum is `max`, computed as CPython's
// vector_norm: scaled by a power of two, squared exactly with fma, summed with
// compensation, and the square root corrected by one Newton step.
double vector_norm(std::vector<double>& vec, double max, bool found_nan) {
  if (std::isinf(max)) return max;
  if (found_nan) return NAN;
  if (max == 0.0 || vec.size() <= 1) return max;
  int max_e;
  std::frexp(max, &max_e);
  if (max_e < -1023) {
    // ldexp(1.0, -max_e) would overflow: make the subnormals normal first.
    for (double& x : vec) x /= DBL_MIN;
    return DBL_MIN * vector_norm(vec, max / DBL_MIN, found_nan);
  }
  double scale = std::ldexp(1.0, -max_e);
  double csum = 1.0, frac1 = 0.0, frac2 = 0.0;
  auto accumulate_square = [&](double x) {
    double sq_hi = x * x;
    double sq_lo = std::fma(x, x, -sq_hi);
    double sum_hi = csum + sq_hi;
    double sum_lo = (csum - sum_hi) + sq_hi;
    csum = sum_hi;
    frac1 += sq_lo;
    frac2 += sum_lo;
  };
  for (double x : vec) accumulate_square(x * scale);
  double h = std::sqrt(csum - 1.0 + (frac1 + frac2));
  // Subtract h*h exactly to find the remaining error, then correct h by it.
  double pr_hi = -h * h;
  double pr_lo = std::fma(-h, h, -pr_hi);
  double sum_hi = csum + pr_hi;
  double sum_lo = (csum - sum_hi) + pr_hi;
  csum = sum_hi;
  frac1 += pr_lo;
  frac2 += sum_lo;
  double x = csum - 1.0 + (frac1 + frac2);
  h += x / (2.0 * h);
  return h / scale;
}

Value math_hypot(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "hypot", kwnames)) return Value();
  std::vector<double> coords(nargs);
  double max = 0.0;
  bool found_nan = false;
  for (size_t i = 0; i < nargs; ++i) {
    double x;
    if (!to_double(ts, args[i], &x)) return Value();
    x = std::fabs(x);
    coords[i] = x;
    found_nan |= std::isnan(x);
    if (x > max) max = x;
  }
  return float_new(vector_norm(coords, max, found_nan));
}

Value math_dist(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "dist", kwnames) || !check_nargs(ts, "dist", nargs, 2, 2))
    return Value();
  Ref p(is_tuple(args[0]) ? newref(args[0]) : tuple_from_iterable(ts, args[0]));
  if (!p) return Value();
  Ref q(is_tuple(args[1]) ? newref(args[1]) : tuple_from_iterable(ts, args[1]));
  if (!q) return Value();
  size_t n = p.as<Tuple>()->size;
  if (q.as<Tuple>()->size != n)
    return raise(ts, &ValueError_type, "both points must have the same number of dimensions");
  std::vector<double> diffs(n);
  double max = 0.0;
  bool found_nan = false;
  for (size_t i = 0; i < n; ++i) {
    double px, qx;
    if (!to_double(ts, p.as<Tuple>()->items[i], &px) ||
        !to_double(ts, q.as<Tuple>()->items[i], &qx))
      return Value();
    double x = std::fabs(px - qx);
    diffs[i] = x;
    found_nan |= std::isnan(x);
    if (x > max) max = x;
  }
  return float_new(vector_norm(diffs, max, found_nan));
}

const MethodDef math_functions[] = {
    {"sqrt", math_sqrt},       {"cbrt", math_cbrt},         {"exp", math_exp},
    {"exp2", math_exp2},       {"expm1", math_expm1},       {"log", math_log},
    {"log2", math_log2},       {"log10", math_log10},       {"log1p", math_log1p},
    {"pow", math_pow},         {"sin", math_sin},           {"cos", math_cos},
    {"tan", math_tan},         {"asin", math_asin},         {"acos", math_acos},
    {"atan", math_atan},       {"atan2", math_atan2},       {"sinh", math_sinh},
    {"cosh", math_cosh},       {"tanh", math_tanh},         {"asinh", math_asinh},
    {"acosh", math_acosh},     {"atanh", math_atanh},       {"erf", math_erf},
    {"erfc", math_erfc},       {"gamma", math_gamma},       {"lgamma", math_lgamma},
    {"fabs", math_fabs},       {"fmod", math_fmod},         {"remainder", math_remainder},
    {"copysign", math_copysign}, {"nextafter", math_nextafter}, {"ulp", math_ulp},
    {"isfinite", math_isfinite}, {"isinf", math_isinf},     {"isnan", math_isnan},
    {"isclose", math_isclose}, {"floor", math_floor},       {"ceil", math_ceil},
    {"trunc", math_trunc},     {"modf", math_modf},         {"frexp", math_frexp},
    {"ldexp", math_ldexp},     {"degrees", math_degrees},   {"radians", math_radians},
    {"factorial", math_factorial}, {"gcd", math_gcd},       {"lcm", math_lcm},
    {"comb", math_comb},       {"perm", math_perm},         {"isqrt", math_isqrt},
    {"prod", math_prod},       {"fsum", math_fsum},         {"hypot", math_hypot},
    {"dist", math_dist},       {nullptr, nullptr},
};

}  // namespace

int init_math_module(ThreadState& ts, Module* m) {
  if (module_add_functions(ts, m, math_functions) < 0) return -1;
  const std::pair<const char*, double> constants[] = {
      {"pi", M_PI}, {"e", M_E}, {"tau", 2 * M_PI}, {"inf", INFINITY}, {"nan", NAN}};
  for (const auto& [name, value] : constants) {
    Ref v(float_new(value));
    if (!v || module_add(ts, m, name, v.get()) < 0) return -1;
  }
  return 0;
}

}  // namespace mvm
