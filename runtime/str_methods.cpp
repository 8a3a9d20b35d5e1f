// The methods of str: searching, splitting and joining, stripping and padding, case
// mapping and character-class tests. Positions in arguments and results are code points;
// the searching itself runs on UTF-8 bytes, which is sound because UTF-8 is
// self-synchronising (a valid needle only matches at character boundaries).
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/bytes.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/format.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "runtime/unicode.h"
#include "vm/thread_state.h"

namespace mvm {

// --- Helpers shared with bytes ---

bool parse_slice_bound(ThreadState& ts, Value v, int64_t* out) {
  if (!v || is_none(v)) return true;
  if (!has_index(v)) {
    raise(ts, &TypeError_type,
          "slice indices must be integers or None or have an __index__ method");
    return false;
  }
  // CPython clamps huge bounds rather than failing.
  Ref index(number_index(ts, v));
  if (!index) return false;
  *out = int_clamp_int64(index.get());
  return true;
}

void adjust_indices(int64_t* start, int64_t* end, int64_t length) {
  if (*end > length) {
    *end = length;
  } else if (*end < 0) {
    *end = std::max<int64_t>(*end + length, 0);
  }
  if (*start < 0) *start = std::max<int64_t>(*start + length, 0);
}

namespace {

// --- Argument and result helpers ---

Str* self_of(const Value* args) { return args[0].as<Str>(); }

Value new_str(ThreadState& ts, std::string_view text) {
  return Value::from_obj(str_new_checked(ts, text));
}

// For positional-only methods: nargs counts self, min/max do not. CPython words a fixed
// count as "str.zfill() takes exactly one argument" and a range as "strip expected at most
// 1 argument", hence the two spellings of the name.
bool positional_args(ThreadState& ts, const char* name, size_t nargs, Tuple* kwnames,
                     size_t min, size_t max) {
  bool no_kwargs = !kwnames || kwnames->size == 0;
  if (no_kwargs && nargs - 1 >= min && nargs - 1 <= max) return true;
  std::string qualified = std::string("str.") + name;
  return check_no_kwargs(ts, qualified.c_str(), kwnames) &&
         check_nargs(ts, min == max ? qualified.c_str() : name, nargs - 1, min, max);
}

// Raises CPython's "<what>must be str, not int" unless v is a str.
bool expect_str(ThreadState& ts, Value v, const char* what = "") {
  if (is_str(v)) return true;
  raise_fmt(ts, &TypeError_type, "%smust be str, not %s", what, type_name(v));
  return false;
}

bool int_arg(ThreadState& ts, Value v, int64_t* out) {
  if (is_bigint(v)) {
    raise(ts, &OverflowError_type, "Python int too large to convert to C ssize_t");
    return false;
  }
  Ref index(number_index(ts, v));
  return index && int_to_int64(ts, index.get(), out);
}

// Collects the pieces of split() and friends; a piece that is all of self reuses self.
class PieceList {
 public:
  PieceList(ThreadState& ts, Str* self) : ts_(ts), self_(self), list_(Value::from_obj(list_new(ts))) {}
  bool ok() const { return bool(list_); }
  bool add(std::string_view piece) {
    Ref item(str_or_self(ts_, self_, piece));
    return item && list_append(ts_, list_.as<List>(), item.get()) == 0;
  }
  Value take_reversed() {
    List* list = list_.as<List>();
    std::reverse(list->items, list->items + list->size);
    return list_.release();
  }
  Value take() { return list_.release(); }

