// int: the built-in integer type. Small values are tagged Values; larger ones are BigInts
// holding a GMP integer. This file has construction, arithmetic, comparison, hashing and the
// type object; text and float conversions are in int_convert.cpp.
#include "runtime/int.h"

#include <algorithm>
#include <cmath>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/builtin_support.h"
#include "runtime/bytes.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"

namespace mvm {

namespace {

// GMP aborts the process when it cannot allocate, so a result that a script could make
// absurdly large is refused up front with MemoryError. 2**33 bits is a 1 GiB integer.
constexpr uint64_t kMaxResultBits = uint64_t(1) << 33;

// CPython's hash modulus for numbers: hash(x) == hash(y) whenever x == y across int and float.
constexpr uint64_t kHashModulus = (uint64_t(1) << 61) - 1;

// Big-integer arithmetic makes and frees an object per operation, each with GMP limbs of
// its own. A small per-thread free list keeps freed BigInts with their limbs allocated, so
// `total += i * i` past 63 bits reuses memory instead of calling malloc four times.
struct BigIntFreeList {
  BigInt* head = nullptr;   // linked through ob_type, which is reset when reused
  int count = 0;
  ~BigIntFreeList() {
    while (head) {
      BigInt* next = reinterpret_cast<BigInt*>(head->ob_type);
      mpz_clear(head->value);
      object_free(head);
      head = next;
    }
  }
};
thread_local BigIntFreeList bigint_free_list;
constexpr int kBigIntFreeListMax = 64;

// A BigInt whose value is unspecified (the caller sets it).
BigInt* new_bigint() {
  BigIntFreeList& fl = bigint_free_list;
  if (BigInt* b = fl.head) {
    fl.head = reinterpret_cast<BigInt*>(b->ob_type);
    fl.count--;
    b->ob_type = &int_type;
    b->ob_ref_local = 1;
    b->ob_flags = 0;
#if MINIVM_FREE_THREADING
    b->ob_tid = refcount_owner();
    b->ob_ref_shared.store(0, std::memory_order_relaxed);
#endif
    return b;
  }
  BigInt* b = new_object<BigInt>(&int_type);
  mpz_init(b->value);
  return b;
}

void release_bigint(BigInt* b) {
  BigIntFreeList& fl = bigint_free_list;
  if (fl.count < kBigIntFreeListMax && b->value->_mp_alloc <= 64) {
    b->ob_type = reinterpret_cast<Type*>(fl.head);
    fl.head = b;
    fl.count++;
    return;
  }
  mpz_clear(b->value);
  free_object(b);
}

// The result of an operation computed into `out`: a small int when it fits (out goes back
// to the free list), else out itself.
Value finish_bigint(BigInt* out) {
  if (mpz_fits_slong_p(out->value)) {
    int64_t v = mpz_get_si(out->value);
    if (Value::fits_small(v)) {
      release_bigint(out);
      return Value::small_int(v);
    }
  }
  return Value::from_obj(out);
}

int compare_int64(int64_t x, int64_t y) { return (x > y) - (x < y); }

// Python's floor division and modulo for machine integers (y != 0, and x / y cannot
// overflow because both are at most 63 bits wide).
int64_t floor_div(int64_t x, int64_t y) {
  int64_t q = x / y;
  if (x % y != 0 && ((x < 0) != (y < 0))) q--;
  return q;
}
int64_t floor_mod(int64_t x, int64_t y) {
  int64_t r = x % y;
  if (r != 0 && ((r < 0) != (y < 0))) r += y;
  return r;
}

Value raise_zero_division(ThreadState& ts, BinaryOp op) {
  switch (op) {
    case BinaryOp::TrueDiv: return raise(ts, &ZeroDivisionError_type, "division by zero");
    case BinaryOp::Mod: return raise(ts, &ZeroDivisionError_type, "integer modulo by zero");
    default: return raise(ts, &ZeroDivisionError_type, "integer division or modulo by zero");
  }
}

Value raise_negative_shift(ThreadState& ts) {
  return raise(ts, &ValueError_type, "negative shift count");
}

// x ** y for machine integers with y >= 0; false when the result overflows int64.
bool small_pow(int64_t x, int64_t y, int64_t* out) {
  int64_t result = 1;
  while (y > 0) {
    if ((y & 1) && __builtin_mul_overflow(result, x, &result)) return false;
    y >>= 1;
    if (y > 0 && __builtin_mul_overflow(x, x, &x)) return false;
  }
  *out = result;
  return true;
}

// The arithmetic of two machine-sized ints. Returns false when the result does not fit an
// int64 and the caller must redo it with GMP; otherwise *out is the result (or null with an
// exception set).
bool small_binary(ThreadState& ts, int64_t x, int64_t y, BinaryOp op, Value* out) {
  int64_t r;
  switch (op) {
    case BinaryOp::Add: r = x + y; break;
    case BinaryOp::Sub: r = x - y; break;
    case BinaryOp::Mul:
      if (__builtin_mul_overflow(x, y, &r)) return false;
      break;
    case BinaryOp::FloorDiv:
    case BinaryOp::Mod:
      if (y == 0) {
        *out = raise_zero_division(ts, op);
        return true;
      }
      r = op == BinaryOp::FloorDiv ? floor_div(x, y) : floor_mod(x, y);
      break;
    case BinaryOp::Pow:
      if (!small_pow(x, y, &r)) return false;
      break;
    case BinaryOp::LShift:
      if (y < 0) {
        *out = raise_negative_shift(ts);
        return true;
      }
      if (x == 0) {
        r = 0;
        break;
      }
      if (y >= 63) return false;
      r = x << y;   // well-defined in C++20; checked for lost bits below
      if ((r >> y) != x) return false;
      break;
    case BinaryOp::RShift:
      if (y < 0) {
        *out = raise_negative_shift(ts);
        return true;
      }
      r = y >= 63 ? (x < 0 ? -1 : 0) : (x >> y);   // arithmetic shift floors, as Python does
      break;
    case BinaryOp::And: r = x & y; break;
    case BinaryOp::Or: r = x | y; break;
    case BinaryOp::Xor: r = x ^ y; break;
    default: return false;
  }
  *out = int_from_int64(r);
  return true;
}

bool too_many_bits(ThreadState& ts, uint64_t bits) {
  if (bits <= kMaxResultBits) return false;
  raise_memory_error(ts);
  return true;
}

// base ** exp with exp >= 0, for values of any size.
Value big_pow(ThreadState& ts, mpz_srcptr base, mpz_srcptr exp) {
  // 0, 1 and -1 stay small whatever the exponent.
  if (mpz_cmpabs_ui(base, 1) <= 0) {
    if (mpz_sgn(base) == 0) return Value::small_int(mpz_sgn(exp) == 0 ? 1 : 0);
    if (mpz_sgn(base) > 0 || mpz_even_p(exp)) return Value::small_int(1);
    return Value::small_int(-1);
  }
  if (!mpz_fits_ulong_p(exp)) return raise_memory_error(ts);
  unsigned long e = mpz_get_ui(exp);
  uint64_t base_bits = mpz_sizeinbase(base, 2);
  if (e != 0 && (base_bits - 1) > kMaxResultBits / e) return raise_memory_error(ts);
  Mpz r;
  mpz_pow_ui(r.get(), base, e);
  return int_from_mpz_move(r.get());
}

Value big_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  // The loop-heavy cases first: a big int plus, minus or times a small one, computed
  // straight into the result object.
  if (b.is_small_int() && is_bigint(a) &&
      (op == BinaryOp::Add || op == BinaryOp::Sub || op == BinaryOp::Mul)) {
    int64_t y = b.as_small_int();
    mpz_srcptr x = a.as<BigInt>()->value;
    BigInt* out = new_bigint();
    if (op == BinaryOp::Mul) {
      mpz_mul_si(out->value, x, long(y));
    } else {
      bool add = (op == BinaryOp::Add) == (y >= 0);
      unsigned long magnitude = y >= 0 ? (unsigned long)y : (unsigned long)(-(y + 1)) + 1ul;
      if (add) mpz_add_ui(out->value, x, magnitude);
      else mpz_sub_ui(out->value, x, magnitude);
    }
    return finish_bigint(out);
  }
  Mpz scratch_a, scratch_b, r;
  mpz_srcptr x = int_as_mpz(a, scratch_a);
  mpz_srcptr y = int_as_mpz(b, scratch_b);
  switch (op) {
    case BinaryOp::Add: mpz_add(r.get(), x, y); break;
    case BinaryOp::Sub: mpz_sub(r.get(), x, y); break;
    case BinaryOp::Mul:
      if (too_many_bits(ts, mpz_sizeinbase(x, 2) + mpz_sizeinbase(y, 2))) return Value();
      mpz_mul(r.get(), x, y);
      break;
    case BinaryOp::FloorDiv:
    case BinaryOp::Mod:
      if (mpz_sgn(y) == 0) return raise_zero_division(ts, op);
      if (op == BinaryOp::FloorDiv)
        mpz_fdiv_q(r.get(), x, y);
      else
        mpz_fdiv_r(r.get(), x, y);
      break;
    case BinaryOp::Pow: return big_pow(ts, x, y);
    case BinaryOp::LShift: {
      if (mpz_sgn(y) < 0) return raise_negative_shift(ts);
      if (mpz_sgn(x) == 0) return Value::small_int(0);
      if (!mpz_fits_slong_p(y))
        return raise(ts, &OverflowError_type, "too many digits in integer");
      uint64_t shift = mpz_get_ui(y);
      if (too_many_bits(ts, mpz_sizeinbase(x, 2) + shift)) return Value();
      mpz_mul_2exp(r.get(), x, shift);
      break;
    }
    case BinaryOp::RShift:
      if (mpz_sgn(y) < 0) return raise_negative_shift(ts);
      if (!mpz_fits_ulong_p(y))
        mpz_set_si(r.get(), mpz_sgn(x) < 0 ? -1 : 0);
      else
        mpz_fdiv_q_2exp(r.get(), x, mpz_get_ui(y));   // floor, like Python's >>
      break;
    case BinaryOp::And: mpz_and(r.get(), x, y); break;
    case BinaryOp::Or: mpz_ior(r.get(), x, y); break;
    case BinaryOp::Xor: mpz_xor(r.get(), x, y); break;
    default: return newref(not_implemented());
  }
  return int_from_mpz_move(r.get());
}

// a ** b with b < 0 gives a float, as CPython computes it.
Value int_pow_negative(ThreadState& ts, Value a, Value b) {
  double x, y;
  if (!int_to_double_checked(ts, a, &x) || !int_to_double_checked(ts, b, &y)) return Value();
  return float_power(ts, x, y);
}

int int_cmp(Value a, Value b) {
  int64_t x, y;
  if (int_as_small(a, &x) && int_as_small(b, &y)) return compare_int64(x, y);
  Mpz scratch_a, scratch_b;
  int c = mpz_cmp(int_as_mpz(a, scratch_a), int_as_mpz(b, scratch_b));
  return (c > 0) - (c < 0);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Construction and access

Value int_from_int64(int64_t v) {
  if (Value::fits_small(v)) return Value::small_int(v);
  BigInt* b = new_object<BigInt>(&int_type);
  mpz_init_set_si(b->value, v);
  return Value::from_obj(b);
}

Value int_from_uint64(uint64_t v) {
  if (v <= uint64_t(Value::kSmallMax)) return Value::small_int(int64_t(v));
  BigInt* b = new_object<BigInt>(&int_type);
  mpz_init_set_ui(b->value, v);
  return Value::from_obj(b);
}

Value int_from_mpz(const mpz_t z) {
  if (mpz_fits_slong_p(z)) {
    int64_t v = mpz_get_si(z);
    if (Value::fits_small(v)) return Value::small_int(v);
  }
  BigInt* b = new_object<BigInt>(&int_type);
  mpz_init_set(b->value, z);
  return Value::from_obj(b);
}

Value int_from_mpz_move(mpz_ptr z) {
  if (mpz_fits_slong_p(z)) {
    int64_t v = mpz_get_si(z);
    if (Value::fits_small(v)) return Value::small_int(v);
  }
  BigInt* b = new_bigint();
  mpz_swap(b->value, z);
  return Value::from_obj(b);
}

mpz_srcptr int_as_mpz(Value v, Mpz& scratch) {
  int64_t x;
  if (int_as_small(v, &x)) {
    mpz_set_si(scratch.get(), x);
    return scratch.get();
  }
  return v.as<BigInt>()->value;
}

void int_to_mpz(Value v, mpz_t z) {
  int64_t x;
  if (int_as_small(v, &x))
    mpz_set_si(z, x);
  else
    mpz_set(z, v.as<BigInt>()->value);
}

int int_sign(Value v) {
  int64_t x;
  if (int_as_small(v, &x)) return (x > 0) - (x < 0);
  return mpz_sgn(v.as<BigInt>()->value);
}

Value int_exact(ThreadState& ts, Value v) {
  if (v.is_small_int() || is_bigint(v)) return newref(v);
  int64_t x;
  if (int_as_small(v, &x)) return Value::small_int(x);
  return int_from_mpz(v.as<BigInt>()->value);
}

bool int_to_int64(ThreadState& ts, Value v, int64_t* out) {
  if (int_as_small(v, out)) return true;
  if (!is_int(v)) {
    raise_fmt(ts, &TypeError_type, "'%s' object cannot be interpreted as an integer", type_name(v));
    return false;
  }
  mpz_srcptr z = v.as<BigInt>()->value;
  if (!mpz_fits_slong_p(z)) {
    raise(ts, &OverflowError_type, "Python int too large to convert to C long");
    return false;
  }
  *out = mpz_get_si(z);
  return true;
}

int64_t int_clamp_int64(Value v) {
  int64_t x;
  if (int_as_small(v, &x)) return x;
  mpz_srcptr z = v.as<BigInt>()->value;
  if (mpz_fits_slong_p(z)) return mpz_get_si(z);
  return mpz_sgn(z) < 0 ? INT64_MIN : INT64_MAX;
}

// ---------------------------------------------------------------------------------------
// __index__

static Str* index_name() {
  static Str* name = intern("__index__");
  return name;
}

bool has_index(Value v) { return is_int(v) || type_lookup(type_of(v), index_name()); }

Value number_index(ThreadState& ts, Value v) {
  if (is_int(v)) return int_exact(ts, v);
  if (!type_lookup(type_of(v), index_name()))
    return raise_fmt(ts, &TypeError_type, "'%s' object cannot be interpreted as an integer",
                     type_name(v));
  Ref result(call_method(ts, v, index_name(), {}));
  if (!result) return Value();
  if (!is_int(result.get()))
    return raise_fmt(ts, &TypeError_type, "__index__ returned non-int (type %s)",
                     type_name(result.get()));
  return int_exact(ts, result.get());
}

bool index_to_int64(ThreadState& ts, Value v, int64_t* out, const char* what) {
  if (v.is_small_int()) {
    *out = v.as_small_int();
    return true;
  }
  if (!has_index(v)) {
    raise_fmt(ts, &TypeError_type, "'%s' object cannot be interpreted as an %s", type_name(v), what);
    return false;
  }
  Ref index(number_index(ts, v));
  if (!index) return false;
  if (int_as_small(index.get(), out)) return true;
  mpz_srcptr z = index.as<BigInt>()->value;
  if (!mpz_fits_slong_p(z)) {
    raise(ts, &OverflowError_type, "Python int too large to convert to C ssize_t");
    return false;
  }
  *out = mpz_get_si(z);
  return true;
}

int subscript_index(ThreadState& ts, Value key, int64_t* out) {
  if (key.is_small_int()) {
    *out = key.as_small_int();
    return 1;
  }
  if (!has_index(key)) return 0;
  Ref index(number_index(ts, key));
  if (!index) return -1;
  if (int_as_small(index.get(), out)) return 1;
  mpz_srcptr z = index.as<BigInt>()->value;
  if (!mpz_fits_slong_p(z)) {
    raise_fmt(ts, &IndexError_type, "cannot fit '%s' into an index-sized integer", type_name(key));
    return -1;
  }
  *out = mpz_get_si(z);
  return 1;
}

// ---------------------------------------------------------------------------------------
// Hashing

int64_t int_hash(Value v) {
  int64_t x;
  if (int_as_small(v, &x)) return small_int_hash(x);
  mpz_srcptr z = v.as<BigInt>()->value;
  // |z| mod (2**61 - 1), with z's sign, as CPython's long_hash.
  int64_t h = int64_t(mpz_tdiv_ui(z, kHashModulus));
  if (mpz_sgn(z) < 0) h = -h;
  return h == -1 ? -2 : h;
}

// ---------------------------------------------------------------------------------------
// Arithmetic

Value int_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  if (!is_int(a) || !is_int(b)) return newref(not_implemented());
  op = base_op(op);   // ints are immutable: a += b is a + b
  if (op == BinaryOp::TrueDiv) return int_true_divide(ts, a, b);
  if (op == BinaryOp::MatMul) return newref(not_implemented());
  if (op == BinaryOp::Pow && int_sign(b) < 0) return int_pow_negative(ts, a, b);
  int64_t x, y;
  if (int_as_small(a, &x) && int_as_small(b, &y)) {
    Value result;
    if (small_binary(ts, x, y, op, &result)) return result;
  }
  return big_binary(ts, a, b, op);
}

Value int_true_divide(ThreadState& ts, Value a, Value b) {
  // Machine integers up to 2**53 convert to doubles exactly, so one IEEE division rounds
  // correctly; anything larger goes through the exact ratio.
  constexpr int64_t kExact = int64_t(1) << 53;
  int64_t x, y;
  if (int_as_small(a, &x) && int_as_small(b, &y)) {
    if (y == 0) return raise_zero_division(ts, BinaryOp::TrueDiv);
    if (x >= -kExact && x <= kExact && y >= -kExact && y <= kExact)
      return float_new(double(x) / double(y));
  }
  Mpz scratch_a, scratch_b;
  mpz_srcptr n = int_as_mpz(a, scratch_a);
  mpz_srcptr d = int_as_mpz(b, scratch_b);
  if (mpz_sgn(d) == 0) return raise_zero_division(ts, BinaryOp::TrueDiv);
  bool overflow = false;
  double q = mpz_ratio_to_double(n, d, &overflow);
  if (overflow)
    return raise(ts, &OverflowError_type, "integer division result too large for a float");
  return float_new(q);
}

Value int_divmod(ThreadState& ts, Value a, Value b) {
  int64_t x, y;
  Ref quotient, remainder;
  if (int_as_small(a, &x) && int_as_small(b, &y)) {
    if (y == 0) return raise_zero_division(ts, BinaryOp::FloorDiv);
    quotient.reset(int_from_int64(floor_div(x, y)));
    remainder.reset(int_from_int64(floor_mod(x, y)));
  } else {
    Mpz scratch_a, scratch_b, q, r;
    mpz_srcptr n = int_as_mpz(a, scratch_a);
    mpz_srcptr d = int_as_mpz(b, scratch_b);
    if (mpz_sgn(d) == 0) return raise_zero_division(ts, BinaryOp::FloorDiv);
    mpz_fdiv_qr(q.get(), r.get(), n, d);
    quotient.reset(int_from_mpz_move(q.get()));
    remainder.reset(int_from_mpz_move(r.get()));
  }
  Tuple* t = tuple_new(ts, 2);
  if (!t) return Value();
  t->items[0] = quotient.release();
  t->items[1] = remainder.release();
  return Value::from_obj(t);
}

Value int_pow_mod(ThreadState& ts, Value base, Value exp, Value mod) {
  if (!is_int(base) || !is_int(exp) || !is_int(mod))
    return raise(ts, &TypeError_type,
                 "pow() 3rd argument not allowed unless all arguments are integers");
  Mpz scratch_b, scratch_e, scratch_m, b, e, m, r;
  mpz_set(b.get(), int_as_mpz(base, scratch_b));
  mpz_set(e.get(), int_as_mpz(exp, scratch_e));
  mpz_srcptr signed_mod = int_as_mpz(mod, scratch_m);
  if (mpz_sgn(signed_mod) == 0) return raise(ts, &ValueError_type, "pow() 3rd argument cannot be 0");
  mpz_abs(m.get(), signed_mod);
  // A negative exponent means a power of the modular inverse (Python 3.8+).
  if (mpz_sgn(e.get()) < 0) {
    if (!mpz_invert(b.get(), b.get(), m.get()))
      return raise(ts, &ValueError_type, "base is not invertible for the given modulus");
    mpz_neg(e.get(), e.get());
  }
  mpz_powm(r.get(), b.get(), e.get(), m.get());
  // The result takes the modulus's sign, as Python's % does.
  if (mpz_sgn(signed_mod) < 0 && mpz_sgn(r.get()) != 0) mpz_sub(r.get(), r.get(), m.get());
  return int_from_mpz_move(r.get());
}

Value int_abs(ThreadState& ts, Value v) {
  int64_t x;
  if (int_as_small(v, &x)) return int_from_int64(x < 0 ? -x : x);
  mpz_srcptr z = v.as<BigInt>()->value;
  if (mpz_sgn(z) >= 0) return int_exact(ts, v);
  Mpz r;
  mpz_neg(r.get(), z);
  return int_from_mpz_move(r.get());
}

Value int_round(ThreadState& ts, Value v, int64_t ndigits) {
  if (ndigits >= 0) return int_exact(ts, v);
  Mpz scratch, q, r, unit;
  mpz_srcptr z = int_as_mpz(v, scratch);
  // Rounding to more digits than v has always gives zero.
  if (uint64_t(-(ndigits + 1)) >= mpz_sizeinbase(z, 10)) return Value::small_int(0);
  mpz_ui_pow_ui(unit.get(), 10, uint64_t(-ndigits));
  // q = z / unit rounded half to even, then scaled back.
  mpz_fdiv_qr(q.get(), r.get(), z, unit.get());
  mpz_mul_2exp(r.get(), r.get(), 1);
  int c = mpz_cmp(r.get(), unit.get());
  if (c > 0 || (c == 0 && mpz_odd_p(q.get()))) mpz_add_ui(q.get(), q.get(), 1);
  mpz_mul(q.get(), q.get(), unit.get());
  return int_from_mpz_move(q.get());
}

Value int_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if (is_int(a) && is_int(b)) return bool_value(compare_ordering(int_cmp(a, b), op));
  if ((is_int(a) || is_int(b)) && (is_float_instance(a) || is_float_instance(b)))
    return float_compare(ts, a, b, op);
  return newref(not_implemented());
}

