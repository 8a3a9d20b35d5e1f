// Unit tests for int and bool: small/big normalisation, arithmetic with Python's rules,
// hashing equal to CPython's, parsing and printing. Expected values come from CPython 3.11.
#include <cmath>

#include "tests/unit/types_test_support.h"

using namespace mvm;
using namespace mvm::test;

namespace {

bool is_small(const Ref& r) { return r.get().is_small_int(); }
std::string eval_int(Value a, BinaryOp op, Value b) { return binop(a, op, b); }
Ref parse(const char* text, int base = 10) { return Ref(int_from_string(thread(), text, base)); }

}  // namespace

TEST_CASE("int: small and big representations are normalised") {
  ThreadState& ts = thread();
  Ref max_small = num(Value::kSmallMax);
  Ref min_small = num(Value::kSmallMin);
  CHECK(is_small(max_small));
  CHECK(is_small(min_small));
  // Crossing the 2**62 boundary promotes to a BigInt...
  Ref above(int_binary(ts, max_small.get(), Value::small_int(1), BinaryOp::Add));
  CHECK(is_bigint(above.get()));
  CHECK(show(newref(above.get())) == "4611686018427387904");
  Ref below(int_binary(ts, min_small.get(), Value::small_int(1), BinaryOp::Sub));
  CHECK(is_bigint(below.get()));
  CHECK(show(newref(below.get())) == "-4611686018427387905");
  // ...and coming back demotes to a small int.
  Ref back(int_binary(ts, above.get(), Value::small_int(1), BinaryOp::Sub));
  CHECK(is_small(back));
  CHECK(back.get().as_small_int() == Value::kSmallMax);
  Ref huge = big("18446744073709551616");
  Ref diff(int_binary(ts, huge.get(), parse("18446744073709551611").get(), BinaryOp::Sub));
  CHECK(is_small(diff));
  CHECK(diff.get().as_small_int() == 5);
  // Negating the smallest small int needs a BigInt; int_from_int64 picks the kind.
  Ref negated(unary_op(ts, min_small.get(), UnaryOp::Neg));
  CHECK(is_bigint(negated.get()));
  CHECK(is_bigint(num(INT64_MAX).get()));
  CHECK(is_small(Ref(int_from_uint64(5))));
  CHECK(show(int_from_uint64(UINT64_MAX)) == "18446744073709551615");
  // Multiplication overflow in the fast path falls back to GMP.
  CHECK(eval_int(num(1LL << 40).get(), BinaryOp::Mul, num(1LL << 40).get()) == "1208925819614629174706176");
  CHECK(eval_int(num(3).get(), BinaryOp::Pow, num(40).get()) == "12157665459056928801");
  CHECK(eval_int(num(-3).get(), BinaryOp::Pow, num(41).get()) == "-36472996377170786403");
}

