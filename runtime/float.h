// float: an IEEE double, with CPython's repr (shortest round-trip) and arithmetic rules.
#pragma once

#include <string>
#include <string_view>

#include "runtime/object.h"

namespace mvm {

extern Type float_type;

struct Float : Object {
  double value = 0;
};

inline bool is_float(Value v) { return v.is_obj() && v.obj()->ob_type == &float_type; }
Value float_new(double v);
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
