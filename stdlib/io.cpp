// File objects over POSIX descriptors (what open() returns and what sys.stdout is), with
// their own read and write buffers, and the io module that exposes them.
// Text files decode UTF-8 (or ASCII/Latin-1) and translate newlines on reading; binary files
// move bytes. io.StringIO lives in stringio.cpp.
#include "stdlib/io.h"
#include "vm/gil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <string>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/critical_section.h"
#include "runtime/bytes.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "runtime/unicode.h"
#include "stdlib/modules.h"
#include "stdlib/native.h"
#include "stdlib/os.h"
#include "vm/thread_state.h"

namespace mvm {

extern Type unsupported_operation_type;

namespace {

constexpr size_t kBufferSize = 8192;

enum class TextCodec : uint8_t { Utf8, Ascii, Latin1 };

// One open file. Invariants: read_buffer[read_pos..] holds bytes read from the descriptor
// but not yet returned (already newline-translated for text files), write_buffer holds
// bytes accepted but not yet written; at most one of the two is non-empty.
struct File : Object {
  int fd = -1;
  bool readable = false;
  bool writable = false;
  bool binary = false;
  bool closefd = true;
  bool closed = false;
  bool line_buffering = false;     // flush after writing a newline
  bool write_through = false;      // flush after every write
  bool translate_newlines = true;  // newline=None: \r and \r\n read as \n
  bool pending_cr = false;         // the last byte read was a translated \r
  bool at_eof = false;             // the descriptor returned end of file
  TextCodec codec = TextCodec::Utf8;
  Value name;                      // as given to open(): a str or an int
  Value mode;                      // str
  Value encoding;                  // str; null for binary files
  Value errors;                    // str error handler; null: strict
  std::string write_newline = "\n";   // what "\n" becomes on writing (newline= may change it)
  std::string read_buffer;
  size_t read_pos = 0;
  std::string write_buffer;
};

File* as_file(Value v) { return v.as<File>(); }

bool is_file_type(const Type* t) {
  return t == &text_io_wrapper_type || t == &buffered_reader_type ||
         t == &buffered_writer_type || t == &buffered_random_type;
}

// --- checks ------------------------------------------------------------------------------------

bool check_open(ThreadState& ts, File* f) {
  if (!f->closed) return true;
  raise(ts, &ValueError_type, "I/O operation on closed file.");
  return false;
}

bool check_readable(ThreadState& ts, File* f) {
  if (!check_open(ts, f)) return false;
  if (f->readable) return true;
  raise(ts, &unsupported_operation_type, f->binary ? "read" : "not readable");
  return false;
}

bool check_writable(ThreadState& ts, File* f) {
  if (!check_open(ts, f)) return false;
  if (f->writable) return true;
  raise(ts, &unsupported_operation_type, f->binary ? "write" : "not writable");
  return false;
}

// --- the buffers -------------------------------------------------------------------------------

// Writes out the write buffer. The buffer is emptied even on failure so that one error is
// not reported again at every later flush.
int flush_writes(ThreadState& ts, File* f) {
  if (f->write_buffer.empty()) return 0;
  std::string data;
  data.swap(f->write_buffer);
  if (blocking_write(ts, f->fd, data.data(), data.size()) < 0) {
    raise_os_error(ts, errno);
    return -1;
  }
  return 0;
}

size_t unread_bytes(const File* f) { return f->read_buffer.size() - f->read_pos; }

// Gives back read-ahead so that the descriptor's offset is where the caller believes it is,
// before a write or a seek on a file opened for both.
int drop_read_ahead(ThreadState& ts, File* f) {
  size_t unread = unread_bytes(f);
  f->read_buffer.clear();
  f->read_pos = 0;
  f->pending_cr = false;
  f->at_eof = false;
  if (unread > 0 && lseek(f->fd, -off_t(unread), SEEK_CUR) < 0) {
    raise_os_error(ts, errno);
    return -1;
  }
  return 0;
}

// Appends a newly read chunk, turning \r\n and lone \r into \n for universal newlines.
void append_chunk(File* f, const char* data, size_t n) {
  if (f->binary || !f->translate_newlines) {
    f->read_buffer.append(data, n);
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    char c = data[i];
    if (f->pending_cr) {
      f->pending_cr = false;
      if (c == '\n') continue;
    }
    if (c == '\r') {
      f->read_buffer += '\n';
      f->pending_cr = true;
    } else {
      f->read_buffer += c;
    }
  }
}

// Reads one more chunk from the descriptor. Returns the bytes added (0 at end of file), or
// -1 with an exception set.
ssize_t fill_buffer(ThreadState& ts, File* f) {
  if (flush_writes(ts, f) < 0) return -1;
  if (f->read_pos > 0) {
    f->read_buffer.erase(0, f->read_pos);
    f->read_pos = 0;
  }
  char chunk[kBufferSize];
  ssize_t n = blocking_read(ts, f->fd, chunk, sizeof chunk);
  if (n < 0) {
    raise_os_error(ts, errno);
    return -1;
  }
  if (n == 0) {
    f->at_eof = true;
    return 0;
  }
  size_t before = f->read_buffer.size();
  append_chunk(f, chunk, size_t(n));
  return ssize_t(f->read_buffer.size() - before);
}

// Takes `n` bytes off the front of the read buffer.
std::string take_bytes(File* f, size_t n) {
  std::string out = f->read_buffer.substr(f->read_pos, n);
  f->read_pos += n;
  if (f->read_pos == f->read_buffer.size()) {
    f->read_buffer.clear();
    f->read_pos = 0;
  }
  return out;
}

// Decodes bytes read from a text file into a str.
Value decode_text(ThreadState& ts, File* f, std::string_view data) {
  if (f->codec == TextCodec::Utf8 && f->errors.is_null() && utf8_valid(data))
    return new_str(ts, data);
  return bytes_decode(ts, data, f->encoding, f->errors);
}

Value make_result(ThreadState& ts, File* f, std::string_view data) {
  return f->binary ? bytes_value(ts, data) : decode_text(ts, f, data);
}

// How many bytes of the buffered data make up `chars` characters, for read(n) on a text
// file: stops early (returning false) when the buffer ends inside the count.
bool bytes_for_chars(File* f, size_t chars, size_t* bytes) {
  const std::string& buf = f->read_buffer;
  size_t pos = f->read_pos;
  bool multibyte = !f->binary && f->codec == TextCodec::Utf8;
  while (chars > 0 && pos < buf.size()) {
    size_t len = multibyte ? utf8_seq_length(static_cast<unsigned char>(buf[pos])) : 1;
    if (pos + len > buf.size()) break;
    pos += len;
    --chars;
  }
  *bytes = pos - f->read_pos;
  return chars == 0;
}

// --- reading -----------------------------------------------------------------------------------

// The whole rest of the file.
Value read_all(ThreadState& ts, File* f) {
  while (!f->at_eof)
    if (fill_buffer(ts, f) < 0) return Value();
  std::string data = take_bytes(f, unread_bytes(f));
  f->at_eof = false;   // a later read asks the descriptor again (the file may grow)
  return make_result(ts, f, data);
}

// Up to `size` characters (text) or bytes (binary): fewer only at the end of the file.
Value read_some(ThreadState& ts, File* f, size_t size) {
  size_t bytes = 0;
  while (!bytes_for_chars(f, size, &bytes)) {
    ssize_t got = fill_buffer(ts, f);
    if (got < 0) return Value();
    if (got == 0) {
      bytes_for_chars(f, size, &bytes);
      // A truncated UTF-8 sequence at the end is passed on so the decoder reports it.
      if (bytes < size && unread_bytes(f) > bytes) bytes = unread_bytes(f);
      break;
    }
  }
  f->at_eof = false;
  return make_result(ts, f, take_bytes(f, bytes));
}

// One line including its "\n", at most `limit` characters/bytes (limit < 0: no limit).
Value read_line(ThreadState& ts, File* f, int64_t limit) {
  size_t scanned = 0;
  for (;;) {
    const std::string& buf = f->read_buffer;
    size_t nl = buf.find('\n', f->read_pos + scanned);
    if (nl != std::string::npos) {
      size_t line_bytes = nl + 1 - f->read_pos;
      size_t limited;
      if (limit >= 0 && bytes_for_chars(f, size_t(limit), &limited) && limited < line_bytes)
        line_bytes = limited;
      return make_result(ts, f, take_bytes(f, line_bytes));
    }
    size_t limited;
    if (limit >= 0 && bytes_for_chars(f, size_t(limit), &limited))
      return make_result(ts, f, take_bytes(f, limited));
    scanned = unread_bytes(f);
    ssize_t got = fill_buffer(ts, f);
    if (got < 0) return Value();
    // Another thread may have consumed buffered data while this one waited in read(2).
    scanned = std::min(scanned, unread_bytes(f));
    if (got == 0) {
      f->at_eof = false;
      return make_result(ts, f, take_bytes(f, unread_bytes(f)));
    }
  }
}

Value file_read(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  CriticalSection cs(ts, args[0].obj());   // threads may share a file
  Value a[2];
  if (!bind_args(ts, "read", args, nargs, kwnames, {"self", "size"}, 1, a)) return Value();
  File* f = as_file(a[0]);
  if (!check_readable(ts, f)) return Value();
  int64_t size = -1;
  if (a[1] && !is_none(a[1]) && !index_to_int64(ts, a[1], &size)) return Value();
  if (size < 0) return read_all(ts, f);
  return read_some(ts, f, size_t(size));
}

Value file_readline(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  CriticalSection cs(ts, args[0].obj());   // threads may share a file
  Value a[2];
  if (!bind_args(ts, "readline", args, nargs, kwnames, {"self", "size"}, 1, a)) return Value();
  File* f = as_file(a[0]);
  if (!check_readable(ts, f)) return Value();
  int64_t limit = -1;
  if (a[1] && !is_none(a[1]) && !index_to_int64(ts, a[1], &limit)) return Value();
  return read_line(ts, f, limit);
}

bool is_empty_result(Value v) {
  return is_bytes(v) ? bytes_view(v).empty() : v.as<Str>()->size == 0;
}

Value file_readlines(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  CriticalSection cs(ts, args[0].obj());   // threads may share a file
  Value a[2];
  if (!bind_args(ts, "readlines", args, nargs, kwnames, {"self", "hint"}, 1, a))
    return Value();
  File* f = as_file(a[0]);
  if (!check_readable(ts, f)) return Value();
  int64_t hint = -1;
  if (a[1] && !is_none(a[1]) && !index_to_int64(ts, a[1], &hint)) return Value();
  Ref lines(Value::from_obj(list_new(ts)));
  if (!lines) return Value();
  int64_t total = 0;
  for (;;) {
    Ref line(read_line(ts, f, -1));
    if (!line) return Value();
    if (is_empty_result(line.get())) break;
    if (list_append(ts, lines.as<List>(), line.get()) < 0) return Value();
    total += object_length(ts, line.get());
    if (hint > 0 && total >= hint) break;
  }
  return lines.release();
}

Value file_iternext(ThreadState& ts, Value self) {
  CriticalSection cs(ts, self.obj());
  File* f = as_file(self);
  if (!check_readable(ts, f)) return Value();
  Value line = read_line(ts, f, -1);
  if (line && is_empty_result(line)) {
    decref(line);
    return Value();
  }
  return line;
}

Value file_iter(ThreadState& ts, Value self) {
  if (!check_open(ts, as_file(self))) return Value();
  return newref(self);
}

// --- writing -----------------------------------------------------------------------------------

// Buffers bytes for the descriptor and flushes as the buffering policy says.
int buffer_write(ThreadState& ts, File* f, std::string_view data, bool has_newline) {
  if (unread_bytes(f) > 0 || f->at_eof) {
    if (drop_read_ahead(ts, f) < 0) return -1;
  }
  f->write_buffer.append(data);
  if (f->write_through || (f->line_buffering && has_newline) ||
      f->write_buffer.size() >= kBufferSize)
    return flush_writes(ts, f);
  return 0;
}

// Writes a str to a text file: "\n" becomes the file's newline, then the text is encoded.
int write_text(ThreadState& ts, File* f, Str* text) {
  std::string_view data = str_view(text);
  bool has_newline = data.find('\n') != std::string_view::npos;
  Ref translated;
  if (has_newline && f->write_newline != "\n") {
    std::string out;
    for (char c : data) {
      if (c == '\n')
        out += f->write_newline;
      else
        out += c;
    }
    translated = Ref(new_str(ts, out));
    if (!translated) return -1;
    text = translated.as<Str>();
    data = str_view(text);
  }
  if (f->codec != TextCodec::Utf8) {
    Ref encoded(str_encode(ts, text, f->encoding, f->errors));
    if (!encoded) return -1;
    return buffer_write(ts, f, bytes_view(encoded.get()), has_newline);
  }
  return buffer_write(ts, f, data, has_newline);
}

Value file_write(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  CriticalSection cs(ts, args[0].obj());   // threads may share a file
  if (!check_no_kwargs(ts, "write", kwnames) || !check_nargs(ts, "write", nargs, 2, 2))
    return Value();
  File* f = as_file(args[0]);
  Value data = args[1];
  if (!check_writable(ts, f)) return Value();
  if (f->binary) {
    if (!is_bytes(data))
      return raise_fmt(ts, &TypeError_type, "a bytes-like object is required, not '%s'",
                       type_name(data));
    std::string_view bytes = bytes_view(data);
    if (buffer_write(ts, f, bytes, bytes.find('\n') != std::string_view::npos) < 0)
      return Value();
    return int_from_int64(int64_t(bytes.size()));
  }
  if (!is_str(data))
    return raise_fmt(ts, &TypeError_type, "write() argument must be str, not %s",
                     type_name(data));
  if (write_text(ts, f, data.as<Str>()) < 0) return Value();
  return int_from_int64(int64_t(data.as<Str>()->length));
}

Value file_writelines(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  CriticalSection cs(ts, args[0].obj());   // threads may share a file
  if (!check_no_kwargs(ts, "writelines", kwnames) ||
      !check_nargs(ts, "writelines", nargs, 2, 2))
    return Value();
  if (!check_writable(ts, as_file(args[0]))) return Value();
  Ref it(object_iter(ts, args[1]));
  if (!it) return Value();
  for (;;) {
    Ref line(iter_next(ts, it.get()));
    if (!line) break;
    Value call_args[2] = {args[0], line.get()};
    Ref written(file_write(ts, call_args, 2, nullptr));
    if (!written) return Value();
  }
  if (error_occurred(ts)) return Value();
  return none();
}

Value file_flush(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  CriticalSection cs(ts, args[0].obj());   // threads may share a file
  if (!check_no_kwargs(ts, "flush", kwnames) || !check_nargs(ts, "flush", nargs, 1, 1))
    return Value();
  File* f = as_file(args[0]);
  if (!check_open(ts, f) || flush_writes(ts, f) < 0) return Value();
  return none();
}

// --- positioning and lifetime ------------------------------------------------------------------

// Where the caller is in the file: the descriptor's offset less read-ahead plus pending
// writes. (For text files with translated \r\n this is approximate, as the counts differ.)
int64_t current_position(ThreadState& ts, File* f) {
  off_t pos = lseek(f->fd, 0, SEEK_CUR);
  if (pos < 0) {
    raise_os_error(ts, errno);
    return -1;
  }
  return int64_t(pos) - int64_t(unread_bytes(f)) + int64_t(f->write_buffer.size());
}

Value file_seek(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  CriticalSection cs(ts, args[0].obj());   // threads may share a file
  Value a[3];
  if (!bind_args(ts, "seek", args, nargs, kwnames, {"self", "cookie", "whence"}, 2, a))
    return Value();
  File* f = as_file(a[0]);
  if (!check_open(ts, f)) return Value();
  int64_t offset, whence = SEEK_SET;
  if (!index_to_int64(ts, a[1], &offset)) return Value();
  if (a[2] && !index_to_int64(ts, a[2], &whence)) return Value();
  if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
    return raise_fmt(ts, &ValueError_type, "invalid whence (%lld, should be 0, 1 or 2)",
                     static_cast<long long>(whence));
  if (!f->binary && whence == SEEK_CUR && offset != 0)
    return raise(ts, &unsupported_operation_type, "can't do nonzero cur-relative seeks");
  if (!f->binary && whence == SEEK_END && offset != 0)
    return raise(ts, &unsupported_operation_type, "can't do nonzero end-relative seeks");
  if (!f->binary && offset < 0)
    return raise_fmt(ts, &ValueError_type, "negative seek position %lld",
                     static_cast<long long>(offset));
  if (flush_writes(ts, f) < 0 || drop_read_ahead(ts, f) < 0) return Value();
  off_t pos = lseek(f->fd, off_t(offset), int(whence));
  if (pos < 0) return raise_os_error(ts, errno);
  return int_from_int64(int64_t(pos));
}

Value file_tell(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  CriticalSection cs(ts, args[0].obj());   // threads may share a file
  if (!check_no_kwargs(ts, "tell", kwnames) || !check_nargs(ts, "tell", nargs, 1, 1))
    return Value();
  File* f = as_file(args[0]);
  if (!check_open(ts, f)) return Value();
  int64_t pos = current_position(ts, f);
  if (pos < 0) return Value();
  return int_from_int64(pos);
}

Value file_truncate(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  CriticalSection cs(ts, args[0].obj());   // threads may share a file
  Value a[2];
  if (!bind_args(ts, "truncate", args, nargs, kwnames, {"self", "pos"}, 1, a)) return Value();
  File* f = as_file(a[0]);
  if (!check_writable(ts, f) || flush_writes(ts, f) < 0) return Value();
  int64_t size;
  if (a[1] && !is_none(a[1])) {
    if (!index_to_int64(ts, a[1], &size)) return Value();
  } else {
    size = current_position(ts, f);
    if (size < 0) return Value();
  }
  if (ftruncate(f->fd, off_t(size)) < 0) return raise_os_error(ts, errno);
  return int_from_int64(size);
}

// Flushes and releases the descriptor; closing twice is allowed.
int close_file(ThreadState& ts, File* f) {
  if (f->closed) return 0;
  int rc = flush_writes(ts, f);
  f->closed = true;
  f->read_buffer.clear();
  f->read_pos = 0;
  if (f->closefd && close(f->fd) < 0 && rc == 0) {
    raise_os_error(ts, errno);
    rc = -1;
  }
  return rc;
}

Value file_close(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  CriticalSection cs(ts, args[0].obj());   // threads may share a file
  if (!check_no_kwargs(ts, "close", kwnames) || !check_nargs(ts, "close", nargs, 1, 1))
    return Value();
  if (close_file(ts, as_file(args[0])) < 0) return Value();
  return none();
}

Value file_fileno(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "fileno", kwnames) || !check_nargs(ts, "fileno", nargs, 1, 1))
    return Value();
  File* f = as_file(args[0]);
  if (!check_open(ts, f)) return Value();
  return Value::small_int(f->fd);
}