TEST_CASE("int: floor division, modulo and true division") {
  Ref b = big("1000000000000000000000000000000");
  Ref nb = big("-1000000000000000000000000000000");
  CHECK(eval_int(num(7).get(), BinaryOp::FloorDiv, num(2).get()) == "3");
  CHECK(eval_int(num(-7).get(), BinaryOp::FloorDiv, num(2).get()) == "-4");
  CHECK(eval_int(num(7).get(), BinaryOp::FloorDiv, num(-2).get()) == "-4");
  CHECK(eval_int(num(-7).get(), BinaryOp::Mod, num(3).get()) == "2");
  CHECK(eval_int(num(7).get(), BinaryOp::Mod, num(-3).get()) == "-2");
  CHECK(eval_int(num(Value::kSmallMin).get(), BinaryOp::FloorDiv, num(-1).get()) == "4611686018427387904");
  CHECK(eval_int(b.get(), BinaryOp::FloorDiv, num(7).get()) == "142857142857142857142857142857");
  CHECK(eval_int(nb.get(), BinaryOp::FloorDiv, num(7).get()) == "-142857142857142857142857142858");
  CHECK(eval_int(nb.get(), BinaryOp::Mod, num(7).get()) == "6");
  CHECK(eval_int(b.get(), BinaryOp::Mod, num(-7).get()) == "-6");
  CHECK(show(int_divmod(thread(), num(-7).get(), num(2).get())) == "(-4, 1)");
  CHECK(show(int_divmod(thread(), b.get(), num(-7).get())) == "(-142857142857142857142857142858, -6)");

  CHECK(eval_int(num(7).get(), BinaryOp::TrueDiv, num(2).get()) == "3.5");
  CHECK(eval_int(num(1).get(), BinaryOp::TrueDiv, num(3).get()) == "0.3333333333333333");
  CHECK(eval_int(b.get(), BinaryOp::TrueDiv, num(3).get()) == "3.333333333333333e+29");
  // Correct rounding when the operands do not fit a double exactly.
  Ref two_53_plus_1 = big("9007199254740993");
  CHECK(eval_int(two_53_plus_1.get(), BinaryOp::TrueDiv, num(1).get()) == "9007199254740992.0");
  Ref ten_400 = parse(("1" + std::string(400, '0')).c_str());
  Ref ten_399 = parse(("1" + std::string(399, '0')).c_str());
  CHECK(eval_int(ten_400.get(), BinaryOp::TrueDiv, ten_399.get()) == "10.0");
  Ref two_1024 = Ref(int_binary(thread(), num(2).get(), num(1024).get(), BinaryOp::Pow));
  CHECK(eval_int(two_1024.get(), BinaryOp::TrueDiv, num(3).get()) == "5.992310449541053e+307");
  CHECK(eval_int(two_1024.get(), BinaryOp::TrueDiv, num(1).get()) ==
        "!OverflowError: integer division result too large for a float");

  CHECK(eval_int(num(1).get(), BinaryOp::FloorDiv, num(0).get()) ==
        "!ZeroDivisionError: integer division or modulo by zero");
  CHECK(eval_int(num(1).get(), BinaryOp::Mod, num(0).get()) == "!ZeroDivisionError: integer modulo by zero");
  CHECK(eval_int(b.get(), BinaryOp::Mod, num(0).get()) == "!ZeroDivisionError: integer modulo by zero");
  CHECK(eval_int(num(1).get(), BinaryOp::TrueDiv, num(0).get()) == "!ZeroDivisionError: division by zero");
  CHECK(show(int_divmod(thread(), num(1).get(), num(0).get())) ==
        "!ZeroDivisionError: integer division or modulo by zero");
}

TEST_CASE("int: powers, shifts and bitwise operations") {
  Ref b = big("1000000000000000000000000000000");
  Ref nb = big("-1000000000000000000000000000000");
  CHECK(eval_int(num(2).get(), BinaryOp::Pow, num(100).get()) == "1267650600228229401496703205376");
  CHECK(eval_int(num(2).get(), BinaryOp::Pow, num(-1).get()) == "0.5");
  CHECK(eval_int(num(-2).get(), BinaryOp::Pow, num(-2).get()) == "0.25");
  CHECK(eval_int(num(0).get(), BinaryOp::Pow, num(-1).get()) ==
        "!ZeroDivisionError: 0.0 cannot be raised to a negative power");
  CHECK(eval_int(num(1).get(), BinaryOp::Pow, b.get()) == "1");
  CHECK(eval_int(num(-1).get(), BinaryOp::Pow, b.get()) == "1");
  CHECK(eval_int(num(1).get(), BinaryOp::LShift, num(62).get()) == "4611686018427387904");
  CHECK(eval_int(num(-1).get(), BinaryOp::LShift, num(62).get()) == "-4611686018427387904");
  CHECK(eval_int(num(1).get(), BinaryOp::LShift, num(-1).get()) == "!ValueError: negative shift count");
  CHECK(eval_int(num(1).get(), BinaryOp::RShift, num(-1).get()) == "!ValueError: negative shift count");
  Ref shifted(int_binary(thread(), num(1).get(), num(200).get(), BinaryOp::LShift));
  CHECK(eval_int(shifted.get(), BinaryOp::RShift, num(190).get()) == "1024");
  CHECK(eval_int(nb.get(), BinaryOp::RShift, num(10).get()) == "-976562500000000000000000000");
  CHECK(eval_int(num(-1).get(), BinaryOp::RShift, num(100).get()) == "-1");
  CHECK(eval_int(b.get(), BinaryOp::And, num(0xffff).get()) == "0");
  CHECK(eval_int(nb.get(), BinaryOp::Or, num(5).get()) == "-999999999999999999999999999995");
  CHECK(eval_int(b.get(), BinaryOp::Xor, nb.get()) == "-2147483648");
  CHECK(show(unary_op(thread(), b.get(), UnaryOp::Invert)) == "-1000000000000000000000000000001");
  CHECK(show(unary_op(thread(), num(0).get(), UnaryOp::Invert)) == "-1");
  CHECK(show(int_pow_mod(thread(), num(3).get(), num(200).get(), num(1000000007).get())) == "136318165");
  CHECK(show(int_pow_mod(thread(), num(2).get(), num(-1).get(), num(7).get())) == "4");
  CHECK(show(int_pow_mod(thread(), num(5).get(), num(3).get(), num(-7).get())) == "-1");
  CHECK(show(int_pow_mod(thread(), num(2).get(), num(3).get(), num(0).get())) ==
        "!ValueError: pow() 3rd argument cannot be 0");
  CHECK(show(int_pow_mod(thread(), num(2).get(), num(-1).get(), num(4).get())) ==
        "!ValueError: base is not invertible for the given modulus");
  CHECK(show(int_round(thread(), num(1250).get(), -2)) == "1200");
  CHECK(show(int_round(thread(), num(1350).get(), -2)) == "1400");
  CHECK(show(int_round(thread(), num(-1250).get(), -2)) == "-1200");
  CHECK(show(int_round(thread(), num(25).get(), -1)) == "20");
  CHECK(show(int_round(thread(), num(15).get(), -1)) == "20");
  CHECK(show(int_round(thread(), num(15).get(), -5)) == "0");
}

