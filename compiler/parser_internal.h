// The recursive-descent parser's internals, shared by parser.cpp (driver and statements),
// parser_expressions.cpp (expressions and assignment targets) and parser_literals.cpp
// (numbers, strings, f-strings). Not part of the compiler's interface: use parser.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "compiler/ast.h"
#include "compiler/lexer.h"
#include "compiler/parser.h"

namespace mvm::parser_detail {

// Thrown to abandon the parse at a syntax error; parse() turns it into a ParseResult.
struct ParseError {
  SyntaxErrorInfo info;
  bool from_lexer = false;   // raised by the tokenizer rather than by a grammar rule
  bool generic = false;      // plain "invalid syntax": no rule matched, nothing more specific
};

// The tokens of one source text, fetched from the lexer on demand (so a malformed token late
// in the file is only reported if the parser gets that far, as in CPython) and kept for
// lookahead and backtracking.
class TokenStream {
 public:
  explicit TokenStream(Lexer& lexer) : lexer_(lexer) {}
  Lexer& lexer() { return lexer_; }
  void reserve(size_t tokens) { tokens_.reserve(tokens); }
  // The token `ahead` places after the current one (the last one again past the end).
  // `track` records that the parser looked at it, for error locations; a scan that only
  // looks for a closing bracket passes false.
  const Token& peek(size_t ahead, bool track = true);
  void advance() { pos_++; }
  const Token& previous() const { return tokens_[pos_ - 1]; }
  // The last consumed token that is not a NEWLINE, INDENT or DEDENT: where a compound
  // statement ends.
  const Token& last_significant() const;
  size_t position() const { return pos_; }
  void rewind(size_t position) { pos_ = position; }
  // The furthest token the parser has examined: CPython reports a generic syntax error there.
  const Token& furthest() const { return tokens_[furthest_]; }
  size_t furthest_index() const { return furthest_; }
  void set_furthest_index(size_t index) { furthest_ = index; }

 private:
  Lexer& lexer_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  size_t furthest_ = 0;
};

// A source position where a node starts.
struct Loc {
  int line = 0, col = 0;
};

// The enclosing construct of the code being parsed, for the errors CPython's compiler
// reports ('return' outside function, 'break' outside loop, 'await' outside async function).
struct Scope {
  enum Kind { Module, Class, Function, Lambda, Comprehension };
  Kind kind = Module;
  bool is_async = false;            // an async def, or a comprehension that awaits
  int loop_depth = 0;               // loops whose body we are in, within this scope
  int block_depth = 0;              // CPython's compiler blocks (loops, with, try) open here
  ast::ExprKind comprehension = ast::ExprKind::ListComp;   // which kind, for Comprehension
  bool has_yield = false;
  bool has_async_clause = false;    // a comprehension with `async for`
  const ast::Node* first_return_value = nullptr;   // `return x`, for async generators
  // The yields and awaits directly in this scope. They are judged when the scope ends,
  // because a comprehension's element is parsed before it is known to be in one.
  std::vector<const ast::Expr*> events;
};

// Literal text and nodes collected for one JoinedStr (or format specification).
struct FStringPieces {
  std::vector<ast::Expr*> values;
  std::string pending;   // literal text not yet turned into a Constant
  ast::Pos pos;          // every piece gets the position of the whole literal, as in 3.11
};

// Where a generator expression stands: in its own parentheses or as a call argument.
enum class Placement { Bracketed, SoleCallArgument, OtherCallArgument };

// How deeply expressions may nest, counting brackets, unary operators, conditional and
// lambda bodies and each link of an operator or trailer chain (a+b+c is 2 deep). It bounds
// both the parser's recursion and the depth of the tree the compiler walks recursively,
// about where CPython gives up with "maximum recursion depth exceeded during compilation".
constexpr int kMaxNestingDepth = 1000;

// CPython's compiler refuses more than 20 nested loop, with and try blocks in one function.
constexpr int kMaxStaticBlocks = 20;

std::string expression_name(const ast::Expr* e);

class Parser;

// Pushes a scope; close() pops it and judges its yields and awaits. If parsing fails
// first, the destructor just pops it.
class ScopeGuard {
 public:
  ScopeGuard(Parser& parser, Scope scope);
  ~ScopeGuard();
  void close(const ast::Node* node);