Value file_isatty(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "isatty", kwnames) || !check_nargs(ts, "isatty", nargs, 1, 1))
    return Value();
  File* f = as_file(args[0]);
  if (!check_open(ts, f)) return Value();
  return bool_value(isatty(f->fd) == 1);
}

// readable(), writable() and seekable() answer from the mode and the descriptor.
Value file_readable(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "readable", nargs, 1, 1) || !check_open(ts, as_file(args[0])))
    return Value();
  return bool_value(as_file(args[0])->readable);
}

Value file_writable(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "writable", nargs, 1, 1) || !check_open(ts, as_file(args[0])))
    return Value();
  return bool_value(as_file(args[0])->writable);
}

Value file_seekable(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "seekable", nargs, 1, 1) || !check_open(ts, as_file(args[0])))
    return Value();
  return bool_value(lseek(as_file(args[0])->fd, 0, SEEK_CUR) >= 0);
}

Value file_enter(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "__enter__", nargs, 1, 1) || !check_open(ts, as_file(args[0])))
    return Value();
  return newref(args[0]);
}

Value file_exit(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (close_file(ts, as_file(args[0])) < 0) return Value();
  return none();
}

// --- attributes and the type -------------------------------------------------------------------

Value file_get_closed(ThreadState&, Value self) { return bool_value(as_file(self)->closed); }
Value file_get_name(ThreadState&, Value self) { return newref(as_file(self)->name); }
Value file_get_mode(ThreadState&, Value self) { return newref(as_file(self)->mode); }
Value file_get_line_buffering(ThreadState&, Value self) {
  return bool_value(as_file(self)->line_buffering);
}
Value file_get_encoding(ThreadState& ts, Value self) {
  File* f = as_file(self);
  if (f->binary)
    return raise_fmt(ts, &AttributeError_type, "'%s' object has no attribute 'encoding'",
                     type_name(self));
  return newref(f->encoding);
}
Value file_get_errors(ThreadState& ts, Value self) {
  File* f = as_file(self);
  return f->errors ? newref(f->errors) : new_str(ts, "strict");
}

