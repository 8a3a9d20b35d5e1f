// bytes: an immutable sequence of 8-bit values, and the text codecs (UTF-8, ASCII, Latin-1)
// that convert between bytes and str.
#pragma once

#include <string>
#include <string_view>

#include "runtime/object.h"

namespace mvm {

extern Type bytes_type;
extern Type bytes_iterator_type;

struct Bytes : Object {
  int64_t hash = -1;       // -1: not computed yet
  size_t size = 0;
  char data[1];            // size bytes, then a NUL (allocated to fit)
};

inline bool is_bytes(Value v) { return v.is_obj() && v.obj()->ob_type == &bytes_type; }
inline std::string_view bytes_view(Value v) {
  Bytes* b = v.as<Bytes>();
  return std::string_view(b->data, b->size);
}

// A new bytes object holding a copy of data; null when out of memory (without raising).
Bytes* bytes_new(std::string_view data);
// Likewise, raising MemoryError on failure.
Value bytes_value(ThreadState& ts, std::string_view data);
// repr(): b'...' with the quotes and escapes CPython uses.
std::string bytes_repr(std::string_view data);

// bytes.decode(encoding, errors) and str.encode(encoding, errors): encoding and errors are
// str values or null for the defaults ('utf-8', 'strict'). Supported codecs: utf-8, ascii,
// latin-1; error handlers: strict, ignore, replace, backslashreplace.
Value bytes_decode(ThreadState& ts, std::string_view data, Value encoding, Value errors);
Value str_encode(ThreadState& ts, Str* s, Value encoding, Value errors);

}  // namespace mvm
