// float: an IEEE double, with CPython's repr (shortest round-trip) and arithmetic rules.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/object.h"

namespace mvm {

extern Type float_type;

// A float that is not immediate (below), or an instance of a float subclass.
struct Float : Object {
  double value = 0;
};

// Immediate floats (tagged 10, runtime/object.h). The double's bits are rotated left by one,
// so that the sign becomes the lowest bit and the 11-bit exponent the highest. Rebasing the
// exponent by kImmediateExponentBase leaves a payload of 62 bits when the exponent lies
// just above the base, within 511 steps: magnitudes from 2**-256 up to 2**256, which is
// nearly every float a program computes with. +0.0 and -0.0 are immediate too, as the
// payloads 0 and 1 (the only two the window cannot produce). Infinities, NaNs and extreme
// magnitudes live in a heap Float. The encoding keeps every bit of the double and is
// canonical: a double has at most one immediate form, so `is` means same bits.
inline constexpr uint64_t kImmediateExponentBase = uint64_t(767) << 53;

inline bool float_to_immediate(double d, Value* out) {
  uint64_t rotated = std::rotl(std::bit_cast<uint64_t>(d), 1);
  uint64_t payload = rotated - kImmediateExponentBase;
  if (rotated <= 1) {
    payload = rotated;
  } else if ((payload >> 62) != 0 || payload <= 1) {
    return false;
  }
  *out = Value::immediate_float(payload);
  return true;
}

inline double immediate_float_value(Value v) {
  uint64_t payload = v.immediate_float_payload();
  uint64_t rotated = payload <= 1 ? payload : payload + kImmediateExponentBase;
  return std::bit_cast<double>(std::rotr(rotated, 1));
}

// -v: the sign is the payload's lowest bit, and the window is symmetric around zero.
inline Value immediate_float_negated(Value v) { return Value::immediate_float(v.immediate_float_payload() ^ 1); }

// The double of a small int or an immediate float, as mixed arithmetic converts an int
// (rounding to nearest, like int.__float__). Precondition: v.is_immediate().
inline double immediate_number_value(Value v) {
  return v.is_small_int() ? double(v.as_small_int()) : immediate_float_value(v);
}

// An exact float, immediate or boxed (not a subclass instance: see is_float_instance).
inline bool is_float(Value v) {
  return v.is_immediate_float() || (v.is_obj() && v.obj()->ob_type == &float_type);
}
// The double of a float or float subclass instance. Precondition: is_float_instance(v).
inline double float_value(Value v) {
  return v.is_immediate_float() ? immediate_float_value(v) : v.as<Float>()->value;
}
// A heap Float, for the doubles that have no immediate form.
Value float_new_boxed(double v);
inline Value float_new(double v) {
  Value immediate;
  return float_to_immediate(v, &immediate) ? immediate : float_new_boxed(v);
}
// float(x) for numbers and strings ("1.5", "inf", " -3e2 "); ValueError like CPython.
Value float_from_value(ThreadState& ts, Value v);
// Converts an int or float to a double for mixed arithmetic; TypeError otherwise.
bool number_to_double(ThreadState& ts, Value v, double* out);
std::string float_repr(double v);            // "0.30000000000000004", "1e+16", "inf", "nan"
int64_t float_hash(double v);                 // equals int_hash for integral values
Value float_binary(ThreadState& ts, Value a, Value b, BinaryOp op);

// --- Helpers for int, builtins and the math module. ---

// A float or an instance of a float subclass (both have the Float layout).
bool is_float_instance(Value v);
// The float type's comparison slot: floats and ints compare exactly, even huge ints.
Value float_compare(ThreadState& ts, Value a, Value b, CompareOp op);
// base ** exp with CPython's special cases: ZeroDivisionError for 0.0 ** -1, OverflowError
// when the result is too large, and ValueError for a negative base with a fractional
// exponent (CPython returns a complex number there; minivm has no complex type).
Value float_power(ThreadState& ts, double base, double exp);
// divmod(a, b) where a or b is a float: a (floor quotient, remainder) tuple.
Value float_divmod(ThreadState& ts, Value a, Value b);
// round(x, ndigits), correctly rounded (half to even on the exact binary value) like
// CPython's float.__round__. Returns +-inf when the rounded value overflows; round()
// reports that as OverflowError "rounded value too large to represent".
double float_round(double x, int64_t ndigits);
// round(x) without ndigits (ties to even), math.floor(x), math.ceil(x) and math.trunc(x)
// as ints. OverflowError for infinities, ValueError for NaN.
Value float_round_to_int(ThreadState& ts, double x);
Value float_floor_to_int(ThreadState& ts, double x);
Value float_ceil_to_int(ThreadState& ts, double x);
// float(text): false with ValueError "could not convert string to float: 'x'" on bad text.
bool float_from_string(ThreadState& ts, std::string_view text, double* out);

}  // namespace mvm
