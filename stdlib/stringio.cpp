// io.StringIO: an in-memory text file. The text is kept as UTF-8 with a byte position that
// always sits on a character boundary; positions seen by scripts count characters.
#include <string>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "runtime/unicode.h"
#include "stdlib/io.h"
#include "stdlib/native.h"

namespace mvm {

namespace {

struct StringIO : Object {
  std::string text;
  size_t pos = 0;        // byte offset into text, at a character boundary
  size_t gap = 0;        // characters the position lies beyond the end (seek past the end)
  bool closed = false;
};

StringIO* as_sio(Value v) { return v.as<StringIO>(); }

bool check_open(ThreadState& ts, StringIO* s) {
  if (!s->closed) return true;
  raise(ts, &ValueError_type, "I/O operation on closed file");
  return false;
}

// The byte offset `chars` characters after byte offset `from` (or the end).
size_t advance_chars(const std::string& text, size_t from, size_t chars) {
  size_t pos = from;
  while (chars > 0 && pos < text.size()) {
    pos += utf8_seq_length(static_cast<unsigned char>(text[pos]));
    --chars;
  }
  return pos < text.size() ? pos : text.size();
}

// The pieces of reading: take bytes [pos, end) as a str and move past them.
Value take_until(ThreadState& ts, StringIO* s, size_t end) {
  Value result = new_str(ts, std::string_view(s->text).substr(s->pos, end - s->pos));
  if (result) s->pos = end;
  return result;
}

size_t line_end(const StringIO* s, int64_t limit) {
  size_t nl = s->text.find('\n', s->pos);
  size_t end = nl == std::string::npos ? s->text.size() : nl + 1;
  if (limit >= 0) end = std::min(end, advance_chars(s->text, s->pos, size_t(limit)));
  return end;
}

bool optional_size(ThreadState& ts, Value arg, int64_t* out) {
  *out = -1;
  return arg.is_null() || is_none(arg) || index_to_int64(ts, arg, out);
}

// --- methods -------------------------------------------------------------------------------

Value sio_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "StringIO", args, nargs, kwnames, {"initial_value", "newline"}, 0, a))
    return Value();
  if (a[0] && !is_none(a[0]) && !is_str(a[0]))
    return raise_fmt(ts, &TypeError_type, "initial_value must be str or None, not %s",
                     type_name(a[0]));
  StringIO* s = alloc_instance<StringIO>(ts, type);
  if (!s) return Value();
  if (a[0] && !is_none(a[0])) s->text = std::string(str_view(a[0]));
  return Value::from_obj(s);
}

Value sio_getvalue(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "getvalue", nargs, 1, 1)) return Value();
  StringIO* s = as_sio(args[0]);
  if (!check_open(ts, s)) return Value();
  return new_str(ts, s->text);
}

Value sio_read(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "read", args, nargs, kwnames, {"self", "size"}, 1, a)) return Value();
  StringIO* s = as_sio(a[0]);
  int64_t size;
  if (!check_open(ts, s) || !optional_size(ts, a[1], &size)) return Value();
  if (s->gap) return new_str(ts, "");
  size_t end = size < 0 ? s->text.size() : advance_chars(s->text, s->pos, size_t(size));
  return take_until(ts, s, end);
}

Value sio_readline(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "readline", args, nargs, kwnames, {"self", "size"}, 1, a)) return Value();
  StringIO* s = as_sio(a[0]);
  int64_t limit;
  if (!check_open(ts, s) || !optional_size(ts, a[1], &limit)) return Value();
  if (s->gap) return new_str(ts, "");
  return take_until(ts, s, line_end(s, limit));
}

Value sio_readlines(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "readlines", args, nargs, kwnames, {"self", "hint"}, 1, a))
    return Value();
  StringIO* s = as_sio(a[0]);
  int64_t hint;
  if (!check_open(ts, s) || !optional_size(ts, a[1], &hint)) return Value();
  Ref lines(Value::from_obj(list_new(ts)));
  if (!lines) return Value();
  int64_t total = 0;
  while (!s->gap && s->pos < s->text.size()) {
    Ref line(take_until(ts, s, line_end(s, -1)));
    if (!line || list_append(ts, lines.as<List>(), line.get()) < 0) return Value();
    total += int64_t(line.as<Str>()->length);
    if (hint > 0 && total >= hint) break;
  }
  return lines.release();
}

// Writes at the position, overwriting as many characters as it brings.
Value sio_write(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "write", kwnames) || !check_nargs(ts, "write", nargs, 2, 2))
    return Value();
  StringIO* s = as_sio(args[0]);
  if (!check_open(ts, s)) return Value();
  if (!is_str(args[1]))
    return raise_fmt(ts, &TypeError_type, "string argument expected, got '%s'",
                     type_name(args[1]));
  const Str* text = args[1].as<Str>();
  if (s->gap) {
    s->text.append(s->gap, '\0');
    s->pos = s->text.size();
    s->gap = 0;
  }
  size_t replaced_end = advance_chars(s->text, s->pos, text->length);
  s->text.replace(s->pos, replaced_end - s->pos, str_view(text));
  s->pos += text->size;
  return int_from_int64(int64_t(text->length));
}

