// Turning the compiler's CodeUnit into runtime Code objects, and compiling source text all
// the way to a Code (raising SyntaxError on bad input).
#pragma once

#include <string>
#include <string_view>

#include "compiler/code_unit.h"
#include "compiler/parser.h"
#include "runtime/object.h"

namespace mvm {

struct Code;

// Builds an immortal Code (with immortal constants) from a compiled unit.
Code* load_code(ThreadState& ts, const CodeUnit& unit);

// A Code that runs the same bytecode as `original` with inline caches of its own, for
// another interpreter: caches keyed by one interpreter's dict versions would be rewritten
// by the other's at every use (vm/subinterpreters.cpp). The instructions, line table and
// constants are shared (they never change; the original is immortal); nested code objects
// are copied too. Immortal, as every Code.
Code* copy_code_with_own_caches(ThreadState& ts, Code* original);

// Parses and compiles source; returns the module Code, or null with SyntaxError raised.
// The source is remembered for tracebacks.
Code* compile_to_code(ThreadState& ts, std::string_view source, const std::string& filename, ParseMode mode);

// Raises the SyntaxError (or IndentationError) that info describes.
void raise_syntax_error(ThreadState& ts, const SyntaxErrorInfo& info);

}  // namespace mvm
