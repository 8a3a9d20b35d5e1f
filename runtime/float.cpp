// float: the built-in IEEE double type, with CPython's repr, hashing, arithmetic rules
// (floor division and modulo signs, power special cases), exact comparison with ints,
// parsing of float(text) and correctly rounded round().
#include "runtime/float.h"

#include <gmp.h>

#include <charconv>
#include <clocale>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <strings.h>
#include <locale.h>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/builtin_support.h"
#include "runtime/bytes.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"

namespace mvm {

namespace {

// Reads a number operand for mixed arithmetic: 1 with *out set, 0 when v is not an int or
// float (the operation is then NotImplemented), -1 when an int is too large for a double.
int float_operand(ThreadState& ts, Value v, double* out) {
  if (is_float_instance(v)) {
    *out = float_value(v);
    return 1;
  }
  if (!is_int(v)) return 0;
  return int_to_double_checked(ts, v, out) ? 1 : -1;
}

// Python's floor division and modulo of doubles (wx != 0), as CPython's float_divmod: the
// remainder takes the divisor's sign, and the quotient is exact when it is an integer.
void divmod_values(double vx, double wx, double* floordiv, double* mod) {
  double m = std::fmod(vx, wx);
  double div = (vx - m) / wx;
  if (m != 0) {
    if ((wx < 0) != (m < 0)) {
      m += wx;
      div -= 1.0;
    }
  } else {
    m = std::copysign(0.0, wx);
  }
  if (div != 0) {
    *floordiv = std::floor(div);
    if (div - *floordiv > 0.5) *floordiv += 1.0;
  } else {
    *floordiv = std::copysign(0.0, vx / wx);
  }
  *mod = m;
}

bool is_odd_integer(double x) { return std::fmod(std::fabs(x), 2.0) == 1.0; }

// Compares a double with an int exactly: -1, 0 or 1, or kUnordered when d is NaN.
constexpr int kUnordered = 2;
int compare_double_int(double d, Value i) {
  if (std::isnan(d)) return kUnordered;
  if (std::isinf(d)) return d > 0 ? 1 : -1;
  constexpr int64_t kExact = int64_t(1) << 53;
  int64_t x;
  if (int_as_small(i, &x) && x >= -kExact && x <= kExact) {
    double xd = double(x);
    return (d > xd) - (d < xd);
  }
  Mpz scratch;
  int c = mpz_cmp_d(int_as_mpz(i, scratch), d);   // exact, unlike converting i to a double
  return (c < 0) - (c > 0);
}

Value compare_result(int c, CompareOp op) {
  if (c == kUnordered) return bool_value(op == CompareOp::Ne);
  return bool_value(compare_ordering(c, op));
}

locale_t c_locale() {
  static locale_t locale = newlocale(LC_ALL_MASK, "C", locale_t(0));
  return locale;
}

bool equals_ignoring_case(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); i++)
    if (char(text[i] | 0x20) != lower[i]) return false;
  return true;
}

// Appends the digits at s[*i...] with single underscores between them; false if there are
// none or an underscore is misplaced.
bool scan_digit_part(std::string_view s, size_t* i, std::string* out) {
  size_t start = out->size();
  bool after_underscore = false;
  for (; *i < s.size(); ++*i) {
    char c = s[*i];
    if (c == '_') {
      if (out->size() == start || after_underscore) return false;
      after_underscore = true;
    } else if (c >= '0' && c <= '9') {
      out->push_back(c);
      after_underscore = false;
    } else {
      break;
    }
  }
  return out->size() > start && !after_underscore;
}

// Python's float literal syntax (plus inf/infinity/nan), for ASCII text without surrounding
// whitespace. False when the text is not valid.
bool parse_float_literal(std::string_view s, double* out) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  std::string_view rest = s.substr(i);
  if (equals_ignoring_case(rest, "inf") || equals_ignoring_case(rest, "infinity")) {
    *out = negative ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (equals_ignoring_case(rest, "nan")) {
    *out = negative ? -NAN : NAN;
    return true;
  }
  std::string clean(negative ? "-" : "");
  bool int_digits = i < s.size() && s[i] >= '0' && s[i] <= '9';
  if (int_digits && !scan_digit_part(s, &i, &clean)) return false;
  bool frac_digits = false;
  if (i < s.size() && s[i] == '.') {
    clean.push_back(s[i++]);
    frac_digits = i < s.size() && s[i] >= '0' && s[i] <= '9';
    if (frac_digits && !scan_digit_part(s, &i, &clean)) return false;
  }
  if (!int_digits && !frac_digits) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    clean.push_back(s[i++]);
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) clean.push_back(s[i++]);
    if (!scan_digit_part(s, &i, &clean)) return false;
  }
  if (i != s.size()) return false;
  // strtod_l rounds correctly and gives +-inf or 0 out of range, which is what float() does.
  *out = strtod_l(clean.c_str(), nullptr, c_locale());
  return true;
}