 private:
  ThreadState& ts_;
  Str* self_;
  Ref list_;
};

// Byte-level stepping over characters.
size_t char_length_at(std::string_view text, size_t at) {
  return utf8_seq_length(static_cast<unsigned char>(text[at]));
}
size_t prev_char_start(std::string_view text, size_t at) {
  do {
    --at;
  } while (at > 0 && utf8_is_continuation(static_cast<unsigned char>(text[at])));
  return at;
}
bool space_at(std::string_view text, size_t at) {
  return unicode_isspace(utf8_decode_at(text, at));
}

// Resolves code point bounds of s (after adjust_indices) to byte offsets. Returns false
// when start lies past the end, which no search can match.
bool byte_range(const Str* s, int64_t start, int64_t end, size_t* byte_start, size_t* byte_end) {
  if (start > int64_t(s->length)) return false;
  *byte_start = str_byte_offset(s, size_t(start));
  *byte_end = end <= start ? *byte_start : str_byte_offset(s, size_t(end));
  return true;
}

// --- split, rsplit, splitlines, join ---

Value split_whitespace(ThreadState& ts, Str* self, int64_t maxsplit, bool from_right) {
  std::string_view text = str_view(self);
  PieceList pieces(ts, self);
  if (!pieces.ok()) return Value();
  if (!from_right) {
    size_t i = 0;
    for (;;) {
      while (i < text.size() && space_at(text, i)) i += char_length_at(text, i);
      if (i == text.size()) break;
      if (maxsplit-- == 0) {   // the rest, leading whitespace removed, is the last piece
        if (!pieces.add(text.substr(i))) return Value();
        break;
      }
      size_t j = i;
      while (j < text.size() && !space_at(text, j)) j += char_length_at(text, j);
      if (!pieces.add(text.substr(i, j - i))) return Value();
      i = j;
    }
    return pieces.take();
  }
  size_t i = text.size();   // one past the current piece
  for (;;) {
    while (i > 0 && space_at(text, prev_char_start(text, i))) i = prev_char_start(text, i);
    if (i == 0) break;
    if (maxsplit-- == 0) {
      if (!pieces.add(text.substr(0, i))) return Value();
      break;
    }
    size_t j = i;
    while (j > 0 && !space_at(text, prev_char_start(text, j))) j = prev_char_start(text, j);
    if (!pieces.add(text.substr(j, i - j))) return Value();
    i = j;
  }
  return pieces.take_reversed();
}

Value split_on(ThreadState& ts, Str* self, std::string_view sep, int64_t maxsplit,
               bool from_right) {
  std::string_view text = str_view(self);
  PieceList pieces(ts, self);
  if (!pieces.ok()) return Value();
  if (!from_right) {
    size_t i = 0;
    for (size_t j; maxsplit != 0 && (j = text.find(sep, i)) != std::string_view::npos; --maxsplit) {
      if (!pieces.add(text.substr(i, j - i))) return Value();
      i = j + sep.size();
    }
    if (!pieces.add(text.substr(i))) return Value();
    return pieces.take();
  }
  size_t end = text.size();
  while (maxsplit != 0 && end >= sep.size()) {
    size_t j = text.substr(0, end).rfind(sep);
    if (j == std::string_view::npos) break;
    if (!pieces.add(text.substr(j + sep.size(), end - j - sep.size()))) return Value();
    end = j;
    --maxsplit;
  }
  if (!pieces.add(text.substr(0, end))) return Value();
  return pieces.take_reversed();
}

Value split_impl(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                 const char* name, bool from_right) {
  Value params[2];
  if (!bind_args(ts, name, args + 1, nargs - 1, kwnames, {"sep", "maxsplit"}, 0, params)) {
    return Value();
  }
  int64_t maxsplit = -1;
  if (params[1] && !int_arg(ts, params[1], &maxsplit)) return Value();
  if (maxsplit < 0) maxsplit = -1;   // -1: no limit (counting down never reaches 0)
  Value sep = params[0];
  if (!sep || is_none(sep)) return split_whitespace(ts, self_of(args), maxsplit, from_right);
  if (!is_str(sep)) return raise_fmt(ts, &TypeError_type, "must be str or None, not %s", type_name(sep));
  if (str_view(sep).empty()) return raise(ts, &ValueError_type, "empty separator");
  return split_on(ts, self_of(args), str_view(sep), maxsplit, from_right);
}

Value str_split(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return split_impl(ts, args, nargs, kwnames, "split", false);
}
Value str_rsplit(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return split_impl(ts, args, nargs, kwnames, "rsplit", true);
}

// The byte length of the line break at `at`, or 0. \r\n counts as one break.
size_t line_break_at(std::string_view text, size_t at) {
  unsigned char c = static_cast<unsigned char>(text[at]);
  if (c == '\r') return (at + 1 < text.size() && text[at + 1] == '\n') ? 2 : 1;
  if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1C && c <= 0x1E)) return 1;
  if (c < 0x80) return 0;
  uint32_t cp = utf8_decode_at(text, at);
  return (cp == 0x85 || cp == 0x2028 || cp == 0x2029) ? utf8_encoded_length(cp) : 0;
}

Value str_splitlines(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value keepends_arg;
  if (!bind_args(ts, "splitlines", args + 1, nargs - 1, kwnames, {"keepends"}, 0, &keepends_arg)) {
    return Value();
  }
  int keepends = keepends_arg ? object_truth(ts, keepends_arg) : 0;
  if (keepends < 0) return Value();
  std::string_view text = str_view(args[0]);
  PieceList pieces(ts, self_of(args));
  if (!pieces.ok()) return Value();
  size_t line_start = 0;
  for (size_t i = 0; i < text.size();) {
    size_t brk = line_break_at(text, i);
    if (brk == 0) {
      i += char_length_at(text, i);
      continue;
    }
    size_t line_end = keepends ? i + brk : i;
    if (!pieces.add(text.substr(line_start, line_end - line_start))) return Value();
    i += brk;
    line_start = i;
  }
  if (line_start < text.size() && !pieces.add(text.substr(line_start))) return Value();
  return pieces.take();
}

