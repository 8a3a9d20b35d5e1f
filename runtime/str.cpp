// The str type: allocation, hashing, comparison, repr, and the sequence slots (indexing,
// slicing, concatenation, iteration). The methods live in str_methods.cpp.
//
// Strings are UTF-8 with their code-point length cached. ASCII strings (the common case)
// index by byte in O(1); other strings walk the UTF-8 to find a code point, O(n). We cache
// no index for them on purpose: a Str is immutable and shared between threads without
// locks, and a lazily built offset table would need synchronisation on every read.
#include "runtime/str.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/bytes.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/range.h"
#include "runtime/refcount.h"
#include "runtime/type.h"
#include "runtime/unicode.h"
#include "vm/thread_state.h"

namespace mvm {

// --- Allocation ---

Str* str_alloc(size_t size, size_t length, bool ascii) {
  // data[1] in sizeof(Str) leaves room for the terminating NUL.
  if (size > SIZE_MAX - sizeof(Str)) return nullptr;
  Str* s = try_new_object<Str>(&str_type, sizeof(Str) + size);
  if (!s) return nullptr;
  s->size = size;
  s->length = length;
  s->ascii = ascii;
  s->data[size] = '\0';
  return s;
}

Str* str_empty() {
  static Str* const empty = intern("");
  return empty;
}

namespace {

// The one-character strings for code points below 256, interned and immortal. Built on
// first use; C++ guarantees that the initialisation runs once even if threads race to it.
Str* const* latin1_chars() {
  static Str* const* const table = [] {
    static Str* chars[256];
    for (uint32_t cp = 0; cp < 256; ++cp) {
      char buf[4];
      chars[cp] = intern(std::string_view(buf, utf8_encode(cp, buf)));
    }
    return chars;
  }();
  return table;
}

// The code point of utf8 if it is exactly one character below 256, else -1.
int single_latin1_char(std::string_view utf8) {
  if (utf8.size() == 1) return static_cast<unsigned char>(utf8[0]) < 0x80 ? utf8[0] : -1;
  auto lead = static_cast<unsigned char>(utf8.empty() ? 0 : utf8[0]);
  if (utf8.size() == 2 && (lead == 0xC2 || lead == 0xC3)) {
    return int(utf8_decode_at(utf8, 0));
  }
  return -1;
}

}  // namespace

Str* str_new(std::string_view utf8) {
  if (utf8.empty()) return str_empty();
  if (int cp = single_latin1_char(utf8); cp >= 0) return latin1_chars()[cp];
  // One pass computes both the length and the ASCII flag.
  size_t length = 0;
  bool ascii = true;
  for (unsigned char byte : utf8) {
    length += !utf8_is_continuation(byte);
    ascii &= byte < 0x80;
  }
  Str* s = str_alloc(utf8.size(), length, ascii);
  if (s) std::memcpy(s->data, utf8.data(), utf8.size());
  return s;
}

Str* str_new_checked(ThreadState& ts, std::string_view utf8) {
  Str* s = str_new(utf8);
  if (!s) raise_memory_error(ts);
  return s;
}

Value str_value(std::string_view utf8) { return Value::from_obj(str_new(utf8)); }

Str* str_from_codepoint(uint32_t cp) {
  if (cp < 256) return latin1_chars()[cp];
  char buf[4];
  return str_new(std::string_view(buf, utf8_encode(cp, buf)));
}

Value str_or_self(ThreadState& ts, Str* s, std::string_view piece) {
  bool whole = piece.data() == s->data && piece.size() == s->size;
  if (whole && s->ob_type == &str_type) return newref(Value::from_obj(s));
  return Value::from_obj(str_new_checked(ts, piece));
}

bool utf8_valid(std::string_view s) {
  Utf8Error error;
  return !utf8_find_error(s, &error);
}

// --- Code point positions ---

size_t str_byte_offset(const Str* s, size_t index) {
  if (s->ascii) return index;
  const char* p = s->data;
  for (size_t i = 0; i < index; ++i) p += utf8_seq_length(static_cast<unsigned char>(*p));
  return size_t(p - s->data);
}

size_t str_codepoint_index(const Str* s, size_t byte) {
  if (s->ascii) return byte;
  return utf8_count(std::string_view(s->data, byte));
}

Str* str_char_at(Str* s, size_t index) {
  if (s->ascii) return latin1_chars()[static_cast<unsigned char>(s->data[index])];
  return str_from_codepoint(utf8_decode_at(str_view(s), str_byte_offset(s, index)));
}

// --- Hashing and equality ---

// FNV-1a over the bytes, then a finaliser (MurmurHash3's fmix64) so that short keys that
// differ in one byte spread over the whole word, as open-addressing tables need.
int64_t hash_bytes(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char byte : bytes) {
    h ^= byte;
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  int64_t result = int64_t(h);
  return result == -1 ? -2 : result;   // -1 means "not computed" (and "error" in slots)
}

int64_t str_hash(Str* s) {
  // Threads may compute the hash concurrently; they store the same value, and the atomic
  // access keeps that benign.
  std::atomic_ref<int64_t> cached(s->hash);
  int64_t h = cached.load(std::memory_order_relaxed);
  if (h != -1) return h;
  h = hash_bytes(str_view(s));
  cached.store(h, std::memory_order_relaxed);
  return h;
}

bool str_equal(const Str* a, const Str* b) {
  if (a == b) return true;
  // The intern table holds one Str per text, so two interned strings differ.
  if ((a->ob_flags & kFlagInterned) && (b->ob_flags & kFlagInterned)) return false;
  if (a->size != b->size) return false;
  return std::memcmp(a->data, b->data, a->size) == 0;
}

// --- repr ---

std::string str_repr(std::string_view utf8) {
  bool has_single = utf8.find('\'') != std::string_view::npos;
  bool has_double = utf8.find('"') != std::string_view::npos;
  char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out;
  out.reserve(utf8.size() + 2);
  out += quote;
  static const char kHex[] = "0123456789abcdef";
  auto hex_escape = [&](char kind, uint32_t cp, int digits) {
    out += '\\';
    out += kind;
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
  };
  const char* p = utf8.data();
  const char* end = p + utf8.size();
  while (p < end) {
    const char* start = p;
    uint32_t cp = utf8_decode(p);
    if (cp == uint32_t(quote) || cp == '\\') {
      out += '\\';
      out += char(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (unicode_isprintable(cp)) {
      out.append(start, p);
    } else if (cp < 0x100) {
      hex_escape('x', cp, 2);
    } else if (cp < 0x10000) {
      hex_escape('u', cp, 4);
    } else {
      hex_escape('U', cp, 8);
    }
  }
  out += quote;
  return out;
}

// --- Concatenation and repetition ---

Value str_concat(ThreadState& ts, Str* a, Str* b) {
  if (a->size == 0 && b->ob_type == &str_type) return newref(Value::from_obj(b));
  if (b->size == 0 && a->ob_type == &str_type) return newref(Value::from_obj(a));
  Str* s = str_alloc(a->size + b->size, a->length + b->length, a->ascii && b->ascii);
  if (!s) return raise_memory_error(ts);
  std::memcpy(s->data, a->data, a->size);
  std::memcpy(s->data + a->size, b->data, b->size);
  return Value::from_obj(s);
}

Value str_repeat(ThreadState& ts, Str* s, int64_t n) {
  if (n <= 0 || s->size == 0) return Value::from_obj(str_empty());
  if (n == 1 && s->ob_type == &str_type) return newref(Value::from_obj(s));
  if (uint64_t(n) > uint64_t(INT64_MAX) / s->size) {
    return raise(ts, &OverflowError_type, "repeated string is too long");
  }
  size_t total = s->size * size_t(n);
  Str* r = str_alloc(total, s->length * size_t(n), s->ascii);
  if (!r) return raise_memory_error(ts);
  // Fill by doubling: each memcpy copies everything written so far.
  std::memcpy(r->data, s->data, s->size);
  size_t done = s->size;
  while (done < total) {
    size_t chunk = std::min(done, total - done);
    std::memcpy(r->data + done, r->data, chunk);
    done += chunk;
  }
  return Value::from_obj(r);
}

// --- Slicing ---

Value str_slice(ThreadState& ts, Str* s, int64_t start, int64_t stop, int64_t step,
                int64_t slice_length) {
  if (slice_length <= 0) return Value::from_obj(str_empty());
  if (step == 1) {
    size_t begin = str_byte_offset(s, size_t(start));
    size_t end = s->ascii ? size_t(stop) : begin;
    if (!s->ascii) {
      for (int64_t i = start; i < stop; ++i) {
        end += utf8_seq_length(static_cast<unsigned char>(s->data[end]));
      }
    }
    return str_or_self(ts, s, std::string_view(s->data + begin, end - begin));
  }
  std::string out;
  if (s->ascii) {
    out.reserve(size_t(slice_length));
    for (int64_t i = 0, cp = start; i < slice_length; ++i, cp += step) out += s->data[cp];
  } else {
    // Any step other than 1 may visit code points in any order: find every offset once.
    std::vector<size_t> offsets;
    offsets.reserve(s->length + 1);
    for (size_t byte = 0; byte < s->size;
         byte += utf8_seq_length(static_cast<unsigned char>(s->data[byte]))) {
      offsets.push_back(byte);
    }
    offsets.push_back(s->size);
    for (int64_t i = 0, cp = start; i < slice_length; ++i, cp += step) {
      out.append(s->data + offsets[size_t(cp)], offsets[size_t(cp) + 1] - offsets[size_t(cp)]);
    }
  }
  return Value::from_obj(str_new_checked(ts, out));
}

// --- Type slots ---

namespace {

Str* as_str(Value v) { return v.as<Str>(); }

Value str_repr_slot(ThreadState& ts, Value self) {
  return Value::from_obj(str_new_checked(ts, str_repr(str_view(self))));
}

// str(s) of an exact str is s itself; of a subclass instance, an exact copy.
Value str_str_slot(ThreadState& ts, Value self) {
  if (is_exact_str(self)) return newref(self);
  return Value::from_obj(str_new_checked(ts, str_view(self)));
}

int64_t str_hash_slot(ThreadState&, Value self) { return str_hash(as_str(self)); }

Value str_compare(ThreadState&, Value a, Value b, CompareOp op) {
  if (!is_str(a) || !is_str(b)) return not_implemented();
  Str* x = as_str(a);
  Str* y = as_str(b);
  if (op == CompareOp::Eq) return bool_value(str_equal(x, y));
  if (op == CompareOp::Ne) return bool_value(!str_equal(x, y));
  // Byte order of UTF-8 is code point order, so memcmp compares code points.
  int c = std::memcmp(x->data, y->data, std::min(x->size, y->size));
  if (c == 0) c = (x->size > y->size) - (x->size < y->size);
  switch (op) {
    case CompareOp::Lt: return bool_value(c < 0);
    case CompareOp::Le: return bool_value(c <= 0);
    case CompareOp::Gt: return bool_value(c > 0);
    default: return bool_value(c >= 0);
  }
}

// Built-in types never handle str operands they rejected here, so raising CPython's
// specific message directly is right for them; classes may still define the reflected
// method, so they get their chance through NotImplemented.
bool may_handle_reflected(Value other) { return type_of(other)->flags & kTypeHeap; }

Value str_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  switch (base_op(op)) {
    case BinaryOp::Add:
      if (!is_str(a)) return not_implemented();
      if (is_str(b)) return str_concat(ts, as_str(a), as_str(b));
      if (may_handle_reflected(b)) return not_implemented();
      return raise_fmt(ts, &TypeError_type, "can only concatenate str (not \"%s\") to str",
                       type_name(b));
    case BinaryOp::Mul: {
      Value text = is_str(a) ? a : b;
      Value count = is_str(a) ? b : a;
      if (!is_int(count)) {
        if (may_handle_reflected(count)) return not_implemented();
        return raise_fmt(ts, &TypeError_type, "can't multiply sequence by non-int of type '%s'",
                         type_name(count));
      }
      int64_t n;
      if (!int_to_int64(ts, count, &n)) {
        clear_error(ts);
        return raise_fmt(ts, &OverflowError_type,
                         "cannot fit 'int' into an index-sized integer");
      }
      return str_repeat(ts, as_str(text), n);
    }
    case BinaryOp::Mod:
      if (!is_str(a)) return not_implemented();
      return str_percent_format(ts, as_str(a), b);
    default:
      return not_implemented();
  }
}

int64_t str_length_slot(ThreadState&, Value self) { return int64_t(as_str(self)->length); }

Value str_getitem(ThreadState& ts, Value self, Value key) {
  Str* s = as_str(self);
  if (is_slice(key)) {
    int64_t start, stop, step, length;
    if (!slice_indices(ts, key.as<Slice>(), int64_t(s->length), &start, &stop, &step, &length)) {
      return Value();
    }
    return str_slice(ts, s, start, stop, step, length);
  }
  int64_t index;
  int is_index = subscript_index(ts, key, &index);
  if (is_index < 0) return Value();
  if (is_index == 0) {
    return raise_fmt(ts, &TypeError_type, "string indices must be integers, not '%s'",
                     type_name(key));
  }
  if (!normalize_index(&index, int64_t(s->length))) {
    return raise(ts, &IndexError_type, "string index out of range");
  }
  return Value::from_obj(str_char_at(s, size_t(index)));
}

int str_contains(ThreadState& ts, Value self, Value item) {
  if (!is_str(item)) {
    raise_fmt(ts, &TypeError_type, "'in <string>' requires string as left operand, not %s",
              type_name(item));
    return -1;
  }
  return str_view(self).find(str_view(item)) != std::string_view::npos;
}

// str(object='') and str(bytes, encoding='utf-8', errors='strict').
Value str_new_slot(ThreadState& ts, Type* type, const Value* args, size_t nargs,
                   Tuple* kwnames) {
  Value params[3];
  if (!bind_args(ts, "str", args, nargs, kwnames, {"object", "encoding", "errors"}, 0, params)) {
    return Value();
  }
  Value object = params[0], encoding = params[1], errors = params[2];
  Ref text;
  if (!object) {
    text.reset(Value::from_obj(str_empty()));
  } else if (encoding || errors) {
    if (is_str(object)) return raise(ts, &TypeError_type, "decoding str is not supported");
    if (!is_bytes(object)) {
      return raise_fmt(ts, &TypeError_type, "decoding to str: need a bytes-like object, %s found",
                       type_name(object));
    }
    text.reset(bytes_decode(ts, bytes_view(object), encoding, errors));
  } else {
    text.reset(object_str(ts, object));
  }
  if (!text || type == &str_type) return text.release();
  // A subclass instance: the same layout with the subclass as its type.
  Str* src = text.as<Str>();
  Str* s = try_new_object<Str>(type, sizeof(Str) + src->size);
  if (!s) return raise_memory_error(ts);
  s->size = src->size;
  s->length = src->length;
  s->ascii = src->ascii;
  std::memcpy(s->data, src->data, src->size + 1);
  return Value::from_obj(s);
}

// Interned strings are immortal, so only ordinary strings reach this.
void str_dealloc(Object* self) { free_object(self); }

// --- The iterator ---

// Iterates by byte offset so that each step is O(1) for any string. The offset is atomic
// and advanced by compare-and-swap, so threads sharing one iterator each get distinct
// characters even without the GIL.
struct StrIterator : Object {
  Str* str = nullptr;
  std::atomic<size_t> offset{0};
};

Value str_iter(ThreadState& ts, Value self) {
  StrIterator* it = try_new_object<StrIterator>(&str_iterator_type);
  if (!it) return raise_memory_error(ts);
  it->str = as_str(newref(self));
  return Value::from_obj(it);
}

Value str_iterator_next(ThreadState&, Value self) {
  StrIterator* it = self.as<StrIterator>();
  Str* s = it->str;
  size_t offset = it->offset.load(std::memory_order_relaxed);
  size_t next;
  do {
    if (offset >= s->size) return Value();
    next = offset + utf8_seq_length(static_cast<unsigned char>(s->data[offset]));
  } while (!it->offset.compare_exchange_weak(offset, next, std::memory_order_relaxed));
  return Value::from_obj(str_from_codepoint(utf8_decode_at(str_view(s), offset)));
}

Value str_iterator_iter(ThreadState&, Value self) { return newref(self); }

void str_iterator_dealloc(Object* self) {
  decref(static_cast<StrIterator*>(self)->str);
  free_object(self);
}

}  // namespace

Type str_type;
MINIVM_TYPE_SETUP(str_type) {
  t.name = "str";
  t.flags = kTypeBaseType | kTypeStrSubclass | kTypeImmutable;
  t.basic_size = sizeof(Str);
  t.methods = str_methods;
  t.dealloc = str_dealloc;
  t.repr = str_repr_slot;
  t.str = str_str_slot;
  t.hash = str_hash_slot;
  t.compare = str_compare;
  t.binary = str_binary;
  t.binary_ops = op_mask({BinaryOp::Add, BinaryOp::Mul, BinaryOp::Mod});
  t.rbinary_ops = op_mask({BinaryOp::Mul, BinaryOp::Mod});
  t.length = str_length_slot;
  t.getitem = str_getitem;
  t.contains = str_contains;
  t.iter = str_iter;
  t.new_ = str_new_slot;
}

Type str_iterator_type;
MINIVM_TYPE_SETUP(str_iterator_type) {
  t.name = "str_iterator";
  t.flags = kTypeImmutable;
  t.basic_size = sizeof(StrIterator);
  t.dealloc = str_iterator_dealloc;
  t.iter = str_iterator_iter;
  t.iternext = str_iterator_next;
}

}  // namespace mvm
