// int: small values live unboxed in a Value (see object.h); larger ones are BigInts backed
// by GMP. Invariant: a BigInt never holds a value that fits a small int, so equal ints of
// either kind compare equal by representation kind first.
#pragma once

#include <gmp.h>

#include <string>

#include "runtime/object.h"

namespace mvm {

extern Type int_type;
extern Type bool_type;

struct BigInt : Object {
  mpz_t value;
};

inline bool is_int(Value v) {
  if (v.is_small_int()) return true;
  return v.is_obj() && (v.obj()->ob_type == &int_type ||
                        (v.obj()->ob_type->flags & kTypeIntSubclass));   // includes bool
}
inline bool is_bigint(Value v) { return v.is_obj() && v.obj()->ob_type == &int_type; }
inline bool is_bool(Value v) { return v.is_obj() && v.obj()->ob_type == &bool_type; }

// New int values (one reference; small ints need none).
Value int_from_int64(int64_t v);
Value int_from_uint64(uint64_t v);
// Takes a normalised copy of z (a small int when it fits).
Value int_from_mpz(const mpz_t z);
Value int_from_double(ThreadState& ts, double d);     // int(3.9) == 3; OverflowError for inf/nan
// int(text, base); ValueError with CPython's message on bad input. Accepts _ separators
// and surrounding whitespace; base 0 honours 0x/0o/0b prefixes.
Value int_from_string(ThreadState& ts, std::string_view text, int base);

// Converts an int (or bool) to int64; OverflowError if it does not fit, TypeError if v is
// not an int. Returns false on error.
bool int_to_int64(ThreadState& ts, Value v, int64_t* out);
// Index-like conversion used for subscripts and range(): accepts ints and objects with
// __index__; raises TypeError naming `what` otherwise.
bool index_to_int64(ThreadState& ts, Value v, int64_t* out, const char* what = "integer");
double int_to_double(Value v);                       // may be +-inf for huge ints
bool int_to_double_checked(ThreadState& ts, Value v, double* out);   // OverflowError
// Loads any int (small, big or bool) into z.
void int_to_mpz(Value v, mpz_t z);
std::string int_to_string(Value v, int base = 10);
int int_sign(Value v);

// Arithmetic on ints; the eval loop calls these when its small-int fast path overflows.
Value int_binary(ThreadState& ts, Value a, Value b, BinaryOp op);
Value int_compare(ThreadState& ts, Value a, Value b, CompareOp op);
int64_t int_hash(Value v);   // CPython's modular hash (so hash(2**64) matches)
// pow(base, exp, mod) for ints.
Value int_pow_mod(ThreadState& ts, Value base, Value exp, Value mod);

// --- Helpers for the eval loop, builtins and the other numeric types. ---

static_assert(sizeof(long) == sizeof(int64_t), "GMP's *_si functions must take an int64");

// An owned GMP integer for C++ temporaries (cleared on scope exit).
class Mpz {
 public:
  Mpz() { mpz_init(z_); }
  explicit Mpz(int64_t v) { mpz_init_set_si(z_, v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  ~Mpz() { mpz_clear(z_); }
  mpz_ptr get() { return z_; }
  mpz_srcptr get() const { return z_; }

 private:
  mpz_t z_;
};

// Like int_from_mpz, but takes z's value instead of copying it (z is left zero).
Value int_from_mpz_move(mpz_ptr z);

// The eval loop's fast paths: a op b for two small ints when the result is also a small
// int. They return false (without an exception) when the caller must use int_binary.
inline bool small_int_add(Value a, Value b, Value* out) {
  int64_t r = a.as_small_int() + b.as_small_int();   // two 63-bit values cannot overflow
  if (!Value::fits_small(r)) return false;
  *out = Value::small_int(r);
  return true;
}
inline bool small_int_sub(Value a, Value b, Value* out) {
  int64_t r = a.as_small_int() - b.as_small_int();
  if (!Value::fits_small(r)) return false;
  *out = Value::small_int(r);
  return true;
}
inline bool small_int_mul(Value a, Value b, Value* out) {
  int64_t r;
  if (__builtin_mul_overflow(a.as_small_int(), b.as_small_int(), &r) || !Value::fits_small(r))
    return false;
  *out = Value::small_int(r);
  return true;
}
// The int hash of a small int, as int_hash computes it.
inline int64_t small_int_hash(int64_t v) {
  constexpr int64_t kModulus = (int64_t(1) << 61) - 1;
  int64_t h = v >= 0 ? v % kModulus : -((-v) % kModulus);
  return h == -1 ? -2 : h;
}

// The value of an int for a C++ caller that can handle both kinds: true and *out set when
// v is a small int or a bool; false for a GMP-backed value (a BigInt or an int subclass).
inline bool int_as_small(Value v, int64_t* out) {
  if (v.is_small_int()) {
    *out = v.as_small_int();
    return true;
  }
  if (v.obj()->ob_type == &bool_type) {
    *out = static_cast<const Bool*>(v.obj())->value;
    return true;
  }
  return false;
}

// v's GMP value: a pointer into v for BigInt layouts, else `scratch` loaded with v.
mpz_srcptr int_as_mpz(Value v, Mpz& scratch);

// divmod(a, b) for ints: a (quotient, remainder) tuple with Python's floor semantics.
Value int_divmod(ThreadState& ts, Value a, Value b);
// a / b for ints, correctly rounded like CPython; OverflowError when too large for a float.
Value int_true_divide(ThreadState& ts, Value a, Value b);
// abs(v) for an int or bool (an exact int).
Value int_abs(ThreadState& ts, Value v);
// An exact int with v's value, for int subclasses and bools (v itself for an exact int).
Value int_exact(ThreadState& ts, Value v);
// round(v, ndigits) for an int: rounds half to even at 10**-ndigits (ndigits < 0).
Value int_round(ThreadState& ts, Value v, int64_t ndigits);

// Whether v can be used as an index: an int, or an object whose class defines __index__.
bool has_index(Value v);
// operator.index(v): an exact int (new reference); TypeError "'str' object cannot be
// interpreted as an integer" when v has no __index__.
Value number_index(ThreadState& ts, Value v);
// A sequence subscript: 1 with *out set; 0 (no exception) when key is not an index at all,
// so the caller raises its own "list indices must be integers or slices, not str"; -1 on
// error (IndexError "cannot fit 'int' into an index-sized integer" for huge values).
int subscript_index(ThreadState& ts, Value key, int64_t* out);
// An int's value saturated to [INT64_MIN, INT64_MAX] (slice bounds are clamped, not errors).
int64_t int_clamp_int64(Value v);

// CPython's limit on decimal conversions of huge ints (sys.get_int_max_str_digits; 0 means
// no limit; default 4300). Process-wide here, where CPython keeps one per interpreter.
int64_t int_max_str_digits();
void set_int_max_str_digits(int64_t limit);
// Whether str(v) may be computed under that limit; false with CPython's ValueError ("Exceeds
// the limit (4300 digits) for integer string conversion; ...") when it may not. repr()
// checks this; other decimal formatting of ints (format(), %d) should too.
bool int_check_str_digits(ThreadState& ts, Value v);

// n/d correctly rounded to the nearest double (ties to even), for |n|, |d| of any size;
// d must be non-zero. Sets *overflow (and returns +-inf) when the result is too large.
double mpz_ratio_to_double(mpz_srcptr n, mpz_srcptr d, bool* overflow);

// int(b) for a bytes object b holding ASCII digits; the error message shows b'...'.
Value int_from_bytes_text(ThreadState& ts, std::string_view data, int base);

// The text that int() and float() parse: surrounding Unicode whitespace removed and
// decimal digits of any script replaced by ASCII ones. Returns false if another non-ASCII
// character remains (the text is then invalid as a number).
bool number_text_to_ascii(std::string_view text, std::string* out);

}  // namespace mvm