Value str_join(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!positional_args(ts, "join", nargs, kwnames, 1, 1)) return Value();
  Value iterable = args[1];
  // A tuple snapshot: for a list this is one copy, and it stays valid even if another
  // thread mutates the list meanwhile.
  Ref items(is_tuple(iterable) ? newref(iterable) : tuple_from_iterable(ts, iterable));
  if (!items) {
    if (error_matches(ts, &TypeError_type) && !is_tuple(iterable)) {
      clear_error(ts);
      return raise(ts, &TypeError_type, "can only join an iterable");
    }
    return Value();
  }
  Tuple* tuple = items.as<Tuple>();
  if (tuple->size == 1 && is_exact_str(tuple->items[0])) return newref(tuple->items[0]);
  Str* sep = self_of(args);
  size_t size = 0, length = 0;
  bool ascii = sep->ascii;
  for (size_t i = 0; i < tuple->size; ++i) {
    Value item = tuple->items[i];
    if (!is_str(item)) {
      return raise_fmt(ts, &TypeError_type, "sequence item %zu: expected str instance, %s found",
                       i, type_name(item));
    }
    Str* s = item.as<Str>();
    size += s->size + (i > 0 ? sep->size : 0);
    length += s->length + (i > 0 ? sep->length : 0);
    ascii &= s->ascii;
  }
  Str* result = str_alloc(size, length, ascii);
  if (!result) return raise_memory_error(ts);
  char* out = result->data;
  for (size_t i = 0; i < tuple->size; ++i) {
    if (i > 0) out = static_cast<char*>(std::memcpy(out, sep->data, sep->size)) + sep->size;
    Str* s = tuple->items[i].as<Str>();
    out = static_cast<char*>(std::memcpy(out, s->data, s->size)) + s->size;
  }
  return Value::from_obj(result);
}

// --- strip ---

enum StripSide { kLeft = 1, kRight = 2, kBoth = 3 };

Value strip_impl(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                 const char* name, int sides) {
  if (!positional_args(ts, name, nargs, kwnames, 0, 1)) return Value();
  bool whitespace = nargs < 2 || is_none(args[1]);
  if (!whitespace && !is_str(args[1])) {
    return raise_fmt(ts, &TypeError_type, "%s arg must be None or str", name);
  }
  std::vector<uint32_t> chars;
  if (!whitespace) {
    std::string_view set = str_view(args[1]);
    for (const char* p = set.data(); p < set.data() + set.size();) chars.push_back(utf8_decode(p));
  }
  auto strippable = [&](uint32_t cp) {
    return whitespace ? unicode_isspace(cp)
                      : std::find(chars.begin(), chars.end(), cp) != chars.end();
  };
  std::string_view text = str_view(args[0]);
  size_t begin = 0, end = text.size();
  if (sides & kLeft) {
    while (begin < end && strippable(utf8_decode_at(text, begin))) begin += char_length_at(text, begin);
  }
  if (sides & kRight) {
    while (end > begin && strippable(utf8_decode_at(text, prev_char_start(text, end)))) {
      end = prev_char_start(text, end);
    }
  }
  return str_or_self(ts, self_of(args), text.substr(begin, end - begin));
}

Value str_strip(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return strip_impl(ts, args, nargs, kwnames, "strip", kBoth);
}
Value str_lstrip(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return strip_impl(ts, args, nargs, kwnames, "lstrip", kLeft);
}
Value str_rstrip(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return strip_impl(ts, args, nargs, kwnames, "rstrip", kRight);
}

// --- replace, removeprefix, removesuffix ---

Value str_replace(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!positional_args(ts, "replace", nargs, kwnames, 2, 3)) return Value();
  if (!expect_str(ts, args[1], "replace() argument 1 ") ||
      !expect_str(ts, args[2], "replace() argument 2 ")) {
    return Value();
  }
  int64_t count = -1;
  if (nargs > 3 && !int_arg(ts, args[3], &count)) return Value();
  std::string_view text = str_view(args[0]), old = str_view(args[1]), repl = str_view(args[2]);
  std::string out;
  size_t i = 0;
  if (old.empty()) {
    // The replacement goes before every character and at the end.
    for (; count != 0 && i <= text.size(); --count) {
      out += repl;
      if (i == text.size()) {
        i = text.size() + 1;
        break;
      }
      size_t n = char_length_at(text, i);
      out += text.substr(i, n);
      i += n;
    }
    if (i <= text.size()) out += text.substr(i);
  } else {
    for (size_t j; count != 0 && (j = text.find(old, i)) != std::string_view::npos; --count) {
      out += text.substr(i, j - i);
      out += repl;
      i = j + old.size();
    }
    if (i == 0) return str_or_self(ts, self_of(args), text);
    out += text.substr(i);
  }
  return new_str(ts, out);
}

