// Symbol tables: for every scope (module, class, function, lambda, comprehension), which
// names are local, global, free (captured from an enclosing function) or cells (captured
// by an inner one). The code generator asks this to choose LOAD_FAST, LOAD_GLOBAL,
// LOAD_DEREF or LOAD_NAME for each name.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ast.h"
#include "compiler/diagnostics.h"

namespace mvm {

enum class NameScope : uint8_t {
  Local,           // assigned in this scope (fast local in functions)
  GlobalExplicit,  // declared `global`
  GlobalImplicit,  // never assigned here and not found in an enclosing function
  Free,            // captured from an enclosing function
  Cell,            // local, and captured by an inner function
};

struct Scope {
  enum class Kind : uint8_t { Module, Class, Function };
  Kind kind = Kind::Module;
  std::string name;
  Scope* parent = nullptr;
  std::vector<std::unique_ptr<Scope>> children;

  // Raw facts gathered while walking the tree: flags per name (see symtable.cpp).
  std::unordered_map<std::string, uint32_t> flags;
  // Parameters in declaration order, then other locals in order of first binding.
  std::vector<std::string> varnames;
  std::map<std::string, NameScope> resolved;

  bool is_generator = false;
  bool is_coroutine = false;
  bool is_lambda = false;
  bool is_comprehension = false;
  bool has_varargs = false;
  bool has_varkeywords = false;
  bool uses_class_cell = false;   // a function that mentions super or __class__
  bool needs_class_cell = false;  // a class whose methods use __class__
  int firstlineno = 0;

  NameScope lookup(const std::string& name) const;
  std::vector<std::string> cellvars() const;   // sorted, as CPython does
  std::vector<std::string> freevars() const;   // sorted
};

struct SymbolTable {
  std::unique_ptr<Scope> top;
  // The scope created by each scope-introducing node (FunctionDef, ClassDef, Lambda, Comp).
  std::unordered_map<const ast::Node*, Scope*> scopes;
};

// Builds the symbol table of a module. Returns an error for misplaced global/nonlocal
// declarations, `return`/`yield` outside functions and similar scope errors.
std::optional<SymbolTable> build_symbol_table(const ast::Module& module, const std::string& filename,
                                              SyntaxErrorInfo* error);

}  // namespace mvm
