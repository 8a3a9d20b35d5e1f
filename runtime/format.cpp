// Text formatting as CPython does it: the format-spec mini-language behind format() and
// f-strings, str.format/format_map, and printf-style `%` formatting. Floats are converted
// with snprintf (correctly rounded by glibc) and then post-processed to Python's rules.
#include "runtime/format.h"

#include <gmp.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/unicode.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {

Value new_str(ThreadState& ts, std::string_view text) {
  return Value::from_obj(str_new_checked(ts, text));
}

// Reads a run of decimal digits at text[*pos] into *out. Returns the number of digits read,
// or -1 (ValueError raised) when the number does not fit.
int64_t read_integer(ThreadState& ts, std::u32string_view text, size_t* pos, int64_t* out) {
  int64_t value = 0, count = 0;
  for (; *pos < text.size(); ++*pos, ++count) {
    int digit = unicode_decimal_value(text[*pos]);
    if (digit < 0) break;
    if (value > (INT64_MAX - digit) / 10) {
      raise(ts, &ValueError_type, "Too many decimal digits in format string");
      return -1;
    }
    value = value * 10 + digit;
  }
  *out = value;
  return count;
}

std::u32string decode_all(std::string_view utf8) {
  std::u32string out;
  for (const char* p = utf8.data(); p < utf8.data() + utf8.size();) out += utf8_decode(p);
  return out;
}

// "'c'" for printable ASCII, "'\x1'" otherwise, as CPython quotes a presentation type.
std::string quoted_code(uint32_t code) {
  char buf[16];
  if (code > 32 && code < 128) {
    std::snprintf(buf, sizeof buf, "'%c'", char(code));
  } else {
    std::snprintf(buf, sizeof buf, "'\\x%x'", code);
  }
  return buf;
}

Value unknown_presentation_type(ThreadState& ts, uint32_t type, const char* type_name) {
  return raise_fmt(ts, &ValueError_type, "Unknown format code %s for object of type '%s'",
                   quoted_code(type).c_str(), type_name);
}

bool is_align(uint32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

}  // namespace

// --- The format-spec mini-language ---

bool parse_format_spec(ThreadState& ts, std::string_view spec_utf8, const char* type_name,
                       uint32_t default_type, FormatSpec* out) {
  *out = FormatSpec();
  std::u32string spec = decode_all(spec_utf8);
  size_t pos = 0, end = spec.size();
  bool fill_given = false, align_given = false;
  if (end >= 2 && is_align(spec[1])) {
    out->fill.clear();
    utf8_append(out->fill, spec[0]);
    out->align = char(spec[1]);
    fill_given = align_given = true;
    pos = 2;
  } else if (end >= 1 && is_align(spec[0])) {
    out->align = char(spec[0]);
    align_given = true;
    pos = 1;
  }
  if (pos < end && (spec[pos] == '+' || spec[pos] == '-' || spec[pos] == ' ')) out->sign = char(spec[pos++]);
  if (pos < end && spec[pos] == 'z') {
    out->no_neg_zero = true;
    ++pos;
  }
  if (pos < end && spec[pos] == '#') {
    out->alternate = true;
    ++pos;
  }
  // A leading '0' means zero padding after the sign, unless a fill was given.
  if (!fill_given && pos < end && spec[pos] == '0') {
    out->fill = "0";
    out->zero_padding = !align_given;
    ++pos;
  }
  int64_t consumed = read_integer(ts, spec, &pos, &out->width);
  if (consumed < 0) return false;
  if (consumed == 0) out->width = -1;
  if (pos < end && spec[pos] == ',') {
    out->grouping = ',';
    ++pos;
  }
  if (pos < end && spec[pos] == '_') {
    if (out->grouping) {
      raise(ts, &ValueError_type, "Cannot specify both ',' and '_'.");
      return false;
    }
    out->grouping = '_';
    ++pos;
  }
  if (pos < end && spec[pos] == ',' && out->grouping == '_') {
    raise(ts, &ValueError_type, "Cannot specify both ',' and '_'.");
    return false;
  }
  if (pos < end && spec[pos] == '.') {
    ++pos;
    consumed = read_integer(ts, spec, &pos, &out->precision);
    if (consumed < 0) return false;
    if (consumed == 0) {
      raise(ts, &ValueError_type, "Format specifier missing precision");
      return false;
    }
  }
  if (end - pos > 1) {
    raise_fmt(ts, &ValueError_type, "Invalid format specifier '%.*s' for object of type '%s'",
              int(spec_utf8.size()), spec_utf8.data(), type_name);
    return false;
  }
  out->type = end - pos == 1 ? spec[pos] : default_type;
  if (out->grouping) {
    switch (out->type) {
      case 0: case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F':
        break;
      case 'b': case 'o': case 'x': case 'X':
        if (out->grouping == '_') break;   // every four digits in these bases
        [[fallthrough]];
      default:
        raise_fmt(ts, &ValueError_type, "Cannot specify '%c' with %s.", out->grouping,
                  quoted_code(out->type).c_str());
        return false;
    }
  }
  return true;
}