Value remove_affix(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                   const char* name, bool suffix) {
  if (!positional_args(ts, name, nargs, kwnames, 1, 1)) return Value();
  if (!is_str(args[1])) {
    return raise_fmt(ts, &TypeError_type, "%s() argument must be str, not %s", name,
                     type_name(args[1]));
  }
  std::string_view text = str_view(args[0]), affix = str_view(args[1]);
  if (suffix && text.ends_with(affix) && !affix.empty()) text.remove_suffix(affix.size());
  if (!suffix && text.starts_with(affix)) text.remove_prefix(affix.size());
  return str_or_self(ts, self_of(args), text);
}
Value str_removeprefix(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return remove_affix(ts, args, nargs, kwnames, "removeprefix", false);
}
Value str_removesuffix(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return remove_affix(ts, args, nargs, kwnames, "removesuffix", true);
}

// --- find, rfind, index, rindex, count ---

// Parses (sub[, start[, end]]) and resolves the bounds. *searchable is false when start
// lies past the end of the string.
struct SearchArgs {
  std::string_view sub;
  size_t sub_length = 0;           // code points
  int64_t start = 0, end = INT64_MAX;
  size_t byte_start = 0, byte_end = 0;
  bool searchable = false;
};

bool parse_search_args(ThreadState& ts, const char* name, const Value* args, size_t nargs,
                       Tuple* kwnames, SearchArgs* out) {
  if (!positional_args(ts, name, nargs, kwnames, 1, 3) || !expect_str(ts, args[1])) return false;
  if ((nargs > 2 && !parse_slice_bound(ts, args[2], &out->start)) ||
      (nargs > 3 && !parse_slice_bound(ts, args[3], &out->end))) {
    return false;
  }
  Str* self = self_of(args);
  out->sub = str_view(args[1]);
  out->sub_length = args[1].as<Str>()->length;
  adjust_indices(&out->start, &out->end, int64_t(self->length));
  out->searchable = out->end - out->start >= int64_t(out->sub_length) &&
                    byte_range(self, out->start, out->end, &out->byte_start, &out->byte_end);
  return true;
}

// The code point index of the first (or last) match, or -1; null on argument errors.
Value find_impl(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                const char* name, bool from_right, bool raise_if_missing) {
  SearchArgs search;
  if (!parse_search_args(ts, name, args, nargs, kwnames, &search)) return Value();
  size_t found = std::string_view::npos;
  if (search.searchable) {
    std::string_view window =
        str_view(args[0]).substr(search.byte_start, search.byte_end - search.byte_start);
    found = from_right ? window.rfind(search.sub) : window.find(search.sub);
  }
  if (found == std::string_view::npos) {
    if (raise_if_missing) return raise(ts, &ValueError_type, "substring not found");
    return Value::small_int(-1);
  }
  return Value::small_int(int64_t(str_codepoint_index(self_of(args), search.byte_start + found)));
}

Value str_find(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return find_impl(ts, args, nargs, kwnames, "find", false, false);
}
Value str_rfind(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return find_impl(ts, args, nargs, kwnames, "rfind", true, false);
}
Value str_index(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return find_impl(ts, args, nargs, kwnames, "index", false, true);
}
Value str_rindex(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return find_impl(ts, args, nargs, kwnames, "rindex", true, true);
}

Value str_count(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  SearchArgs search;
  if (!parse_search_args(ts, "count", args, nargs, kwnames, &search)) return Value();
  if (!search.searchable) return Value::small_int(0);
  if (search.sub.empty()) return Value::small_int(search.end - search.start + 1);
  std::string_view window =
      str_view(args[0]).substr(search.byte_start, search.byte_end - search.byte_start);
  int64_t count = 0;
  for (size_t at = window.find(search.sub); at != std::string_view::npos;
       at = window.find(search.sub, at + search.sub.size())) {
    ++count;
  }
  return Value::small_int(count);
}

