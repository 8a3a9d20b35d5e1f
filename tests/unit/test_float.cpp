// Unit tests for float: CPython's repr, hashing, arithmetic rules, parsing and rounding.
// Expected values come from CPython 3.11.
#include <cmath>
#include <cstring>

#include "tests/unit/types_test_support.h"

using namespace mvm;
using namespace mvm::test;

namespace {

std::string parse(const char* text) {
  double d;
  if (!float_from_string(thread(), text, &d)) return "!" + take_error();
  return float_repr(d);
}

std::string rounded(double x, int64_t ndigits) { return float_repr(float_round(x, ndigits)); }

}  // namespace

TEST_CASE("float: repr is CPython's shortest round-trip form") {
  struct Case {
    double value;
    const char* repr;
  } cases[] = {
      {0.0, "0.0"}, {-0.0, "-0.0"}, {1.0, "1.0"}, {-1.5, "-1.5"}, {0.1, "0.1"},
      {0.1 + 0.2, "0.30000000000000004"}, {1.0 / 3, "0.3333333333333333"},
      {2.0 / 3, "0.6666666666666666"}, {1e16, "1e+16"}, {1e15, "1000000000000000.0"},
      {123456789012345678.0, "1.2345678901234568e+17"}, {1e-4, "0.0001"}, {1e-5, "1e-05"},
      {0.00012345, "0.00012345"}, {1.5e-7, "1.5e-07"}, {1e22, "1e+22"}, {1e301, "1e+301"},
      {5e-324, "5e-324"}, {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {1.7976931348623157e308, "1.7976931348623157e+308"}, {INFINITY, "inf"},
      {-INFINITY, "-inf"}, {NAN, "nan"}, {100.0, "100.0"}, {12345.678, "12345.678"},
      {9999999999999998.0, "9999999999999998.0"}, {2.5e-5, "2.5e-05"}, {1e100, "1e+100"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.repr);
    CHECK(float_repr(c.value) == c.repr);
  }
  CHECK(show(float_new(0.5)) == "0.5");
}

TEST_CASE("float: hashes equal CPython's and agree with int") {
  struct Case {
    double value;
    int64_t hash;
  } cases[] = {
      {0.0, 0}, {-0.0, 0}, {1.0, 1}, {1.5, 1152921504606846977}, {-1.5, -1152921504606846977},
      {0.1, 230584300921369408}, {1e100, 1822893315824342674}, {-1e-300, -482449582752280463},
      {1180591620717411303424.0, 512}, {3.14159, 326484311674566659}, {INFINITY, 314159},
      {-INFINITY, -314159},
  };
  for (const Case& c : cases) {
    CAPTURE(c.value);
    CHECK(float_hash(c.value) == c.hash);
  }
  Ref two_70(int_binary(thread(), num(2).get(), num(70).get(), BinaryOp::Pow));
  CHECK(float_hash(std::ldexp(1.0, 70)) == int_hash(two_70.get()));
  CHECK(float_hash(-1.0) == -2);
}

TEST_CASE("float: floor division, modulo and divmod follow Python's signs") {
  CHECK(binop(flt(7.5).get(), BinaryOp::FloorDiv, num(2).get()) == "3.0");
  CHECK(binop(flt(-7.5).get(), BinaryOp::FloorDiv, num(2).get()) == "-4.0");
  CHECK(binop(flt(7.5).get(), BinaryOp::Mod, num(2).get()) == "1.5");
  CHECK(binop(flt(-7.5).get(), BinaryOp::Mod, num(2).get()) == "0.5");
  CHECK(binop(flt(7.5).get(), BinaryOp::Mod, num(-2).get()) == "-0.5");
  CHECK(binop(flt(-0.0).get(), BinaryOp::Mod, num(5).get()) == "0.0");
  CHECK(binop(flt(0.0).get(), BinaryOp::Mod, num(-5).get()) == "-0.0");
  CHECK(show(float_divmod(thread(), flt(-7.5).get(), num(2).get())) == "(-4.0, 0.5)");
  CHECK(show(float_divmod(thread(), num(7).get(), flt(-2.5).get())) == "(-3.0, -0.5)");
  CHECK(binop(flt(1).get(), BinaryOp::TrueDiv, flt(0).get()) == "!ZeroDivisionError: float division by zero");
  CHECK(binop(flt(1).get(), BinaryOp::FloorDiv, num(0).get()) ==
        "!ZeroDivisionError: float floor division by zero");
  CHECK(binop(flt(1).get(), BinaryOp::Mod, flt(0).get()) == "!ZeroDivisionError: float modulo");
  CHECK(show(float_divmod(thread(), flt(1).get(), flt(0).get())) == "!ZeroDivisionError: float divmod()");
  CHECK(binop(flt(3.0).get(), BinaryOp::Mul, flt(-0.0).get()) == "-0.0");
  CHECK(binop(flt(1e308).get(), BinaryOp::Mul, num(10).get()) == "inf");
  CHECK(binop(big("9007199254740993").get(), BinaryOp::Add, flt(0.0).get()) == "9007199254740992.0");
  Ref two_1024(int_binary(thread(), num(2).get(), num(1024).get(), BinaryOp::Pow));
  CHECK(binop(two_1024.get(), BinaryOp::Add, flt(1.0).get()) == "!OverflowError: int too large to convert to float");
  CHECK(binop(flt(1.0).get(), BinaryOp::Add, text("a").get()).rfind("!TypeError", 0) == 0);
}

TEST_CASE("float: powers with CPython's special cases") {
  CHECK(show(float_power(thread(), 2.0, 0.5)) == "1.4142135623730951");
  CHECK(show(float_power(thread(), -8.0, 3)) == "-512.0");
  CHECK(show(float_power(thread(), -2.0, -1)) == "-0.5");
  CHECK(show(float_power(thread(), 0.0, 0)) == "1.0");
  CHECK(show(float_power(thread(), 1.0, NAN)) == "1.0");
  CHECK(show(float_power(thread(), INFINITY, -1)) == "0.0");
  CHECK(show(float_power(thread(), -INFINITY, 3)) == "-inf");
  CHECK(show(float_power(thread(), 0.0, -1)) == "!ZeroDivisionError: 0.0 cannot be raised to a negative power");
  CHECK(show(float_power(thread(), 2.0, 10000)) == "!OverflowError: (34, 'Numerical result out of range')");
  CHECK(show(float_power(thread(), -8.0, 1.0 / 3)) ==
        "!ValueError: negative number cannot be raised to a fractional power");
}

TEST_CASE("float: parsing float(text)") {
  CHECK(parse("1.5") == "1.5");
  CHECK(parse(" -3e2 ") == "-300.0");
  CHECK(parse("1_000.5") == "1000.5");
  CHECK(parse("inf") == "inf");
  CHECK(parse("-Infinity") == "-inf");
  CHECK(parse("nAn") == "nan");
  CHECK(parse(".5") == "0.5");
  CHECK(parse("5.") == "5.0");
  CHECK(parse("1e-500") == "0.0");
  CHECK(parse("1e500") == "inf");
  CHECK(parse("\uff11.\uff15") == "1.5");   // fullwidth digits
  CHECK(parse("1__0") == "!ValueError: could not convert string to float: '1__0'");
  CHECK(parse("1_.5") == "!ValueError: could not convert string to float: '1_.5'");
  CHECK(parse(".") == "!ValueError: could not convert string to float: '.'");
  CHECK(parse("e5") == "!ValueError: could not convert string to float: 'e5'");
  CHECK(parse("0x10") == "!ValueError: could not convert string to float: '0x10'");
  CHECK(parse("  ") == "!ValueError: could not convert string to float: '  '");
  CHECK(show(float_from_value(thread(), list_of({}).get())) ==
        "!TypeError: float() argument must be a string or a real number, not 'list'");
  CHECK(show(float_from_value(thread(), num(3).get())) == "3.0");
}

TEST_CASE("float: rounding is correct on the exact binary value") {
  CHECK(rounded(2.675, 2) == "2.67");
  CHECK(rounded(0.5, 0) == "0.0");
  CHECK(rounded(1.5, 0) == "2.0");
  CHECK(rounded(2.5, 0) == "2.0");
  CHECK(rounded(-0.5, 0) == "-0.0");
  CHECK(rounded(1234.5678, -2) == "1200.0");
  CHECK(rounded(0.125, 2) == "0.12");
  CHECK(rounded(0.375, 2) == "0.38");
  CHECK(rounded(1e300, -300) == "1e+300");
  CHECK(rounded(5e-324, 400) == "5e-324");
  CHECK(rounded(-0.4, 0) == "-0.0");
  CHECK(rounded(123.456, 1) == "123.5");
  CHECK(std::isinf(float_round(1.7976931348623157e308, -308)));
  CHECK(show(float_round_to_int(thread(), 0.5)) == "0");
  CHECK(show(float_round_to_int(thread(), 1.5)) == "2");
  CHECK(show(float_round_to_int(thread(), 2.5)) == "2");
  CHECK(show(float_round_to_int(thread(), -2.5)) == "-2");
  CHECK(show(float_round_to_int(thread(), 3.7)) == "4");
  CHECK(show(float_round_to_int(thread(), INFINITY)) == "!OverflowError: cannot convert float infinity to integer");
  CHECK(show(float_floor_to_int(thread(), -3.5)) == "-4");
  CHECK(show(float_ceil_to_int(thread(), -3.5)) == "-3");
}

TEST_CASE("float: comparisons and methods") {
  CHECK(cmp(flt(NAN).get(), CompareOp::Eq, flt(NAN).get()) == "False");
  CHECK(cmp(flt(NAN).get(), CompareOp::Ne, flt(NAN).get()) == "True");
  CHECK(cmp(flt(0.5).get(), CompareOp::Lt, num(1).get()) == "True");
  CHECK(cmp(flt(-0.0).get(), CompareOp::Eq, num(0).get()) == "True");
  CHECK(call(flt(0.5).get(), "as_integer_ratio") == "(1, 2)");
  CHECK(call(flt(-0.75).get(), "as_integer_ratio") == "(-3, 4)");
  CHECK(call(flt(0.1).get(), "as_integer_ratio") == "(3602879701896397, 36028797018963968)");
  CHECK(call(flt(1e20).get(), "as_integer_ratio") == "(100000000000000000000, 1)");
  CHECK(call(flt(INFINITY).get(), "as_integer_ratio") == "!OverflowError: cannot convert Infinity to integer ratio");
  CHECK(call(flt(3.0).get(), "is_integer") == "True");
  CHECK(call(flt(3.5).get(), "is_integer") == "False");
  CHECK(call(flt(-3.5).get(), "__trunc__") == "-3");
  CHECK(call(flt(2.675).get(), "__round__", {num(2).get()}) == "2.67");
  CHECK(call(flt(2.5).get(), "__round__") == "2");
  CHECK(show(unary_op(thread(), flt(1.0).get(), UnaryOp::Invert)) == "!TypeError: bad operand type for unary ~: 'float'");
}

TEST_CASE("float: immediate floats keep every bit and cover the window around 1.0") {
  auto immediate = [](double d) { return float_new(d).is_immediate_float(); };
  auto round_trips = [](double d) {
    double back = float_value(float_new(d));
    return std::memcmp(&d, &back, sizeof d) == 0;
  };
  for (double d : {0.0, -0.0, 1.0, -1.5, 0.1, 3.141592653589793, 1e-70, -1e70,
                   std::ldexp(1.0, -255), std::ldexp(1.0, 255), std::nextafter(std::ldexp(1.0, 256), 0.0)}) {
    CAPTURE(d);
    CHECK(immediate(d));
    CHECK(round_trips(d));
  }
  // Outside the window (and the two zeros) floats live on the heap, still exact.
  for (double d : {double(INFINITY), -double(INFINITY), double(NAN), 1e300, -1e-300, 5e-324, std::ldexp(1.0, 256),
                   std::ldexp(1.0, -256), -std::ldexp(1.0, -256)}) {
    CAPTURE(d);
    CHECK_FALSE(immediate(d));
    Ref boxed(float_new(d));
    CHECK(is_float(boxed.get()));
    CHECK((std::isnan(d) ? std::isnan(float_value(boxed.get())) : float_value(boxed.get()) == d));
  }
  // One double, one immediate form: `is` is bit equality, and the zeros differ.
  CHECK(float_new(0.25) == float_new(0.25));
  CHECK(float_new(0.0) != float_new(-0.0));
  CHECK(type_of(float_new(2.0)) == &float_type);
  CHECK_FALSE(float_new(2.0).is_obj());
  CHECK_FALSE(is_int(float_new(2.0)));
}
