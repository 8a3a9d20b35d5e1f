// The bytes type (a small subset of CPython's: sequence slots, decode, hex, join, find,
// split, strip, case methods) and the UTF-8 / ASCII / Latin-1 codecs behind decode/encode.
#include "runtime/bytes.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/range.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "runtime/unicode.h"
#include "vm/thread_state.h"

namespace mvm {

Bytes* bytes_new(std::string_view data) {
  Bytes* b = try_new_object<Bytes>(&bytes_type, sizeof(Bytes) + data.size());
  if (!b) return nullptr;
  b->size = data.size();
  std::memcpy(b->data, data.data(), data.size());
  b->data[data.size()] = '\0';
  return b;
}

Value bytes_value(ThreadState& ts, std::string_view data) {
  Bytes* b = bytes_new(data);
  if (!b) return raise_memory_error(ts);
  return Value::from_obj(b);
}

std::string bytes_repr(std::string_view data) {
  bool has_single = data.find('\'') != std::string_view::npos;
  bool has_double = data.find('"') != std::string_view::npos;
  char quote = (has_single && !has_double) ? '"' : '\'';
  static const char kHex[] = "0123456789abcdef";
  std::string out = "b";
  out += quote;
  for (unsigned char c : data) {
    if (c == quote || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += char(c);
    }
  }
  out += quote;
  return out;
}

// --- Codecs ---

namespace {

enum class Codec { Utf8, Ascii, Latin1 };
enum class ErrorMode { Strict, Ignore, Replace, BackslashReplace, Unknown };

const char* codec_name(Codec codec) {
  switch (codec) {
    case Codec::Utf8: return "utf-8";
    case Codec::Ascii: return "ascii";
    default: return "latin-1";
  }
}

// Finds the codec for an encoding name, normalised as CPython's codec registry does
// (case-insensitive; '-' and ' ' equivalent to '_'). LookupError for unknown names; `fname`
// ("encode" or "decode") names the function in the TypeError for a non-str name.
bool lookup_codec(ThreadState& ts, const char* fname, Value encoding, Codec* codec) {
  if (!encoding) {
    *codec = Codec::Utf8;
    return true;
  }
  if (!is_str(encoding)) {
    raise_fmt(ts, &TypeError_type, "%s() argument 'encoding' must be str, not %s", fname,
              type_name(encoding));
    return false;
  }
  std::string name;
  for (char c : str_view(encoding)) name += (c == '-' || c == ' ') ? '_' : char(std::tolower(c));
  static const std::pair<const char*, Codec> kAliases[] = {
      {"utf_8", Codec::Utf8},     {"utf8", Codec::Utf8},         {"u8", Codec::Utf8},
      {"utf", Codec::Utf8},       {"ascii", Codec::Ascii},       {"us_ascii", Codec::Ascii},
      {"646", Codec::Ascii},      {"latin_1", Codec::Latin1},    {"latin1", Codec::Latin1},
      {"latin", Codec::Latin1},   {"iso_8859_1", Codec::Latin1}, {"iso8859_1", Codec::Latin1},
      {"l1", Codec::Latin1},      {"8859", Codec::Latin1},       {"cp819", Codec::Latin1},
  };
  for (const auto& [alias, c] : kAliases) {
    if (name == alias) {
      *codec = c;
      return true;
    }
  }
  raise_fmt(ts, &LookupError_type, "unknown encoding: %s", std::string(str_view(encoding)).c_str());
  return false;
}

ErrorMode parse_error_mode(Value errors) {
  if (!errors || !is_str(errors)) return ErrorMode::Strict;
  std::string_view name = str_view(errors);
  if (name == "strict") return ErrorMode::Strict;
  if (name == "ignore") return ErrorMode::Ignore;
  if (name == "replace") return ErrorMode::Replace;
  if (name == "backslashreplace") return ErrorMode::BackslashReplace;
  return ErrorMode::Unknown;
}

// Error handlers are looked up only when an error happens, as in CPython.
Value raise_unknown_handler(ThreadState& ts, Value errors) {
  return raise_fmt(ts, &LookupError_type, "unknown error handler name '%s'",
                   std::string(str_view(errors)).c_str());
}

void append_hex_escape(std::string& out, uint32_t value) {
  char buf[16];
  if (value < 0x100) {
    std::snprintf(buf, sizeof buf, "\\x%02x", value);
  } else if (value < 0x10000) {
    std::snprintf(buf, sizeof buf, "\\u%04x", value);
  } else {
    std::snprintf(buf, sizeof buf, "\\U%08x", value);
  }
  out += buf;
}

// The next undecodable span of data at or after `from`; false if the rest decodes.
bool next_decode_error(Codec codec, std::string_view data, size_t from, Utf8Error* error) {
  switch (codec) {
    case Codec::Utf8:
      if (!utf8_find_error(data.substr(from), error)) return false;
      error->start += from;
      error->end += from;
      return true;
    case Codec::Ascii:
      for (size_t i = from; i < data.size(); ++i) {
        if (static_cast<unsigned char>(data[i]) >= 0x80) {
          *error = {i, i + 1, "ordinal not in range(128)"};
          return true;
        }
      }
      return false;
    default:
      return false;   // every byte is a Latin-1 character
  }
}

}  // namespace

Value bytes_decode(ThreadState& ts, std::string_view data, Value encoding, Value errors) {
  Codec codec;
  if (!lookup_codec(ts, "decode", encoding, &codec)) return Value();
  ErrorMode mode = parse_error_mode(errors);
  std::string out;
  out.reserve(data.size());
  size_t at = 0;
  while (at <= data.size()) {
    Utf8Error error;
    bool failed = next_decode_error(codec, data, at, &error);
    std::string_view good = data.substr(at, (failed ? error.start : data.size()) - at);
    if (codec == Codec::Latin1) {
      for (unsigned char c : good) utf8_append(out, c);
    } else {
      out += good;   // valid UTF-8 (or ASCII) as it stands
    }
    if (!failed) break;
    switch (mode) {
      case ErrorMode::Strict:
        if (error.end - error.start == 1) {
          return raise_fmt(ts, &UnicodeDecodeError_type,
                           "'%s' codec can't decode byte 0x%02x in position %zu: %s",
                           codec_name(codec), static_cast<unsigned char>(data[error.start]),
                           error.start, error.reason);
        }
        return raise_fmt(ts, &UnicodeDecodeError_type,
                         "'%s' codec can't decode bytes in position %zu-%zu: %s",
                         codec_name(codec), error.start, error.end - 1, error.reason);
      case ErrorMode::Ignore:
        break;
      case ErrorMode::Replace:
        utf8_append(out, 0xFFFD);
        break;
      case ErrorMode::BackslashReplace:
        for (size_t i = error.start; i < error.end; ++i) {
          append_hex_escape(out, static_cast<unsigned char>(data[i]));
        }
        break;
      case ErrorMode::Unknown:
        return raise_unknown_handler(ts, errors);
    }
    at = error.end;
  }
  return Value::from_obj(str_new_checked(ts, out));
}

Value str_encode(ThreadState& ts, Str* s, Value encoding, Value errors) {
  Codec codec;
  if (!lookup_codec(ts, "encode", encoding, &codec)) return Value();
  std::string_view text = str_view(s);
  if (codec == Codec::Utf8 || s->ascii) return bytes_value(ts, text);
  uint32_t limit = codec == Codec::Ascii ? 0x80 : 0x100;
  ErrorMode mode = parse_error_mode(errors);
  std::string out;
  const char* p = text.data();
  const char* end = p + text.size();
  for (size_t index = 0; p < end; ++index) {
    uint32_t cp = utf8_decode(p);
    if (cp < limit) {
      out += char(cp);
      continue;
    }
    switch (mode) {
      case ErrorMode::Strict: {
        // CPython reports the whole run of unencodable characters.
        size_t run_end = index + 1;
        for (const char* q = p; q < end && utf8_decode(q) >= limit;) ++run_end;
        std::string ch;
        append_hex_escape(ch, cp);
        const char* reason = limit == 0x80 ? "ordinal not in range(128)" : "ordinal not in range(256)";
        if (run_end - index == 1) {
          return raise_fmt(ts, &UnicodeEncodeError_type,
                           "'%s' codec can't encode character '%s' in position %zu: %s",
                           codec_name(codec), ch.c_str(), index, reason);
        }
        return raise_fmt(ts, &UnicodeEncodeError_type,
                         "'%s' codec can't encode characters in position %zu-%zu: %s",
                         codec_name(codec), index, run_end - 1, reason);
      }
      case ErrorMode::Ignore:
        break;
      case ErrorMode::Replace:
        out += '?';
        break;
      case ErrorMode::BackslashReplace:
        append_hex_escape(out, cp);
        break;
      case ErrorMode::Unknown:
        return raise_unknown_handler(ts, errors);
    }
  }
  return bytes_value(ts, out);
}

// --- Type slots ---

namespace {

Bytes* as_bytes(Value v) { return v.as<Bytes>(); }

Value bytes_repr_slot(ThreadState& ts, Value self) {
  return Value::from_obj(str_new_checked(ts, bytes_repr(bytes_view(self))));
}

int64_t bytes_hash_slot(ThreadState&, Value self) {
  Bytes* b = as_bytes(self);
  std::atomic_ref<int64_t> cached(b->hash);
  int64_t h = cached.load(std::memory_order_relaxed);
  if (h == -1) {
    h = hash_bytes(bytes_view(self));
    cached.store(h, std::memory_order_relaxed);
  }
  return h;
}

Value bytes_compare(ThreadState&, Value a, Value b, CompareOp op) {
  if (!is_bytes(a) || !is_bytes(b)) return not_implemented();
  std::string_view x = bytes_view(a), y = bytes_view(b);
  int c = x.compare(y);
  switch (op) {
    case CompareOp::Eq: return bool_value(c == 0);
    case CompareOp::Ne: return bool_value(c != 0);
    case CompareOp::Lt: return bool_value(c < 0);
    case CompareOp::Le: return bool_value(c <= 0);
    case CompareOp::Gt: return bool_value(c > 0);
    default: return bool_value(c >= 0);
  }
}

Value bytes_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  if (base_op(op) == BinaryOp::Add) {
    if (!is_bytes(a)) return not_implemented();
    if (!is_bytes(b)) {
      if (type_of(b)->flags & kTypeHeap) return not_implemented();
      return raise_fmt(ts, &TypeError_type, "can't concat %s to bytes", type_name(b));
    }
    std::string joined(bytes_view(a));
    joined += bytes_view(b);
    return bytes_value(ts, joined);
  }
  if (base_op(op) == BinaryOp::Mul) {
    Value data = is_bytes(a) ? a : b;
    Value count = is_bytes(a) ? b : a;
    if (!is_int(count)) {
      if (type_of(count)->flags & kTypeHeap) return not_implemented();
      return raise_fmt(ts, &TypeError_type, "can't multiply sequence by non-int of type '%s'",
                       type_name(count));
    }
    int64_t n;
    if (!int_to_int64(ts, count, &n)) return Value();
    std::string_view piece = bytes_view(data);
    if (n <= 0 || piece.empty()) return bytes_value(ts, "");
    if (uint64_t(n) > uint64_t(INT64_MAX) / piece.size()) return raise_memory_error(ts);
    std::string out;
    out.reserve(piece.size() * size_t(n));
    for (int64_t i = 0; i < n; ++i) out += piece;
    return bytes_value(ts, out);
  }
  return not_implemented();
}

int64_t bytes_length(ThreadState&, Value self) { return int64_t(as_bytes(self)->size); }

Value bytes_getitem(ThreadState& ts, Value self, Value key) {
  std::string_view data = bytes_view(self);
  if (is_slice(key)) {
    int64_t start, stop, step, length;
    if (!slice_indices(ts, key.as<Slice>(), int64_t(data.size()), &start, &stop, &step, &length)) {
      return Value();
    }
    std::string out;
    for (int64_t i = 0, at = start; i < length; ++i, at += step) out += data[size_t(at)];
    return bytes_value(ts, out);
  }
  if (!is_int(key)) {
    return raise_fmt(ts, &TypeError_type, "byte indices must be integers or slices, not %s",
                     type_name(key));
  }
  int64_t index;
  if (!int_to_int64(ts, key, &index)) return Value();
  if (!normalize_index(&index, int64_t(data.size()))) {
    return raise(ts, &IndexError_type, "index out of range");
  }
  return Value::small_int(static_cast<unsigned char>(data[size_t(index)]));
}

// A byte value 0..255 from an int; ValueError otherwise. bytes([...]) says "bytes must be
// in range(0, 256)", `in` and find() say "byte must be ...".
bool byte_from_int(ThreadState& ts, Value v, unsigned char* out, const char* what = "byte") {
  int64_t n;
  if (!int_to_int64(ts, v, &n) || n < 0 || n > 255) {
    if (error_occurred(ts) && !error_matches(ts, &OverflowError_type)) return false;
    clear_error(ts);
    raise_fmt(ts, &ValueError_type, "%s must be in range(0, 256)", what);
    return false;
  }
  *out = static_cast<unsigned char>(n);
  return true;
}

int bytes_contains(ThreadState& ts, Value self, Value item) {
  if (is_bytes(item)) return bytes_view(self).find(bytes_view(item)) != std::string_view::npos;
  if (!is_int(item)) {
    raise_fmt(ts, &TypeError_type, "a bytes-like object is required, not '%s'", type_name(item));
    return -1;
  }
  unsigned char c;
  if (!byte_from_int(ts, item, &c)) return -1;
  return bytes_view(self).find(char(c)) != std::string_view::npos;
}

// bytes(), bytes(n), bytes(iterable_of_ints), bytes(str, encoding[, errors]).
Value bytes_new_slot(ThreadState& ts, Type*, const Value* args, size_t nargs, Tuple* kwnames) {
  Value params[3];
  if (!bind_args(ts, "bytes", args, nargs, kwnames, {"source", "encoding", "errors"}, 0, params)) {
    return Value();
  }
  Value source = params[0];
  if (!source) return bytes_value(ts, "");
  if (is_str(source)) {
    if (!params[1]) return raise(ts, &TypeError_type, "string argument without an encoding");
    return str_encode(ts, source.as<Str>(), params[1], params[2]);
  }
  if (params[1] || params[2]) {
    return raise(ts, &TypeError_type,
                 params[1] ? "encoding without a string argument" : "errors without a string argument");
  }
  if (is_bytes(source)) return newref(source);
  if (is_int(source)) {
    int64_t n;
    if (!int_to_int64(ts, source, &n)) return Value();
    if (n < 0) return raise(ts, &ValueError_type, "negative count");
    Bytes* b = try_new_object<Bytes>(&bytes_type, sizeof(Bytes) + size_t(n));
    if (!b) return raise_memory_error(ts);
    b->size = size_t(n);
    std::memset(b->data, 0, size_t(n) + 1);
    return Value::from_obj(b);
  }
  Ref iter(object_iter(ts, source));
  if (!iter) {
    if (error_matches(ts, &TypeError_type)) {
      clear_error(ts);
      return raise_fmt(ts, &TypeError_type, "cannot convert '%s' object to bytes",
                       type_name(source));
    }
    return Value();
  }
  std::string out;
  while (Ref item{iter_next(ts, iter.get())}) {
    if (!is_int(item.get())) {
      return raise_fmt(ts, &TypeError_type, "'%s' object cannot be interpreted as an integer",
                       type_name(item.get()));
    }
    unsigned char c;
    if (!byte_from_int(ts, item.get(), &c, "bytes")) return Value();
    out += char(c);
  }
  if (error_occurred(ts)) return Value();
  return bytes_value(ts, out);
}

void bytes_dealloc(Object* self) { free_object(self); }

// --- Iterator ---

struct BytesIterator : Object {
  Bytes* bytes = nullptr;
  std::atomic<size_t> index{0};
};

Value bytes_iter(ThreadState& ts, Value self) {
  BytesIterator* it = try_new_object<BytesIterator>(&bytes_iterator_type);
  if (!it) return raise_memory_error(ts);
  it->bytes = as_bytes(newref(self));
  return Value::from_obj(it);
}

Value bytes_iterator_next(ThreadState&, Value self) {
  BytesIterator* it = self.as<BytesIterator>();
  size_t index = it->index.fetch_add(1, std::memory_order_relaxed);
  if (index >= it->bytes->size) return Value();
  return Value::small_int(static_cast<unsigned char>(it->bytes->data[index]));
}

Value bytes_iterator_iter(ThreadState&, Value self) { return newref(self); }

void bytes_iterator_dealloc(Object* self) {
  decref(static_cast<BytesIterator*>(self)->bytes);
  free_object(self);
}

// --- Methods ---

bool require_bytes_arg(ThreadState& ts, Value v) {
  if (is_bytes(v)) return true;
  raise_fmt(ts, &TypeError_type, "a bytes-like object is required, not '%s'", type_name(v));
  return false;
}

Value bytes_decode_method(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value params[2];
  if (!bind_args(ts, "decode", args + 1, nargs - 1, kwnames, {"encoding", "errors"}, 0, params)) {
    return Value();
  }
  return bytes_decode(ts, bytes_view(args[0]), params[0], params[1]);
}

Value bytes_hex(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "hex", kwnames) || !check_nargs(ts, "hex", nargs - 1, 0, 0)) {
    return Value();
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes_view(args[0])) {
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return Value::from_obj(str_new_checked(ts, out));
}