namespace {

// --- Padding and number layout ---

std::string repeat_fill(const std::string& fill, int64_t count) {
  std::string out;
  for (int64_t i = 0; i < count; ++i) out += fill;
  return out;
}

// Pads text (of `length` code points) to spec.width with spec.fill.
std::string pad_text(std::string text, size_t length, const FormatSpec& spec, char align) {
  int64_t padding = spec.width - int64_t(length);
  if (padding <= 0) return text;
  int64_t left = align == '>' ? padding : align == '^' ? padding / 2 : 0;
  return repeat_fill(spec.fill, left) + text + repeat_fill(spec.fill, padding - left);
}

// Inserts separators every `group` digits from the right. With min_width > 0 (zero padding
// under '=' alignment) the digits are first padded with zeros, the separators continuing
// into the padding, so that format(1234, '010,') is '00,001,234' as in CPython.
std::string group_digits(std::string_view digits, int64_t min_width, char separator, int group) {
  std::string reversed;
  int64_t remaining = int64_t(digits.size());
  size_t next = digits.size();   // digits[0, next) are still to be placed
  for (bool first = true;; first = false) {
    int64_t take = std::min<int64_t>(group, std::max<int64_t>({remaining, min_width, 1}));
    int64_t zeros = std::max<int64_t>(0, take - remaining);
    int64_t chars = std::max<int64_t>(0, std::min(remaining, take));
    if (!first) reversed += separator;
    for (int64_t i = 0; i < chars; ++i) reversed += digits[--next];
    reversed.append(size_t(zeros), '0');
    remaining -= chars;
    min_width -= take;
    if (remaining <= 0 && min_width <= 0) break;
    min_width -= 1;   // the separator's width
  }
  return std::string(reversed.rbegin(), reversed.rend());
}

// A number's text before padding: sign, prefix (0x...), the digits grouping applies to, and
// the rest (fraction, exponent, '%').
struct NumberText {
  bool negative = false;
  std::string prefix;
  std::string digits;
  std::string rest;
  int group = 3;   // digits per group when grouping
};

Value layout_number(ThreadState& ts, const FormatSpec& spec, const NumberText& n) {
  std::string sign = n.negative ? "-" : (spec.sign == '+' || spec.sign == ' ') ? std::string(1, spec.sign) : "";
  char align = spec.align ? spec.align : spec.zero_padding ? '=' : '>';
  std::string digits = n.digits;
  int64_t fixed = int64_t(sign.size() + n.prefix.size() + n.rest.size());
  if (spec.grouping && !digits.empty()) {   // "inf" and "nan" have no digits to group
    int64_t min_width = (spec.fill == "0" && align == '=') ? spec.width - fixed : 0;
    digits = group_digits(digits, min_width, spec.grouping, n.group);
  }
  int64_t length = fixed + int64_t(utf8_count(digits));
  int64_t padding = std::max<int64_t>(0, spec.width - length);
  std::string out;
  if (align == '=') {
    out = sign + n.prefix + repeat_fill(spec.fill, padding) + digits + n.rest;
  } else {
    int64_t left = align == '>' ? padding : align == '^' ? padding / 2 : 0;
    out = repeat_fill(spec.fill, left) + sign + n.prefix + digits + n.rest +
          repeat_fill(spec.fill, padding - left);
  }
  return new_str(ts, out);
}

// The digits of |v| in base 2, 8, 10 or 16 (lowercase).
std::string int_abs_digits(Value v, int base) {
  if (v.is_small_int() || is_bool(v)) {
    int64_t n = v.is_small_int() ? v.as_small_int() : v.as<Bool>()->value;
    uint64_t magnitude = n < 0 ? uint64_t(0) - uint64_t(n) : uint64_t(n);
    std::string out;
    do {
      out += "0123456789abcdef"[magnitude % unsigned(base)];
      magnitude /= unsigned(base);
    } while (magnitude);
    return std::string(out.rbegin(), out.rend());
  }
  mpz_t z;
  mpz_init(z);
  int_to_mpz(v, z);
  mpz_abs(z, z);
  std::string out(mpz_sizeinbase(z, base) + 2, '\0');
  mpz_get_str(out.data(), base, z);
  out.resize(std::strlen(out.c_str()));
  mpz_clear(z);
  return out;
}

// --- Floats ---

// snprintf with a conversion ("f", "e", "g") and precision.
std::string c_format(const char* conversion, int64_t precision, bool alternate, double x) {
  char format[16];
  std::snprintf(format, sizeof format, "%%%s.*%s", alternate ? "#" : "", conversion);
  int n = std::snprintf(nullptr, 0, format, int(precision), x);
  std::string out(size_t(n), '\0');
  std::snprintf(out.data(), size_t(n) + 1, format, int(precision), x);
  return out;
}

// Removes trailing zeros of the fraction, and then a bare '.', keeping any exponent.
void strip_fraction_zeros(std::string& text) {
  size_t exponent = text.find_first_of("eE");
  std::string tail = exponent == std::string::npos ? "" : text.substr(exponent);
  std::string mantissa = text.substr(0, exponent);
  if (mantissa.find('.') != std::string::npos) {
    while (mantissa.back() == '0') mantissa.pop_back();
    if (mantissa.back() == '.') mantissa.pop_back();
  }
  text = mantissa + tail;
}

// The presentation type none with a precision: like 'g', but scientific from exponent p-1
// on, and an integral result keeps a ".0" (format(12.0, '.3') is '12.0').
std::string general_with_dot(double x, int64_t precision, bool alternate) {
  int64_t p = std::max<int64_t>(precision, 1);
  std::string scientific = c_format("e", p - 1, alternate, x);
  int exponent = std::atoi(scientific.c_str() + scientific.find('e') + 1);
  std::string out;
  if (exponent < -4 || exponent >= p - 1) {
    out = scientific;
  } else {
    out = c_format("f", p - 1 - exponent, alternate, x);
  }
  if (!alternate) strip_fraction_zeros(out);
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

// The text of a finite x >= 0 for a presentation type ('r' is repr, 'd' marks the
// precision-only none type).
std::string float_body(double x, char type, int64_t precision, bool alternate) {
  switch (type) {
    case 'r': {
      std::string out = float_repr(x);
      // '#' keeps a decimal point even in 1e+16.
      if (alternate && out.find('.') == std::string::npos) {
        size_t e = out.find('e');
        out.insert(e == std::string::npos ? out.size() : e, ".");
      }
      return out;
    }
    case 'd':
      return general_with_dot(x, precision, alternate);
    case 'f': case 'F':
      return c_format("f", precision, alternate, x);
    case 'e': case 'E':
      return c_format("e", precision, alternate, x);
    default:   // 'g', 'G'
      return c_format("g", std::max<int64_t>(precision, 1), alternate, x);
  }
}

bool mantissa_is_zero(const std::string& text) {
  for (char c : text) {
    if (c == 'e' || c == 'E') break;
    if (c >= '1' && c <= '9') return false;
  }
  return true;
}

// Splits a formatted float into the integer digits (which grouping applies to) and the rest.
void split_float_text(const std::string& body, NumberText* n) {
  size_t digits_end = 0;
  while (digits_end < body.size() && body[digits_end] >= '0' && body[digits_end] <= '9') ++digits_end;
  n->digits = body.substr(0, digits_end);
  n->rest = body.substr(digits_end);
}

}  // namespace

Value float_format(ThreadState& ts, double value, const FormatSpec& spec) {
  uint32_t type = spec.type;
  switch (type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
      break;
    default:
      return unknown_presentation_type(ts, type, "float");
  }
  int64_t precision = spec.precision;
  char mode = char(type);
  if (type == 0) mode = precision < 0 ? 'r' : 'd';
  if (type == 'n') mode = 'g';
  bool percent = type == '%';
  if (percent) {
    value *= 100;
    mode = 'f';
  }
  if (precision < 0) precision = 6;
  bool upper = type == 'E' || type == 'F' || type == 'G';
  NumberText n;
  n.negative = std::signbit(value) && !std::isnan(value);
  double x = std::fabs(value);
  std::string body;
  if (std::isnan(x)) {
    body = upper ? "NAN" : "nan";
  } else if (std::isinf(x)) {
    body = upper ? "INF" : "inf";
  } else {
    body = float_body(x, mode, precision, spec.alternate);
    if (upper) {
      for (char& c : body) c = char(std::toupper(static_cast<unsigned char>(c)));
    }
    if (spec.no_neg_zero && n.negative && mantissa_is_zero(body)) n.negative = false;
  }
  if (percent) body += '%';
  split_float_text(body, &n);
  return layout_number(ts, spec, n);
}

Value int_format(ThreadState& ts, Value v, const FormatSpec& spec) {
  uint32_t type = spec.type;
  switch (type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
      break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
      double d;
      if (!int_to_double_checked(ts, v, &d)) return Value();
      return float_format(ts, d, spec);
    }
    default:
      return unknown_presentation_type(ts, type, type_name(v));
  }
  if (spec.precision != -1) {
    return raise(ts, &ValueError_type, "Precision not allowed in integer format specifier");
  }
  if (spec.no_neg_zero) {
    return raise(ts, &ValueError_type,
                 "Negative zero coercion (z) not allowed in integer format specifier");
  }
  NumberText n;
  if (type == 'c') {
    if (spec.sign) {
      return raise(ts, &ValueError_type, "Sign not allowed with integer format specifier 'c'");
    }
    if (spec.alternate) {
      return raise(ts, &ValueError_type,
                   "Alternate form (#) not allowed with integer format specifier 'c'");
    }
    int64_t code;
    if (!int_to_int64(ts, v, &code) || code < 0 || code > 0x10FFFF) {
      clear_error(ts);
      return raise(ts, &OverflowError_type, "%c arg not in range(0x110000)");
    }
    utf8_append(n.digits, uint32_t(code));
    return layout_number(ts, spec, n);
  }
  int base = type == 'b' ? 2 : type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
  n.negative = int_sign(v) < 0;
  n.digits = int_abs_digits(v, base);
  if (spec.alternate && base != 10) n.prefix = type == 'b' ? "0b" : type == 'o' ? "0o" : "0x";
  if (type == 'X') {
    for (char& c : n.digits) c = char(std::toupper(static_cast<unsigned char>(c)));
    if (!n.prefix.empty()) n.prefix = "0X";
  }
  n.group = base == 10 ? 3 : 4;
  return layout_number(ts, spec, n);
}

