// str: immutable Unicode text stored as UTF-8, with its code-point length and hash cached.
#pragma once

#include <string>
#include <string_view>

#include "runtime/object.h"

namespace mvm {

extern Type str_type;

struct Str : Object {
  int64_t hash = -1;       // -1: not computed yet
  size_t size = 0;         // bytes of UTF-8, without the terminating NUL
  size_t length = 0;       // code points
  bool ascii = true;       // every byte < 0x80, so indexing is by byte
  char data[1];            // size bytes of UTF-8, then a NUL (allocated to fit)
};

inline bool is_str(Value v) {
  return v.is_obj() && (v.obj()->ob_type == &str_type || (v.obj()->ob_type->flags & kTypeStrSubclass));
}
inline bool is_exact_str(Value v) { return v.is_obj() && v.obj()->ob_type == &str_type; }
inline std::string_view str_view(const Str* s) { return std::string_view(s->data, s->size); }
inline std::string_view str_view(Value v) { return str_view(v.as<Str>()); }

// A new string (one reference) holding a copy of utf8, which must be valid UTF-8.
// Returns null only when out of memory (without raising).
Str* str_new(std::string_view utf8);
// Like str_new but raises MemoryError on failure (for sizes a script controls).
Str* str_new_checked(ThreadState& ts, std::string_view utf8);
Value str_value(std::string_view utf8);          // Value::from_obj(str_new(...))
Str* str_from_codepoint(uint32_t cp);
int64_t str_hash(Str* s);                        // never fails; caches
bool str_equal(const Str* a, const Str* b);      // pointer check first
// Whether s is valid UTF-8 (for bytes.decode and file reads).
bool utf8_valid(std::string_view s);

// The runtime-wide intern table: returns the immortal, unique Str for text. Thread-safe.
// Interned strings are compared by pointer in attribute and global lookups.
Str* intern(std::string_view text);
// Interns s in place if possible (steals s, returns the interned string, a borrowed immortal).
Str* intern_str(Str* s);

// repr() of a string: quotes chosen like CPython, escapes for control characters.
std::string str_repr(std::string_view utf8);

// Building strings piece by piece.
Value str_concat(ThreadState& ts, Str* a, Str* b);
// s[index] for a code point index already range-checked.
Str* str_char_at(Str* s, size_t index);
// Byte offset of code point index (O(1) for ASCII strings).
size_t str_byte_offset(const Str* s, size_t index);

// --- Additions by the str implementation (runtime/str.cpp, str_methods.cpp, intern.cpp) ---

// The immortal empty string.
Str* str_empty();
// A string of `size` bytes for code that builds the text in place: the caller fills
// data[0, size) before the Str is shared; `length` and `ascii` must describe that text.
// Returns null when out of memory (without raising).
Str* str_alloc(size_t size, size_t length, bool ascii);
// A new reference to s itself when s is an exact str whose whole text is `piece` (a view
// into s), else a new string holding piece; methods like strip() return self unchanged.
Value str_or_self(ThreadState& ts, Str* s, std::string_view piece);
// The code-point index of byte offset `byte` of s (O(1) for ASCII strings).
size_t str_codepoint_index(const Str* s, size_t byte);
// Substring of s by code points [start, stop) with the given step (already resolved by
// slice_indices), so slicing and other sequence code can share it.
Value str_slice(ThreadState& ts, Str* s, int64_t start, int64_t stop, int64_t step,
                int64_t slice_length);
// str * n; OverflowError/MemoryError for results too large.
Value str_repeat(ThreadState& ts, Str* s, int64_t n);
// The hash function of str (and bytes): never -1.
int64_t hash_bytes(std::string_view bytes);
// The optional start/end arguments of find(), count(), startswith() and the like: missing
// or None leave *out unchanged; ints (and __index__ objects) are taken, clamped to int64.
bool parse_slice_bound(ThreadState& ts, Value v, int64_t* out);
// Clips start/end against length like slice indices (CPython's ADJUST_INDICES).
void adjust_indices(int64_t* start, int64_t* end, int64_t length);
// The str methods (runtime/str_methods.cpp), null-terminated.
extern const MethodDef str_methods[];
// The iterator type behind `for c in s`.
extern Type str_iterator_type;

// Formatting used by f-strings, format() and str.format (runtime/format.cpp).
// format(value, spec): calls type(value).__format__ for user types.
Value format_value(ThreadState& ts, Value value, Str* spec);
// `"..." % args`
Value str_percent_format(ThreadState& ts, Str* fmt, Value args);

}  // namespace mvm