Value bytes_join(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "join", kwnames) || !check_nargs(ts, "join", nargs - 1, 1, 1)) {
    return Value();
  }
  Ref items(tuple_from_iterable(ts, args[1]));
  if (!items) return Value();
  Tuple* tuple = items.as<Tuple>();
  std::string out;
  for (size_t i = 0; i < tuple->size; ++i) {
    if (!is_bytes(tuple->items[i])) {
      return raise_fmt(ts, &TypeError_type,
                       "sequence item %zu: expected a bytes-like object, %s found", i,
                       type_name(tuple->items[i]));
    }
    if (i > 0) out += bytes_view(args[0]);
    out += bytes_view(tuple->items[i]);
  }
  return bytes_value(ts, out);
}

// startswith/endswith(prefix or tuple of prefixes[, start[, end]]).
Value bytes_affix_match(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                        const char* name, bool at_end) {
  if (!check_no_kwargs(ts, name, kwnames) || !check_nargs(ts, name, nargs - 1, 1, 3)) {
    return Value();
  }
  std::string_view data = bytes_view(args[0]);
  int64_t start = 0, end = INT64_MAX;
  if ((nargs > 2 && !parse_slice_bound(ts, args[2], &start)) ||
      (nargs > 3 && !parse_slice_bound(ts, args[3], &end))) {
    return Value();
  }
  adjust_indices(&start, &end, int64_t(data.size()));
  Value affix = args[1];
  size_t count = is_tuple(affix) ? affix.as<Tuple>()->size : 1;
  for (size_t i = 0; i < count; ++i) {
    Value candidate = is_tuple(affix) ? affix.as<Tuple>()->items[i] : affix;
    if (!is_bytes(candidate)) {
      return raise_fmt(ts, &TypeError_type,
                       "%s first arg must be bytes or a tuple of bytes, not %s", name,
                       type_name(candidate));
    }
    std::string_view want = bytes_view(candidate);
    if (start > int64_t(data.size()) || end - start < int64_t(want.size())) continue;
    size_t at = at_end ? size_t(end) - want.size() : size_t(start);
    if (data.substr(at, want.size()) == want) return true_value();
  }
  return false_value();
}
Value bytes_startswith(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return bytes_affix_match(ts, args, nargs, kwnames, "startswith", false);
}
Value bytes_endswith(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return bytes_affix_match(ts, args, nargs, kwnames, "endswith", true);
}