// startswith/endswith(prefix or tuple of prefixes[, start[, end]]).
Value affix_match(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                  const char* name, bool at_end) {
  if (!positional_args(ts, name, nargs, kwnames, 1, 3)) return Value();
  int64_t start = 0, end = INT64_MAX;
  if ((nargs > 2 && !parse_slice_bound(ts, args[2], &start)) ||
      (nargs > 3 && !parse_slice_bound(ts, args[3], &end))) {
    return Value();
  }
  Str* self = self_of(args);
  adjust_indices(&start, &end, int64_t(self->length));
  Value affix = args[1];
  bool several = is_tuple(affix);
  size_t count = several ? affix.as<Tuple>()->size : 1;
  for (size_t i = 0; i < count; ++i) {
    Value candidate = several ? affix.as<Tuple>()->items[i] : affix;
    if (!is_str(candidate)) {
      if (several) {
        return raise_fmt(ts, &TypeError_type, "tuple for %s must only contain str, not %s",
                         name, type_name(candidate));
      }
      return raise_fmt(ts, &TypeError_type, "%s first arg must be str or a tuple of str, not %s",
                       name, type_name(candidate));
    }
    Str* want = candidate.as<Str>();
    size_t byte_start, byte_end;
    if (end - start < int64_t(want->length) || !byte_range(self, start, end, &byte_start, &byte_end)) {
      continue;
    }
    std::string_view window = str_view(self).substr(byte_start, byte_end - byte_start);
    if (at_end ? window.ends_with(str_view(want)) : window.starts_with(str_view(want))) {
      return true_value();
    }
  }
  return false_value();
}
Value str_startswith(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return affix_match(ts, args, nargs, kwnames, "startswith", false);
}
Value str_endswith(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return affix_match(ts, args, nargs, kwnames, "endswith", true);
}

// --- partition ---

Value partition_impl(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                     const char* name, bool from_right) {
  if (!positional_args(ts, name, nargs, kwnames, 1, 1) || !expect_str(ts, args[1])) return Value();
  std::string_view text = str_view(args[0]), sep = str_view(args[1]);
  if (sep.empty()) return raise(ts, &ValueError_type, "empty separator");
  size_t at = from_right ? text.rfind(sep) : text.find(sep);
  std::string_view parts[3];
  if (at == std::string_view::npos) {
    parts[from_right ? 2 : 0] = text;
  } else {
    parts[0] = text.substr(0, at);
    parts[1] = sep;
    parts[2] = text.substr(at + sep.size());
  }
  Tuple* result = tuple_new(ts, 3);
  if (!result) return Value();
  Ref owner(Value::from_obj(result));
  for (size_t i = 0; i < 3; ++i) {
    Str* source = (i == 1) ? args[1].as<Str>() : self_of(args);
    result->items[i] = str_or_self(ts, source, parts[i]);
    if (!result->items[i]) return Value();
  }
  return owner.release();
}
Value str_partition(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return partition_impl(ts, args, nargs, kwnames, "partition", false);
}
Value str_rpartition(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return partition_impl(ts, args, nargs, kwnames, "rpartition", true);
}

// --- Case mapping ---

enum class CaseOp { Upper, Lower, Casefold, Swapcase, Title, Capitalize };

// Whether the capital sigma at byte `at` ends a word and so lowers to final sigma 'ς'
// (a simplification of Unicode's Final_Sigma rule that ignores case-ignorable characters).
bool is_final_sigma(std::string_view text, size_t at) {
  if (at == 0 || !unicode_iscased(utf8_decode_at(text, prev_char_start(text, at)))) return false;
  size_t next = at + char_length_at(text, at);
  return next == text.size() || !unicode_iscased(utf8_decode_at(text, next));
}

void append_lower(std::string& out, std::string_view text, size_t at, uint32_t cp) {
  if (cp == 0x3A3 && is_final_sigma(text, at)) {
    utf8_append(out, 0x3C2);
  } else {
    unicode_append_case(out, cp, CaseMapping::Lower);
  }
}

Value change_case(ThreadState& ts, Str* self, CaseOp op) {
  std::string_view text = str_view(self);
  std::string out;
  out.reserve(text.size());
  bool previous_cased = false;   // for title()
  for (size_t at = 0; at < text.size();) {
    const char* p = text.data() + at;
    uint32_t cp = utf8_decode(p);
    switch (op) {
      case CaseOp::Upper:
        unicode_append_case(out, cp, CaseMapping::Upper);
        break;
      case CaseOp::Lower:
        append_lower(out, text, at, cp);
        break;
      case CaseOp::Casefold:
        unicode_append_case(out, cp, CaseMapping::Fold);
        break;
      case CaseOp::Swapcase:
        if (unicode_isupper(cp)) {
          append_lower(out, text, at, cp);
        } else if (unicode_islower(cp)) {
          unicode_append_case(out, cp, CaseMapping::Upper);
        } else {
          utf8_append(out, cp);
        }
        break;
      case CaseOp::Title:
        if (previous_cased) {
          append_lower(out, text, at, cp);
        } else {
          unicode_append_case(out, cp, CaseMapping::Title);
        }
        previous_cased = unicode_iscased(cp);
        break;
      case CaseOp::Capitalize:
        if (at == 0) {
          unicode_append_case(out, cp, CaseMapping::Title);
        } else {
          append_lower(out, text, at, cp);
        }
        break;
    }
    at = size_t(p - text.data());
  }
  return str_or_self(ts, self, out == text ? text : std::string_view(out));
}

