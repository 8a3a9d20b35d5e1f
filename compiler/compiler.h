// The compiler's entry point: source text to a CodeUnit (parse, build symbol tables,
// generate bytecode). Errors come back as SyntaxErrorInfo.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "compiler/code_unit.h"
#include "compiler/diagnostics.h"
#include "compiler/parser.h"

namespace mvm {

struct CompileResult {
  std::shared_ptr<CodeUnit> code;   // set on success
  SyntaxErrorInfo error;            // meaningful when code is null
};

// mode Eval compiles an expression whose value the code returns; Interactive echoes the
// value of expression statements through PRINT_EXPR.
CompileResult compile_source(std::string_view source, const std::string& filename, ParseMode mode);

// Compiles an already-parsed module.
CompileResult compile_module(const ast::Module& module, const std::string& filename, ParseMode mode,
                             std::string_view source);

}  // namespace mvm