// ---------------------------------------------------------------------------------------
// Slots

static void int_dealloc(Object* self) {
  if (self->ob_type == &int_type) {
    release_bigint(static_cast<BigInt*>(self));
    return;
  }
  mpz_clear(static_cast<BigInt*>(self)->value);
  free_object(self);
}

static Value int_repr(ThreadState& ts, Value self) {
  if (!int_check_str_digits(ts, self)) return Value();
  Str* s = str_new_checked(ts, int_to_string(self, 10));
  return s ? Value::from_obj(s) : Value();
}

static int64_t int_hash_slot(ThreadState&, Value self) { return int_hash(self); }

static Value int_unary(ThreadState& ts, Value v, UnaryOp op) {
  int64_t x;
  if (int_as_small(v, &x)) {
    switch (op) {
      case UnaryOp::Neg: return int_from_int64(-x);
      case UnaryOp::Pos: return int_from_int64(x);
      case UnaryOp::Invert: return int_from_int64(~x);
    }
  }
  if (op == UnaryOp::Pos) return int_exact(ts, v);
  Mpz r;
  if (op == UnaryOp::Neg)
    mpz_neg(r.get(), v.as<BigInt>()->value);
  else
    mpz_com(r.get(), v.as<BigInt>()->value);
  return int_from_mpz_move(r.get());
}