Value str_format_with_spec(ThreadState& ts, Str* s, const FormatSpec& spec) {
  if (spec.type != 's') return unknown_presentation_type(ts, spec.type, "str");
  if (spec.sign) return raise(ts, &ValueError_type, "Sign not allowed in string format specifier");
  if (spec.no_neg_zero) {
    return raise(ts, &ValueError_type,
                 "Negative zero coercion (z) not allowed in string format specifier");
  }
  if (spec.alternate) {
    return raise(ts, &ValueError_type, "Alternate form (#) not allowed in string format specifier");
  }
  if (spec.align == '=') {
    return raise(ts, &ValueError_type, "'=' alignment not allowed in string format specifier");
  }
  size_t length = s->length;
  std::string_view text = str_view(s);
  if (spec.precision >= 0 && size_t(spec.precision) < length) {
    length = size_t(spec.precision);
    text = text.substr(0, str_byte_offset(s, length));
  }
  if (spec.width <= int64_t(length) && text.size() == s->size && s->ob_type == &str_type) {
    return newref(Value::from_obj(s));
  }
  return new_str(ts, pad_text(std::string(text), length, spec, spec.align ? spec.align : '<'));
}

// --- format(value, spec) and the __format__ methods ---

namespace {

// The presentation type a spec without one gets: str 's', int and bool 'd', float none.
uint32_t default_type_of(const Type* type) {
  if (type == &str_type) return 's';
  return type == &float_type ? 0 : 'd';
}

}  // namespace