Value raise_bad_float_text(ThreadState& ts, const std::string& literal_repr) {
  return raise_fmt(ts, &ValueError_type, "could not convert string to float: %s",
                   literal_repr.c_str());
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Construction and conversion

Value float_new_boxed(double v) {
  Float* f = new_object<Float>(&float_type);
  f->value = v;
  return Value::from_obj(f);
}

bool is_float_instance(Value v) { return is_float(v) || (v.is_obj() && is_instance_of(v, &float_type)); }

bool number_to_double(ThreadState& ts, Value v, double* out) {
  int r = float_operand(ts, v, out);
  if (r == 0)
    raise_fmt(ts, &TypeError_type, "must be real number, not %s", type_name(v));
  return r == 1;
}

bool float_from_string(ThreadState& ts, std::string_view text, double* out) {
  std::string ascii;
  if (number_text_to_ascii(text, &ascii) && parse_float_literal(ascii, out)) return true;
  raise_bad_float_text(ts, str_repr(text));
  return false;
}

static Str* dunder_float_name() {
  static Str* name = intern("__float__");
  return name;
}

Value float_from_value(ThreadState& ts, Value v) {
  if (is_float(v)) return newref(v);
  if (is_float_instance(v)) return float_new(float_value(v));
  double d;
  if (is_int(v)) return int_to_double_checked(ts, v, &d) ? float_new(d) : Value();
  if (is_str(v)) return float_from_string(ts, str_view(v), &d) ? float_new(d) : Value();
  if (is_bytes(v)) {
    std::string_view data = bytes_view(v);
    auto is_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    std::string_view s = data;
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    if (parse_float_literal(s, &d)) return float_new(d);
    return raise_bad_float_text(ts, bytes_repr(data));
  }
  if (type_lookup(type_of(v), dunder_float_name())) {
    Ref result(call_method(ts, v, dunder_float_name(), {}));
    if (!result) return Value();
    if (!is_float_instance(result.get()))
      return raise_fmt(ts, &TypeError_type, "%s.__float__ returned non-float (type %s)",
                       type_name(v), type_name(result.get()));
    return float_new(float_value(result.get()));
  }
  if (has_index(v)) {
    Ref index(number_index(ts, v));
    if (!index) return Value();
    return int_to_double_checked(ts, index.get(), &d) ? float_new(d) : Value();
  }
  return raise_fmt(ts, &TypeError_type, "float() argument must be a string or a real number, not '%s'",
                   type_name(v));
}

// ---------------------------------------------------------------------------------------
// repr and hash

std::string float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  // to_chars gives the shortest digits that round-trip, as d.ddde+XX; CPython's repr then
  // places the decimal point itself, switching to exponent form outside 1e-4 <= |v| < 1e16.
  char buf[64];
  char* end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific).ptr;
  std::string_view sci(buf, size_t(end - buf));
  std::string out;
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos))
    if (c != '.') digits.push_back(c);
  int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  int decimal_point = exponent + 1;   // digits[0..decimal_point) come before the point
  int ndigits = int(digits.size());
  if (decimal_point <= -4 || decimal_point > 16) {
    out += digits[0];
    if (ndigits > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += exponent < 0 ? "e-" : "e+";
    if (std::abs(exponent) < 10) out += '0';   // at least two exponent digits
    out += std::to_string(std::abs(exponent));
  } else if (decimal_point <= 0) {
    out += "0.";
    out.append(size_t(-decimal_point), '0');
    out += digits;
  } else if (decimal_point >= ndigits) {
    out += digits;
    out.append(size_t(decimal_point - ndigits), '0');
    out += ".0";
  } else {
    out.append(digits, 0, size_t(decimal_point));
    out += '.';
    out.append(digits, size_t(decimal_point));
  }
  return out;
}