static int int_truth(ThreadState&, Value self) { return int_sign(self) != 0; }

// An instance of a subclass of int holding value's number.
static Value int_subclass_new(ThreadState& ts, Type* type, Value value) {
  BigInt* b = alloc_instance<BigInt>(ts, type);
  if (!b) return Value();
  mpz_init(b->value);
  int_to_mpz(value, b->value);
  return Value::from_obj(b);
}

static Str* dunder_int_name() {
  static Str* name = intern("__int__");
  return name;
}
static Str* dunder_trunc_name() {
  static Str* name = intern("__trunc__");
  return name;
}

// int(x) for a non-string x: __int__, then __index__, then __trunc__, as CPython tries them.
static Value int_from_number(ThreadState& ts, Value x) {
  if (is_int(x)) return int_exact(ts, x);
  if (is_float(x)) return int_from_double(ts, float_value(x));
  Type* t = type_of(x);
  if (type_lookup(t, dunder_int_name())) {
    Ref result(call_method(ts, x, dunder_int_name(), {}));
    if (!result) return Value();
    if (!is_int(result.get()))
      return raise_fmt(ts, &TypeError_type, "__int__ returned non-int (type %s)",
                       type_name(result.get()));
    return int_exact(ts, result.get());
  }
  if (type_lookup(t, index_name())) return number_index(ts, x);
  if (type_lookup(t, dunder_trunc_name())) {
    Ref result(call_method(ts, x, dunder_trunc_name(), {}));
    if (!result) return Value();
    if (is_int(result.get())) return int_exact(ts, result.get());
    if (!has_index(result.get()))
      return raise_fmt(ts, &TypeError_type, "__trunc__ returned non-Integral (type %s)",
                       type_name(result.get()));
    return number_index(ts, result.get());
  }
  return raise_fmt(ts, &TypeError_type,
                   "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                   type_name(x));
}

static Value int_from_text_value(ThreadState& ts, Value x, int base) {
  if (is_str(x)) return int_from_string(ts, str_view(x), base);
  return int_from_bytes_text(ts, bytes_view(x), base);
}

static Value int_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  // int(x=0, /, base=10): x is positional-only, base may be given by keyword.
  size_t nkw = kwnames ? kwnames->size : 0;
  if (nargs + nkw > 2)
    return raise_fmt(ts, &TypeError_type, "int() takes at most 2 arguments (%zu given)", nargs + nkw);
  Value x = nargs > 0 ? args[0] : Value();
  Value base_arg = nargs > 1 ? args[1] : Value();
  for (size_t i = 0; i < nkw; i++) {
    std::string_view name = str_view(kwnames->items[i]);
    if (name != "base" || base_arg)
      return raise_fmt(ts, &TypeError_type, "'%.*s' is an invalid keyword argument for int()",
                       int(name.size()), name.data());
    base_arg = args[nargs + i];
  }
  Ref value;
  if (!base_arg) {
    if (!x)
      value.reset(Value::small_int(0));
    else if (is_str(x) || is_bytes(x))
      value.reset(int_from_text_value(ts, x, 10));
    else
      value.reset(int_from_number(ts, x));
  } else {
    int64_t base;
    if (!index_to_int64(ts, base_arg, &base)) return Value();
    if (base != 0 && (base < 2 || base > 36))
      return raise(ts, &ValueError_type, "int() base must be >= 2 and <= 36, or 0");
    if (!x) return raise(ts, &TypeError_type, "int() missing string argument");
    if (!is_str(x) && !is_bytes(x))
      return raise(ts, &TypeError_type, "int() can't convert non-string with explicit base");
    value.reset(int_from_text_value(ts, x, int(base)));
  }
  if (!value || type == &int_type) return value.release();
  return int_subclass_new(ts, type, value.get());
}