Value format_value(ThreadState& ts, Value value, Str* spec) {
  Type* type = type_of(value);
  bool builtin = type == &str_type || type == &int_type || type == &bool_type || type == &float_type;
  if (!builtin) {
    Ref result(call_method(ts, value, "__format__", {Value::from_obj(spec)}));
    if (result && !is_str(result.get())) {
      return raise_fmt(ts, &TypeError_type, "__format__ must return a str, not %s",
                       type_name(result.get()));
    }
    return result.release();
  }
  // An empty spec means str(value) for every built-in type.
  if (spec->size == 0) return object_str(ts, value);
  FormatSpec parsed;
  if (!parse_format_spec(ts, str_view(spec), type->name, default_type_of(type), &parsed)) {
    return Value();
  }
  if (type == &str_type) return str_format_with_spec(ts, value.as<Str>(), parsed);
  if (type == &float_type) return float_format(ts, float_value(value), parsed);
  return int_format(ts, value, parsed);
}

namespace {

// Checks the (self, format_spec) arguments of a __format__ method.
bool dunder_format_args(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "__format__", kwnames) || !check_nargs(ts, "__format__", nargs - 1, 1, 1)) {
    return false;
  }
  if (is_str(args[1])) return true;
  raise_fmt(ts, &TypeError_type, "__format__() argument must be str, not %s", type_name(args[1]));
  return false;
}

// The shared body of the built-in __format__ methods: parse the spec, then format.
template <class FormatFn>
Value dunder_format(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                    uint32_t default_type, FormatFn format) {
  if (!dunder_format_args(ts, args, nargs, kwnames)) return Value();
  Str* spec = args[1].as<Str>();
  if (spec->size == 0) return object_str(ts, args[0]);
  FormatSpec parsed;
  if (!parse_format_spec(ts, str_view(spec), type_name(args[0]), default_type, &parsed)) {
    return Value();
  }
  return format(parsed);
}

}  // namespace

Value str_dunder_format(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return dunder_format(ts, args, nargs, kwnames, 's', [&](const FormatSpec& spec) {
    return str_format_with_spec(ts, args[0].as<Str>(), spec);
  });
}

Value int_dunder_format(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return dunder_format(ts, args, nargs, kwnames, 'd',
                       [&](const FormatSpec& spec) { return int_format(ts, args[0], spec); });
}

Value float_dunder_format(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return dunder_format(ts, args, nargs, kwnames, 0, [&](const FormatSpec& spec) {
    return float_format(ts, float_value(args[0]), spec);
  });
}

Value object_ascii(ThreadState& ts, Value v) {
  Ref repr(object_repr(ts, v));
  if (!repr) return Value();
  if (repr.as<Str>()->ascii) return repr.release();
  std::string_view text = str_view(repr.get());
  std::string out;
  for (const char* p = text.data(); p < text.data() + text.size();) {
    uint32_t cp = utf8_decode(p);
    char buf[16];
    if (cp < 0x80) {
      out += char(cp);
      continue;
    }
    if (cp < 0x100) {
      std::snprintf(buf, sizeof buf, "\\x%02x", cp);
    } else if (cp < 0x10000) {
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
    } else {
      std::snprintf(buf, sizeof buf, "\\U%08x", cp);
    }
    out += buf;
  }
  return new_str(ts, out);
}

// --- str.format and str.format_map ---

