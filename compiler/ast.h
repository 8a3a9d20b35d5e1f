// The abstract syntax tree: what the parser produces and the symbol table and code
// generator consume. Node kinds and fields follow Python's `ast` module, so its
// documentation describes them too. Nodes live in an Arena and are freed together.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mvm::ast {

// Source position: 1-based lines, 0-based columns counted in code points.
struct Pos {
  int line = 0, col = 0, end_line = 0, end_col = 0;
};

struct Node {
  Pos pos;
  virtual ~Node() = default;
};

// ----------------------------------------------------------------------------------------
// Expressions

enum class ExprKind : uint8_t {
  Name, Constant, JoinedStr, FormattedValue, BinOp, UnaryOp, BoolOp, Compare, Call,
  Attribute, Subscript, Slice, Starred, List, Tuple, Dict, Set, ListComp, SetComp, DictComp,
  GeneratorExp, Lambda, IfExp, Yield, YieldFrom, Await, NamedExpr
};

// Where an expression appears: read, assigned to, or deleted (Name, Attribute, Subscript,
// Starred, List and Tuple can be targets).
enum class Ctx : uint8_t { Load, Store, Del };

struct Expr : Node {
  ExprKind kind;
  explicit Expr(ExprKind k) : kind(k) {}
};

struct Name : Expr {
  std::string id;
  Ctx ctx = Ctx::Load;
  Name() : Expr(ExprKind::Name) {}
};

enum class ConstKind : uint8_t { None, True, False, Ellipsis, Int, BigInt, Float, Str, Bytes };
struct Constant : Expr {
  ConstKind ckind = ConstKind::None;
  int64_t int_value = 0;     // Int: fits in int64
  double float_value = 0;    // Float
  std::string text;          // BigInt: decimal digits with optional '-'; Str: UTF-8; Bytes: raw
  Constant() : Expr(ExprKind::Constant) {}
};

// f"..." : values are Constant(Str) pieces and FormattedValue nodes.
struct JoinedStr : Expr {
  std::vector<Expr*> values;
  JoinedStr() : Expr(ExprKind::JoinedStr) {}
};
struct FormattedValue : Expr {
  Expr* value = nullptr;
  char conversion = 0;          // 0, 's', 'r' or 'a'
  Expr* format_spec = nullptr;  // a JoinedStr, or null
  FormattedValue() : Expr(ExprKind::FormattedValue) {}
};

enum class Operator : uint8_t {
  Add, Sub, Mult, Div, FloorDiv, Mod, Pow, LShift, RShift, BitAnd, BitOr, BitXor, MatMult
};
struct BinOp : Expr {
  Expr* left = nullptr;
  Operator op = Operator::Add;
  Expr* right = nullptr;
  BinOp() : Expr(ExprKind::BinOp) {}
};

enum class UnaryOperator : uint8_t { Not, USub, UAdd, Invert };
struct UnaryOpExpr : Expr {
  UnaryOperator op = UnaryOperator::Not;
  Expr* operand = nullptr;
  UnaryOpExpr() : Expr(ExprKind::UnaryOp) {}
};

enum class BoolOperator : uint8_t { And, Or };
struct BoolOp : Expr {
  BoolOperator op = BoolOperator::And;
  std::vector<Expr*> values;   // two or more
  BoolOp() : Expr(ExprKind::BoolOp) {}
};

enum class CmpOp : uint8_t { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot, In, NotIn };
struct Compare : Expr {
  Expr* left = nullptr;
  std::vector<CmpOp> ops;
  std::vector<Expr*> comparators;   // same length as ops
  Compare() : Expr(ExprKind::Compare) {}
};

// f(a, *b, k=c, **d): args may contain Starred; a keyword with an empty arg is **value.
struct Keyword : Node {
  std::string arg;   // empty for **value
  Expr* value = nullptr;
};
struct Call : Expr {
  Expr* func = nullptr;
  std::vector<Expr*> args;
  std::vector<Keyword*> keywords;
  Call() : Expr(ExprKind::Call) {}
};

struct Attribute : Expr {
  Expr* value = nullptr;
  std::string attr;
  Ctx ctx = Ctx::Load;
  Attribute() : Expr(ExprKind::Attribute) {}
};

