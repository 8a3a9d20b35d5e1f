// UTF-8 coding and Unicode character data. The class tables are generated from CPython
// (unicode_tables.inc); simple case mappings come from glibc's C.UTF-8 locale, which agrees
// with CPython on every code point, and the table of special (multi-character) mappings.
#include "runtime/unicode.h"

#include <locale.h>
#include <wctype.h>

#include <algorithm>

namespace mvm {

size_t utf8_encode(uint32_t cp, char out[4]) {
  if (cp < 0x80) {
    out[0] = char(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = char(0xC0 | (cp >> 6));
    out[1] = char(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = char(0xE0 | (cp >> 12));
    out[1] = char(0x80 | ((cp >> 6) & 0x3F));
    out[2] = char(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = char(0xF0 | (cp >> 18));
  out[1] = char(0x80 | ((cp >> 12) & 0x3F));
  out[2] = char(0x80 | ((cp >> 6) & 0x3F));
  out[3] = char(0x80 | (cp & 0x3F));
  return 4;
}

void utf8_append(std::string& out, uint32_t cp) {
  char buf[4];
  out.append(buf, utf8_encode(cp, buf));
}

size_t utf8_count(std::string_view text) {
  size_t count = 0;
  for (unsigned char byte : text) count += !utf8_is_continuation(byte);
  return count;
}

bool utf8_find_error(std::string_view text, Utf8Error* error) {
  auto at = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  size_t i = 0;
  while (i < text.size()) {
    unsigned char lead = at(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if (lead < 0xC2 || lead > 0xF4) {
      *error = {i, i + 1, "invalid start byte"};
      return true;
    }
    size_t n = utf8_seq_length(lead);
    // The second byte's range excludes overlong forms, surrogates and code points past
    // U+10FFFF; later bytes are plain continuation bytes.
    unsigned char lo = 0x80, hi = 0xBF;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
    for (size_t k = 1; k < n; ++k) {
      if (i + k >= text.size()) {
        *error = {i, text.size(), "unexpected end of data"};
        return true;
      }
      unsigned char byte = at(i + k);
      bool ok = k == 1 ? (byte >= lo && byte <= hi) : utf8_is_continuation(byte);
      if (!ok) {
        *error = {i, i + k, "invalid continuation byte"};
        return true;
      }
    }
    i += n;
  }
  return false;
}

namespace {

struct CodeRange {
  uint32_t first, last;
};
struct SpecialCasing {
  uint32_t cp;
  uint32_t mappings[4][3];   // indexed by CaseMapping; unused trailing entries are 0
};

#include "runtime/unicode_tables.inc"

template <size_t N>
bool in_ranges(const CodeRange (&table)[N], uint32_t cp) {
  const CodeRange* end = table + N;
  const CodeRange* it =
      std::upper_bound(table, end, cp, [](uint32_t c, const CodeRange& r) { return c < r.first; });
  return it != table && cp <= (it - 1)->last;
}

// glibc's C.UTF-8 locale, made once (thread-safe static initialisation). Null if the
// system lacks it; case mapping then covers ASCII and Latin-1 only.
locale_t utf8_locale() {
  static const locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t(0));
  return locale;
}

uint32_t latin1_upper(uint32_t cp) {
  if (cp == 0xB5) return 0x39C;
  if (cp == 0xFF) return 0x178;
  if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) return cp - 0x20;
  return cp;
}
uint32_t latin1_lower(uint32_t cp) {
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  return cp;
}

uint32_t simple_upper(uint32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
  if (locale_t loc = utf8_locale()) return uint32_t(towupper_l(wint_t(cp), loc));
  return cp < 0x100 ? latin1_upper(cp) : cp;
}
uint32_t simple_lower(uint32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (locale_t loc = utf8_locale()) return uint32_t(towlower_l(wint_t(cp), loc));
  return cp < 0x100 ? latin1_lower(cp) : cp;
}

const SpecialCasing* find_special_casing(uint32_t cp) {
  const SpecialCasing* end = kSpecialCasing + std::size(kSpecialCasing);
  const SpecialCasing* it = std::lower_bound(
      kSpecialCasing, end, cp, [](const SpecialCasing& s, uint32_t c) { return s.cp < c; });
  return (it != end && it->cp == cp) ? it : nullptr;
}

}  // namespace

bool unicode_isspace(uint32_t cp) {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20);
  switch (cp) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

bool unicode_isalpha(uint32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  return in_ranges(kAlpha, cp);
}
bool unicode_isdecimal(uint32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return in_ranges(kDecimal, cp);
}
bool unicode_isdigit(uint32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return in_ranges(kDigit, cp);
}
bool unicode_isnumeric(uint32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return in_ranges(kNumeric, cp);
}
bool unicode_isalnum(uint32_t cp) {
  return unicode_isalpha(cp) || unicode_isdecimal(cp) || unicode_isdigit(cp) ||
         unicode_isnumeric(cp);
}
bool unicode_isprintable(uint32_t cp) {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7F;
  return in_ranges(kPrintable, cp);
}
bool unicode_istitle(uint32_t cp) { return cp >= 0x80 && in_ranges(kTitlecase, cp); }
bool unicode_iscased(uint32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  return in_ranges(kCased, cp);
}
// glibc counts titlecase letters (U+01C5 ...) as upper or lower; CPython counts them as neither.
bool unicode_isupper(uint32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  if (unicode_istitle(cp)) return false;
  if (locale_t loc = utf8_locale()) return iswupper_l(wint_t(cp), loc);
  return cp < 0x100 && latin1_lower(cp) != cp;
}
bool unicode_islower(uint32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  if (unicode_istitle(cp)) return false;
  if (locale_t loc = utf8_locale()) return iswlower_l(wint_t(cp), loc);
  return cp < 0x100 && (latin1_upper(cp) != cp || cp == 0xDF);
}
bool unicode_is_id_start(uint32_t cp) {
  if (cp < 0x80) return cp == '_' || unicode_isalpha(cp);
  return in_ranges(kIdStart, cp);
}
bool unicode_is_id_continue(uint32_t cp) {
  if (cp < 0x80) return cp == '_' || unicode_isalpha(cp) || (cp >= '0' && cp <= '9');
  return in_ranges(kIdContinue, cp);
}

int unicode_decimal_value(uint32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') ? int(cp - '0') : -1;
  // Each generated range is whole runs of ten digits starting at a zero.
  const CodeRange* end = kDecimal + std::size(kDecimal);
  const CodeRange* it = std::upper_bound(
      kDecimal, end, cp, [](uint32_t c, const CodeRange& r) { return c < r.first; });
  if (it == kDecimal || cp > (it - 1)->last) return -1;
  return int((cp - (it - 1)->first) % 10);
}

void unicode_append_case(std::string& out, uint32_t cp, CaseMapping mapping) {
  if (cp >= 0x80) {
    if (const SpecialCasing* special = find_special_casing(cp)) {
      for (uint32_t c : special->mappings[int(mapping)]) {
        if (c == 0) break;
        utf8_append(out, c);
      }
      return;
    }
  }
  bool upper = mapping == CaseMapping::Upper || mapping == CaseMapping::Title;
  utf8_append(out, upper ? simple_upper(cp) : simple_lower(cp));
}

}  // namespace mvm