int64_t float_hash(double v) {
  // CPython's _Py_HashDouble: the value modulo 2**61 - 1, computed 28 bits at a time from
  // the mantissa, so that hash(x) == hash(int(x)) for integral x.
  constexpr int kBits = 61;
  constexpr uint64_t kModulus = (uint64_t(1) << kBits) - 1;
  if (std::isinf(v)) return v > 0 ? 314159 : -314159;
  if (std::isnan(v)) return 0;
  int e;
  double m = std::frexp(v, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  uint64_t x = 0;
  while (m != 0) {
    x = ((x << 28) & kModulus) | x >> (kBits - 28);
    m *= 268435456.0;   // 2**28
    e -= 28;
    uint64_t y = uint64_t(m);
    m -= double(y);
    x += y;
    if (x >= kModulus) x -= kModulus;
  }
  e = e >= 0 ? e % kBits : kBits - 1 - ((-1 - e) % kBits);
  x = ((x << e) & kModulus) | x >> (kBits - e);
  int64_t h = int64_t(x) * sign;
  return h == -1 ? -2 : h;
}

static int64_t float_hash_slot(ThreadState&, Value self) {
  double v = float_value(self);
  if (!std::isnan(v)) return float_hash(v);
  // NaNs are unequal to everything, so they hash by identity (as CPython 3.10+ does).
  uintptr_t p = self.raw();
  int64_t h = int64_t((p >> 4) | (p << (8 * sizeof(uintptr_t) - 4)));
  return h == -1 ? -2 : h;
}

// ---------------------------------------------------------------------------------------
// Arithmetic

Value float_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  bool a_float = is_float_instance(a), b_float = is_float_instance(b);
  if (a_float && b_float) {
    double x = float_value(a), y = float_value(b);
    if (std::isnan(x) || std::isnan(y)) return compare_result(kUnordered, op);
    return compare_result((x > y) - (x < y), op);
  }
  if (a_float && is_int(b)) return compare_result(compare_double_int(float_value(a), b), op);
  if (b_float && is_int(a)) {
    int c = compare_double_int(float_value(b), a);
    return compare_result(c == kUnordered ? c : -c, op);
  }
  return newref(not_implemented());
}

Value float_power(ThreadState& ts, double iv, double iw) {
  // CPython's float_pow: the special cases that C's pow() gets wrong or leaves vague.
  if (iw == 0) return float_new(1.0);
  if (std::isnan(iv)) return float_new(iv);
  if (std::isnan(iw)) return float_new(iv == 1.0 ? 1.0 : iw);
  if (std::isinf(iw)) {
    double magnitude = std::fabs(iv);
    if (magnitude == 1.0) return float_new(1.0);
    if ((iw > 0.0) == (magnitude > 1.0)) return float_new(std::fabs(iw));
    return float_new(0.0);
  }
  if (std::isinf(iv)) {
    bool odd = is_odd_integer(iw);
    if (iw > 0.0) return float_new(odd ? iv : std::fabs(iv));
    return float_new(odd ? std::copysign(0.0, iv) : 0.0);
  }
  if (iv == 0.0) {
    if (iw < 0.0)
      return raise(ts, &ZeroDivisionError_type, "0.0 cannot be raised to a negative power");
    return float_new(is_odd_integer(iw) ? iv : 0.0);
  }
  bool negate = false;
  if (iv < 0.0) {
    if (iw != std::floor(iw))
      return raise(ts, &ValueError_type, "negative number cannot be raised to a fractional power");
    iv = -iv;
    negate = is_odd_integer(iw);
  }
  if (iv == 1.0) return float_new(negate ? -1.0 : 1.0);
  double r = std::pow(iv, iw);
  if (std::isinf(r)) return raise(ts, &OverflowError_type, "(34, 'Numerical result out of range')");
  return float_new(negate ? -r : r);
}

