// File objects (open(), sys.stdin/stdout/stderr) and io.StringIO. Files keep their own
// buffers over read(2)/write(2); every wait for the OS goes through blocking_read and
// blocking_write so that a thread can release the GIL there.
#pragma once

#include <sys/types.h>

#include <string_view>

#include "runtime/object.h"

namespace mvm {

// Text files are TextIOWrapper; binary files are BufferedReader (read-only),
// BufferedWriter (write-only) or BufferedRandom (both), as in CPython.
extern Type text_io_wrapper_type, buffered_reader_type, buffered_writer_type,
    buffered_random_type, string_io_type;

bool is_native_file(Value v);
bool is_native_text_file(Value v);

// The blocking system calls. They retry when interrupted and return what read(2) and
// write(2) return (-1 with errno set on failure). write writes everything or fails.
ssize_t blocking_read(ThreadState& ts, int fd, void* buf, size_t size);
ssize_t blocking_write(ThreadState& ts, int fd, const void* buf, size_t size);

// Writes UTF-8 text to a native text file, honouring its buffering. -1 on error.
int text_file_write(ThreadState& ts, Value file, std::string_view utf8);
// Writes any buffered output of a native file. -1 on error.
int native_file_flush(ThreadState& ts, Value file);

// The builtin open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None,
// closefd=True).
Value builtin_open(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames);

// A text file over an inherited descriptor (0, 1, 2) for sys.stdin/stdout/stderr. Output is
// line-buffered on a terminal and block-buffered otherwise; `write_through` (stderr) flushes
// after every write.
Value std_stream_new(ThreadState& ts, int fd, bool writable, bool write_through,
                     const char* name);

}  // namespace mvm