TEST_CASE("int: hashes equal CPython's") {
  struct Case {
    const char* value;
    int64_t hash;
  } cases[] = {
      {"0", 0}, {"1", 1}, {"-1", -2}, {"-2", -2},
      {"2305843009213693950", 2305843009213693950}, {"2305843009213693951", 0},
      {"2305843009213693952", 1}, {"4611686018427387903", 1}, {"4611686018427387904", 2},
      {"-4611686018427387904", -2}, {"-4611686018427387905", -3}, {"9223372036854775808", 4},
      {"18446744073709551616", 8}, {"-18446744073709551616", -8},
      {"1000000000000000000000000000000", 465258685558744706},
      {"-1000000000000000000000000000000", -465258685558744706},
  };
  for (const Case& c : cases) {
    CAPTURE(c.value);
    Ref v = parse(c.value);
    CHECK(int_hash(v.get()) == c.hash);
    CHECK(object_hash(thread(), v.get()) == c.hash);
  }
  CHECK(object_hash(thread(), true_value()) == 1);
  CHECK(float_hash(1.0) == int_hash(Value::small_int(1)));
}

TEST_CASE("int: parsing with bases, prefixes and underscores") {
  CHECK(show(int_from_string(thread(), "  -0x_ff  ", 0)) == "-255");
  CHECK(show(int_from_string(thread(), "0b101", 0)) == "5");
  CHECK(show(int_from_string(thread(), "0b1", 16)) == "177");
  CHECK(show(int_from_string(thread(), "z", 36)) == "35");
  CHECK(show(int_from_string(thread(), "1_000_000", 10)) == "1000000");
  CHECK(show(int_from_string(thread(), "\u0661\u0662\u0663", 10)) == "123");
  CHECK(show(int_from_string(thread(), "12345678901234567890123", 10)) == "12345678901234567890123");
  CHECK(show(int_from_string(thread(), "00", 0)) == "0");
  CHECK(show(int_from_string(thread(), "x", 10)) == "!ValueError: invalid literal for int() with base 10: 'x'");
  CHECK(show(int_from_string(thread(), "", 10)) == "!ValueError: invalid literal for int() with base 10: ''");
  CHECK(show(int_from_string(thread(), "010", 0)) == "!ValueError: invalid literal for int() with base 0: '010'");
  CHECK(show(int_from_string(thread(), "1__0", 10)) ==
        "!ValueError: invalid literal for int() with base 10: '1__0'");
  CHECK(show(int_from_string(thread(), "_1", 10)) == "!ValueError: invalid literal for int() with base 10: '_1'");
  CHECK(show(int_from_string(thread(), "1_", 10)) == "!ValueError: invalid literal for int() with base 10: '1_'");
  CHECK(show(int_from_string(thread(), "12", 40)) == "!ValueError: int() base must be >= 2 and <= 36, or 0");
  CHECK(show(int_from_string(thread(), "1.5", 10)) ==
        "!ValueError: invalid literal for int() with base 10: '1.5'");
}

