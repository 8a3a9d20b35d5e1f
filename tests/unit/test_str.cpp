// Unit tests for str (UTF-8 storage, indexing, slicing, repr, hashing, interning, methods),
// the Unicode helpers and bytes. Expected values come from CPython 3.11.
#include <doctest/doctest.h>

#include <cstring>

#include "runtime/bytes.h"
#include "runtime/int.h"
#include "runtime/range.h"
#include "runtime/unicode.h"
#include "tests/unit/str_test_support.h"

using namespace mvm;
using namespace mvm::str_test;

namespace {

std::string getitem(std::string_view text, Value key) {
  Ref s = str(text);
  return outcome(object_getitem(thread(), s.get(), key));
}
std::string slice(std::string_view text, Value start, Value stop, Value step) {
  Ref key(slice_new(thread(), start, stop, step));
  return getitem(text, key.get());
}
Value i(int64_t v) { return Value::small_int(v); }

}  // namespace

TEST_CASE("UTF-8 coding") {
  char buf[4];
  CHECK(utf8_encode(0x41, buf) == 1);
  CHECK(utf8_encode(0xE9, buf) == 2);
  CHECK(utf8_encode(0x20AC, buf) == 3);
  CHECK(utf8_encode(0x1F600, buf) == 4);
  CHECK(std::string_view(buf, 4) == "\xF0\x9F\x98\x80");
  const char* p = buf;
  CHECK(utf8_decode(p) == 0x1F600);
  CHECK(p == buf + 4);
  CHECK(utf8_count("h\xC3\xA9llo") == 5);

  Utf8Error error;
  CHECK_FALSE(utf8_find_error("h\xC3\xA9llo", &error));
  REQUIRE(utf8_find_error("ab\xFF", &error));
  CHECK(error.start == 2);
  CHECK(std::string(error.reason) == "invalid start byte");
  REQUIRE(utf8_find_error("a\xE2\x82", &error));
  CHECK(error.end == 3);
  CHECK(std::string(error.reason) == "unexpected end of data");
  REQUIRE(utf8_find_error("\xED\xA0\x80", &error));   // a surrogate
  CHECK(std::string(error.reason) == "invalid continuation byte");
  CHECK(utf8_find_error("\xC0\x80", &error));            // overlong
  CHECK(utf8_valid("\xF4\x8F\xBF\xBF"));
  CHECK_FALSE(utf8_valid("\xF4\x90\x80\x80"));           // past U+10FFFF
}

TEST_CASE("character classes") {
  CHECK(unicode_isspace(0x3000));
  CHECK_FALSE(unicode_isspace(0x200B));
  CHECK(unicode_isalpha(0xE9));
  CHECK(unicode_decimal_value(0x0663) == 3);   // ARABIC-INDIC DIGIT THREE
  CHECK(unicode_decimal_value(0xB2) == -1);    // superscript two is a digit, not a decimal
  CHECK(unicode_isdigit(0xB2));
  CHECK(unicode_isprintable(0xE9));
  CHECK_FALSE(unicode_isprintable(0xA0));
  CHECK(unicode_istitle(0x1C5));
  CHECK_FALSE(unicode_isupper(0x1C5));
  std::string out;
  unicode_append_case(out, 0xDF, CaseMapping::Upper);
  CHECK(out == "SS");
}

TEST_CASE("str_new computes length and the ASCII flag") {
  Ref ascii = str("hello");
  CHECK(ascii.as<Str>()->length == 5);
  CHECK(ascii.as<Str>()->ascii);
  Ref accented = str("h\xC3\xA9llo");
  CHECK(accented.as<Str>()->size == 6);
  CHECK(accented.as<Str>()->length == 5);
  CHECK_FALSE(accented.as<Str>()->ascii);
  CHECK(accented.as<Str>()->data[6] == '\0');
  CHECK(object_length(thread(), accented.get()) == 5);
  CHECK(str_byte_offset(accented.as<Str>(), 2) == 3);
  CHECK(str_codepoint_index(accented.as<Str>(), 3) == 2);
}

TEST_CASE("one-character and empty strings are shared") {
  Ref a1 = str("a");
  Ref a2 = str("a");
  CHECK(a1.get() == a2.get());
  CHECK(a1.as<Str>() == intern("a"));
  Ref e1 = str("\xC3\xA9");
  CHECK(e1.as<Str>() == str_from_codepoint(0xE9));
  CHECK(str("").get() == Value::from_obj(str_empty()));
  CHECK(str_from_codepoint(0x20AC)->length == 1);
}

TEST_CASE("indexing is by code point") {
  CHECK(getitem("h\xC3\xA9llo", i(1)) == "\xC3\xA9");
  CHECK(getitem("h\xC3\xA9llo", i(-1)) == "o");
  CHECK(getitem("h\xC3\xA9llo", i(2)) == "l");
  CHECK(getitem("h\xC3\xA9llo", i(5)) == "IndexError: string index out of range");
  CHECK(getitem("abc", i(-4)) == "IndexError: string index out of range");
  CHECK(getitem("abc", bool_value(true)) == "b");
  CHECK(getitem("abc", arg("x")) == "TypeError: string indices must be integers, not 'str'");
}