Value case_method(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                  const char* name, CaseOp op) {
  if (!positional_args(ts, name, nargs, kwnames, 0, 0)) return Value();
  return change_case(ts, self_of(args), op);
}

// --- Character-class tests ---

// Whether s is non-empty and every character satisfies pred.
Value all_chars(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                const char* name, bool (*pred)(uint32_t)) {
  if (!positional_args(ts, name, nargs, kwnames, 0, 0)) return Value();
  std::string_view text = str_view(args[0]);
  if (text.empty()) return false_value();
  for (const char* p = text.data(); p < text.data() + text.size();) {
    if (!pred(utf8_decode(p))) return false_value();
  }
  return true_value();
}

Value str_isascii(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!positional_args(ts, "isascii", nargs, kwnames, 0, 0)) return Value();
  return bool_value(self_of(args)->ascii);
}

Value str_isprintable(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!positional_args(ts, "isprintable", nargs, kwnames, 0, 0)) return Value();
  std::string_view text = str_view(args[0]);
  for (const char* p = text.data(); p < text.data() + text.size();) {
    if (!unicode_isprintable(utf8_decode(p))) return false_value();
  }
  return true_value();
}

Value str_isidentifier(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!positional_args(ts, "isidentifier", nargs, kwnames, 0, 0)) return Value();
  std::string_view text = str_view(args[0]);
  if (text.empty()) return false_value();
  const char* p = text.data();
  if (!unicode_is_id_start(utf8_decode(p))) return false_value();
  while (p < text.data() + text.size()) {
    if (!unicode_is_id_continue(utf8_decode(p))) return false_value();
  }
  return true_value();
}

// isupper/islower: no character of the opposite case (or titlecase) and at least one cased.
Value cased_test(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                 const char* name, bool (*wanted)(uint32_t), bool (*opposite)(uint32_t)) {
  if (!positional_args(ts, name, nargs, kwnames, 0, 0)) return Value();
  std::string_view text = str_view(args[0]);
  bool cased = false;
  for (const char* p = text.data(); p < text.data() + text.size();) {
    uint32_t cp = utf8_decode(p);
    if (opposite(cp) || unicode_istitle(cp)) return false_value();
    cased |= wanted(cp);
  }
  return bool_value(cased);
}

// istitle: uppercase and titlecase characters only start words, lowercase only continue them.
Value str_istitle(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!positional_args(ts, "istitle", nargs, kwnames, 0, 0)) return Value();
  std::string_view text = str_view(args[0]);
  bool cased = false, previous_cased = false;
  for (const char* p = text.data(); p < text.data() + text.size();) {
    uint32_t cp = utf8_decode(p);
    if (unicode_isupper(cp) || unicode_istitle(cp)) {
      if (previous_cased) return false_value();
      previous_cased = cased = true;
    } else if (unicode_islower(cp)) {
      if (!previous_cased) return false_value();
      previous_cased = cased = true;
    } else {
      previous_cased = false;
    }
  }
  return bool_value(cased);
}

// --- Padding ---

// The fill character argument of center/ljust/rjust (default ' ').
bool fill_char_arg(ThreadState& ts, const Value* args, size_t nargs,
                   std::string_view* fill) {
  *fill = " ";
  if (nargs < 3) return true;
  if (!is_str(args[2])) {
    raise_fmt(ts, &TypeError_type, "The fill character must be a unicode character, not %s",
              type_name(args[2]));
    return false;
  }
  if (args[2].as<Str>()->length != 1) {
    raise(ts, &TypeError_type, "The fill character must be exactly one character long");
    return false;
  }
  *fill = str_view(args[2]);
  return true;
}

Value pad(ThreadState& ts, Str* self, size_t left, size_t right, std::string_view fill) {
  if (left == 0 && right == 0) return str_or_self(ts, self, str_view(self));
  std::string out;
  out.reserve(self->size + (left + right) * fill.size());
  for (size_t i = 0; i < left; ++i) out += fill;
  out += str_view(self);
  for (size_t i = 0; i < right; ++i) out += fill;
  return new_str(ts, out);
}

