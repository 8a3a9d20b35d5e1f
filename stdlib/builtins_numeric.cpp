// The numeric functions of the builtins module: abs, round, divmod, pow, sum, hex, oct, bin.
// They take the fast route for ints and floats and fall back to the special methods.
#include <gmp.h>

#include <cfloat>
#include <cmath>
#include <string>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/bytes.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "stdlib/builtins.h"
#include "stdlib/native.h"

namespace mvm {

namespace {

// An mpz_t that clears itself.
struct Mpz {
  mpz_t z;
  Mpz() { mpz_init(z); }
  ~Mpz() { mpz_clear(z); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
};

// --- abs -------------------------------------------------------------------------------------

Value builtin_abs(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "abs", kwnames) || !check_nargs(ts, "abs", nargs, 1, 1))
    return Value();
  Value x = args[0];
  if (x.is_small_int()) {
    int64_t v = x.as_small_int();
    return int_from_int64(v < 0 ? -v : v);
  }
  if (is_float(x)) return float_new(std::fabs(float_value(x)));
  bool missing = false;
  Value result = call_special(ts, x, "__abs__", {}, &missing);
  if (!missing) return result;
  if (is_int(x)) {
    Mpz n;
    int_to_mpz(x, n.z);
    mpz_abs(n.z, n.z);
    return int_from_mpz(n.z);
  }
  return raise_fmt(ts, &TypeError_type, "bad operand type for abs(): '%s'", type_name(x));
}

// --- round -----------------------------------------------------------------------------------

Value round_float(ThreadState& ts, double x, Value ndigits_arg) {
  if (ndigits_arg.is_null() || is_none(ndigits_arg)) return float_round_to_int(ts, x);
  Ref ndigits_value(to_index(ts, ndigits_arg));
  if (!ndigits_value) return Value();
  // Past these bounds rounding cannot change a double (or leaves only zero), as in CPython.
  constexpr int64_t kMaxDigits = int64_t((DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103);
  constexpr int64_t kMinDigits = -int64_t((DBL_MAX_EXP + 1) * 0.30103);
  int64_t ndigits;
  if (!int_to_int64(ts, ndigits_value.get(), &ndigits)) {
    if (!error_matches(ts, &OverflowError_type)) return Value();
    clear_error(ts);
    ndigits = int_sign(ndigits_value.get()) > 0 ? kMaxDigits + 1 : kMinDigits - 1;
  }
  if (!std::isfinite(x) || x == 0.0 || ndigits > kMaxDigits) return float_new(x);
  if (ndigits < kMinDigits) return float_new(0.0 * x);
  double rounded = float_round(x, ndigits);
  if (std::isinf(rounded))
    return raise(ts, &OverflowError_type, "rounded value too large to represent");
  return float_new(rounded);
}

// round(n, ndigits) for an int: exact half-to-even rounding to a multiple of 10**-ndigits.
Value round_int(ThreadState& ts, Value n, Value ndigits_arg) {
  if (ndigits_arg.is_null() || is_none(ndigits_arg)) {
    if (n.is_small_int() || is_bigint(n)) return newref(n);
    Mpz z;
    int_to_mpz(n, z.z);
    return int_from_mpz(z.z);
  }
  Ref ndigits_value(to_index(ts, ndigits_arg));
  if (!ndigits_value) return Value();
  Mpz value, nd;
  int_to_mpz(n, value.z);
  int_to_mpz(ndigits_value.get(), nd.z);
  if (mpz_sgn(nd.z) >= 0) return int_from_mpz(value.z);
  mpz_neg(nd.z, nd.z);
  if (!mpz_fits_ulong_p(nd.z)) return Value::small_int(0);
  Mpz unit, quotient, remainder, twice;
  mpz_ui_pow_ui(unit.z, 10, mpz_get_ui(nd.z));
  mpz_fdiv_qr(quotient.z, remainder.z, value.z, unit.z);
  mpz_mul_2exp(twice.z, remainder.z, 1);
  int cmp = mpz_cmp(twice.z, unit.z);
  if (cmp > 0 || (cmp == 0 && mpz_odd_p(quotient.z))) mpz_add_ui(quotient.z, quotient.z, 1);
  mpz_mul(quotient.z, quotient.z, unit.z);
  return int_from_mpz(quotient.z);
}

Value builtin_round(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "round", args, nargs, kwnames, {"number", "ndigits"}, 1, a)) return Value();
  Value number = a[0];
  if (is_float(number)) return round_float(ts, float_value(number), a[1]);
  if (number.is_small_int() || is_bigint(number) || is_bool(number))
    return round_int(ts, number, a[1]);
  bool missing = false;
  Value result = a[1].is_null() ? call_special(ts, number, "__round__", {}, &missing)
                                : call_special(ts, number, "__round__", {a[1]}, &missing);
  if (!missing) return result;
  if (is_int(number)) return round_int(ts, number, a[1]);
  return raise_fmt(ts, &TypeError_type, "type %s doesn't define __round__ method",
                   type_name(number));
}

