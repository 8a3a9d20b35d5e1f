// A compile-time error (SyntaxError or IndentationError) as the compiler reports it, before
// the VM turns it into an exception object.
#pragma once

#include <string>

namespace mvm {

struct SyntaxErrorInfo {
  enum class Kind { Syntax, Indentation, Tab };
  Kind kind = Kind::Syntax;
  std::string message;      // e.g. "invalid syntax", "expected ':'"
  std::string filename;
  int line = 0;             // 1-based
  int col = 0;              // 1-based column (code points) of the caret, as CPython's offset
  int end_line = 0;
  int end_col = 0;
  std::string text;         // the offending source line, without its newline
  // True when the input ended inside an unfinished construct (open bracket, block header
  // without a body, unterminated triple-quoted string): the REPL then asks for more lines.
  bool incomplete_input = false;
};

}  // namespace mvm