Value bytes_find(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "find", kwnames) || !check_nargs(ts, "find", nargs - 1, 1, 3)) {
    return Value();
  }
  std::string_view data = bytes_view(args[0]);
  std::string needle;
  if (is_int(args[1])) {
    unsigned char c;
    if (!byte_from_int(ts, args[1], &c)) return Value();
    needle = char(c);
  } else if (require_bytes_arg(ts, args[1])) {
    needle = bytes_view(args[1]);
  } else {
    return Value();
  }
  int64_t start = 0, end = INT64_MAX;
  if ((nargs > 2 && !parse_slice_bound(ts, args[2], &start)) ||
      (nargs > 3 && !parse_slice_bound(ts, args[3], &end))) {
    return Value();
  }
  adjust_indices(&start, &end, int64_t(data.size()));
  if (start > end) return Value::small_int(-1);
  size_t at = data.substr(0, size_t(end)).find(needle, size_t(start));
  return Value::small_int(at == std::string_view::npos ? -1 : int64_t(at));
}

bool is_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

Value bytes_split(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value params[2];
  if (!bind_args(ts, "split", args + 1, nargs - 1, kwnames, {"sep", "maxsplit"}, 0, params)) {
    return Value();
  }
  int64_t maxsplit = -1;
  if (params[1] && !int_to_int64(ts, params[1], &maxsplit)) return Value();
  if (maxsplit < 0) maxsplit = INT64_MAX;
  std::string_view data = bytes_view(args[0]);
  Ref list(Value::from_obj(list_new(ts)));
  if (!list) return Value();
  auto append = [&](std::string_view piece) {
    Ref item(bytes_value(ts, piece));
    return item && list_append(ts, list.as<List>(), item.get()) == 0;
  };
  if (!params[0] || is_none(params[0])) {
    size_t i = 0;
    for (int64_t splits = 0;; ++splits) {
      while (i < data.size() && is_ascii_space(data[i])) ++i;
      if (i == data.size()) break;
      if (splits == maxsplit) {
        size_t end = data.size();
        while (is_ascii_space(data[end - 1])) --end;
        if (!append(data.substr(i, end - i))) return Value();
        break;
      }
      size_t j = i;
      while (j < data.size() && !is_ascii_space(data[j])) ++j;
      if (!append(data.substr(i, j - i))) return Value();
      i = j;
    }
    return list.release();
  }
  if (!require_bytes_arg(ts, params[0])) return Value();
  std::string_view sep = bytes_view(params[0]);
  if (sep.empty()) return raise(ts, &ValueError_type, "empty separator");
  size_t i = 0;
  for (int64_t splits = 0; splits < maxsplit; ++splits) {
    size_t j = data.find(sep, i);
    if (j == std::string_view::npos) break;
    if (!append(data.substr(i, j - i))) return Value();
    i = j + sep.size();
  }
  if (!append(data.substr(i))) return Value();
  return list.release();
}