TEST_CASE("int: the limit on decimal string conversions") {
  CHECK(int_max_str_digits() == 4300);
  std::string many(5000, '1');
  CHECK(show(int_from_string(thread(), many, 10)) ==
        "!ValueError: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; "
        "use sys.set_int_max_str_digits() to increase the limit");
  Ref hex_digits(int_from_string(thread(), "0x" + std::string(5000, 'f'), 16));
  CHECK(is_bigint(hex_digits.get()));   // power-of-two bases are exempt
  Ref ten_4300(int_binary(thread(), num(10).get(), num(4300).get(), BinaryOp::Pow));
  CHECK(show(object_repr(thread(), ten_4300.get())) ==
        "!ValueError: Exceeds the limit (4300 digits) for integer string conversion; "
        "use sys.set_int_max_str_digits() to increase the limit");
  Ref largest(int_binary(thread(), num(1).get(), ten_4300.get(), BinaryOp::Sub));   // -(10**4300 - 1)
  Ref text_of_largest(object_repr(thread(), largest.get()));
  REQUIRE(text_of_largest);
  CHECK(text_of_largest.as<Str>()->size == 4301);
  set_int_max_str_digits(0);
  Ref unlimited(object_repr(thread(), ten_4300.get()));
  REQUIRE(unlimited);
  CHECK(unlimited.as<Str>()->size == 4301);
  set_int_max_str_digits(4300);
}

TEST_CASE("int: printing and conversions") {
  Ref nb = big("-1000000000000000000000000000000");
  CHECK(int_to_string(nb.get(), 16) == "-c9f2c9cd04674edea40000000");
  CHECK(int_to_string(Value::small_int(-255), 2) == "-11111111");
  CHECK(int_to_string(Value::small_int(0), 8) == "0");
  CHECK(int_to_string(num(INT64_MIN).get(), 10) == "-9223372036854775808");
  CHECK(show(int_from_double(thread(), std::ldexp(1.0, 70))) == "1180591620717411303424");
  CHECK(show(int_from_double(thread(), -3.9)) == "-3");
  CHECK(show(int_from_double(thread(), 1e20)) == "100000000000000000000");
  CHECK(show(int_from_double(thread(), INFINITY)) == "!OverflowError: cannot convert float infinity to integer");
  CHECK(show(int_from_double(thread(), NAN)) == "!ValueError: cannot convert float NaN to integer");
  CHECK(int_to_double(big("9007199254740993").get()) == 9007199254740992.0);   // ties to even
  CHECK(int_to_double(big("9007199254740995").get()) == 9007199254740996.0);
  double d;
  Ref two_1024(int_binary(thread(), num(2).get(), num(1024).get(), BinaryOp::Pow));
  CHECK_FALSE(int_to_double_checked(thread(), two_1024.get(), &d));
  CHECK(take_error() == "OverflowError: int too large to convert to float");
  int64_t out;
  CHECK_FALSE(int_to_int64(thread(), two_1024.get(), &out));
  CHECK(take_error() == "OverflowError: Python int too large to convert to C long");
  CHECK(int_to_int64(thread(), true_value(), &out));
  CHECK(out == 1);
  CHECK(int_clamp_int64(two_1024.get()) == INT64_MAX);
}

