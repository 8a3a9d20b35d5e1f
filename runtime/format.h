// Text formatting: the format-spec mini-language (format(), f-strings, __format__),
// str.format / str.format_map, and printf-style `%` formatting, all as CPython does them.
// format_value and str_percent_format are declared in runtime/str.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/object.h"

namespace mvm {

// A parsed `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
struct FormatSpec {
  std::string fill = " ";     // one character, as UTF-8
  char align = 0;             // '<', '>', '^', '=' or 0 for the type's default
  bool zero_padding = false;  // a '0' before the width: numbers then default to '=' alignment
  char sign = 0;              // '+', '-', ' ' or 0
  bool no_neg_zero = false;   // 'z': -0.0 rounds to 0.0
  bool alternate = false;     // '#'
  int64_t width = -1;         // -1: none
  char grouping = 0;          // ',' or '_' or 0
  int64_t precision = -1;     // -1: none
  uint32_t type = 0;          // presentation type (a code point), 0 if absent
};

// Parses spec; raises ValueError with CPython's messages (`type_name` names the value's type
// in "Invalid format specifier ... for object of type 'int'"). A spec without a type gets
// default_type ('s' for str, 'd' for int, 0 for float), which the checks of grouping see.
bool parse_format_spec(ThreadState& ts, std::string_view spec, const char* type_name,
                       uint32_t default_type, FormatSpec* out);

// Formatting of the built-in types with a parsed spec (new str references).
Value str_format_with_spec(ThreadState& ts, Str* s, const FormatSpec& spec);
Value int_format(ThreadState& ts, Value v, const FormatSpec& spec);   // int and bool
Value float_format(ThreadState& ts, double v, const FormatSpec& spec);

// ascii(v): repr(v) with non-ASCII characters escaped as \xNN, \uNNNN or \UNNNNNNNN.
Value object_ascii(ThreadState& ts, Value v);

// The __format__ methods, for the types' MethodDef tables (self is args[0], then the spec).
Value str_dunder_format(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames);
Value int_dunder_format(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames);
Value float_dunder_format(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames);

// str.format(*args, **kwargs) and str.format_map(mapping), as str methods.
Value str_format_method(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames);
Value str_format_map_method(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames);

}  // namespace mvm