TEST_CASE("slicing with steps") {
  Value n = none();
  CHECK(slice("h\xC3\xA9llo", i(1), i(3), n) == "\xC3\xA9l");
  CHECK(slice("h\xC3\xA9llo", n, n, i(-1)) == "oll\xC3\xA9h");
  CHECK(slice("h\xC3\xA9llo", n, n, i(-2)) == "olh");
  CHECK(slice("h\xC3\xA9llo", i(-2), i(0), i(-1)) == "ll\xC3\xA9");
  CHECK(slice("abcdef", i(1), n, i(2)) == "bdf");
  CHECK(slice("abcdef", i(4), i(1), n) == "");
  CHECK(slice("abc", n, n, i(0)) == "ValueError: slice step cannot be zero");
  // A full slice of an exact str is the str itself.
  Ref s = str("whole");
  Ref key(slice_new(thread(), n, n, n));
  Ref whole(object_getitem(thread(), s.get(), key.get()));
  CHECK(whole.get() == s.get());
}

TEST_CASE("repr chooses quotes and escapes like CPython") {
  CHECK(str_repr("abc") == "'abc'");
  CHECK(str_repr("it's") == "\"it's\"");
  CHECK(str_repr("it's \"x\"") == "'it\\'s \"x\"'");
  CHECK(str_repr("a\\b\n\r\t") == "'a\\\\b\\n\\r\\t'");
  CHECK(str_repr(std::string_view("\0\x01\x7f", 3)) == "'\\x00\\x01\\x7f'");
  CHECK(str_repr("\xC3\xA9") == "'\xC3\xA9'");             // printable: kept
  CHECK(str_repr("\xC2\xA0\xC2\xAD") == "'\\xa0\\xad'");     // NBSP, soft hyphen
  CHECK(str_repr("\xE2\x80\x8B") == "'\\u200b'");            // zero-width space
  CHECK(str_repr("\xF3\xA0\x80\x81") == "'\\U000e0001'");    // a tag character
  CHECK(str_repr("\xF0\x9F\x98\x80") == "'\xF0\x9F\x98\x80'");
  CHECK(outcome(object_repr(thread(), arg("x'y"))) == "\"x'y\"");
}

TEST_CASE("hash, equality and ordering") {
  Ref a = str("hello w\xC3\xB6rld");
  Ref b = str("hello w\xC3\xB6rld");
  CHECK(a.get() != b.get());
  CHECK(str_hash(a.as<Str>()) == str_hash(b.as<Str>()));
  CHECK(str_hash(a.as<Str>()) != -1);
  CHECK(str_equal(a.as<Str>(), b.as<Str>()));
  CHECK(object_compare_bool(thread(), arg("abc"), arg("abd"), CompareOp::Lt) == 1);
  CHECK(object_compare_bool(thread(), arg("ab"), arg("abc"), CompareOp::Lt) == 1);
  CHECK(object_compare_bool(thread(), arg("\xC3\xA9"), arg("z"), CompareOp::Gt) == 1);  // by code point
  CHECK(object_compare_bool(thread(), arg("b"), arg("b"), CompareOp::Ge) == 1);
  CHECK(outcome(object_compare(thread(), arg("a"), i(1), CompareOp::Lt)) ==
        "TypeError: '<' not supported between instances of 'str' and 'int'");
}

TEST_CASE("intern returns one immortal string per text") {
  Str* x = intern("some_name");
  CHECK(x == intern("some_name"));
  CHECK(x->is_immortal());
  CHECK((x->ob_flags & kFlagInterned) != 0);
  Str* fresh = str_new("another_name");
  Str* interned = intern_str(fresh);   // solely owned: interned in place
  CHECK(interned == fresh);
  CHECK(interned == intern("another_name"));
  Str* duplicate = str_new("another_name");
  CHECK(intern_str(duplicate) == interned);
}

TEST_CASE("operators") {
  ThreadState& ts = thread();
  CHECK(outcome(binary_op(ts, arg("ab"), arg("\xC3\xA9"), BinaryOp::Add)) == "ab\xC3\xA9");
  CHECK(outcome(binary_op(ts, arg("ab"), i(3), BinaryOp::Mul)) == "ababab");
  CHECK(outcome(binary_op(ts, i(2), arg("\xC3\xA9"), BinaryOp::Mul)) == "\xC3\xA9\xC3\xA9");
  CHECK(outcome(binary_op(ts, arg("ab"), i(-1), BinaryOp::Mul)) == "");
  CHECK(outcome(binary_op(ts, arg("ab"), i(1), BinaryOp::Add)) ==
        "TypeError: can only concatenate str (not \"int\") to str");
  CHECK(outcome(binary_op(ts, arg("ab"), num(1.5), BinaryOp::Mul)) ==
        "TypeError: can't multiply sequence by non-int of type 'float'");
  CHECK(outcome(binary_op(ts, i(1), arg("a"), BinaryOp::Add)) ==
        "TypeError: unsupported operand type(s) for +: 'int' and 'str'");
  CHECK(object_contains(ts, arg("h\xC3\xA9llo"), arg("\xC3\xA9l")) == 1);
  CHECK(object_contains(ts, arg("hello"), arg("")) == 1);
  CHECK(object_contains(ts, arg("hello"), arg("z")) == 0);
  CHECK(object_contains(ts, arg("hello"), i(1)) == -1);
  CHECK(outcome(Value()) == "TypeError: 'in <string>' requires string as left operand, not int");
}