TEST_CASE("int: comparisons with ints, bools and floats are exact") {
  Ref two_53_plus_1 = big("9007199254740993");
  Ref two_53 = flt(9007199254740992.0);
  CHECK(cmp(two_53_plus_1.get(), CompareOp::Gt, two_53.get()) == "True");
  CHECK(cmp(two_53_plus_1.get(), CompareOp::Eq, two_53.get()) == "False");
  CHECK(cmp(two_53.get(), CompareOp::Lt, two_53_plus_1.get()) == "True");
  CHECK(cmp(num(1).get(), CompareOp::Eq, true_value()) == "True");
  CHECK(cmp(num(1).get(), CompareOp::Eq, flt(1.0).get()) == "True");
  CHECK(cmp(num(1).get(), CompareOp::Lt, flt(NAN).get()) == "False");
  CHECK(cmp(num(1).get(), CompareOp::Ne, flt(NAN).get()) == "True");
  CHECK(cmp(big("100000000000000000000000").get(), CompareOp::Lt, flt(INFINITY).get()) == "True");
  CHECK(cmp(big("-100000000000000000000000").get(), CompareOp::Lt, big("5").get()) == "True");
}

TEST_CASE("int: methods and the constructor") {
  CHECK(call(num(255).get(), "bit_length") == "8");
  CHECK(call(big("-1180591620717411303424").get(), "bit_length") == "71");
  CHECK(call(num(0).get(), "bit_length") == "0");
  CHECK(call(num(-255).get(), "bit_count") == "8");
  CHECK(call(num(7).get(), "as_integer_ratio") == "(7, 1)");
  CHECK(call(num(1024).get(), "to_bytes", {num(2).get(), text("big").get()}) == "b'\\x04\\x00'");
  CHECK(call(num(1024).get(), "to_bytes", {num(2).get(), text("little").get()}) == "b'\\x00\\x04'");
  CHECK(call(num(1024).get(), "to_bytes", {num(1).get(), text("big").get()}) == "!OverflowError: int too big to convert");
  CHECK(call(num(-1).get(), "to_bytes", {num(2).get(), text("big").get()}) ==
        "!OverflowError: can't convert negative int to unsigned");
  Value int_class = Value::from_obj(&int_type);
  CHECK(call(int_class, "from_bytes", {list_of({num(255).get(), num(254).get()}).get(), text("big").get()}) ==
        "65534");
  CHECK(show(object_call(thread(), int_class, nullptr, 0)) == "0");
  Ref arg_text = text(" 42 ");
  Value one_arg[] = {arg_text.get()};
  CHECK(show(object_call(thread(), int_class, one_arg, 1)) == "42");
  Ref arg_float = flt(-2.5);
  one_arg[0] = arg_float.get();
  CHECK(show(object_call(thread(), int_class, one_arg, 1)) == "-2");
  Ref hex_text = text("ff");
  Value two_args[] = {hex_text.get(), Value::small_int(16)};
  CHECK(show(object_call(thread(), int_class, two_args, 2)) == "255");
  two_args[0] = arg_float.get();
  CHECK(show(object_call(thread(), int_class, two_args, 2)) ==
        "!TypeError: int() can't convert non-string with explicit base");
  Ref list_arg = list_of({});
  one_arg[0] = list_arg.get();
  CHECK(show(object_call(thread(), int_class, one_arg, 1)) ==
        "!TypeError: int() argument must be a string, a bytes-like object or a real number, not 'list'");
}

TEST_CASE("bool: singletons, repr and arithmetic") {
  CHECK(show(true_value()) == "True");
  CHECK(show(false_value()) == "False");
  CHECK(true_object.is_immortal());
  CHECK(binop(true_value(), BinaryOp::Add, true_value()) == "2");
  CHECK(binop(true_value(), BinaryOp::And, false_value()) == "False");
  CHECK(binop(true_value(), BinaryOp::Or, false_value()) == "True");
  CHECK(binop(true_value(), BinaryOp::Xor, true_value()) == "False");
  CHECK(binop(true_value(), BinaryOp::And, num(3).get()) == "1");
  CHECK(show(unary_op(thread(), true_value(), UnaryOp::Neg)) == "-1");
  CHECK(show(unary_op(thread(), true_value(), UnaryOp::Invert)) == "-2");
  CHECK(is_int(true_value()));
  CHECK(type_is_subtype(&bool_type, &int_type));
}