// --- divmod and pow --------------------------------------------------------------------------

bool is_plain_number(Value v) { return v.is_small_int() || is_bigint(v) || is_bool(v) || is_float(v); }

Value builtin_divmod(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "divmod", kwnames) || !check_nargs(ts, "divmod", nargs, 2, 2))
    return Value();
  Value a = args[0], b = args[1];
  if (is_plain_number(a) && is_plain_number(b)) {
    if ((is_float(a) || is_float(b))) {
      double divisor;
      if (!number_to_double(ts, b, &divisor)) return Value();
      if (divisor == 0.0) return raise(ts, &ZeroDivisionError_type, "float divmod()");
    }
    Ref quotient(binary_op(ts, a, b, BinaryOp::FloorDiv));
    if (!quotient) return Value();
    Ref remainder(binary_op(ts, a, b, BinaryOp::Mod));
    if (!remainder) return Value();
    return Value::from_obj(tuple_pack(ts, {quotient.get(), remainder.get()}));
  }
  bool missing = false;
  Ref result(call_special(ts, a, "__divmod__", {b}, &missing));
  if (!missing && !result) return Value();
  if (missing || result.get() == not_implemented()) {
    result = Ref(call_special(ts, b, "__rdivmod__", {a}, &missing));
    if (!missing && !result) return Value();
    if (missing || result.get() == not_implemented())
      return raise_fmt(ts, &TypeError_type,
                       "unsupported operand type(s) for divmod(): '%s' and '%s'", type_name(a),
                       type_name(b));
  }
  return result.release();
}

Value builtin_pow(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "pow", args, nargs, kwnames, {"base", "exp", "mod"}, 2, a)) return Value();
  if (a[2].is_null() || is_none(a[2])) return binary_op(ts, a[0], a[1], BinaryOp::Pow);
  if (is_int(a[0]) && is_int(a[1]) && is_int(a[2])) return int_pow_mod(ts, a[0], a[1], a[2]);
  if (is_plain_number(a[0]) && is_plain_number(a[1]) && is_plain_number(a[2]))
    return raise(ts, &TypeError_type,
                 "pow() 3rd argument not allowed unless all arguments are integers");
  bool missing = false;
  Value result = call_special(ts, a[0], "__pow__", {a[1], a[2]}, &missing);
  if (!missing) return result;
  return raise_fmt(ts, &TypeError_type,
                   "unsupported operand type(s) for ** or pow(): '%s', '%s', '%s'",
                   type_name(a[0]), type_name(a[1]), type_name(a[2]));
}

// --- sum -------------------------------------------------------------------------------------

