// Source text to AST: a tokenizer (compiler/lexer.h) feeding a recursive-descent parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/ast.h"
#include "compiler/diagnostics.h"

namespace mvm {

enum class ParseMode {
  File,         // a module: statements until end of input
  Eval,         // a single expression (eval()); body holds one ExprStmt
  Interactive,  // one REPL entry: statements; expression statements are echoed
};

struct ParseResult {
  std::optional<ast::Module> module;     // set on success
  SyntaxErrorInfo error;                 // meaningful when module is empty
};

ParseResult parse(std::string_view source, const std::string& filename, ParseMode mode);

}  // namespace mvm