// value[slice]; slice is an expression, a Slice, or a Tuple that may contain Slices.
struct Subscript : Expr {
  Expr* value = nullptr;
  Expr* slice = nullptr;
  Ctx ctx = Ctx::Load;
  Subscript() : Expr(ExprKind::Subscript) {}
};
struct SliceExpr : Expr {
  Expr* lower = nullptr;   // each may be null
  Expr* upper = nullptr;
  Expr* step = nullptr;
  SliceExpr() : Expr(ExprKind::Slice) {}
};

struct Starred : Expr {
  Expr* value = nullptr;
  Ctx ctx = Ctx::Load;
  Starred() : Expr(ExprKind::Starred) {}
};

struct ListExpr : Expr {
  std::vector<Expr*> elts;
  Ctx ctx = Ctx::Load;
  ListExpr() : Expr(ExprKind::List) {}
};
struct TupleExpr : Expr {
  std::vector<Expr*> elts;
  Ctx ctx = Ctx::Load;
  TupleExpr() : Expr(ExprKind::Tuple) {}
};
// {k: v, **m}: a null key means the value is unpacked with **.
struct DictExpr : Expr {
  std::vector<Expr*> keys;
  std::vector<Expr*> values;
  DictExpr() : Expr(ExprKind::Dict) {}
};
struct SetExpr : Expr {
  std::vector<Expr*> elts;
  SetExpr() : Expr(ExprKind::Set) {}
};

struct Comprehension : Node {
  Expr* target = nullptr;
  Expr* iter = nullptr;
  std::vector<Expr*> ifs;
  bool is_async = false;
};
// ListComp, SetComp and GeneratorExp use elt; DictComp uses key and value.
struct Comp : Expr {
  Expr* elt = nullptr;
  Expr* key = nullptr;
  Expr* value = nullptr;
  std::vector<Comprehension*> generators;
  explicit Comp(ExprKind k) : Expr(k) {}
};

// Parameters of a def or lambda. kw_defaults is parallel to kwonlyargs (null: required);
// defaults belong to the last positional parameters (posonlyargs then args).
struct Arg : Node {
  std::string arg;
  Expr* annotation = nullptr;   // parsed and ignored
};
struct Arguments : Node {
  std::vector<Arg*> posonlyargs;
  std::vector<Arg*> args;
  Arg* vararg = nullptr;
  std::vector<Arg*> kwonlyargs;
  std::vector<Expr*> kw_defaults;
  Arg* kwarg = nullptr;
  std::vector<Expr*> defaults;
};

struct Lambda : Expr {
  Arguments* args = nullptr;
  Expr* body = nullptr;
  Lambda() : Expr(ExprKind::Lambda) {}
};
struct IfExp : Expr {
  Expr* test = nullptr;
  Expr* body = nullptr;
  Expr* orelse = nullptr;
  IfExp() : Expr(ExprKind::IfExp) {}
};
struct Yield : Expr {
  Expr* value = nullptr;   // may be null
  Yield() : Expr(ExprKind::Yield) {}
};
struct YieldFrom : Expr {
  Expr* value = nullptr;
  YieldFrom() : Expr(ExprKind::YieldFrom) {}
};
struct Await : Expr {
  Expr* value = nullptr;
  Await() : Expr(ExprKind::Await) {}
};
struct NamedExpr : Expr {
  Name* target = nullptr;
  Expr* value = nullptr;
  NamedExpr() : Expr(ExprKind::NamedExpr) {}
};

// ----------------------------------------------------------------------------------------
// Statements

enum class StmtKind : uint8_t {
  FunctionDef, ClassDef, Return, Delete, Assign, AugAssign, AnnAssign, For, While, If, With,
  Raise, Try, Assert, Import, ImportFrom, Global, Nonlocal, ExprStmt, Pass, Break, Continue
};

struct Stmt : Node {
  StmtKind kind;
  explicit Stmt(StmtKind k) : kind(k) {}
};

