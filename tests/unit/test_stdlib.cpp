// Unit tests of the native standard library: the Mersenne Twister against CPython's
// numbers, math.fsum's exact summation, os.path string arithmetic, SHA-512, and a few
// module functions called through the runtime.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "runtime/abstract.h"
#include "runtime/dict.h"
#include "runtime/module.h"
#include "stdlib/math.h"
#include "stdlib/os.h"
#include "stdlib/random.h"
#include "stdlib/sha512.h"
#include "types_test_support.h"
#include "vm/import.h"
#include "vm/interpreter.h"

namespace mvm {
namespace {

std::string repr_double(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

// Calls module.name(*args) and returns the repr of the result (or "!Error: message").
std::string call_in(const char* module, const char* name, std::initializer_list<Value> args) {
  ThreadState& ts = test::thread();
  Ref m(import_module(ts, module));
  if (!m) return "!" + test::take_error();
  Ref fn(object_getattr(ts, m.get(), name));
  if (!fn) return "!" + test::take_error();
  return test::show(call_function(ts, fn.get(), args));
}

std::string call_builtin(const char* name, std::initializer_list<Value> args) {
  return call_in("builtins", name, args);
}

}  // namespace

TEST_CASE("MT19937 seeded like CPython's random.seed(42)") {
  MersenneTwister mt;
  uint32_t key[1] = {42};
  mt.seed_by_array(key, 1);
  CHECK(repr_double(mt.random()) == "0.63942679845788375");   // 0.6394267984578837
  CHECK(repr_double(mt.random()) == "0.025010755222666936");
  CHECK(repr_double(mt.random()) == "0.27502931836911926");
}

TEST_CASE("random module matches CPython for seeded draws") {
  ThreadState& ts = test::thread();
  Ref random(import_module(ts, "random"));
  REQUIRE(random);
  auto run = [&](const char* fn, std::initializer_list<Value> args) { return call_in("random", fn, args); };
  run("seed", {Value::small_int(1)});
  std::string draws;
  for (int i = 0; i < 5; ++i) draws += run("randint", {Value::small_int(1), Value::small_int(100)}) + " ";
  CHECK(draws == "18 73 98 9 33 ");
  run("seed", {Value::small_int(-7)});
  CHECK(run("random", {}) == "0.32383276483316237");
  Ref hello(str_value("hello"));
  run("seed", {hello.get()});
  CHECK(run("random", {}) == "0.3537754404730722");
  Ref two_and_half(float_new(2.5));
  run("seed", {two_and_half.get()});
  CHECK(run("random", {}) == "0.41877545666909954");
  CHECK(run("randrange", {Value::small_int(5), Value::small_int(5)}) ==
        "!ValueError: empty range in randrange(5, 5)");
  CHECK(run("getrandbits", {Value::small_int(-1)}) ==
        "!ValueError: number of bits must be non-negative");
}

TEST_CASE("math.fsum is exact and correctly rounded") {
  auto fsum = [](std::initializer_list<double> values, double* out) {
    FsumAccumulator acc;
    for (double v : values)
      if (acc.add(v) != FsumStatus::Ok) return FsumStatus::Overflow;
    return acc.result(out);
  };
  double r = 0;
  CHECK(fsum({0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, &r) == FsumStatus::Ok);
  CHECK(r == 1.0);
  CHECK(fsum({1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50}, &r) == FsumStatus::Ok);
  CHECK(r == 1e-100);
  CHECK(fsum({1e-16, 1, 1e16}, &r) == FsumStatus::Ok);
  CHECK(repr_double(r) == "10000000000000002");   // the half-even fix-up across partials
  CHECK(fsum({1.7e308, 1.7e308}, &r) == FsumStatus::Overflow);
  CHECK(fsum({HUGE_VAL, -HUGE_VAL}, &r) == FsumStatus::InfMinusInf);
  CHECK(fsum({HUGE_VAL, 1.0}, &r) == FsumStatus::Ok);
  CHECK(r == HUGE_VAL);
}

TEST_CASE("os.path.join and normpath follow posixpath") {
  CHECK(path_join({"a", "b", "c"}) == "a/b/c");
  CHECK(path_join({"a/", "b"}) == "a/b");
  CHECK(path_join({"a", "/abs", "c"}) == "/abs/c");
  CHECK(path_join({"", "x"}) == "x");
  CHECK(path_join({"a", ""}) == "a/");
  CHECK(path_normpath("") == ".");
  CHECK(path_normpath("a//b/./c/..") == "a/b");
  CHECK(path_normpath("/../x") == "/x");
  CHECK(path_normpath("../../x/..") == "../..");
  CHECK(path_normpath("//a") == "//a");
  CHECK(path_normpath("///a") == "/a");
}

TEST_CASE("sha512 of short messages") {
  auto hex = [](std::string_view s) {
    std::string out;
    char buf[3];
    for (uint8_t b : sha512(s)) {
      std::snprintf(buf, sizeof buf, "%02x", b);
      out += buf;
    }
    return out;
  };
  CHECK(hex("abc").substr(0, 32) == "ddaf35a193617abacc417349ae204131");
  CHECK(hex("").substr(0, 32) == "cf83e1357eefb8bdf1542850d66d8007");
}

TEST_CASE("numeric builtins follow CPython's rules") {
  Ref f2675(float_new(2.675)), f25(float_new(2.5)), fm05(float_new(-0.5));
  CHECK(call_builtin("round", {f2675.get(), Value::small_int(2)}) == "2.67");
  CHECK(call_builtin("round", {f25.get()}) == "2");
  CHECK(call_builtin("round", {fm05.get()}) == "0");
  CHECK(call_builtin("round", {Value::small_int(1250), Value::small_int(-2)}) == "1200");
  CHECK(call_builtin("round", {Value::small_int(1350), Value::small_int(-2)}) == "1400");
  CHECK(call_builtin("divmod", {Value::small_int(-7), Value::small_int(2)}) == "(-4, 1)");
  CHECK(call_builtin("hex", {Value::small_int(-255)}) == "'-0xff'");
  CHECK(call_builtin("bin", {Value::small_int(5)}) == "'0b101'");
  CHECK(call_builtin("oct", {Value::small_int(8)}) == "'0o10'");
  CHECK(call_builtin("abs", {Value::small_int(-3)}) == "3");
  CHECK(call_builtin("pow", {Value::small_int(3), Value::small_int(4), Value::small_int(5)}) == "1");
  CHECK(call_builtin("chr", {Value::small_int(0x110000)}) ==
        "!ValueError: chr() arg not in range(0x110000)");
  Ref ab(str_value("ab"));
  CHECK(call_builtin("ord", {ab.get()}) ==
        "!TypeError: ord() expected a character, but string of length 2 found");
}

TEST_CASE("min, max, sum and sorted") {
  ThreadState& ts = test::thread();
  Ref empty(Value::from_obj(list_new(ts)));
  CHECK(call_builtin("max", {empty.get()}) == "!ValueError: max() arg is an empty sequence");
  CHECK(call_builtin("min", {Value::small_int(3), Value::small_int(1), Value::small_int(2)}) == "1");
  Ref items(Value::from_obj(tuple_pack(ts, {Value::small_int(3), Value::small_int(1)})));
  CHECK(call_builtin("sorted", {items.get()}) == "[1, 3]");
  CHECK(call_builtin("sum", {items.get()}) == "4");
  Ref text(str_value("x"));
  CHECK(call_builtin("sum", {items.get(), text.get()}) ==
        "!TypeError: sum() can't sum strings [use ''.join(seq) instead]");
}

TEST_CASE("math functions and their errors") {
  Ref m1(float_new(-1.0)), big(float_new(1000.0));
  CHECK(call_in("math", "sqrt", {Value::small_int(16)}) == "4.0");
  CHECK(call_in("math", "sqrt", {m1.get()}) == "!ValueError: math domain error");
  CHECK(call_in("math", "exp", {big.get()}) == "!OverflowError: math range error");
  CHECK(call_in("math", "factorial", {Value::small_int(20)}) == "2432902008176640000");
  CHECK(call_in("math", "gcd", {Value::small_int(12), Value::small_int(18)}) == "6");
  CHECK(call_in("math", "comb", {Value::small_int(5), Value::small_int(2)}) == "10");
  CHECK(call_in("math", "isqrt", {Value::small_int(17)}) == "4");
  CHECK(call_in("math", "hypot", {Value::small_int(3), Value::small_int(4)}) == "5.0");
  CHECK(call_in("math", "log", {Value::small_int(8), Value::small_int(2)}) == "3.0");
}

}  // namespace mvm
