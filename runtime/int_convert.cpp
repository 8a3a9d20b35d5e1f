// Conversions between ints and other representations: parsing int(text, base), printing in
// any base, and converting to and from doubles with correct rounding.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>

#include "runtime/bytes.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/str.h"
#include "runtime/unicode.h"

namespace mvm {

// ---------------------------------------------------------------------------------------
// The limit on decimal conversions

namespace {
std::atomic<int64_t> max_str_digits{4300};

// Bases whose conversions take linear time are exempt, as in CPython.
bool is_power_of_two(int base) { return (base & (base - 1)) == 0; }

Value raise_too_many_digits_to_parse(ThreadState& ts, size_t digits) {
  return raise_fmt(ts, &ValueError_type,
                   "Exceeds the limit (%lld digits) for integer string conversion: value has %zu digits; "
                   "use sys.set_int_max_str_digits() to increase the limit",
                   static_cast<long long>(int_max_str_digits()), digits);
}
}  // namespace

int64_t int_max_str_digits() { return max_str_digits.load(std::memory_order_relaxed); }
void set_int_max_str_digits(int64_t limit) { max_str_digits.store(limit, std::memory_order_relaxed); }

bool int_check_str_digits(ThreadState& ts, Value v) {
  int64_t limit = int_max_str_digits();
  if (limit <= 0 || v.is_small_int() || is_bool(v)) return true;   // small ints have <= 19 digits
  mpz_srcptr z = v.as<BigInt>()->value;
  size_t digits = mpz_sizeinbase(z, 10);   // exact, or one too many
  if (digits > size_t(limit)) {
    std::string text = int_to_string(v, 10);
    digits = text.size() - (mpz_sgn(z) < 0 ? 1 : 0);
  }
  if (digits <= size_t(limit)) return true;
  raise_fmt(ts, &ValueError_type,
            "Exceeds the limit (%lld digits) for integer string conversion; "
            "use sys.set_int_max_str_digits() to increase the limit",
            static_cast<long long>(limit));
  return false;
}

// ---------------------------------------------------------------------------------------
// Text to int

bool number_text_to_ascii(std::string_view text, std::string* out) {
  out->clear();
  const char* p = text.data();
  const char* end = p + text.size();
  // Collect code points, mapping digits of every script to ASCII; remember where the last
  // non-space one ended so trailing whitespace can be dropped.
  size_t content_end = 0;
  bool leading = true;
  bool ok = true;
  while (p < end) {
    uint32_t cp = utf8_decode(p);
    bool space = unicode_isspace(cp);
    if (leading && space) continue;
    leading = false;
    if (cp < 0x80) {
      out->push_back(char(cp));
    } else if (int digit = unicode_decimal_value(cp); digit >= 0) {
      out->push_back(char('0' + digit));
    } else if (space) {
      out->push_back(' ');
    } else {
      ok = false;
      out->push_back('?');
    }
    if (!space) content_end = out->size();
  }
  out->resize(content_end);
  return ok;
}

namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Parses Python's integer literal syntax (with the base rules of int(text, base)) from
// ASCII text without surrounding whitespace: 1 with *out set, 0 when the text is not
// valid, -1 (with ValueError raised) when it has more digits than the conversion limit.
int parse_int_literal(ThreadState& ts, std::string_view s, int base, Value* out) {
  size_t i = 0, n = s.size();
  bool negative = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  bool prefixed = false;
  if (i + 1 < n && s[i] == '0') {
    char c = char(s[i + 1] | 0x20);
    int prefix_base = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
    if (prefix_base && (base == 0 || base == prefix_base)) {
      base = prefix_base;
      i += 2;
      prefixed = true;
    }
  }
  bool decimal_literal = base == 0;   // base 0 without a prefix: no leading zeros allowed
  if (base == 0) base = 10;
  // Digits, with single underscores between them; one may also follow a base prefix.
  std::string digits;
  if (prefixed && i < n && s[i] == '_') i++;
  bool after_underscore = false;
  for (; i < n; i++) {
    if (s[i] == '_') {
      if (digits.empty() || after_underscore) return 0;
      after_underscore = true;
      continue;
    }
    if (digit_value(s[i]) >= base) return 0;
    digits.push_back(s[i]);
    after_underscore = false;
  }
  if (digits.empty() || after_underscore) return 0;
  if (decimal_literal && digits[0] == '0' && digits.find_first_not_of('0') != std::string::npos)
    return 0;
  int64_t limit = int_max_str_digits();
  if (limit > 0 && !is_power_of_two(base) && digits.size() > size_t(limit)) {
    raise_too_many_digits_to_parse(ts, digits.size());
    return -1;
  }
  if (base == 10 && digits.size() <= 18) {
    int64_t v = std::stoll(digits);
    *out = int_from_int64(negative ? -v : v);
    return 1;
  }
  Mpz z;
  mpz_set_str(z.get(), digits.c_str(), base);
  if (negative) mpz_neg(z.get(), z.get());
  *out = int_from_mpz_move(z.get());
  return 1;
}

// CPython shows at most 200 characters of the offending literal ("%.200R").
std::string truncated(std::string_view repr) {
  const char* p = repr.data();
  const char* end = p + repr.size();
  for (int count = 0; p < end && count < 200; count++) p += utf8_seq_length(static_cast<unsigned char>(*p));
  return std::string(repr.data(), p);
}

Value raise_invalid_literal(ThreadState& ts, int base, const std::string& literal_repr) {
  std::string shown = truncated(literal_repr);
  return raise_fmt(ts, &ValueError_type, "invalid literal for int() with base %d: %s", base,
                   shown.c_str());
}

}  // namespace