// Adds float items with Neumaier's compensated summation, as CPython 3.12 does, until an
// item that is neither a float nor a machine-size int arrives. Returns the running total
// (new reference) with *pending set to that item (or null at the end).
Value sum_floats(ThreadState& ts, double total, Value iterator, Value* pending) {
  double compensation = 0.0;
  for (;;) {
    Value item = iter_next(ts, iterator);
    if (!item && error_occurred(ts)) return Value();
    if (item && is_float(item)) {
      double x = float_value(item);
      decref(item);
      double t = total + x;
      compensation += std::fabs(total) >= std::fabs(x) ? (total - t) + x : (x - t) + total;
      total = t;
      continue;
    }
    if (item && item.is_small_int()) {
      total += double(item.as_small_int());
      continue;
    }
    // Adding the compensation must not lose the sign of -0.0 or turn inf into nan.
    if (compensation != 0.0 && std::isfinite(compensation)) total += compensation;
    *pending = item;
    return float_new(total);
  }
}

Value builtin_sum(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "sum", args, nargs, kwnames, {"iterable", "start"}, 1, a)) return Value();
  Value start = a[1] ? a[1] : Value::small_int(0);
  if (is_str(start))
    return raise(ts, &TypeError_type, "sum() can't sum strings [use ''.join(seq) instead]");
  if (is_bytes(start))
    return raise(ts, &TypeError_type, "sum() can't sum bytes [use b''.join(seq) instead]");
  if (std::string_view(type_of(start)->name) == "bytearray")
    return raise(ts, &TypeError_type,
                 "sum() can't sum bytearray [use b''.join(seq) instead]");
  Ref iterator(object_iter(ts, a[0]));
  if (!iterator) return Value();
  Ref total(newref(start));
  for (;;) {
    Value item;
    if (total.get().is_small_int()) {
      // Small ints add without allocating until the total leaves the small range.
      int64_t acc = total.get().as_small_int();
      for (;;) {
        item = iter_next(ts, iterator.get());
        if (!item) break;
        int64_t sum;
        if (!item.is_small_int() || __builtin_add_overflow(acc, item.as_small_int(), &sum) ||
            !Value::fits_small(sum))
          break;
        acc = sum;
      }
      total = Ref(Value::small_int(acc));
    } else if (is_float(total.get())) {
      Value next_total = sum_floats(ts, float_value(total.get()), iterator.get(), &item);
      if (!next_total) return Value();
      total = Ref(next_total);
    } else {
      item = iter_next(ts, iterator.get());
    }
    if (!item) {
      if (error_occurred(ts)) return Value();
      return total.release();
    }
    Ref owned_item(item);
    Value next_total = binary_op(ts, total.get(), item, BinaryOp::Add);
    if (!next_total) return Value();
    total = Ref(next_total);
  }
}

// --- hex, oct, bin ---------------------------------------------------------------------------

Value int_with_prefix(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                      const char* fname, int base, const char* prefix) {
  if (!check_no_kwargs(ts, fname, kwnames) || !check_nargs(ts, fname, nargs, 1, 1))
    return Value();
  Ref n(to_index(ts, args[0]));
  if (!n) return Value();
  std::string digits = int_to_string(n.get(), base);
  bool negative = !digits.empty() && digits[0] == '-';
  std::string text = negative ? "-" : "";
  text += prefix;
  text.append(digits, negative ? 1 : 0, std::string::npos);
  return new_str(ts, text);
}

Value builtin_hex(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return int_with_prefix(ts, args, nargs, kwnames, "hex", 16, "0x");
}
Value builtin_oct(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return int_with_prefix(ts, args, nargs, kwnames, "oct", 8, "0o");
}
Value builtin_bin(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return int_with_prefix(ts, args, nargs, kwnames, "bin", 2, "0b");
}

}  // namespace

const MethodDef kBuiltinNumericFunctions[] = {
    {"abs", builtin_abs},
    {"round", builtin_round},
    {"divmod", builtin_divmod},
    {"pow", builtin_pow},
    {"sum", builtin_sum},
    {"hex", builtin_hex},
    {"oct", builtin_oct},
    {"bin", builtin_bin},
    {nullptr, nullptr},
};

}  // namespace mvm