// ---------------------------------------------------------------------------------------
// Methods

// The methods that return the int itself (conjugate, __index__, __trunc__, ...); the
// template parameter is the name that error messages use.
template <const char* kName>
Value int_method_exact(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, kName, kwnames) || !check_nargs(ts, kName, nargs - 1, 0, 0)) return Value();
  return int_exact(ts, args[0]);
}
static constexpr char kConjugate[] = "int.conjugate";
static constexpr char kIndex[] = "int.__index__";
static constexpr char kInt[] = "int.__int__";
static constexpr char kTrunc[] = "int.__trunc__";
static constexpr char kFloor[] = "int.__floor__";
static constexpr char kCeil[] = "int.__ceil__";

static Value int_method_abs(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "__abs__", nargs - 1, 0, 0)) return Value();
  return int_abs(ts, args[0]);
}

static Value int_method_float(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "__float__", nargs - 1, 0, 0)) return Value();
  double d;
  if (!int_to_double_checked(ts, args[0], &d)) return Value();
  return float_new(d);
}

static Value int_method_bit_length(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "int.bit_length", nargs - 1, 0, 0)) return Value();
  int64_t x;
  if (int_as_small(args[0], &x)) {
    uint64_t magnitude = x < 0 ? uint64_t(-x) : uint64_t(x);
    return Value::small_int(magnitude == 0 ? 0 : 64 - __builtin_clzll(magnitude));
  }
  mpz_srcptr z = args[0].as<BigInt>()->value;
  return int_from_uint64(mpz_sgn(z) == 0 ? 0 : mpz_sizeinbase(z, 2));
}