Value float_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  double x, y;
  int ra = float_operand(ts, a, &x);
  if (ra <= 0) return ra < 0 ? Value() : newref(not_implemented());
  int rb = float_operand(ts, b, &y);
  if (rb <= 0) return rb < 0 ? Value() : newref(not_implemented());
  double quotient, remainder;
  switch (base_op(op)) {
    case BinaryOp::Add: return float_new(x + y);
    case BinaryOp::Sub: return float_new(x - y);
    case BinaryOp::Mul: return float_new(x * y);
    case BinaryOp::TrueDiv:
      if (y == 0) return raise(ts, &ZeroDivisionError_type, "float division by zero");
      return float_new(x / y);
    case BinaryOp::FloorDiv:
      if (y == 0) return raise(ts, &ZeroDivisionError_type, "float floor division by zero");
      divmod_values(x, y, &quotient, &remainder);
      return float_new(quotient);
    case BinaryOp::Mod:
      if (y == 0) return raise(ts, &ZeroDivisionError_type, "float modulo");
      divmod_values(x, y, &quotient, &remainder);
      return float_new(remainder);
    case BinaryOp::Pow: return float_power(ts, x, y);
    default: return newref(not_implemented());
  }
}

Value float_divmod(ThreadState& ts, Value a, Value b) {
  double x, y;
  int ra = float_operand(ts, a, &x);
  if (ra <= 0) return ra < 0 ? Value() : newref(not_implemented());
  int rb = float_operand(ts, b, &y);
  if (rb <= 0) return rb < 0 ? Value() : newref(not_implemented());
  if (y == 0) return raise(ts, &ZeroDivisionError_type, "float divmod()");
  double quotient, remainder;
  divmod_values(x, y, &quotient, &remainder);
  Tuple* t = tuple_new(ts, 2);
  if (!t) return Value();
  t->items[0] = float_new(quotient);
  t->items[1] = float_new(remainder);
  return Value::from_obj(t);
}

// ---------------------------------------------------------------------------------------
// Rounding

double float_round(double x, int64_t ndigits) {
  // Beyond these, every double rounds to itself or to zero (CPython's NDIGITS_MAX/MIN).
  constexpr int64_t kMaxDigits = 323, kMinDigits = -308;
  if (!std::isfinite(x) || x == 0 || ndigits > kMaxDigits) return x;
  if (ndigits < kMinDigits) return 0.0 * x;
  // Scale the exact binary value by 10**ndigits, round that to an integer (ties to even),
  // and let strtod turn "<integer>e<-ndigits>" back into the nearest double.
  mpq_t q;
  mpq_init(q);
  mpq_set_d(q, x);
  Mpz unit, quotient, remainder;
  mpz_ui_pow_ui(unit.get(), 10, uint64_t(ndigits < 0 ? -ndigits : ndigits));
  if (ndigits >= 0)
    mpz_mul(mpq_numref(q), mpq_numref(q), unit.get());
  else
    mpz_mul(mpq_denref(q), mpq_denref(q), unit.get());
  mpz_fdiv_qr(quotient.get(), remainder.get(), mpq_numref(q), mpq_denref(q));
  mpz_mul_2exp(remainder.get(), remainder.get(), 1);
  int c = mpz_cmp(remainder.get(), mpq_denref(q));
  if (c > 0 || (c == 0 && mpz_odd_p(quotient.get()))) mpz_add_ui(quotient.get(), quotient.get(), 1);
  mpq_clear(q);
  if (mpz_sgn(quotient.get()) == 0) return std::copysign(0.0, x);
  std::string text(mpz_sizeinbase(quotient.get(), 10) + 2, '\0');
  mpz_get_str(text.data(), 10, quotient.get());
  text.resize(std::char_traits<char>::length(text.data()));
  text += "e" + std::to_string(-ndigits);
  return strtod_l(text.c_str(), nullptr, c_locale());
}

Value float_round_to_int(ThreadState& ts, double x) {
  double rounded = std::round(x);
  if (std::fabs(x - rounded) == 0.5) rounded = 2.0 * std::round(x / 2.0);   // ties to even
  return int_from_double(ts, rounded);
}

Value float_floor_to_int(ThreadState& ts, double x) { return int_from_double(ts, std::floor(x)); }
Value float_ceil_to_int(ThreadState& ts, double x) { return int_from_double(ts, std::ceil(x)); }

// ---------------------------------------------------------------------------------------
// Slots

static Value float_repr_slot(ThreadState& ts, Value self) {
  return Value::from_obj(str_new(float_repr(float_value(self))));
}