TEST_CASE("iteration yields code points") {
  ThreadState& ts = thread();
  Ref it(object_iter(ts, arg("a\xC3\xA9\xE2\x82\xAC")));
  std::vector<std::string> items;
  while (Value v = iter_next(ts, it.get())) items.push_back(outcome(v));
  CHECK(items == std::vector<std::string>{"a", "\xC3\xA9", "\xE2\x82\xAC"});
  CHECK_FALSE(error_occurred(ts));
}

TEST_CASE("str() and str(bytes, encoding)") {
  ThreadState& ts = thread();
  Value str_class = Value::from_obj(&str_type);
  Value one = i(12);
  CHECK(outcome(object_call(ts, str_class, &one, 1)) == "12");
  CHECK(outcome(object_call(ts, str_class, nullptr, 0)) == "");
  Ref data(bytes_value(ts, "h\xC3\xA9"));
  Value args[] = {data.get(), arg("utf-8")};
  CHECK(outcome(object_call(ts, str_class, args, 2)) == "h\xC3\xA9");
  CHECK(outcome(object_call(ts, str_class, args, 1)) == "b'h\\xc3\\xa9'");
  Ref bad(bytes_value(ts, "a\xFF"));
  Value bad_args[] = {bad.get(), arg("utf-8")};
  CHECK(outcome(object_call(ts, str_class, bad_args, 2)) ==
        "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 1: invalid start byte");
}

TEST_CASE("str methods agree with CPython") {
  [[maybe_unused]] ThreadState& ts = thread();
#include "tests/unit/test_str_cases.inc"
  CHECK(call("x", "maketrans", {arg("ab"), arg("xy"), arg("c")}) == "{97: 120, 98: 121, 99: None}");
  CHECK(call("x", "maketrans", {arg("ab"), arg("x")}) ==
        "ValueError: the first two maketrans arguments must have equal length");
}

TEST_CASE("bytes") {
  ThreadState& ts = thread();
  Ref b(bytes_value(ts, std::string_view("a'\"\\\n\x00\xff", 7)));
  CHECK(outcome(object_repr(ts, b.get())) == "b'a\\'\"\\\\\\n\\x00\\xff'");
  CHECK(bytes_repr("it's") == "b\"it's\"");
  CHECK(object_length(ts, b.get()) == 7);
  CHECK(outcome(object_getitem(ts, b.get(), i(-1))) == "255");
  Ref abc(bytes_value(ts, "abc"));
  Ref key(slice_new(ts, none(), none(), i(-1)));
  CHECK(outcome(object_getitem(ts, abc.get(), key.get())) == "b'cba'");
  CHECK(object_contains(ts, abc.get(), i(98)) == 1);
  CHECK(outcome(binary_op(ts, abc.get(), abc.get(), BinaryOp::Add)) == "b'abcabc'");
  CHECK(call(abc.get(), "hex", {}) == "616263");
  CHECK(call(abc.get(), "upper", {}) == "b'ABC'");
  CHECK(call(abc.get(), "decode", {}) == "abc");
  Ref bad(bytes_value(ts, "\xE2\x82"));
  CHECK(call(bad.get(), "decode", {}) ==
        "UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-1: unexpected end of data");
  CHECK(call(bad.get(), "decode", {arg("utf-8"), arg("replace")}) == "\xEF\xBF\xBD");
  CHECK(call(bad.get(), "decode", {arg("utf-8"), arg("backslashreplace")}) == "\\xe2\\x82");
  Value bytes_class = Value::from_obj(&bytes_type);
  Value three = i(3);
  CHECK(outcome(object_call(ts, bytes_class, &three, 1)) == "b'\\x00\\x00\\x00'");
  Value from_str[] = {arg("\xC3\xA9"), arg("utf-8")};
  CHECK(outcome(object_call(ts, bytes_class, from_str, 2)) == "b'\\xc3\\xa9'");
  CHECK(outcome(object_call(ts, bytes_class, from_str, 1)) ==
        "TypeError: string argument without an encoding");
  Value ints = tuple(ts, {i(104), i(105)});
  CHECK(outcome(object_call(ts, bytes_class, &ints, 1)) == "b'hi'");
  Value bad_ints = tuple(ts, {i(256)});
  CHECK(outcome(object_call(ts, bytes_class, &bad_ints, 1)) ==
        "ValueError: bytes must be in range(0, 256)");
}