namespace {

// Where replacement fields find their values. format() has positional args and keyword
// names/values; format_map() has only the mapping.
struct FieldSource {
  const Value* args = nullptr;   // null for format_map: positional fields are an error
  size_t nargs = 0;
  Tuple* kwnames = nullptr;      // str.format's keywords; their values follow args
  Value mapping;                 // format_map's argument
};

// Automatic ({}) and manual ({0}) numbering may not be mixed.
struct AutoNumber {
  enum State { Init, Auto, Manual } state = Init;
  int64_t next = 0;
};

// The index of a field name that is all decimal digits, -1 if it is not a number, or -2
// (ValueError raised) on overflow.
int64_t field_index(ThreadState& ts, std::string_view name) {
  if (name.empty()) return -1;
  std::u32string digits = decode_all(name);
  size_t pos = 0;
  int64_t value;
  int64_t consumed = read_integer(ts, digits, &pos, &value);
  if (consumed < 0) return -2;
  return pos == digits.size() ? value : -1;
}

Value lookup_keyword(ThreadState& ts, const FieldSource& source, std::string_view name) {
  Ref key(new_str(ts, name));
  if (!key) return Value();
  if (source.mapping) return object_getitem(ts, source.mapping, key.get());
  size_t nkw = source.kwnames ? source.kwnames->size : 0;
  for (size_t i = 0; i < nkw; ++i) {
    if (str_view(source.kwnames->items[i]) == name) return newref(source.args[source.nargs + i]);
  }
  return raise_key_error(ts, key.get());
}

// Resolves a field name such as "0", "name", "0.attr[key][1]" to its value.
Value get_field(ThreadState& ts, std::string_view field, const FieldSource& source,
                AutoNumber& numbering) {
  size_t first_end = field.find_first_of(".[");
  if (first_end == std::string_view::npos) first_end = field.size();
  std::string_view first = field.substr(0, first_end);
  int64_t index = field_index(ts, first);
  if (index == -2) return Value();
  bool empty = first.empty();
  if (empty || index >= 0) {
    if (numbering.state == AutoNumber::Init) {
      numbering.state = empty ? AutoNumber::Auto : AutoNumber::Manual;
    }
    if (numbering.state == AutoNumber::Manual && empty) {
      return raise(ts, &ValueError_type,
                   "cannot switch from manual field specification to automatic field numbering");
    }
    if (numbering.state == AutoNumber::Auto && !empty) {
      return raise(ts, &ValueError_type,
                   "cannot switch from automatic field numbering to manual field specification");
    }
    if (empty) index = numbering.next++;
  }
  Ref object;
  if (index < 0) {
    object.reset(lookup_keyword(ts, source, first));
  } else if (!source.args) {
    return raise(ts, &ValueError_type, "Format string contains positional fields");
  } else if (size_t(index) >= source.nargs) {
    return raise_fmt(ts, &IndexError_type,
                     "Replacement index %lld out of range for positional args tuple",
                     static_cast<long long>(index));
  } else {
    object.reset(newref(source.args[index]));
  }
  if (!object) return Value();
  // The rest: a chain of .attribute and [key] accessors.
  size_t pos = first_end;
  while (pos < field.size()) {
    char kind = field[pos++];
    size_t name_end;
    if (kind == '.') {
      name_end = field.find_first_of(".[", pos);
      if (name_end == std::string_view::npos) name_end = field.size();
    } else if (kind == '[') {
      name_end = field.find(']', pos);
      if (name_end == std::string_view::npos) {
        return raise(ts, &ValueError_type, "Missing ']' in format string");
      }
    } else {
      return raise(ts, &ValueError_type,
                   "Only '.' or '[' may follow ']' in format field specifier");
    }
    std::string_view name = field.substr(pos, name_end - pos);
    if (name.empty()) return raise(ts, &ValueError_type, "Empty attribute in format string");
    pos = kind == '[' ? name_end + 1 : name_end;
    Ref key;
    if (kind == '.') {
      Ref attr(new_str(ts, name));
      if (!attr) return Value();
      object.reset(object_getattr(ts, object.get(), attr.as<Str>()));
    } else {
      int64_t item = field_index(ts, name);
      if (item == -2) return Value();
      key.reset(item >= 0 ? int_from_int64(item) : new_str(ts, name));
      if (!key) return Value();
      object.reset(object_getitem(ts, object.get(), key.get()));
    }
    if (!object) return Value();
  }
  return object.release();
}

Value convert_field(ThreadState& ts, Value value, uint32_t conversion) {
  switch (conversion) {
    case 'r': return object_repr(ts, value);
    case 's': return object_str(ts, value);
    case 'a': return object_ascii(ts, value);
    default:
      if (conversion > 32 && conversion < 127) {
        return raise_fmt(ts, &ValueError_type, "Unknown conversion specifier %c", char(conversion));
      }
      return raise_fmt(ts, &ValueError_type, "Unknown conversion specifier \\x%x", conversion);
  }
}

// One replacement field, split into its parts (views into the format string).
struct Field {
  std::string_view name;
  uint32_t conversion = 0;
  std::string_view spec;
  bool spec_has_fields = false;   // the spec holds nested {fields} to expand first
};

// Parses the field that starts after a '{' at fmt[*pos]; leaves *pos after its '}'.
bool parse_field(ThreadState& ts, std::string_view fmt, size_t* pos, Field* field) {
  size_t start = *pos;
  char c = 0;
  while (*pos < fmt.size()) {
    c = fmt[(*pos)++];
    if (c == '{') {
      raise(ts, &ValueError_type, "unexpected '{' in field name");
      return false;
    }
    if (c == '[') {
      while (*pos < fmt.size() && fmt[*pos] != ']') ++*pos;
      continue;
    }
    if (c == '}' || c == ':' || c == '!') break;
  }
  field->name = fmt.substr(start, *pos - start - (c == '}' || c == ':' || c == '!' ? 1 : 0));
  if (c == '!' || c == ':') {
    if (c == '!') {
      if (*pos >= fmt.size()) {
        raise(ts, &ValueError_type, "end of string while looking for conversion specifier");
        return false;
      }
      field->conversion = utf8_decode_at(fmt, *pos);
      *pos += utf8_seq_length(static_cast<unsigned char>(fmt[*pos]));
      if (*pos < fmt.size()) {
        c = fmt[(*pos)++];
        if (c == '}') return true;
        if (c != ':') {
          raise(ts, &ValueError_type, "expected ':' after conversion specifier");
          return false;
        }
      }
    }
    size_t spec_start = *pos;
    for (int depth = 1; *pos < fmt.size();) {
      c = fmt[(*pos)++];
      if (c == '{') {
        field->spec_has_fields = true;
        ++depth;
      } else if (c == '}' && --depth == 0) {
        field->spec = fmt.substr(spec_start, *pos - 1 - spec_start);
        return true;
      }
    }
    raise(ts, &ValueError_type, "unmatched '{' in format spec");
    return false;
  }
  if (c != '}') {
    raise(ts, &ValueError_type, "expected '}' before end of string");
    return false;
  }
  return true;
}

bool build_formatted(ThreadState& ts, std::string_view fmt, const FieldSource& source,
                     int depth, AutoNumber& numbering, std::string* out);

bool render_field(ThreadState& ts, const Field& field, const FieldSource& source, int depth,
                  AutoNumber& numbering, std::string* out) {
  Ref value(get_field(ts, field.name, source, numbering));
  if (!value) return false;
  if (field.conversion) {
    value.reset(convert_field(ts, value.get(), field.conversion));
    if (!value) return false;
  }
  std::string spec_text(field.spec);
  if (field.spec_has_fields) {
    spec_text.clear();
    if (!build_formatted(ts, field.spec, source, depth - 1, numbering, &spec_text)) return false;
  }
  Ref spec(new_str(ts, spec_text));
  if (!spec) return false;
  Ref formatted(format_value(ts, value.get(), spec.as<Str>()));
  if (!formatted) return false;
  *out += str_view(formatted.get());
  return true;
}

// Expands fmt into out. depth limits nesting: fields inside a spec may not nest again.
bool build_formatted(ThreadState& ts, std::string_view fmt, const FieldSource& source,
                     int depth, AutoNumber& numbering, std::string* out) {
  if (depth <= 0) {
    raise(ts, &ValueError_type, "Max string recursion exceeded");
    return false;
  }
  size_t pos = 0;
  while (pos < fmt.size()) {
    size_t brace = fmt.find_first_of("{}", pos);
    if (brace == std::string_view::npos) {
      *out += fmt.substr(pos);
      break;
    }
    *out += fmt.substr(pos, brace - pos);
    char c = fmt[brace];
    pos = brace + 1;
    bool doubled = pos < fmt.size() && fmt[pos] == c;
    if (doubled) {
      *out += c;
      ++pos;
      continue;
    }
    if (c == '}') {
      raise(ts, &ValueError_type, "Single '}' encountered in format string");
      return false;
    }
    if (pos == fmt.size()) {
      raise(ts, &ValueError_type, "Single '{' encountered in format string");
      return false;
    }
    Field field;
    if (!parse_field(ts, fmt, &pos, &field) ||
        !render_field(ts, field, source, depth, numbering, out)) {
      return false;
    }
  }
  return true;
}

Value format_with_source(ThreadState& ts, Str* fmt, const FieldSource& source) {
  std::string out;
  AutoNumber numbering;
  if (!build_formatted(ts, str_view(fmt), source, 2, numbering, &out)) return Value();
  return new_str(ts, out);
}

}  // namespace