static Value int_method_bit_count(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "int.bit_count", nargs - 1, 0, 0)) return Value();
  int64_t x;
  if (int_as_small(args[0], &x))
    return Value::small_int(__builtin_popcountll(x < 0 ? uint64_t(-x) : uint64_t(x)));
  Mpz magnitude;
  mpz_abs(magnitude.get(), args[0].as<BigInt>()->value);
  return int_from_uint64(mpz_popcount(magnitude.get()));
}

static Value int_method_as_integer_ratio(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "int.as_integer_ratio", nargs - 1, 0, 0)) return Value();
  Ref numerator(int_exact(ts, args[0]));
  if (!numerator) return Value();
  Tuple* t = tuple_new(ts, 2);
  if (!t) return Value();
  t->items[0] = numerator.release();
  t->items[1] = Value::small_int(1);
  return Value::from_obj(t);
}

static Value int_method_round(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value bound[1];
  if (!bind_args(ts, "__round__", args + 1, nargs - 1, kwnames, {"ndigits"}, 0, bound))
    return Value();
  if (!bound[0] || is_none(bound[0])) return int_exact(ts, args[0]);
  Ref ndigits(number_index(ts, bound[0]));
  if (!ndigits) return Value();
  // A huge positive ndigits changes nothing; a huge negative one rounds to zero.
  return int_round(ts, args[0], int_clamp_int64(ndigits.get()));
}