static Value float_unary(ThreadState& ts, Value self, UnaryOp op) {
  switch (op) {
    case UnaryOp::Neg: return float_new(-float_value(self));
    case UnaryOp::Pos: return is_float(self) ? newref(self) : float_new(float_value(self));
    case UnaryOp::Invert: break;
  }
  return raise(ts, &TypeError_type, "bad operand type for unary ~: 'float'");
}

static int float_truth(ThreadState&, Value self) { return float_value(self) != 0.0; }

static Value float_new_slot(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size > 0) return raise(ts, &TypeError_type, "float() takes no keyword arguments");
  if (nargs > 1) return raise_fmt(ts, &TypeError_type, "float expected at most 1 argument, got %zu", nargs);
  Ref value(nargs == 0 ? float_new(0.0) : float_from_value(ts, args[0]));
  if (!value || type == &float_type) return value.release();
  Float* f = alloc_instance<Float>(ts, type);
  if (!f) return Value();
  f->value = float_value(value.get());
  return Value::from_obj(f);
}

// ---------------------------------------------------------------------------------------
// Methods

// float.hex(): 1.5 -> '0x1.8000000000000p+0', all 13 hex digits of the fraction, as
// CPython prints them; C's %a does the rest, subnormals included.
static Value float_method_hex(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "float.hex", nargs - 1, 0, 0)) return Value();
  double x = float_value(args[0]);
  if (std::isnan(x)) return str_value("nan");
  if (std::isinf(x)) return str_value(x > 0 ? "inf" : "-inf");
  if (x == 0) return str_value(std::signbit(x) ? "-0x0.0p+0" : "0x0.0p+0");
  char text[64];
  locale_t previous = uselocale(c_locale());   // the radix point of %a is the locale's
  std::snprintf(text, sizeof text, "%.13a", x);
  uselocale(previous);
  return str_value(text);
}

// float.fromhex(s), a classmethod: hex digits with an optional fraction, "0x" and binary
// exponent ('0x1.8p+0', '-1p-2', ' inf '); strtod reads them once "0x" is in place.
static Value float_method_fromhex(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "float.fromhex", nargs - 1, 1, 1)) return Value();
  if (!is_str(args[1])) return raise_fmt(ts, &TypeError_type, "must be str, not %s", type_name(args[1]));
  std::string_view text = str_view(args[1]);
  auto is_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  std::string sign, body(text);
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    sign = body.substr(0, 1);
    body.erase(0, 1);
  }
  auto invalid = [&] {
    return raise(ts, &ValueError_type, "invalid hexadecimal floating-point string");
  };
  bool has_prefix = body.size() >= 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X');
  std::string digits = has_prefix ? body.substr(2) : body;
  // strtod accepts decimal digits and "0x" alone; fromhex wants hex digits, or inf/nan.
  bool special = false;
  for (const char* word : {"inf", "infinity", "nan"})
    if (!has_prefix && strcasecmp(digits.c_str(), word) == 0) special = true;
  if (!special) {
    bool any_digit = false;
    for (char c : digits) {
      if (c == 'p' || c == 'P') break;
      if (std::isxdigit(static_cast<unsigned char>(c))) any_digit = true;
    }
    if (!any_digit) return invalid();
  }
  std::string full = sign + (special ? digits : "0x" + digits);
  char* end = nullptr;
  errno = 0;
  double x = strtod_l(full.c_str(), &end, c_locale());
  if (end != full.c_str() + full.size()) return invalid();
  if (errno == ERANGE && std::isinf(x))
    return raise(ts, &OverflowError_type, "hexadecimal value too large to represent as a float");
  Value cls = args[0];
  Value result = float_new(x);
  if (cls.raw() == Value::from_obj(&float_type).raw()) return result;
  Ref owned(result);
  return object_call(ts, cls, &result, 1);   // a subclass: cls(x)
}

static Value float_method_is_integer(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "float.is_integer", nargs - 1, 0, 0)) return Value();
  double x = float_value(args[0]);
  return bool_value(std::isfinite(x) && std::floor(x) == x);
}