Value str_format_method(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  FieldSource source;
  source.args = args + 1;
  source.nargs = nargs - 1;
  source.kwnames = kwnames;
  return format_with_source(ts, args[0].as<Str>(), source);
}

Value str_format_map_method(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "str.format_map", kwnames) ||
      !check_nargs(ts, "str.format_map", nargs - 1, 1, 1)) {
    return Value();
  }
  FieldSource source;
  source.mapping = args[1];
  return format_with_source(ts, args[0].as<Str>(), source);
}

// --- printf-style formatting: "..." % args ---

namespace {

// One conversion's flags, width and precision.
struct PercentSpec {
  bool left = false, plus = false, space = false, alternate = false, zero = false;
  int64_t width = -1, precision = -1;
};

// The state of one `fmt % args` operation, following CPython's bookkeeping: a tuple is
// consumed item by item; any other value counts as one argument (arg_count -1, index -2
// until it is used); a mapping serves %(name) keys.
struct PercentArgs {
  Value args;
  Value mapping;          // null unless args is a mapping
  int64_t count = -1;
  int64_t index = -2;

  Value next(ThreadState& ts) {
    if (index >= count) return raise(ts, &TypeError_type, "not enough arguments for format string");
    int64_t at = index++;
    return count < 0 ? args : args.as<Tuple>()->items[at];
  }
};

// Pads a converted value as printf does: sign and prefix stay in front of zero padding.
std::string percent_pad(const PercentSpec& spec, const std::string& sign, const std::string& prefix,
                        const std::string& body, size_t body_length, bool numeric) {
  int64_t length = int64_t(sign.size() + prefix.size() + body_length);
  int64_t padding = std::max<int64_t>(0, spec.width - length);
  if (spec.left) return sign + prefix + body + std::string(size_t(padding), ' ');
  if (spec.zero && numeric) return sign + prefix + std::string(size_t(padding), '0') + body;
  return std::string(size_t(padding), ' ') + sign + prefix + body;
}

std::string sign_for(const PercentSpec& spec, bool negative) {
  return negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
}

// Converts v for %d/%i/%u (which accept any real number via int()) or %x/%X/%o (which need
// an integer). New reference or null.
Value percent_integer_arg(ThreadState& ts, Value v, char code) {
  if (is_int(v)) return newref(v);
  bool needs_index = code == 'x' || code == 'X' || code == 'o';
  if (!needs_index && is_float(v)) return int_from_double(ts, float_value(v));
  static Str* const index_name = intern("__index__");
  static Str* const int_name = intern("__int__");
  Str* method = needs_index ? index_name : int_name;
  if (type_lookup(type_of(v), method)) {
    Ref result(call_method(ts, v, method, {}));
    if (result && !is_int(result.get())) {
      return raise_fmt(ts, &TypeError_type, "%s returned non-int (type %s)", str_view(method).data(),
                       type_name(result.get()));
    }
    return result.release();
  }
  if (needs_index) {
    return raise_fmt(ts, &TypeError_type, "%%%c format: an integer is required, not %s", code,
                     type_name(v));
  }
  return raise_fmt(ts, &TypeError_type, "%%%c format: a real number is required, not %s", code,
                   type_name(v));
}

// Formats one conversion `code` of value v and appends it to out.
bool percent_convert(ThreadState& ts, char code, const PercentSpec& spec, Value v,
                     std::string* out, size_t code_index) {
  switch (code) {
    case 's': case 'r': case 'a': {
      Ref text(code == 's' ? object_str(ts, v) : code == 'r' ? object_repr(ts, v) : object_ascii(ts, v));
      if (!text) return false;
      Str* s = text.as<Str>();
      size_t length = s->length;
      std::string_view body = str_view(s);
      if (spec.precision >= 0 && size_t(spec.precision) < length) {
        length = size_t(spec.precision);
        body = body.substr(0, str_byte_offset(s, length));
      }
      *out += percent_pad(spec, "", "", std::string(body), length, false);
      return true;
    }
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': {
      Ref number(percent_integer_arg(ts, v, code));
      if (!number) return false;
      int base = code == 'o' ? 8 : (code == 'x' || code == 'X') ? 16 : 10;
      std::string digits = int_abs_digits(number.get(), base);
      if (code == 'X') {
        for (char& c : digits) c = char(std::toupper(static_cast<unsigned char>(c)));
      }
      if (spec.precision > int64_t(digits.size())) {
        digits.insert(0, size_t(spec.precision) - digits.size(), '0');
      }
      std::string prefix;
      if (spec.alternate && base != 10) prefix = code == 'o' ? "0o" : code == 'x' ? "0x" : "0X";
      *out += percent_pad(spec, sign_for(spec, int_sign(number.get()) < 0), prefix, digits,
                          digits.size(), true);
      return true;
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
      double d;
      if (!is_float(v) && !is_int(v)) {
        static Str* const float_name = intern("__float__");
        if (!type_lookup(type_of(v), float_name)) {
          raise_fmt(ts, &TypeError_type, "must be real number, not %s", type_name(v));
          return false;
        }
      }
      Ref as_float(is_float(v) ? newref(v) : float_from_value(ts, v));
      if (!as_float || !number_to_double(ts, as_float.get(), &d)) return false;
      bool negative = std::signbit(d) && !std::isnan(d);
      double x = std::fabs(d);
      std::string body;
      bool upper = code == 'E' || code == 'F' || code == 'G';
      if (std::isnan(x) || std::isinf(x)) {
        body = std::isnan(x) ? "nan" : "inf";
      } else {
        body = float_body(x, code, spec.precision < 0 ? 6 : spec.precision, spec.alternate);
      }
      if (upper) {
        for (char& c : body) c = char(std::toupper(static_cast<unsigned char>(c)));
      }
      *out += percent_pad(spec, sign_for(spec, negative), "", body, body.size(), true);
      return true;
    }
    case 'c': {
      std::string ch;
      if (is_str(v)) {
        if (v.as<Str>()->length != 1) {
          raise(ts, &TypeError_type, "%c requires int or char");
          return false;
        }
        ch = str_view(v);
      } else if (is_int(v)) {
        int64_t code_point;
        if (!int_to_int64(ts, v, &code_point) || code_point < 0 || code_point > 0x10FFFF) {
          clear_error(ts);
          raise(ts, &OverflowError_type, "%c arg not in range(0x110000)");
          return false;
        }
        utf8_append(ch, uint32_t(code_point));
      } else {
        raise(ts, &TypeError_type, "%c requires int or char");
        return false;
      }
      *out += percent_pad(spec, "", "", ch, 1, false);
      return true;
    }
    default:
      if (code > 32 && code < 127) {
        raise_fmt(ts, &ValueError_type, "unsupported format character '%c' (0x%x) at index %zu",
                  code, unsigned(code), code_index);
      } else {
        raise_fmt(ts, &ValueError_type, "unsupported format character '\\x%x' (0x%x) at index %zu",
                  unsigned(static_cast<unsigned char>(code)), unsigned(static_cast<unsigned char>(code)),
                  code_index);
      }
      return false;
  }
}