 private:
  Parser& parser_;
  bool closed_ = false;
};

// Counts nesting (see kMaxNestingDepth) for as long as it lives; enter() adds a level, as
// each link of a chain does.
class DepthGuard {
 public:
  explicit DepthGuard(Parser& parser) : parser_(parser) { enter(); }
  ~DepthGuard();
  void enter();

 private:
  Parser& parser_;
  int levels_ = 0;
};

// Switches off CPython's specialised error rules while probing an alternative, as its
// "_without_invalid" rules do.
class NoInvalidChecks {
 public:
  explicit NoInvalidChecks(Parser& parser);
  ~NoInvalidChecks();

 private:
  Parser& parser_;
  bool saved_;
};

// Points the parser at the tokens of an f-string replacement field while it is parsed.
class FStringFieldGuard {
 public:
  FStringFieldGuard(Parser& parser, TokenStream& stream, std::string_view source, Loc origin);
  ~FStringFieldGuard();

 private:
  Parser& parser_;
  TokenStream* saved_tokens_;
  std::string_view saved_source_;
  Loc saved_origin_;
};

class Parser {
 public:
  Parser(Lexer& lexer, ast::Arena& arena, ParseMode mode);

  // The whole input in the parser's mode. Throws ParseError.
  std::vector<ast::Stmt*> parse_input();
  // The furthest token examined in the main input, to judge where an error happened.
  const Token& furthest_main_token() const { return main_tokens_.furthest(); }

 private:
  friend class ScopeGuard;
  friend class DepthGuard;
  friend class NoInvalidChecks;
  friend class FStringFieldGuard;
  using Kind = SyntaxErrorInfo::Kind;

  // ---- tokens (parser.cpp)
  const Token& peek(size_t ahead = 0);
  bool at(Tok kind, size_t ahead = 0) { return peek(ahead).kind == kind; }
  Token take();
  bool accept(Tok kind);
  Token expect(Tok kind);          // or a generic syntax error
  Token expect_forced(Tok kind);   // or "expected 'x'" at the current token
  const Token& last_token() const { return tokens_->previous(); }

  // ---- errors (parser.cpp)
  [[noreturn]] void raise(SyntaxErrorInfo info, bool from_lexer, bool generic = false);
  [[noreturn]] void lexer_failed();
  [[noreturn]] void fail(std::string message, int line, int col, int end_line, int end_col,
                         Kind kind = Kind::Syntax);
  [[noreturn]] void fail_at_token(const Token& token, std::string message,
                                  Kind kind = Kind::Syntax);
  [[noreturn]] void fail_at_furthest(std::string message, Kind kind = Kind::Syntax);
  [[noreturn]] void fail_at_node(const ast::Node* node, std::string message);
  [[noreturn]] void fail_range(const ast::Node* first, const ast::Node* last,
                               std::string message);
  [[noreturn]] void fail_range(const Token& first, const Token& last, std::string message);
  [[noreturn]] void invalid_syntax();
  // Errors CPython finds after parsing (in its symbol table or compiler): remembered and
  // reported only if the whole input parses, symbol-table ones first, earliest first.
  void defer_error(const ast::Node* node, std::string message, bool symbol_table = false);

  // Speculative parsing: attempt() runs `parse` and, if it fails with a generic syntax
  // error, restores the parser's state and returns false. Specific errors propagate.
  struct Checkpoint {
    size_t position, furthest, events;
    std::optional<SyntaxErrorInfo> symbol_table_error, compiler_error;
  };
  Checkpoint checkpoint() {
    return {tokens_->position(), tokens_->furthest_index(), scope().events.size(),
            symbol_table_error_, compiler_error_};
  }
  void restore(const Checkpoint& saved) {
    tokens_->rewind(saved.position);
    tokens_->set_furthest_index(saved.furthest);
    scope().events.resize(saved.events);
    symbol_table_error_ = saved.symbol_table_error;
    compiler_error_ = saved.compiler_error;
  }
  // `keep_furthest` is for alternatives CPython's first pass tries, which leave the tokens
  // they fetched counted for the location of a generic error.
  template <class F>
  bool attempt(F&& parse, bool keep_furthest = false) {
    Checkpoint saved = checkpoint();
    try {
      parse();
      return true;
    } catch (ParseError& error) {
      if (!error.generic) throw;
      if (keep_furthest) saved.furthest = tokens_->furthest_index();
      restore(saved);
      return false;
    }
  }