enum class Justify { Left, Right, Center };

Value justify_impl(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                   const char* name, Justify how) {
  if (!positional_args(ts, name, nargs, kwnames, 1, 2)) return Value();
  int64_t width;
  std::string_view fill;
  if (!int_arg(ts, args[1], &width) || !fill_char_arg(ts, args, nargs, &fill)) {
    return Value();
  }
  Str* self = self_of(args);
  size_t margin = width > int64_t(self->length) ? size_t(width) - self->length : 0;
  switch (how) {
    case Justify::Left:
      return pad(ts, self, 0, margin, fill);
    case Justify::Right:
      return pad(ts, self, margin, 0, fill);
    default: {
      // CPython's rounding: the extra character goes left when both margin and width are odd.
      size_t left = margin / 2 + (margin & size_t(width) & 1);
      return pad(ts, self, left, margin - left, fill);
    }
  }
}
Value str_center(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return justify_impl(ts, args, nargs, kwnames, "center", Justify::Center);
}
Value str_ljust(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return justify_impl(ts, args, nargs, kwnames, "ljust", Justify::Left);
}
Value str_rjust(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return justify_impl(ts, args, nargs, kwnames, "rjust", Justify::Right);
}

Value str_zfill(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!positional_args(ts, "zfill", nargs, kwnames, 1, 1)) return Value();
  int64_t width;
  if (!int_arg(ts, args[1], &width)) return Value();
  Str* self = self_of(args);
  if (width <= int64_t(self->length)) return str_or_self(ts, self, str_view(self));
  std::string_view text = str_view(self);
  std::string out;
  size_t sign = (!text.empty() && (text[0] == '+' || text[0] == '-')) ? 1 : 0;
  out += text.substr(0, sign);
  out.append(size_t(width) - self->length, '0');
  out += text.substr(sign);
  return new_str(ts, out);
}

Value str_expandtabs(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value tabsize_arg;
  if (!bind_args(ts, "expandtabs", args + 1, nargs - 1, kwnames, {"tabsize"}, 0, &tabsize_arg)) {
    return Value();
  }
  int64_t tabsize = 8;
  if (tabsize_arg && !int_arg(ts, tabsize_arg, &tabsize)) return Value();
  std::string_view text = str_view(args[0]);
  std::string out;
  int64_t column = 0;
  for (const char* p = text.data(); p < text.data() + text.size();) {
    const char* start = p;
    uint32_t cp = utf8_decode(p);
    if (cp == '\t') {
      if (tabsize > 0) {
        int64_t spaces = tabsize - column % tabsize;
        out.append(size_t(spaces), ' ');
        column += spaces;
      }
    } else {
      out.append(start, p);
      column = (cp == '\n' || cp == '\r') ? 0 : column + 1;
    }
  }
  return str_or_self(ts, self_of(args), out == text ? text : std::string_view(out));
}

// --- maketrans, translate ---

// str.maketrans(x[, y[, z]]): a dict from code points to code points, strings or None.
Value str_maketrans(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "maketrans", kwnames) || !check_nargs(ts, "maketrans", nargs, 1, 3)) {
    return Value();
  }
  Ref table(Value::from_obj(dict_new(ts)));
  if (!table) return Value();
  Dict* dict = table.as<Dict>();
  if (nargs == 1) {
    if (!is_dict(args[0])) {
      return raise(ts, &TypeError_type,
                   "if you give only one argument to maketrans it must be a dict");
    }
    size_t pos = 0;
    Value key, value;
    while (dict_next(args[0].as<Dict>(), &pos, &key, &value)) {
      Value ordinal = key;
      if (is_str(key)) {
        if (key.as<Str>()->length != 1) {
          return raise(ts, &ValueError_type, "string keys in translate table must be of length 1");
        }
        ordinal = Value::small_int(utf8_decode_at(str_view(key), 0));
      } else if (!is_int(key)) {
        return raise(ts, &TypeError_type, "keys in translate table must be strings or integers");
      }
      if (dict_set(ts, dict, ordinal, value) < 0) return Value();
    }
    return table.release();
  }
  if (!is_str(args[0]) || !is_str(args[1])) {
    return raise(ts, &TypeError_type, "maketrans() argument must be str");
  }
  Str* from = args[0].as<Str>();
  Str* to = args[1].as<Str>();
  if (from->length != to->length) {
    return raise(ts, &ValueError_type, "the first two maketrans arguments must have equal length");
  }
  const char* p = from->data;
  const char* q = to->data;
  while (p < from->data + from->size) {
    Value key = Value::small_int(utf8_decode(p));
    if (dict_set(ts, dict, key, Value::small_int(utf8_decode(q))) < 0) return Value();
  }
  if (nargs == 3) {
    if (!expect_str(ts, args[2], "maketrans() argument 3 ")) return Value();
    std::string_view deleted = str_view(args[2]);
    for (const char* r = deleted.data(); r < deleted.data() + deleted.size();) {
      if (dict_set(ts, dict, Value::small_int(utf8_decode(r)), none()) < 0) return Value();
    }
  }
  return table.release();
}