// Reads a width or precision: digits, or '*' taking the next argument.
bool percent_number(ThreadState& ts, std::string_view fmt, size_t* pos, PercentArgs& args,
                    int64_t* out, PercentSpec* spec, bool is_width) {
  if (*pos < fmt.size() && fmt[*pos] == '*') {
    ++*pos;
    Value v = args.next(ts);
    if (!v) return false;
    if (!is_int(v)) {
      raise(ts, &TypeError_type, "* wants int");
      return false;
    }
    if (!int_to_int64(ts, v, out)) return false;
    if (*out < 0) {
      if (is_width) spec->left = true;
      *out = is_width ? -*out : 0;
    }
    return true;
  }
  int64_t value = 0;
  bool any = false;
  for (; *pos < fmt.size() && fmt[*pos] >= '0' && fmt[*pos] <= '9'; ++*pos) {
    if (value > (INT64_MAX - 9) / 10) {
      raise(ts, &ValueError_type, is_width ? "width too big" : "precision too big");
      return false;
    }
    value = value * 10 + (fmt[*pos] - '0');
    any = true;
  }
  if (any || !is_width) *out = value;
  return true;
}

}  // namespace

Value str_percent_format(ThreadState& ts, Str* fmt_str, Value values) {
  std::string_view fmt = str_view(fmt_str);
  PercentArgs args;
  args.args = values;
  if (is_tuple(values)) {
    args.count = int64_t(values.as<Tuple>()->size);
    args.index = 0;
  }
  if (!is_tuple(values) && !is_str(values) && type_of(values)->getitem) args.mapping = values;
  std::string out;
  out.reserve(fmt.size());
  size_t pos = 0;
  size_t code_points = 0;   // for the index in "unsupported format character" errors
  while (pos < fmt.size()) {
    size_t percent = fmt.find('%', pos);
    if (percent == std::string_view::npos) {
      out += fmt.substr(pos);
      break;
    }
    out += fmt.substr(pos, percent - pos);
    code_points += utf8_count(fmt.substr(pos, percent - pos));
    size_t spec_start = percent;
    pos = percent + 1;
    Ref keyed;   // the value a %(key) names
    if (pos < fmt.size() && fmt[pos] == '(') {
      if (!args.mapping) return raise(ts, &TypeError_type, "format requires a mapping");
      size_t key_start = ++pos;
      for (int depth = 1; pos < fmt.size(); ++pos) {
        if (fmt[pos] == '(') ++depth;
        if (fmt[pos] == ')' && --depth == 0) break;
      }
      if (pos >= fmt.size()) return raise(ts, &ValueError_type, "incomplete format key");
      Ref key(new_str(ts, fmt.substr(key_start, pos - key_start)));
      if (!key) return Value();
      ++pos;
      keyed.reset(object_getitem(ts, args.mapping, key.get()));
      if (!keyed) return Value();
      args.count = -1;
      args.index = -2;
    }
    PercentSpec spec;
    for (; pos < fmt.size(); ++pos) {
      char flag = fmt[pos];
      if (flag == '-') spec.left = true;
      else if (flag == '+') spec.plus = true;
      else if (flag == ' ') spec.space = true;
      else if (flag == '#') spec.alternate = true;
      else if (flag == '0') spec.zero = true;
      else break;
    }
    if (!percent_number(ts, fmt, &pos, args, &spec.width, &spec, true)) return Value();
    if (pos < fmt.size() && fmt[pos] == '.') {
      ++pos;
      if (!percent_number(ts, fmt, &pos, args, &spec.precision, &spec, false)) return Value();
    }
    if (pos >= fmt.size()) return raise(ts, &ValueError_type, "incomplete format");
    char code = fmt[pos];
    size_t code_index = code_points + utf8_count(fmt.substr(spec_start, pos - spec_start));
    ++pos;
    code_points += utf8_count(fmt.substr(spec_start, pos - spec_start));
    if (code == '%') {
      out += '%';
      continue;
    }
    Value v = keyed ? keyed.get() : args.next(ts);
    if (!v) return Value();
    if (static_cast<unsigned char>(code) >= 0x80) {
      // A non-ASCII conversion character: report its code point like CPython.
      uint32_t cp = utf8_decode_at(fmt, pos - 1);
      return raise_fmt(ts, &ValueError_type, "unsupported format character '%s' (0x%x) at index %zu",
                       std::string(fmt.substr(pos - 1, utf8_encoded_length(cp))).c_str(), cp,
                       code_index);
    }
    if (!percent_convert(ts, code, spec, v, &out, code_index)) return Value();
  }
  if (args.index < args.count && !args.mapping) {
    return raise(ts, &TypeError_type, "not all arguments converted during string formatting");
  }
  return new_str(ts, out);
}

}  // namespace mvm