Value bytes_strip(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "strip", kwnames) || !check_nargs(ts, "strip", nargs - 1, 0, 1)) {
    return Value();
  }
  std::string_view data = bytes_view(args[0]);
  bool whitespace = nargs < 2 || is_none(args[1]);
  if (!whitespace && !require_bytes_arg(ts, args[1])) return Value();
  std::string_view chars = whitespace ? std::string_view(" \t\n\r\v\f") : bytes_view(args[1]);
  size_t begin = data.find_first_not_of(chars);
  if (begin == std::string_view::npos) return bytes_value(ts, "");
  size_t end = data.find_last_not_of(chars);
  return bytes_value(ts, data.substr(begin, end - begin + 1));
}

Value bytes_change_case(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                        const char* name, bool upper) {
  if (!check_no_kwargs(ts, name, kwnames) || !check_nargs(ts, name, nargs - 1, 0, 0)) {
    return Value();
  }
  std::string out(bytes_view(args[0]));
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') c = char(c - 32);
    if (!upper && c >= 'A' && c <= 'Z') c = char(c + 32);
  }
  return bytes_value(ts, out);
}
Value bytes_upper(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return bytes_change_case(ts, args, nargs, kwnames, "upper", true);
}
Value bytes_lower(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return bytes_change_case(ts, args, nargs, kwnames, "lower", false);
}

