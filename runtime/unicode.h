// UTF-8 decoding and encoding, and the Unicode character classes and case mappings that
// str methods, repr() and the lexer need. Classes agree with CPython 3.11's unicodedata.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mvm {

// --- UTF-8 ---

// Bytes in the sequence that starts with `lead` (1 for ASCII and for stray bytes).
inline size_t utf8_seq_length(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}
inline bool utf8_is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Decodes the code point at p and advances p past it. Precondition: p points at the start of
// a sequence of valid UTF-8 (every Str holds valid UTF-8).
inline uint32_t utf8_decode(const char*& p) {
  auto b0 = static_cast<unsigned char>(*p++);
  if (b0 < 0x80) return b0;
  size_t n = utf8_seq_length(b0);
  uint32_t cp = b0 & (0xFF >> (n + 1));
  for (size_t i = 1; i < n; ++i) cp = (cp << 6) | (static_cast<unsigned char>(*p++) & 0x3F);
  return cp;
}
// The code point that starts at byte offset `at` of text.
inline uint32_t utf8_decode_at(std::string_view text, size_t at) {
  const char* p = text.data() + at;
  return utf8_decode(p);
}

// Writes cp (<= 0x10FFFF) as UTF-8 to out and returns the byte count (1 to 4).
size_t utf8_encode(uint32_t cp, char out[4]);
void utf8_append(std::string& out, uint32_t cp);
// Bytes that cp takes in UTF-8.
inline size_t utf8_encoded_length(uint32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

// Counts the code points of valid UTF-8.
size_t utf8_count(std::string_view text);

// Where decoding bytes as UTF-8 fails, for UnicodeDecodeError: bytes [start, end) are
// invalid for `reason` ("invalid start byte", "invalid continuation byte",
// "unexpected end of data"), worded like CPython's codec.
struct Utf8Error {
  size_t start = 0;
  size_t end = 0;
  const char* reason = nullptr;
};
// Returns true and fills *error when text is not valid UTF-8 (surrogates and overlong forms
// are invalid, as in CPython's strict decoder).
bool utf8_find_error(std::string_view text, Utf8Error* error);

// --- Character classes, as str.isX() tests them on one character ---

bool unicode_isspace(uint32_t cp);      // also what split() and strip() treat as whitespace
bool unicode_isalpha(uint32_t cp);
bool unicode_isdecimal(uint32_t cp);
bool unicode_isdigit(uint32_t cp);
bool unicode_isnumeric(uint32_t cp);
bool unicode_isalnum(uint32_t cp);
bool unicode_isprintable(uint32_t cp);  // what repr() leaves unescaped
bool unicode_isupper(uint32_t cp);
bool unicode_islower(uint32_t cp);
bool unicode_istitle(uint32_t cp);
bool unicode_iscased(uint32_t cp);
bool unicode_is_id_start(uint32_t cp);     // XID_Start or '_'
bool unicode_is_id_continue(uint32_t cp);  // XID_Continue
// The value of a decimal digit (any script), or -1; int() and float() accept these.
int unicode_decimal_value(uint32_t cp);

// --- Case mappings ---
// Full mappings append one to three code points (e.g. 'ß'.upper() is 'SS').
enum class CaseMapping { Upper, Lower, Title, Fold };
void unicode_append_case(std::string& out, uint32_t cp, CaseMapping mapping);

}  // namespace mvm