Value file_repr(ThreadState& ts, Value self) {
  File* f = as_file(self);
  std::string text = "<_io.";
  text += type_of(self)->name;
  text += " name=" + repr_string(ts, f->name);
  if (!f->binary) {
    text += " mode=" + repr_string(ts, f->mode);
    text += " encoding=" + repr_string(ts, f->encoding);
  }
  text += ">";
  return new_str(ts, text);
}

void file_dealloc(Object* self) {
  File* f = static_cast<File*>(self);
  if (!f->closed) {
    // A file dropped without close() still writes what it buffered (errors are lost).
    if (ThreadState* ts = current_thread_state()) {
      if (close_file(*ts, f) < 0) clear_error(*ts);
    } else if (f->closefd) {
      close(f->fd);
    }
  }
  decref(f->name);
  decref(f->mode);
  decref(f->encoding);
  decref(f->errors);
  f->~File();
  free_object(self);
}

const MethodDef file_methods[] = {
    {"read", file_read},
    {"readline", file_readline},
    {"readlines", file_readlines},
    {"write", file_write},
    {"writelines", file_writelines},
    {"flush", file_flush},
    {"seek", file_seek},
    {"tell", file_tell},
    {"truncate", file_truncate},
    {"close", file_close},
    {"fileno", file_fileno},
    {"isatty", file_isatty},
    {"readable", file_readable},
    {"writable", file_writable},
    {"seekable", file_seekable},
    {"__enter__", file_enter},
    {"__exit__", file_exit},
    {nullptr, nullptr},
};