Value sio_writelines(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "writelines", kwnames) ||
      !check_nargs(ts, "writelines", nargs, 2, 2))
    return Value();
  Ref it(object_iter(ts, args[1]));
  if (!it) return Value();
  for (;;) {
    Ref line(iter_next(ts, it.get()));
    if (!line) break;
    Value call_args[2] = {args[0], line.get()};
    Ref written(sio_write(ts, call_args, 2, nullptr));
    if (!written) return Value();
  }
  if (error_occurred(ts)) return Value();
  return none();
}

Value sio_tell(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "tell", nargs, 1, 1)) return Value();
  StringIO* s = as_sio(args[0]);
  if (!check_open(ts, s)) return Value();
  size_t chars = utf8_count(std::string_view(s->text).substr(0, s->pos)) + s->gap;
  return int_from_int64(int64_t(chars));
}

Value sio_seek(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "seek", args, nargs, kwnames, {"self", "pos", "whence"}, 2, a))
    return Value();
  StringIO* s = as_sio(a[0]);
  int64_t pos, whence = 0;
  if (!check_open(ts, s) || !index_to_int64(ts, a[1], &pos)) return Value();
  if (a[2] && !index_to_int64(ts, a[2], &whence)) return Value();
  if (whence < 0 || whence > 2)
    return raise_fmt(ts, &ValueError_type, "Invalid whence (%lld, should be 0, 1 or 2)",
                     static_cast<long long>(whence));
  if (whence != 0 && pos != 0)
    return raise(ts, &OSError_type, "Can't do nonzero cur-relative seeks");
  if (pos < 0) return raise_fmt(ts, &ValueError_type, "Negative seek position %lld",
                                static_cast<long long>(pos));
  if (whence == 1) {
    Value tell_args[1] = {a[0]};
    return sio_tell(ts, tell_args, 1, nullptr);
  }
  size_t total = utf8_count(s->text);
  size_t target = whence == 2 ? total : size_t(pos);
  s->pos = advance_chars(s->text, 0, target);
  s->gap = target > total ? target - total : 0;
  return int_from_int64(int64_t(target));
}

Value sio_truncate(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "truncate", args, nargs, kwnames, {"self", "pos"}, 1, a)) return Value();
  StringIO* s = as_sio(a[0]);
  if (!check_open(ts, s)) return Value();
  size_t end = s->pos;
  if (a[1] && !is_none(a[1])) {
    int64_t size;
    if (!index_to_int64(ts, a[1], &size)) return Value();
    if (size < 0)
      return raise_fmt(ts, &ValueError_type, "Negative size value %lld",
                       static_cast<long long>(size));
    end = advance_chars(s->text, 0, size_t(size));
  }
  if (end < s->text.size()) s->text.resize(end);
  return int_from_int64(int64_t(utf8_count(std::string_view(s->text).substr(0, end))));
}

Value sio_close(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "close", nargs, 1, 1)) return Value();
  StringIO* s = as_sio(args[0]);
  s->closed = true;
  std::string().swap(s->text);
  return none();
}

// flush() does nothing; readable(), writable() and seekable() are always true.
Value sio_flush(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "flush", nargs, 1, 1) || !check_open(ts, as_sio(args[0])))
    return Value();
  return none();
}

Value sio_true(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "readable", nargs, 1, 1) || !check_open(ts, as_sio(args[0])))
    return Value();
  return true_value();
}

Value sio_isatty(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "isatty", nargs, 1, 1) || !check_open(ts, as_sio(args[0])))
    return Value();
  return false_value();
}

Value sio_enter(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "__enter__", nargs, 1, 1) || !check_open(ts, as_sio(args[0])))
    return Value();
  return newref(args[0]);
}

Value sio_exit(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  as_sio(args[0])->closed = true;
  return none();
}

Value sio_get_closed(ThreadState&, Value self) { return bool_value(as_sio(self)->closed); }

Value sio_iter(ThreadState& ts, Value self) {
  if (!check_open(ts, as_sio(self))) return Value();
  return newref(self);
}

Value sio_iternext(ThreadState& ts, Value self) {
  StringIO* s = as_sio(self);
  if (!check_open(ts, s)) return Value();
  if (s->gap || s->pos >= s->text.size()) return Value();
  return take_until(ts, s, line_end(s, -1));
}

void sio_dealloc(Object* self) {
  static_cast<StringIO*>(self)->~StringIO();
  free_object(self);
}

const MethodDef sio_methods[] = {
    {"getvalue", sio_getvalue},
    {"read", sio_read},
    {"readline", sio_readline},
    {"readlines", sio_readlines},
    {"write", sio_write},
    {"writelines", sio_writelines},
    {"tell", sio_tell},
    {"seek", sio_seek},
    {"truncate", sio_truncate},
    {"close", sio_close},
    {"flush", sio_flush},
    {"readable", sio_true},
    {"writable", sio_true},
    {"seekable", sio_true},
    {"isatty", sio_isatty},
    {"__enter__", sio_enter},
    {"__exit__", sio_exit},
    {nullptr, nullptr},
};

const GetSetDef sio_getsets[] = {
    {"closed", sio_get_closed},
    {nullptr, nullptr},
};

}  // namespace

Type string_io_type;
MINIVM_TYPE_SETUP(string_io_type) {
  t.name = "StringIO";
  t.module = intern("_io");
  t.basic_size = sizeof(StringIO);
  t.flags = kTypeBaseType;
  t.dealloc = sio_dealloc;
  t.new_ = sio_new;
  t.iter = sio_iter;
  t.iternext = sio_iternext;
  t.methods = sio_methods;
  t.getsets = sio_getsets;
}

}  // namespace mvm