struct FunctionDef : Stmt {
  std::string name;
  Arguments* args = nullptr;
  std::vector<Stmt*> body;
  std::vector<Expr*> decorators;
  Expr* returns = nullptr;   // parsed and ignored
  bool is_async = false;
  FunctionDef() : Stmt(StmtKind::FunctionDef) {}
};
struct ClassDef : Stmt {
  std::string name;
  std::vector<Expr*> bases;
  std::vector<Keyword*> keywords;
  std::vector<Stmt*> body;
  std::vector<Expr*> decorators;
  ClassDef() : Stmt(StmtKind::ClassDef) {}
};
struct Return : Stmt {
  Expr* value = nullptr;
  Return() : Stmt(StmtKind::Return) {}
};
struct Delete : Stmt {
  std::vector<Expr*> targets;
  Delete() : Stmt(StmtKind::Delete) {}
};
// a = b = value: targets has one entry per '='.
struct Assign : Stmt {
  std::vector<Expr*> targets;
  Expr* value = nullptr;
  Assign() : Stmt(StmtKind::Assign) {}
};
struct AugAssign : Stmt {
  Expr* target = nullptr;
  Operator op = Operator::Add;
  Expr* value = nullptr;
  AugAssign() : Stmt(StmtKind::AugAssign) {}
};
struct AnnAssign : Stmt {
  Expr* target = nullptr;
  Expr* annotation = nullptr;
  Expr* value = nullptr;     // may be null: `x: int`
  bool simple = true;        // target is a plain name
  AnnAssign() : Stmt(StmtKind::AnnAssign) {}
};
struct For : Stmt {
  Expr* target = nullptr;
  Expr* iter = nullptr;
  std::vector<Stmt*> body;
  std::vector<Stmt*> orelse;
  bool is_async = false;
  For() : Stmt(StmtKind::For) {}
};
struct While : Stmt {
  Expr* test = nullptr;
  std::vector<Stmt*> body;
  std::vector<Stmt*> orelse;
  While() : Stmt(StmtKind::While) {}
};
struct If : Stmt {
  Expr* test = nullptr;
  std::vector<Stmt*> body;
  std::vector<Stmt*> orelse;   // elif is a nested If here
  If() : Stmt(StmtKind::If) {}
};
struct WithItem : Node {
  Expr* context_expr = nullptr;
  Expr* optional_vars = nullptr;
};
struct With : Stmt {
  std::vector<WithItem*> items;
  std::vector<Stmt*> body;
  bool is_async = false;
  With() : Stmt(StmtKind::With) {}
};
struct Raise : Stmt {
  Expr* exc = nullptr;     // null: re-raise
  Expr* cause = nullptr;
  Raise() : Stmt(StmtKind::Raise) {}
};
struct ExceptHandler : Node {
  Expr* type = nullptr;    // null: bare except
  std::string name;        // empty: no `as`
  std::vector<Stmt*> body;
};
struct Try : Stmt {
  std::vector<Stmt*> body;
  std::vector<ExceptHandler*> handlers;
  std::vector<Stmt*> orelse;
  std::vector<Stmt*> finalbody;
  Try() : Stmt(StmtKind::Try) {}
};
struct Assert : Stmt {
  Expr* test = nullptr;
  Expr* msg = nullptr;
  Assert() : Stmt(StmtKind::Assert) {}
};
struct Alias : Node {
  std::string name;        // dotted for `import a.b`; "*" for `from m import *`
  std::string asname;      // empty: none
};
struct Import : Stmt {
  std::vector<Alias*> names;
  Import() : Stmt(StmtKind::Import) {}
};
struct ImportFrom : Stmt {
  std::string module;      // may be empty for `from . import x`
  std::vector<Alias*> names;
  int level = 0;           // number of leading dots
  ImportFrom() : Stmt(StmtKind::ImportFrom) {}
};
struct Global : Stmt {
  std::vector<std::string> names;
  Global() : Stmt(StmtKind::Global) {}
};
struct Nonlocal : Stmt {
  std::vector<std::string> names;
  Nonlocal() : Stmt(StmtKind::Nonlocal) {}
};
struct ExprStmt : Stmt {
  Expr* value = nullptr;
  ExprStmt() : Stmt(StmtKind::ExprStmt) {}
};
struct Pass : Stmt {
  Pass() : Stmt(StmtKind::Pass) {}
};
struct Break : Stmt {
  Break() : Stmt(StmtKind::Break) {}
};
struct Continue : Stmt {
  Continue() : Stmt(StmtKind::Continue) {}
};

// Owns every node of one parse.
class Arena {
 public:
  template <class T, class... A>
  T* make(A&&... a) {
    auto node = std::make_unique<T>(std::forward<A>(a)...);
    T* raw = node.get();
    nodes_.push_back(std::move(node));
    return raw;
  }

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
};

// A parsed file, `-c` string or REPL input. For Mode::Eval, body holds one ExprStmt.
struct Module {
  std::unique_ptr<Arena> arena = std::make_unique<Arena>();
  std::vector<Stmt*> body;
};

}  // namespace mvm::ast