const GetSetDef file_getsets[] = {
    {"closed", file_get_closed},
    {"name", file_get_name},
    {"mode", file_get_mode},
    {"encoding", file_get_encoding},
    {"errors", file_get_errors},
    {"line_buffering", file_get_line_buffering},
    {nullptr, nullptr},
};

// The four file types differ only in name, as their behaviour follows the File's mode.
void setup_file_type(Type& t, const char* name) {
  t.name = name;
  t.module = intern("_io");
  t.basic_size = sizeof(File);
  t.flags = kTypeImmutable;
  t.dealloc = file_dealloc;
  t.repr = file_repr;
  t.iter = file_iter;
  t.iternext = file_iternext;
  t.methods = file_methods;
  t.getsets = file_getsets;
}

// --- open() ------------------------------------------------------------------------------------

struct OpenMode {
  bool reading = false, writing = false, appending = false, creating = false;
  bool updating = false, binary = false, text = false;
};

bool parse_mode(ThreadState& ts, std::string_view mode, OpenMode* m) {
  for (char c : mode) {
    bool* flag = nullptr;
    switch (c) {
      case 'r': flag = &m->reading; break;
      case 'w': flag = &m->writing; break;
      case 'a': flag = &m->appending; break;
      case 'x': flag = &m->creating; break;
      case '+': flag = &m->updating; break;
      case 'b': flag = &m->binary; break;
      case 't': flag = &m->text; break;
      default: break;
    }
    if (!flag || *flag) {
      raise_fmt(ts, &ValueError_type, "invalid mode: '%.*s'", int(mode.size()), mode.data());
      return false;
    }
    *flag = true;
  }
  if (m->text && m->binary) {
    raise(ts, &ValueError_type, "can't have text and binary mode at once");
    return false;
  }
  if (int(m->reading) + int(m->writing) + int(m->appending) + int(m->creating) != 1) {
    raise(ts, &ValueError_type, "must have exactly one of create/read/write/append mode");
    return false;
  }
  return true;
}