Value str_translate(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!positional_args(ts, "translate", nargs, kwnames, 1, 1)) return Value();
  Value table = args[1];
  std::string_view text = str_view(args[0]);
  std::string out;
  for (const char* p = text.data(); p < text.data() + text.size();) {
    const char* start = p;
    uint32_t cp = utf8_decode(p);
    Ref mapped(object_getitem(ts, table, Value::small_int(cp)));
    if (!mapped) {
      if (!error_matches(ts, &LookupError_type)) return Value();
      clear_error(ts);
      out.append(start, p);
      continue;
    }
    Value m = mapped.get();
    if (is_none(m)) continue;
    if (is_str(m)) {
      out += str_view(m);
    } else if (is_int(m)) {
      int64_t code;
      if (!int_to_int64(ts, m, &code) || code < 0 || code > 0x10FFFF) {
        clear_error(ts);
        return raise(ts, &ValueError_type, "character mapping must be in range(0x110000)");
      }
      utf8_append(out, uint32_t(code));
    } else {
      return raise(ts, &TypeError_type, "character mapping must return integer, None or str");
    }
  }
  return new_str(ts, out);
}

// --- encode ---

Value str_encode_method(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value params[2];
  if (!bind_args(ts, "encode", args + 1, nargs - 1, kwnames, {"encoding", "errors"}, 0, params)) {
    return Value();
  }
  return str_encode(ts, self_of(args), params[0], params[1]);
}

}  // namespace

// The case methods and class tests share one implementation each; these entries bind the
// method's name and its operation.
#define CASE_METHOD(name, op)                                                       \
  {#name, [](ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) { \
     return case_method(ts, args, nargs, kwnames, #name, CaseOp::op);      \
   }}
#define CLASS_TEST(name, test, ...)                                                 \
  {#name, [](ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) { \
     return test(ts, args, nargs, kwnames, #name, __VA_ARGS__);            \
   }}

const MethodDef str_methods[] = {
    {"split", str_split},
    {"rsplit", str_rsplit},
    {"splitlines", str_splitlines},
    {"join", str_join},
    {"strip", str_strip},
    {"lstrip", str_lstrip},
    {"rstrip", str_rstrip},
    {"replace", str_replace},
    {"removeprefix", str_removeprefix},
    {"removesuffix", str_removesuffix},
    {"find", str_find},
    {"rfind", str_rfind},
    {"index", str_index},
    {"rindex", str_rindex},
    {"count", str_count},
    {"startswith", str_startswith},
    {"endswith", str_endswith},
    {"partition", str_partition},
    {"rpartition", str_rpartition},
    CASE_METHOD(upper, Upper),
    CASE_METHOD(lower, Lower),
    CASE_METHOD(casefold, Casefold),
    CASE_METHOD(swapcase, Swapcase),
    CASE_METHOD(title, Title),
    CASE_METHOD(capitalize, Capitalize),
    CLASS_TEST(isdigit, all_chars, unicode_isdigit),
    CLASS_TEST(isdecimal, all_chars, unicode_isdecimal),
    CLASS_TEST(isnumeric, all_chars, unicode_isnumeric),
    CLASS_TEST(isalpha, all_chars, unicode_isalpha),
    CLASS_TEST(isalnum, all_chars, unicode_isalnum),
    CLASS_TEST(isspace, all_chars, unicode_isspace),
    CLASS_TEST(isupper, cased_test, unicode_isupper, unicode_islower),
    CLASS_TEST(islower, cased_test, unicode_islower, unicode_isupper),
    {"istitle", str_istitle},
    {"isidentifier", str_isidentifier},
    {"isascii", str_isascii},
    {"isprintable", str_isprintable},
    {"center", str_center},
    {"ljust", str_ljust},
    {"rjust", str_rjust},
    {"zfill", str_zfill},
    {"expandtabs", str_expandtabs},
    {"maketrans", str_maketrans, kMethStatic},
    {"translate", str_translate},
    {"encode", str_encode_method},
    {"format", str_format_method},
    {"format_map", str_format_map_method},
    {"__format__", str_dunder_format},
    {nullptr, nullptr},
};

#undef CASE_METHOD
#undef CLASS_TEST

}  // namespace mvm
