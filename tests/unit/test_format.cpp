// Unit tests for runtime/format.cpp: the format-spec mini-language, str.format/format_map
// and printf-style `%` formatting, checked against tables of CPython 3.11 results.
#include <doctest/doctest.h>

#include <cmath>

#include "runtime/format.h"
#include "runtime/int.h"
#include "tests/unit/str_test_support.h"

using namespace mvm;
using namespace mvm::str_test;

namespace {

Value big(const char* digits) { return int_from_string(thread(), digits, 10); }

// format(value, spec) as text.
std::string fmt(Value value, std::string_view spec) {
  Ref spec_str = str(spec);
  return outcome(format_value(thread(), value, spec_str.as<Str>()));
}

// template % args as text.
std::string percent(std::string_view templ, Value args) {
  Ref t = str(templ);
  return outcome(str_percent_format(thread(), t.as<Str>(), args));
}

// template.format(*positional, **{names[i]: values[i]}) as text.
std::string format_kw(std::string_view templ, std::initializer_list<Value> positional,
                      std::initializer_list<const char*> names,
                      std::initializer_list<Value> values) {
  ThreadState& ts = thread();
  std::vector<Value> args{arg(templ)};
  args.insert(args.end(), positional.begin(), positional.end());
  args.insert(args.end(), values.begin(), values.end());
  Tuple* kwnames = tuple_new(ts, names.size());
  size_t i = 0;
  for (const char* name : names) kwnames->items[i++] = Value::from_obj(intern(name));
  Value result = str_format_method(ts, args.data(), 1 + positional.size(), kwnames);
  decref(Value::from_obj(kwnames));
  return outcome(result);
}

}  // namespace

#include "tests/unit/test_format_cases.inc"

TEST_CASE("parse_format_spec fields") {
  FormatSpec spec;
  REQUIRE(parse_format_spec(thread(), "\xC3\xA9^+z#012_.3f", "float", 0, &spec));
  CHECK(spec.fill == "\xC3\xA9");
  CHECK(spec.align == '^');
  CHECK(spec.sign == '+');
  CHECK(spec.no_neg_zero);
  CHECK(spec.alternate);
  CHECK(spec.width == 12);   // the '0' after an explicit fill is part of the width
  CHECK(spec.grouping == '_');
  CHECK(spec.precision == 3);
  CHECK(spec.type == 'f');
  REQUIRE(parse_format_spec(thread(), "08", "int", 'd', &spec));
  CHECK(spec.fill == "0");
  CHECK(spec.zero_padding);
  CHECK(spec.width == 8);
  CHECK(spec.type == 'd');
}

TEST_CASE("str.format with keyword arguments") {
  CHECK(format_kw("{name}={value:>4}", {}, {"name", "value"}, {arg("x"), Value::small_int(7)}) ==
        "x=   7");
  CHECK(format_kw("{0}{name}", {arg("a")}, {"name"}, {arg("b")}) == "ab");
  CHECK(format_kw("{missing}", {}, {"name"}, {arg("b")}) == "KeyError: 'missing'");
  CHECK(format_kw("{0.real}", {Value::small_int(5)}, {}, {}) == "5");
  CHECK(format_kw("{0.nope}", {Value::small_int(5)}, {}, {}) ==
        "AttributeError: 'int' object has no attribute 'nope'");
}

TEST_CASE("str.format_map") {
  ThreadState& ts = thread();
  Value m = mapping(ts, {{arg("who"), arg("world")}, {arg("n"), Value::small_int(3)}});
  CHECK(call("hello {who}, {n:03}", "format_map", {m}) == "hello world, 003");
  CHECK(call("{}", "format_map", {m}) == "ValueError: Format string contains positional fields");
  CHECK(call("{x}", "format_map", {m}) == "KeyError: 'x'");
}

TEST_CASE("__format__ methods and object_ascii") {
  CHECK(call("ab", "__format__", {arg(">4")}) == "  ab");
  CHECK(call("ab", "__format__", {Value::small_int(1)}) ==
        "TypeError: __format__() argument must be str, not int");
  CHECK(outcome(object_ascii(thread(), arg("h\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"))) ==
        "'h\\xe9\\u20ac\\U0001f600'");
}