// The codec behind an encoding name, as Python's codec lookup normalises names.
bool lookup_codec(ThreadState& ts, Value encoding, TextCodec* codec) {
  if (encoding.is_null()) {
    *codec = TextCodec::Utf8;
    return true;
  }
  std::string name;
  for (char c : str_view(encoding))
    name += c == '_' ? '-' : char(std::tolower(static_cast<unsigned char>(c)));
  if (name == "utf-8" || name == "utf8" || name == "u8") {
    *codec = TextCodec::Utf8;
  } else if (name == "ascii" || name == "us-ascii") {
    *codec = TextCodec::Ascii;
  } else if (name == "latin-1" || name == "latin1" || name == "iso-8859-1" ||
             name == "iso8859-1" || name == "l1") {
    *codec = TextCodec::Latin1;
  } else {
    raise_fmt(ts, &LookupError_type, "unknown encoding: %.*s", int(str_view(encoding).size()),
              str_view(encoding).data());
    return false;
  }
  return true;
}

// The normalised mode a binary file reports ("rb", "wb", "ab", "xb", with "+" last).
std::string binary_mode_name(const OpenMode& m) {
  std::string s = m.creating ? "xb" : m.appending ? "ab" : m.reading ? "rb" : "wb";
  if (m.updating) s += '+';
  return s;
}