  // ---- scopes (parser.cpp)
  Scope& scope() { return scopes_.back(); }
  void check_scope(Scope& scope, const ast::Node* node);
  bool in_async_function();

  // ---- statements (parser.cpp)
  void statement(std::vector<ast::Stmt*>& out);
  void simple_statements(std::vector<ast::Stmt*>& out);
  ast::Stmt* simple_statement();
  ast::Stmt* compound_statement();
  std::vector<ast::Stmt*> block(const Token& header, const std::string& what);
  std::vector<ast::Stmt*> nested_block(const Token& header, const std::string& what,
                                       int blocks, bool* too_deep);
  std::vector<ast::Stmt*> loop_body(const Token& keyword, const std::string& what,
                                    bool* too_deep);
  void check_block_depth(bool too_deep, const ast::Node* node);
  std::vector<ast::Stmt*> else_block();
  void expect_header_colon();
  template <class T>
  T* compound(Loc start);
  ast::Stmt* if_statement();
  ast::Stmt* while_statement();
  ast::Stmt* for_statement(std::optional<Token> async_token);
  ast::Stmt* with_statement(std::optional<Token> async_token);
  bool parenthesized_with_items();
  ast::WithItem* with_item();
  ast::Stmt* try_statement();
  ast::ExceptHandler* except_clause();
  ast::Stmt* decorated_definition();
  ast::Stmt* function_definition(std::vector<ast::Expr*> decorators,
                                 std::optional<Token> async_token);
  ast::Stmt* class_definition(std::vector<ast::Expr*> decorators);
  ast::Arguments* parameters(bool is_lambda);
  ast::Stmt* loop_control();
  ast::Stmt* return_statement();
  ast::Stmt* raise_statement();
  ast::Stmt* global_or_nonlocal();
  ast::Stmt* del_statement();
  ast::Stmt* assert_statement();
  ast::Stmt* import_statement();
  ast::Alias* import_alias(bool dotted);
  ast::Stmt* from_import_statement();
  ast::Stmt* expression_statement();
  static std::optional<ast::Operator> augmented_operator(Tok kind);
  ast::Stmt* annotated_assignment(ast::Expr* target, const Token& first_token);
  ast::Stmt* augmented_assignment(Loc start, ast::Expr* target, ast::Operator op);
  ast::Stmt* assignment(Loc start, ast::Expr* first);
  void report_invalid_assignment(const std::vector<ast::Expr*>& targets,
                                 const std::vector<bool>& parenthesized, size_t first_equal);