static Value int_method_divmod(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "__divmod__", nargs - 1, 1, 1)) return Value();
  if (!is_int(args[1])) return newref(not_implemented());
  return int_divmod(ts, args[0], args[1]);
}

static Value int_method_rdivmod(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "__rdivmod__", nargs - 1, 1, 1)) return Value();
  if (!is_int(args[1])) return newref(not_implemented());
  return int_divmod(ts, args[1], args[0]);
}

// Whether z fits `bits` bits: [0, 2**bits) unsigned, [-2**(bits-1), 2**(bits-1)) signed.
static bool fits_in_bytes(mpz_srcptr z, uint64_t bits, bool is_signed) {
  if (mpz_sgn(z) == 0) return true;
  if (!is_signed) return mpz_sizeinbase(z, 2) <= bits;
  if (mpz_sgn(z) > 0) return mpz_sizeinbase(z, 2) < bits;
  // z < 0 fits when |z| - 1 < 2**(bits-1).
  Mpz below;
  mpz_neg(below.get(), z);
  mpz_sub_ui(below.get(), below.get(), 1);
  return bits > 0 && (mpz_sgn(below.get()) == 0 || mpz_sizeinbase(below.get(), 2) < bits);
}

// The byteorder argument of to_bytes/from_bytes ('big' when omitted).
static bool parse_byteorder(ThreadState& ts, Value arg, const char* fname, bool* little) {
  if (!arg) {
    *little = false;
    return true;
  }
  if (!is_str(arg)) {
    raise_fmt(ts, &TypeError_type, "%s() argument 'byteorder' must be str, not %s", fname, type_name(arg));
    return false;
  }
  std::string_view order = str_view(arg);
  if (order != "little" && order != "big") {
    raise(ts, &ValueError_type, "byteorder must be either 'little' or 'big'");
    return false;
  }
  *little = order == "little";
  return true;
}

