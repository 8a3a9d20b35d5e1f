// Renders an AST as compact s-expressions, for tests and debugging, e.g.
//   (Assign x:store = (BinOp 1 + (BinOp 2 * 3)))
#pragma once

#include <string>

#include "compiler/ast.h"

namespace mvm {

// One line per top-level statement. With positions, each expression and statement is
// followed by @line:col-end_line:end_col (columns 0-based, in code points).
std::string dump(const ast::Module& module, bool positions = false);
std::string dump(const ast::Stmt* statement, bool positions = false);
std::string dump(const ast::Expr* expression, bool positions = false);

}  // namespace mvm