Type* file_type_for(const OpenMode& m) {
  if (!m.binary) return &text_io_wrapper_type;
  if (m.updating) return &buffered_random_type;
  return m.reading ? &buffered_reader_type : &buffered_writer_type;
}

// Makes the File object around an open descriptor; takes ownership of fd when closefd.
File* file_new(ThreadState& ts, Type* type, int fd) {
  File* f = alloc_instance<File>(ts, type);
  if (!f) return nullptr;
  f->fd = fd;
  return f;
}

}  // namespace

Value builtin_open(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[8];
  if (!bind_args(ts, "open", args, nargs, kwnames,
                 {"file", "mode", "buffering", "encoding", "errors", "newline", "closefd",
                  "opener"},
                 1, a))
    return Value();
  Value file = a[0];
  std::string_view mode_text = "r";
  if (a[1]) {
    const Str* m = expect_str(ts, a[1], "open() argument 'mode'");
    if (!m) return Value();
    mode_text = str_view(m);
  }
  OpenMode m;
  if (!parse_mode(ts, mode_text, &m)) return Value();
  int64_t buffering = -1;
  if (a[2] && !int_to_int64(ts, a[2], &buffering)) return Value();
  Value encoding = a[3] && !is_none(a[3]) ? a[3] : Value();
  Value errors = a[4] && !is_none(a[4]) ? a[4] : Value();
  Value newline = a[5] && !is_none(a[5]) ? a[5] : Value();
  if (encoding && !expect_str(ts, encoding, "open() argument 'encoding'")) return Value();
  if (errors && !expect_str(ts, errors, "open() argument 'errors'")) return Value();
  if (newline && !expect_str(ts, newline, "open() argument 'newline'")) return Value();
  int closefd = optional_truth(ts, a[6], true);
  if (closefd < 0) return Value();
  if (m.binary) {
    if (encoding) return raise(ts, &ValueError_type, "binary mode doesn't take an encoding argument");
    if (errors) return raise(ts, &ValueError_type, "binary mode doesn't take an errors argument");
    if (newline) return raise(ts, &ValueError_type, "binary mode doesn't take a newline argument");
  } else if (buffering == 0) {
    return raise(ts, &ValueError_type, "can't have unbuffered text I/O");
  }
  std::string_view newline_text;
  if (newline) {
    newline_text = str_view(newline);
    if (newline_text != "" && newline_text != "\n" && newline_text != "\r" &&
        newline_text != "\r\n")
      return raise_fmt(ts, &ValueError_type, "illegal newline value: %s",
                       std::string(newline_text).c_str());
  }
  TextCodec codec = TextCodec::Utf8;
  if (!m.binary && !lookup_codec(ts, encoding, &codec)) return Value();

  int fd;
  if (is_int(file)) {
    int64_t n;
    if (!int_to_int64(ts, file, &n)) return Value();
    fd = int(n);
  } else {
    if (!is_str(file) && !is_bytes(file))
      return raise_fmt(ts, &TypeError_type,
                       "expected str, bytes or os.PathLike object, not %s", type_name(file));
    if (!closefd) return raise(ts, &ValueError_type, "Cannot use closefd=False with file name");
    int flags = O_CLOEXEC;
    if (m.updating)
      flags |= O_RDWR;
    else
      flags |= m.reading ? O_RDONLY : O_WRONLY;
    if (m.writing) flags |= O_CREAT | O_TRUNC;
    if (m.appending) flags |= O_CREAT | O_APPEND;
    if (m.creating) flags |= O_CREAT | O_EXCL;
    std::string path(is_bytes(file) ? bytes_view(file) : str_view(file));
    fd = ::open(path.c_str(), flags, 0666);
    if (fd < 0) return raise_os_error(ts, errno, path);
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      close(fd);
      return raise_os_error(ts, EISDIR, path);
    }
  }

  File* f = file_new(ts, file_type_for(m), fd);
  if (!f) {
    if (closefd) close(fd);
    return Value();
  }
  Ref result(Value::from_obj(f));
  f->readable = m.reading || m.updating;
  f->writable = !m.reading || m.updating;
  f->binary = m.binary;
  f->closefd = closefd;
  f->name = newref(file);
  if (m.binary)
    f->mode = new_str(ts, binary_mode_name(m));
  else
    f->mode = a[1] ? newref(a[1]) : new_str(ts, "r");
  if (!f->mode) return Value();
  if (!m.binary) {
    f->codec = codec;
    f->encoding = encoding ? newref(encoding) : new_str(ts, "UTF-8");
    if (!f->encoding) return Value();
    f->errors = newref(errors);
    f->line_buffering = buffering == 1 || (isatty(fd) == 1 && f->writable);
    f->translate_newlines = !newline;
    if (newline && !newline_text.empty()) f->write_newline = std::string(newline_text);
  }
  if (m.appending && lseek(fd, 0, SEEK_END) < 0 && errno != ESPIPE)
    return raise_os_error(ts, errno);
  return result.release();
}