static Value int_method_to_bytes(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value bound[3];
  if (!bind_args(ts, "to_bytes", args + 1, nargs - 1, kwnames, {"length", "byteorder", "signed"}, 0,
                 bound, 2))
    return Value();
  int64_t length = 1;
  if (bound[0] && !index_to_int64(ts, bound[0], &length)) return Value();
  if (length < 0) return raise(ts, &ValueError_type, "length argument must be non-negative");
  if (uint64_t(length) > kMaxResultBits / 8) return raise_memory_error(ts);
  bool little;
  if (!parse_byteorder(ts, bound[1], "to_bytes", &little)) return Value();
  int is_signed = bound[2] ? object_truth(ts, bound[2]) : 0;
  if (is_signed < 0) return Value();

  Mpz scratch, magnitude;
  mpz_srcptr z = int_as_mpz(args[0], scratch);
  if (mpz_sgn(z) < 0 && !is_signed)
    return raise(ts, &OverflowError_type, "can't convert negative int to unsigned");
  if (!fits_in_bytes(z, uint64_t(length) * 8, is_signed))
    return raise(ts, &OverflowError_type, "int too big to convert");
  // A negative value is stored as its two's complement: 2**(8*length) + z.
  mpz_set(magnitude.get(), z);
  if (mpz_sgn(z) < 0) {
    Mpz modulus;
    mpz_ui_pow_ui(modulus.get(), 2, uint64_t(length) * 8);
    mpz_add(magnitude.get(), magnitude.get(), modulus.get());
  }
  size_t bits = mpz_sgn(magnitude.get()) == 0 ? 0 : mpz_sizeinbase(magnitude.get(), 2);
  std::string out(size_t(length), '\0');
  size_t count = 0;
  if (length > 0)
    mpz_export(out.data() + (size_t(length) - (bits + 7) / 8), &count, 1, 1, 1, 0, magnitude.get());
  if (little) std::reverse(out.begin(), out.end());
  return bytes_value(ts, out);
}