  // ---- expressions (parser_expressions.cpp)
  bool starts_expression(const Token& token) const;
  bool at_comprehension();
  bool is_parenthesized_tuple(const ast::Expr* e) const;
  ast::Expr* tuple_rest(Loc start, ast::Expr* first, ast::Expr* (Parser::*element)());
  ast::Expr* star_expressions();
  ast::Expr* starred(ast::Expr* (Parser::*operand)());
  ast::Expr* star_expression();
  ast::Expr* star_named_expression();
  ast::Expr* expressions();
  ast::Expr* yield_or_star_expressions();
  ast::Expr* yield_expression();
  ast::Expr* named_expression();
  ast::Expr* walrus();
  ast::Expr* check_named_expression(ast::Expr* e);
  void check_assignment_typo(ast::Expr* target);
  ast::Expr* expression();
  void check_legacy_print(ast::Expr* left, const Token& first);
  void check_missing_comma(ast::Expr* left, const Token& first);
  ast::Expr* lambda_expression();
  ast::Expr* disjunction();
  ast::Expr* conjunction();
  ast::Expr* inversion();
  ast::Expr* comparison();
  ast::Expr* bitwise_or();
  ast::Expr* binary(int min_level);
  ast::Expr* factor();
  ast::Expr* power();
  ast::Expr* await_primary();
  ast::Expr* primary();
  ast::Expr* probe_trailer(Loc start, ast::Expr* e);
  ast::Expr* atom();
  ast::Expr* parenthesized();
  [[noreturn]] void double_starred_group();
  void reject_starred_element(const ast::Expr* element);
  ast::Expr* list_display();
  void display_elements(std::vector<ast::Expr*>& elts, Tok close);
  ast::Expr* braced_display();
  void missing_dict_value();
  ast::Expr* dict_display(const Token& open, ast::Expr* first_key, ast::Expr* first_value);
  ast::Expr* comprehension(ast::ExprKind kind, Loc start, ast::Expr* elt, ast::Expr* value,
                           size_t events, Placement placement);
  ast::Comprehension* comprehension_clause();
  void comprehension_conditions(ast::Comprehension* clause);
  ast::Expr* call(Loc start, ast::Expr* func);
  void call_arguments(const Token& open, std::vector<ast::Expr*>& args,
                      std::vector<ast::Keyword*>& keywords, bool allow_generator);
  ast::Expr* subscript(Loc start, ast::Expr* value);
  ast::Expr* slice_item();
  ast::Expr* target_list();
  ast::Expr* target_element();
  ast::Expr* set_context(ast::Expr* target, ast::Ctx ctx);
  void validate_target(ast::Expr* target);
  void check_starred_targets(ast::Expr* target);
  void check_not_bare_starred(ast::Expr* value);

  // ---- literals (parser_literals.cpp)
  ast::Expr* number();
  ast::Expr* strings();
  void flush_literal(FStringPieces& pieces, const ast::Pos& pos);
  void fstring_body(const Token& token, size_t body_offset, std::string_view body, bool raw,
                    size_t& position, int level, FStringPieces& pieces);
  void replacement_field(const Token& token, size_t body_offset, std::string_view body,
                         bool raw, size_t& position, int level, FStringPieces& pieces);
  ast::Expr* fstring_expression(const Token& token, size_t offset, std::string_view source);

  // ---- node construction
  template <class T, class... A>
  T* make(A&&... args) {
    return arena_.make<T>(std::forward<A>(args)...);
  }
  // A node spanning from `start` to the end of the last consumed token.
  template <class T, class... A>
  T* node(Loc start, A&&... args) {
    T* n = make<T>(std::forward<A>(args)...);
    n->pos = ast::Pos{start.line, start.col, last_token().end_line, last_token().end_col};
    return n;
  }
  static Loc start_of(const Token& token) { return {token.line, token.col}; }
  static Loc start_of(const ast::Node* node) { return {node->pos.line, node->pos.col}; }

  TokenStream main_tokens_;
  TokenStream* tokens_;              // main_tokens_, or an f-string field's while parsing it
  ast::Arena& arena_;
  ParseMode mode_;
  std::vector<Scope> scopes_;
  int depth_ = 0;                    // nesting of recursive expression rules
  bool invalid_checks_ = true;       // CPython's specialised error rules are active
  std::unordered_set<const ast::Expr*> parenthesized_tuples_;
  // While parsing an f-string replacement field: its text as parsed, "(expr)", and the
  // position of its '{' in the file; errors there are reported relative to that text.
  std::string_view fstring_source_;
  int fstring_line_ = 0, fstring_col_ = 0;
  std::optional<SyntaxErrorInfo> symbol_table_error_, compiler_error_;
};

inline DepthGuard::~DepthGuard() { parser_.depth_ -= levels_; }

inline NoInvalidChecks::NoInvalidChecks(Parser& parser)
    : parser_(parser), saved_(parser.invalid_checks_) {
  parser_.invalid_checks_ = false;
}
inline NoInvalidChecks::~NoInvalidChecks() { parser_.invalid_checks_ = saved_; }

}  // namespace mvm::parser_detail