Value int_from_string(ThreadState& ts, std::string_view text, int base) {
  if (base != 0 && (base < 2 || base > 36))
    return raise(ts, &ValueError_type, "int() base must be >= 2 and <= 36, or 0");
  std::string ascii;
  Value result;
  int rc = number_text_to_ascii(text, &ascii) ? parse_int_literal(ts, ascii, base, &result) : 0;
  if (rc != 0) return rc > 0 ? result : Value();
  return raise_invalid_literal(ts, base, str_repr(text));
}

Value int_from_bytes_text(ThreadState& ts, std::string_view data, int base) {
  if (base != 0 && (base < 2 || base > 36))
    return raise(ts, &ValueError_type, "int() base must be >= 2 and <= 36, or 0");
  auto is_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  std::string_view s = data;
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  Value result;
  int rc = parse_int_literal(ts, s, base, &result);
  if (rc != 0) return rc > 0 ? result : Value();
  return raise_invalid_literal(ts, base, bytes_repr(data));
}

// ---------------------------------------------------------------------------------------
// Int to text

std::string int_to_string(Value v, int base) {
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  int64_t x;
  if (int_as_small(v, &x)) {
    char buf[72];
    char* p = buf + sizeof buf;
    uint64_t magnitude = x < 0 ? uint64_t(0) - uint64_t(x) : uint64_t(x);
    do {
      *--p = kDigits[magnitude % unsigned(base)];
      magnitude /= unsigned(base);
    } while (magnitude);
    if (x < 0) *--p = '-';
    return std::string(p, buf + sizeof buf);
  }
  mpz_srcptr z = v.as<BigInt>()->value;
  std::string out(mpz_sizeinbase(z, base) + 2, '\0');
  mpz_get_str(out.data(), base, z);
  out.resize(std::char_traits<char>::length(out.data()));
  return out;
}

// ---------------------------------------------------------------------------------------
// Int and double

double mpz_ratio_to_double(mpz_srcptr n, mpz_srcptr d, bool* overflow) {
  *overflow = false;
  int sign = mpz_sgn(n) * mpz_sgn(d);
  if (sign == 0) return 0.0;
  // Scale so that q = floor(|n| * 2**shift / |d|) has 56 or 57 bits: enough for the 53
  // kept bits plus a rounding bit, with `sticky` recording any nonzero remainder.
  int64_t n_bits = int64_t(mpz_sizeinbase(n, 2));
  int64_t d_bits = int64_t(mpz_sizeinbase(d, 2));
  int64_t shift = 56 - (n_bits - d_bits);
  Mpz num, den, q, r;
  mpz_abs(num.get(), n);
  mpz_abs(den.get(), d);
  if (shift > 0)
    mpz_mul_2exp(num.get(), num.get(), uint64_t(shift));
  else
    mpz_mul_2exp(den.get(), den.get(), uint64_t(-shift));
  mpz_tdiv_qr(q.get(), r.get(), num.get(), den.get());
  bool sticky = mpz_sgn(r.get()) != 0;
  uint64_t bits = mpz_get_ui(q.get());   // < 2**57
  int q_bits = 64 - __builtin_clzll(bits);
  // The value is in [2**e, 2**(e+1)) with e = q_bits - 1 - shift. Keep 53 significant bits,
  // or fewer in the subnormal range, whose unit in the last place is fixed at 2**-1074.
  int64_t e = q_bits - 1 - shift;
  if (e >= 1024) {
    *overflow = true;
    return sign * HUGE_VAL;
  }
  int64_t ulp_exponent = std::max<int64_t>(e - 52, -1074);
  int64_t drop = ulp_exponent + shift;   // low bits of q below the last kept place
  uint64_t kept;
  if (drop >= 64) {
    kept = 0;   // q < 2**57 is below half a unit in the last place: rounds to zero
  } else {
    kept = bits >> drop;
    uint64_t rest = bits & ((uint64_t(1) << drop) - 1);
    uint64_t half = uint64_t(1) << (drop - 1);
    if (rest > half || (rest == half && (sticky || (kept & 1)))) kept++;
  }
  double result = std::ldexp(double(kept), int(ulp_exponent));   // exact: kept <= 2**53
  if (std::isinf(result)) *overflow = true;
  return sign * result;
}

double int_to_double(Value v) {
  int64_t x;
  if (int_as_small(v, &x)) return double(x);   // the hardware rounds to nearest even
  Mpz one(1);
  bool overflow;
  return mpz_ratio_to_double(v.as<BigInt>()->value, one.get(), &overflow);
}

bool int_to_double_checked(ThreadState& ts, Value v, double* out) {
  *out = int_to_double(v);
  if (!std::isinf(*out)) return true;
  raise(ts, &OverflowError_type, "int too large to convert to float");
  return false;
}

Value int_from_double(ThreadState& ts, double d) {
  if (std::isnan(d)) return raise(ts, &ValueError_type, "cannot convert float NaN to integer");
  if (std::isinf(d))
    return raise(ts, &OverflowError_type, "cannot convert float infinity to integer");
  double t = std::trunc(d);
  if (std::fabs(t) < 0x1p62) return Value::small_int(int64_t(t));
  Mpz z;
  mpz_set_d(z.get(), t);   // exact: t is an integer
  return int_from_mpz_move(z.get());
}

}  // namespace mvm