static Value int_method_from_bytes(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value bound[3];
  if (!bind_args(ts, "from_bytes", args + 1, nargs - 1, kwnames, {"bytes", "byteorder", "signed"}, 1,
                 bound, 2))
    return Value();
  bool little;
  if (!parse_byteorder(ts, bound[1], "from_bytes", &little)) return Value();
  int is_signed = bound[2] ? object_truth(ts, bound[2]) : 0;
  if (is_signed < 0) return Value();
  // Accept bytes, or any iterable of ints in range(256) (as bytes(x) would).
  std::string data;
  if (is_bytes(bound[0])) {
    data = std::string(bytes_view(bound[0]));
  } else {
    Ref it(object_iter(ts, bound[0]));
    if (!it) return Value();
    while (Value item = iter_next(ts, it.get())) {
      Ref owned(item);
      int64_t byte;
      if (!index_to_int64(ts, item, &byte)) return Value();
      if (byte < 0 || byte > 255) return raise(ts, &ValueError_type, "bytes must be in range(0, 256)");
      data.push_back(char(byte));
    }
    if (error_occurred(ts)) return Value();
  }
  if (little) std::reverse(data.begin(), data.end());
  Mpz z;
  if (!data.empty()) mpz_import(z.get(), data.size(), 1, 1, 1, 0, data.data());
  if (is_signed && !data.empty() && (static_cast<unsigned char>(data[0]) & 0x80)) {
    Mpz modulus;
    mpz_ui_pow_ui(modulus.get(), 2, data.size() * 8);
    mpz_sub(z.get(), z.get(), modulus.get());
  }
  Ref value(int_from_mpz_move(z.get()));
  Value cls = args[0];
  if (cls == Value::from_obj(&int_type)) return value.release();
  Value arg = value.get();
  return object_call(ts, cls, &arg, 1);
}

static Value int_get_exact(ThreadState& ts, Value self) { return int_exact(ts, self); }
static Value int_get_zero(ThreadState&, Value) { return Value::small_int(0); }
static Value int_get_one(ThreadState&, Value) { return Value::small_int(1); }

static const MethodDef int_methods[] = {
    {"conjugate", int_method_exact<kConjugate>},
    {"bit_length", int_method_bit_length},
    {"bit_count", int_method_bit_count},
    {"as_integer_ratio", int_method_as_integer_ratio},
    {"to_bytes", int_method_to_bytes},
    {"from_bytes", int_method_from_bytes, kMethClass},
    {"__index__", int_method_exact<kIndex>},
    {"__int__", int_method_exact<kInt>},
    {"__trunc__", int_method_exact<kTrunc>},
    {"__floor__", int_method_exact<kFloor>},
    {"__ceil__", int_method_exact<kCeil>},
    {"__float__", int_method_float},
    {"__abs__", int_method_abs},
    {"__round__", int_method_round},
    {"__divmod__", int_method_divmod},
    {"__rdivmod__", int_method_rdivmod},
    {nullptr, nullptr},
};

static const GetSetDef int_getsets[] = {
    {"real", int_get_exact},
    {"imag", int_get_zero},
    {"numerator", int_get_exact},
    {"denominator", int_get_one},
    {nullptr, nullptr},
};

Type int_type;
MINIVM_TYPE_SETUP(int_type) {
  t.name = "int";
  t.basic_size = sizeof(BigInt);
  t.flags = kTypeBaseType | kTypeIntSubclass;
  t.dealloc = int_dealloc;
  t.repr = int_repr;
  t.hash = int_hash_slot;
  t.compare = int_compare;
  t.binary = int_binary;
  // Every operator but @.
  t.binary_ops = t.rbinary_ops = uint16_t(~op_mask({BinaryOp::MatMul}));
  t.unary = int_unary;
  t.truth = int_truth;
  t.new_ = int_new;
  t.methods = int_methods;
  t.getsets = int_getsets;
}

}  // namespace mvm