static Value float_method_as_integer_ratio(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "float.as_integer_ratio", nargs - 1, 0, 0)) return Value();
  double x = float_value(args[0]);
  if (std::isinf(x)) return raise(ts, &OverflowError_type, "cannot convert Infinity to integer ratio");
  if (std::isnan(x)) return raise(ts, &ValueError_type, "cannot convert NaN to integer ratio");
  mpq_t q;
  mpq_init(q);
  mpq_set_d(q, x);   // exact and in lowest terms
  Ref numerator(int_from_mpz(mpq_numref(q)));
  Ref denominator(int_from_mpz(mpq_denref(q)));
  mpq_clear(q);
  Tuple* t = tuple_new(ts, 2);
  if (!t) return Value();
  t->items[0] = numerator.release();
  t->items[1] = denominator.release();
  return Value::from_obj(t);
}

static Value float_method_conjugate(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "float.conjugate", nargs - 1, 0, 0)) return Value();
  return is_float(args[0]) ? newref(args[0]) : float_new(float_value(args[0]));
}

static Value float_method_trunc(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "float.__trunc__", nargs - 1, 0, 0)) return Value();
  return int_from_double(ts, float_value(args[0]));
}

static Value float_method_floor(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "float.__floor__", nargs - 1, 0, 0)) return Value();
  return float_floor_to_int(ts, float_value(args[0]));
}

static Value float_method_ceil(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "float.__ceil__", nargs - 1, 0, 0)) return Value();
  return float_ceil_to_int(ts, float_value(args[0]));
}

static Value float_method_abs(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "float.__abs__", nargs - 1, 0, 0)) return Value();
  return float_new(std::fabs(float_value(args[0])));
}

static Value float_method_round(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value bound[1];
  if (!bind_args(ts, "__round__", args + 1, nargs - 1, kwnames, {"ndigits"}, 0, bound))
    return Value();
  double x = float_value(args[0]);
  if (!bound[0] || is_none(bound[0])) return float_round_to_int(ts, x);
  Ref ndigits(number_index(ts, bound[0]));
  if (!ndigits) return Value();
  double rounded = float_round(x, int_clamp_int64(ndigits.get()));
  if (std::isinf(rounded) && std::isfinite(x))
    return raise(ts, &OverflowError_type, "rounded value too large to represent");
  return float_new(rounded);
}

static Value float_method_divmod(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "__divmod__", nargs - 1, 1, 1)) return Value();
  return float_divmod(ts, args[0], args[1]);
}

static Value float_method_rdivmod(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "__rdivmod__", nargs - 1, 1, 1)) return Value();
  return float_divmod(ts, args[1], args[0]);
}

static Value float_get_real(ThreadState&, Value self) {
  return is_float(self) ? newref(self) : float_new(float_value(self));
}
static Value float_get_imag(ThreadState&, Value) { return float_new(0.0); }

static const MethodDef float_methods[] = {
    {"is_integer", float_method_is_integer},
    {"hex", float_method_hex},
    {"fromhex", float_method_fromhex, kMethClass},
    {"as_integer_ratio", float_method_as_integer_ratio},
    {"conjugate", float_method_conjugate},
    {"__trunc__", float_method_trunc},
    {"__int__", float_method_trunc},
    {"__floor__", float_method_floor},
    {"__ceil__", float_method_ceil},
    {"__float__", float_method_conjugate},
    {"__abs__", float_method_abs},
    {"__round__", float_method_round},
    {"__divmod__", float_method_divmod},
    {"__rdivmod__", float_method_rdivmod},
    {nullptr, nullptr},
};

static const GetSetDef float_getsets[] = {
    {"real", float_get_real},
    {"imag", float_get_imag},
    {nullptr, nullptr},
};

Type float_type;
MINIVM_TYPE_SETUP(float_type) {
  t.name = "float";
  t.basic_size = sizeof(Float);
  t.flags = kTypeBaseType;
  t.repr = float_repr_slot;
  t.hash = float_hash_slot;
  t.compare = float_compare;
  t.binary = float_binary;
  t.binary_ops = t.rbinary_ops = op_mask({BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::TrueDiv,
                                          BinaryOp::FloorDiv, BinaryOp::Mod, BinaryOp::Pow});
  t.unary_ops = 1 << uint8_t(UnaryOp::Neg) | 1 << uint8_t(UnaryOp::Pos);
  t.unary = float_unary;
  t.truth = float_truth;
  t.new_ = float_new_slot;
  t.methods = float_methods;
  t.getsets = float_getsets;
}

}  // namespace mvm
