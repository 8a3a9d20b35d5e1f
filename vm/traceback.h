// Tracebacks: the record of frames an exception passed through, and printing exceptions
// the way CPython does (chained causes and contexts, source lines, SyntaxError carets).
#pragma once

#include <string>

#include "runtime/object.h"

namespace mvm {

struct Code;
struct Frame;

extern Type traceback_type;

struct Traceback : Object {
  Traceback* next = nullptr;    // toward the frame where the exception was raised
  Code* code = nullptr;
  int lineno = 0;
};

// Prepends an entry for `frame` at instruction `instr_index` to the pending exception's
// traceback.
void traceback_add(ThreadState& ts, Frame* frame, uint32_t instr_index);

// Formats exc (with its cause/context chain) as CPython's default excepthook does.
std::string format_exception(ThreadState& ts, Value exc);
// Writes the formatted exception to sys.stderr (or the C stderr if that fails).
void print_exception(ThreadState& ts, Value exc);

// Writes text to sys.stderr, or to the C stderr when that fails; keeps any pending error.
void write_to_stderr(ThreadState& ts, std::string_view text);

// Remembers a source text so that tracebacks can show its lines.
void remember_source(ThreadState& ts, const std::string& filename, std::string_view source);

}  // namespace mvm