const MethodDef bytes_methods[] = {
    {"decode", bytes_decode_method},
    {"hex", bytes_hex},
    {"join", bytes_join},
    {"startswith", bytes_startswith},
    {"endswith", bytes_endswith},
    {"find", bytes_find},
    {"split", bytes_split},
    {"strip", bytes_strip},
    {"upper", bytes_upper},
    {"lower", bytes_lower},
    {nullptr, nullptr},
};

}  // namespace

Type bytes_type;
MINIVM_TYPE_SETUP(bytes_type) {
  t.name = "bytes";
  t.flags = kTypeBaseType | kTypeImmutable;
  t.basic_size = sizeof(Bytes);
  t.methods = bytes_methods;
  t.dealloc = bytes_dealloc;
  t.repr = bytes_repr_slot;
  t.hash = bytes_hash_slot;
  t.compare = bytes_compare;
  t.binary = bytes_binary;
  t.binary_ops = op_mask({BinaryOp::Add, BinaryOp::Mul, BinaryOp::Mod});
  t.rbinary_ops = op_mask({BinaryOp::Mul, BinaryOp::Mod});
  t.length = bytes_length;
  t.getitem = bytes_getitem;
  t.contains = bytes_contains;
  t.iter = bytes_iter;
  t.new_ = bytes_new_slot;
}

Type bytes_iterator_type;
MINIVM_TYPE_SETUP(bytes_iterator_type) {
  t.name = "bytes_iterator";
  t.flags = kTypeImmutable;
  t.basic_size = sizeof(BytesIterator);
  t.dealloc = bytes_iterator_dealloc;
  t.iter = bytes_iterator_iter;
  t.iternext = bytes_iterator_next;
}

}  // namespace mvm