Value std_stream_new(ThreadState& ts, int fd, bool writable, bool write_through,
                     const char* name) {
  File* f = file_new(ts, &text_io_wrapper_type, fd);
  if (!f) return Value();
  Ref result(Value::from_obj(f));
  f->readable = !writable;
  f->writable = writable;
  f->closefd = false;   // closing sys.stdout must not close descriptor 1 under others
  f->write_through = write_through;
  f->line_buffering = writable && isatty(fd) == 1;
  f->name = new_str(ts, name);
  f->mode = new_str(ts, writable ? "w" : "r");
  f->encoding = new_str(ts, "utf-8");
  if (!f->name || !f->mode || !f->encoding) return Value();
  // CPython's standard streams escape what they cannot encode on stderr only; all of ours
  // are UTF-8, so strict is right for every one.
  return result.release();
}

bool is_native_file(Value v) { return v.is_obj() && is_file_type(v.obj()->ob_type); }

bool is_native_text_file(Value v) {
  return v.is_obj() && v.obj()->ob_type == &text_io_wrapper_type;
}

int text_file_write(ThreadState& ts, Value file, std::string_view utf8) {
  File* f = as_file(file);
  CriticalSection cs(ts, f);
  if (!check_writable(ts, f)) return -1;
  if (f->codec == TextCodec::Utf8 && f->write_newline == "\n")
    return buffer_write(ts, f, utf8, utf8.find('\n') != std::string_view::npos);
  Ref text(new_str(ts, utf8));
  if (!text) return -1;
  return write_text(ts, f, text.as<Str>());
}

int native_file_flush(ThreadState& ts, Value file) {
  File* f = as_file(file);
  if (f->closed) return 0;
  return flush_writes(ts, f);
}

// Reads and writes may block (a terminal, a pipe), so they run with the GIL released.
ssize_t blocking_read(ThreadState& ts, int fd, void* buf, size_t size) {
  GilReleased released(ts);
  for (;;) {
    ssize_t n = ::read(fd, buf, size);
    if (n >= 0 || errno != EINTR) return n;
  }
}

ssize_t blocking_write(ThreadState& ts, int fd, const void* buf, size_t size) {
  GilReleased released(ts);
  const char* p = static_cast<const char*>(buf);
  size_t left = size;
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    left -= size_t(n);
  }
  return ssize_t(size);
}

Type text_io_wrapper_type;
MINIVM_TYPE_SETUP(text_io_wrapper_type) { setup_file_type(t, "TextIOWrapper"); }
Type buffered_reader_type;
MINIVM_TYPE_SETUP(buffered_reader_type) { setup_file_type(t, "BufferedReader"); }
Type buffered_writer_type;
MINIVM_TYPE_SETUP(buffered_writer_type) { setup_file_type(t, "BufferedWriter"); }
Type buffered_random_type;
MINIVM_TYPE_SETUP(buffered_random_type) { setup_file_type(t, "BufferedRandom"); }

// io.UnsupportedOperation: raised for reading a write-only file and the like. CPython
// derives it from both OSError and ValueError; single inheritance keeps OSError.
Type unsupported_operation_type;
MINIVM_TYPE_SETUP(unsupported_operation_type) {
  t.name = "UnsupportedOperation";
  t.module = intern("io");
  t.base = &OSError_type;
  t.flags = kTypeBaseType;
}

// --- the io module -----------------------------------------------------------------------------

namespace {
const MethodDef io_functions[] = {
    {"open", builtin_open},
    {nullptr, nullptr},
};
}  // namespace

int init_io_module(ThreadState& ts, Module* m) {
  if (module_add_functions(ts, m, io_functions) < 0) return -1;
  if (module_add_types(ts, m,
                       {&text_io_wrapper_type, &buffered_reader_type, &buffered_writer_type,
                        &buffered_random_type, &string_io_type,
                        &unsupported_operation_type}) < 0)
    return -1;
  if (module_add(ts, m, "SEEK_SET", Value::small_int(SEEK_SET)) < 0 ||
      module_add(ts, m, "SEEK_CUR", Value::small_int(SEEK_CUR)) < 0 ||
      module_add(ts, m, "SEEK_END", Value::small_int(SEEK_END)) < 0 ||
      module_add(ts, m, "DEFAULT_BUFFER_SIZE", Value::small_int(kBufferSize)) < 0)
    return -1;
  return 0;
}

}  // namespace mvm
