// The parser's driver and statements: parse() runs a recursive-descent Parser over the
// tokens and reports the first syntax error the way CPython 3.11 does (message, position).
#include "compiler/parser.h"

#include <algorithm>
#include <utility>

#include "compiler/parser_internal.h"

namespace mvm {
namespace parser_detail {

using namespace ast;

// ----------------------------------------------------------------------------------------
// Tokens

const Token& TokenStream::peek(size_t ahead, bool track) {
  size_t index = pos_ + ahead;
  while (tokens_.size() <= index) {
    // Past the end or an error there is nothing more to fetch.
    if (!tokens_.empty() &&
        (tokens_.back().kind == Tok::EndMarker || tokens_.back().kind == Tok::Error)) {
      index = tokens_.size() - 1;
      break;
    }
    tokens_.push_back(lexer_.next());
  }
  if (track && index > furthest_) furthest_ = index;
  return tokens_[index];
}

const Token& TokenStream::last_significant() const {
  size_t index = pos_ - 1;
  while (index > 0 && (tokens_[index].kind == Tok::Newline || tokens_[index].kind == Tok::Indent ||
                       tokens_[index].kind == Tok::Dedent)) {
    index--;
  }
  return tokens_[index];
}

Parser::Parser(Lexer& lexer, Arena& arena, ParseMode mode)
    : main_tokens_(lexer), tokens_(&main_tokens_), arena_(arena), mode_(mode) {
  main_tokens_.reserve(lexer.source_size() / 4);
  scopes_.push_back(Scope{});
}

const Token& Parser::peek(size_t ahead) {
  const Token& token = tokens_->peek(ahead);
  if (token.kind == Tok::Error) lexer_failed();
  return token;
}

Token Parser::take() {
  Token token = peek();
  tokens_->advance();
  return token;
}

bool Parser::accept(Tok kind) {
  if (!at(kind)) return false;
  tokens_->advance();
  return true;
}

Token Parser::expect(Tok kind) {
  if (!at(kind)) invalid_syntax();
  return take();
}

// CPython's "&&" tokens: a missing one is named in the message, at the current token.
Token Parser::expect_forced(Tok kind) {
  if (!at(kind)) fail_at_token(peek(), std::string("expected '") + token_spelling(kind) + "'");
  return take();
}

// ----------------------------------------------------------------------------------------
// Errors. CPython gives each error a 1-based column and an exclusive 1-based end column.

void Parser::raise(SyntaxErrorInfo info, bool from_lexer, bool generic) {
  if (!fstring_source_.empty()) {
    // Inside an f-string replacement field CPython parses "(expr)" on its own and reports
    // positions and text relative to that string; grammar errors get an "f-string: " prefix.
    if (info.line == fstring_line_) {
      info.col -= fstring_col_;
      if (info.end_line == fstring_line_ && info.end_col > 0) info.end_col -= fstring_col_;
    }
    info.text = std::string(fstring_source_);
    if (!from_lexer) info.message = "f-string: " + info.message;
  } else {
    info.text = std::string(tokens_->lexer().line_text(info.line));
  }
  throw ParseError{std::move(info), from_lexer, generic};
}

void Parser::lexer_failed() { raise(tokens_->lexer().error(), /*from_lexer=*/true); }

void Parser::fail(std::string message, int line, int col, int end_line, int end_col, Kind kind) {
  SyntaxErrorInfo info;
  info.kind = kind;
  info.message = std::move(message);
  info.line = line;
  info.col = col;
  info.end_line = end_line;
  info.end_col = end_col;
  raise(std::move(info), /*from_lexer=*/false);
}

// At a token's own text. Tokens without text (INDENT, DEDENT, ENDMARKER) give column 0.
void Parser::fail_at_token(const Token& token, std::string message, Kind kind) {
  if (token.end_col == -2) fail(std::move(message), token.line, 0, token.end_line, 0, kind);
  fail(std::move(message), token.line, token.col + 1, token.end_line, token.end_col + 1, kind);
}

// CPython's RAISE_SYNTAX_ERROR: at the last token the parser fetched.
void Parser::fail_at_furthest(std::string message, Kind kind) {
  const Token& token = tokens_->furthest();
  fail(std::move(message), token.line, token.col + 1, token.end_line, token.end_col + 1, kind);
}

void Parser::fail_at_node(const Node* node, std::string message) {
  const Pos& p = node->pos;
  fail(std::move(message), p.line, p.col + 1, p.end_line, p.end_col + 1);
}

void Parser::fail_range(const Node* first, const Node* last, std::string message) {
  fail(std::move(message), first->pos.line, first->pos.col + 1, last->pos.end_line,
       last->pos.end_col + 1);
}

void Parser::fail_range(const Token& first, const Token& last, std::string message) {
  fail(std::move(message), first.line, first.col + 1, last.end_line, last.end_col + 1);
}

// The generic error, at the furthest token examined; an unexpected INDENT or DEDENT there
// is an IndentationError instead.
void Parser::invalid_syntax() {
  const Token& token = tokens_->furthest();
  if (token.kind == Tok::Indent) fail_at_furthest("unexpected indent", Kind::Indentation);
  if (token.kind == Tok::Dedent) fail_at_furthest("unexpected unindent", Kind::Indentation);
  int col = token.end_col == -2 ? 0 : token.col + 1;
  int end_col = token.end_col == -2 ? 0 : token.end_col + 1;
  SyntaxErrorInfo info;
  info.message = "invalid syntax";
  info.line = token.line;
  info.col = col;
  info.end_line = token.end_line;
  info.end_col = end_col;
  raise(std::move(info), /*from_lexer=*/false, /*generic=*/true);
}

void Parser::defer_error(const Node* node, std::string message, bool symbol_table) {
  std::optional<SyntaxErrorInfo>& slot = symbol_table ? symbol_table_error_ : compiler_error_;
  const Pos& p = node->pos;
  // CPython's compiler walks the code in source order, so the earliest error wins.
  if (slot && (slot->line < p.line || (slot->line == p.line && slot->col <= p.col + 1))) return;
  SyntaxErrorInfo info;
  info.message = std::move(message);
  info.line = p.line;
  info.col = p.col + 1;
  info.end_line = p.end_line;
  info.end_col = p.end_col + 1;
  info.text = std::string(main_tokens_.lexer().line_text(p.line));
  slot = std::move(info);
}

// ----------------------------------------------------------------------------------------
// Scopes

ScopeGuard::ScopeGuard(Parser& parser, Scope scope) : parser_(parser) {
  parser_.scopes_.push_back(std::move(scope));
}

ScopeGuard::~ScopeGuard() {
  if (!closed_) parser_.scopes_.pop_back();
}

void ScopeGuard::close(const Node* node) {
  closed_ = true;
  Scope scope = std::move(parser_.scopes_.back());
  parser_.scopes_.pop_back();
  parser_.check_scope(scope, node);
}

void DepthGuard::enter() {
  if (parser_.depth_ >= kMaxNestingDepth) {
    parser_.fail_at_token(parser_.peek(), "maximum recursion depth exceeded during compilation");
  }
  parser_.depth_++;
  levels_++;
}

// The yields and awaits of a scope, and what its kind allows, decided when it ends.
void Parser::check_scope(Scope& scope, const Node* node) {
  static const char* const kComprehensionNames[] = {"list comprehension", "set comprehension",
                                                   "dict comprehension", "generator expression"};
  for (const Expr* e : scope.events) {
    bool is_await = e->kind == ExprKind::Await;
    switch (scope.kind) {
      case Scope::Module:
      case Scope::Class:
        defer_error(e, is_await ? "'await' outside function" : "'yield' outside function");
        break;
      case Scope::Function:
      case Scope::Lambda:
        if (is_await && !scope.is_async) {
          defer_error(e, "'await' outside async function");
        } else if (!is_await) {
          scope.has_yield = true;
          if (e->kind == ExprKind::YieldFrom && scope.is_async) {
            defer_error(e, "'yield from' inside async function");
          }
        }
        break;
      case Scope::Comprehension:
        if (is_await) {
          scope.is_async = true;
        } else {
          int index = scope.comprehension == ExprKind::ListComp  ? 0
                      : scope.comprehension == ExprKind::SetComp ? 1
                      : scope.comprehension == ExprKind::DictComp ? 2
                                                                   : 3;
          defer_error(e, std::string("'yield' inside ") + kComprehensionNames[index],
                      /*symbol_table=*/true);
        }
        break;
    }
  }
  if (scope.kind == Scope::Function && scope.is_async && scope.has_yield &&
      scope.first_return_value) {
    defer_error(scope.first_return_value, "'return' with value in async generator");
  }
  if (scope.kind == Scope::Comprehension && (scope.is_async || scope.has_async_clause) &&
      scope.comprehension != ExprKind::GeneratorExp) {
    // An asynchronous list, set or dict comprehension is awaited where it stands.
    Scope& outer = scopes_.back();
    if (outer.kind == Scope::Comprehension) {
      outer.is_async = true;
    } else if (!(outer.kind == Scope::Function && outer.is_async)) {
      defer_error(node, "asynchronous comprehension outside of an asynchronous function");
    }
  }
}

bool Parser::in_async_function() {
  return scope().kind == Scope::Function && scope().is_async;
}

// ----------------------------------------------------------------------------------------
// Input

std::vector<Stmt*> Parser::parse_input() {
  std::vector<Stmt*> body;
  if (mode_ == ParseMode::Eval) {
    Expr* value = expressions();
    while (accept(Tok::Newline)) {
    }
    if (!at(Tok::EndMarker)) invalid_syntax();
    auto* statement = make<ExprStmt>();
    statement->value = value;
    statement->pos = value->pos;
    body.push_back(statement);
  } else {
    while (!at(Tok::EndMarker)) statement(body);
  }
  Scope module = std::move(scopes_.back());
  scopes_.pop_back();
  check_scope(module, nullptr);
  if (symbol_table_error_) throw ParseError{*symbol_table_error_, false, false};
  if (compiler_error_) throw ParseError{*compiler_error_, false, false};
  return body;
}

// ----------------------------------------------------------------------------------------
// Statements

void Parser::statement(std::vector<Stmt*>& out) {
  if (Stmt* compound = compound_statement()) {
    out.push_back(compound);
  } else {
    simple_statements(out);
  }
}

// Simple statements separated by ';' on one logical line.
void Parser::simple_statements(std::vector<Stmt*>& out) {
  for (;;) {
    out.push_back(simple_statement());
    if (!accept(Tok::Semicolon) || at(Tok::Newline)) break;
  }
  expect(Tok::Newline);
}

Stmt* Parser::simple_statement() {
  switch (peek().kind) {
    case Tok::KwPass: {
      Token keyword = take();
      return node<Pass>(start_of(keyword));
    }
    case Tok::KwBreak:
    case Tok::KwContinue:
      return loop_control();
    case Tok::KwReturn:
      return return_statement();
    case Tok::KwRaise:
      return raise_statement();
    case Tok::KwGlobal:
    case Tok::KwNonlocal:
      return global_or_nonlocal();
    case Tok::KwDel:
      return del_statement();
    case Tok::KwAssert:
      return assert_statement();
    case Tok::KwImport:
      return import_statement();
    case Tok::KwFrom:
      return from_import_statement();
    default:
      return expression_statement();
  }
}

Stmt* Parser::compound_statement() {
  switch (peek().kind) {
    case Tok::KwIf:
      return if_statement();
    case Tok::KwWhile:
      return while_statement();
    case Tok::KwFor:
      return for_statement(std::nullopt);
    case Tok::KwTry:
      return try_statement();
    case Tok::KwWith:
      return with_statement(std::nullopt);
    case Tok::KwDef:
      return function_definition({}, std::nullopt);
    case Tok::KwClass:
      return class_definition({});
    case Tok::At:
      return decorated_definition();
    case Tok::KwAsync: {
      Tok next = peek(1).kind;
      if (next != Tok::KwDef && next != Tok::KwFor && next != Tok::KwWith) return nullptr;
      Token async_token = take();
      if (next == Tok::KwDef) return function_definition({}, async_token);
      if (next == Tok::KwFor) return for_statement(async_token);
      return with_statement(async_token);
    }
    default:
      return nullptr;
  }
}

// The body of a compound statement: an indented block, or simple statements on the header's
// line. `what` names the header for "expected an indented block after ...".
std::vector<Stmt*> Parser::block(const Token& header, const std::string& what) {
  std::vector<Stmt*> body;
  if (!accept(Tok::Newline)) {
    simple_statements(body);
    return body;
  }
  if (!at(Tok::Indent)) {
    fail_at_furthest("expected an indented block after " + what + " on line " +
                         std::to_string(header.line),
                     Kind::Indentation);
  }
  take();
  while (!accept(Tok::Dedent)) {
    if (at(Tok::EndMarker)) invalid_syntax();
    statement(body);
  }
  return body;
}

// The ':' ending a header that CPython checks with an "expected ':'" rule only when the
// line ends there.
void Parser::expect_header_colon() {
  if (at(Tok::Newline)) fail_at_furthest("expected ':'");
  expect(Tok::Colon);
}

// Compound statements end with the last token of their last block (a trailing ';'
// included), once that block has been parsed.
template <class T>
T* Parser::compound(Loc start) {
  T* statement = make<T>();
  const Token& end = tokens_->last_significant();
  statement->pos = Pos{start.line, start.col, end.end_line, end.end_col};
  return statement;
}

Stmt* Parser::if_statement() {
  // An elif chain nests If nodes in orelse; it is built after parsing, without recursion.
  struct Branch {
    Token keyword;
    Expr* test;
    std::vector<Stmt*> body;
  };
  std::vector<Branch> branches;
  std::vector<Stmt*> orelse;
  DepthGuard depth(*this);
  do {
    if (!branches.empty()) depth.enter();   // each elif nests one If deeper
    Token keyword = take();
    Expr* test = named_expression();
    expect_header_colon();
    std::vector<Stmt*> body =
        block(keyword, keyword.kind == Tok::KwIf ? "'if' statement" : "'elif' statement");
    branches.push_back(Branch{keyword, test, std::move(body)});
  } while (at(Tok::KwElif));
  if (at(Tok::KwElse)) orelse = else_block();

  Stmt* chain = nullptr;
  for (auto it = branches.rbegin(); it != branches.rend(); ++it) {
    std::vector<Stmt*> rest = chain ? std::vector<Stmt*>{chain} : std::move(orelse);
    If* statement = compound<If>(start_of(it->keyword));
    statement->test = it->test;
    statement->body = std::move(it->body);
    statement->orelse = std::move(rest);
    chain = statement;
  }
  return chain;
}

std::vector<Stmt*> Parser::else_block() {
  Token keyword = take();
  expect_forced(Tok::Colon);
  return block(keyword, "'else' statement");
}

Stmt* Parser::while_statement() {
  Token keyword = take();
  Expr* test = named_expression();
  expect_header_colon();
  bool too_deep = false;
  std::vector<Stmt*> body = loop_body(keyword, "'while' statement", &too_deep);
  std::vector<Stmt*> orelse;
  if (at(Tok::KwElse)) orelse = else_block();
  While* statement = compound<While>(start_of(keyword));
  statement->test = test;
  statement->body = std::move(body);
  statement->orelse = std::move(orelse);
  check_block_depth(too_deep, statement);
  return statement;
}

// The body of a loop, with or try statement, which CPython's compiler tracks as `blocks`
// nested blocks. *too_deep is set when that makes too many.
std::vector<Stmt*> Parser::nested_block(const Token& header, const std::string& what,
                                        int blocks, bool* too_deep) {
  scope().block_depth += blocks;
  if (scope().block_depth > kMaxStaticBlocks) *too_deep = true;
  std::vector<Stmt*> body = block(header, what);
  scope().block_depth -= blocks;
  return body;
}

std::vector<Stmt*> Parser::loop_body(const Token& keyword, const std::string& what,
                                     bool* too_deep) {
  scope().loop_depth++;
  std::vector<Stmt*> body = nested_block(keyword, what, 1, too_deep);
  scope().loop_depth--;
  return body;
}

void Parser::check_block_depth(bool too_deep, const Node* node) {
  if (too_deep) defer_error(node, "too many statically nested blocks");
}

Stmt* Parser::for_statement(std::optional<Token> async_token) {
  Token keyword = take();
  Loc start = start_of(async_token ? *async_token : keyword);
  Expr* target = target_list();
  validate_target(target);
  expect(Tok::KwIn);
  Expr* iter = star_expressions();
  expect_header_colon();
  bool too_deep = false;
  std::vector<Stmt*> body = loop_body(keyword, "'for' statement", &too_deep);
  std::vector<Stmt*> orelse;
  if (at(Tok::KwElse)) orelse = else_block();
  For* statement = compound<For>(start);
  check_block_depth(too_deep, statement);
  statement->target = target;
  statement->iter = iter;
  statement->body = std::move(body);
  statement->orelse = std::move(orelse);
  statement->is_async = async_token.has_value();
  check_not_bare_starred(iter);
  if (async_token && !in_async_function()) {
    defer_error(statement, "'async for' outside async function");
  }
  return statement;
}

Stmt* Parser::with_statement(std::optional<Token> async_token) {
  Token keyword = take();
  Loc start = start_of(async_token ? *async_token : keyword);
  std::vector<WithItem*> items;
  if (parenthesized_with_items()) {
    take();
    do {
      items.push_back(with_item());
    } while (accept(Tok::Comma) && !at(Tok::RParen));
    expect(Tok::RParen);
  } else {
    do {
      items.push_back(with_item());
    } while (accept(Tok::Comma));
  }
  expect_header_colon();
  bool too_deep = false;
  std::vector<Stmt*> body = nested_block(keyword, "'with' statement", 1, &too_deep);
  With* statement = compound<With>(start);
  check_block_depth(too_deep, statement);
  statement->items = std::move(items);
  statement->body = std::move(body);
  statement->is_async = async_token.has_value();
  if (async_token && !in_async_function()) {
    defer_error(statement, "'async with' outside async function");
  }
  return statement;
}

// `with (a as b, c):` lists items in parentheses; `with (a, b) as c:` does not. The
// difference shows only after the closing parenthesis, which is found by scanning ahead.
bool Parser::parenthesized_with_items() {
  if (!at(Tok::LParen) || at(Tok::KwYield, 1)) return false;
  int depth = 0;
  for (size_t ahead = 0;; ahead++) {
    const Token& token = tokens_->peek(ahead, /*track=*/false);
    switch (token.kind) {
      case Tok::LParen:
      case Tok::LBracket:
      case Tok::LBrace:
        depth++;
        break;
      case Tok::RParen:
      case Tok::RBracket:
      case Tok::RBrace:
        if (--depth == 0) return tokens_->peek(ahead + 1, false).kind == Tok::Colon;
        break;
      case Tok::EndMarker:
      case Tok::Error:
        return false;
      default:
        break;
    }
  }
}

WithItem* Parser::with_item() {
  Loc start = start_of(peek());
  Expr* context = expression();
  Expr* vars = nullptr;
  if (accept(Tok::KwAs)) {
    vars = at(Tok::Star) ? star_expression() : expression();
    validate_target(vars);
  }
  WithItem* item = node<WithItem>(start);
  item->context_expr = context;
  item->optional_vars = vars;
  return item;
}

Stmt* Parser::try_statement() {
  Token keyword = take();
  expect_forced(Tok::Colon);
  bool too_deep = false;
  std::vector<Stmt*> body = nested_block(keyword, "'try' statement", 1, &too_deep);
  std::vector<ExceptHandler*> handlers;
  while (at(Tok::KwExcept)) handlers.push_back(except_clause());
  if (handlers.empty() && !at(Tok::KwFinally)) {
    fail_at_furthest("expected 'except' or 'finally' block");
  }
  std::vector<Stmt*> orelse, finalbody;
  if (!handlers.empty() && at(Tok::KwElse)) orelse = else_block();
  if (at(Tok::KwFinally)) {
    Token finally_keyword = take();
    expect_forced(Tok::Colon);
    finalbody = nested_block(finally_keyword, "'finally' statement", 1, &too_deep);
  }
  Try* statement = compound<Try>(start_of(keyword));
  statement->body = std::move(body);
  statement->handlers = std::move(handlers);
  statement->orelse = std::move(orelse);
  statement->finalbody = std::move(finalbody);
  check_block_depth(too_deep, statement);
  for (size_t i = 0; i + 1 < statement->handlers.size(); i++) {
    if (!statement->handlers[i]->type) {
      defer_error(statement->handlers[i], "default 'except:' must be last");
    }
  }
  return statement;
}

ExceptHandler* Parser::except_clause() {
  Token keyword = take();
  Expr* type = nullptr;
  std::string name;
  if (!at(Tok::Colon) && !at(Tok::Newline)) {
    type = expression();
    if (at(Tok::Comma)) {
      // `except A, B:` is Python 2 syntax.
      take();
      expressions();
      if (accept(Tok::KwAs)) expect(Tok::Name);
      if (!at(Tok::Colon)) invalid_syntax();
      const Token& end = tokens_->furthest();
      fail("multiple exception types must be parenthesized", type->pos.line,
           type->pos.col + 1, end.end_line, end.end_col);
    }
    if (accept(Tok::KwAs)) name = std::string(expect(Tok::Name).text);
  }
  expect_header_colon();
  // A handler's body is inside two of CPython's compiler blocks.
  bool too_deep = false;
  std::vector<Stmt*> body = nested_block(keyword, "'except' statement", 2, &too_deep);
  ExceptHandler* handler = compound<ExceptHandler>(start_of(keyword));
  check_block_depth(too_deep, handler);
  handler->type = type;
  handler->name = std::move(name);
  handler->body = std::move(body);
  return handler;
}

Stmt* Parser::decorated_definition() {
  std::vector<Expr*> decorators;
  while (accept(Tok::At)) {
    decorators.push_back(named_expression());
    expect(Tok::Newline);
  }
  if (at(Tok::KwDef)) return function_definition(std::move(decorators), std::nullopt);
  if (at(Tok::KwClass)) return class_definition(std::move(decorators));
  if (at(Tok::KwAsync) && at(Tok::KwDef, 1)) {
    Token async_token = take();
    return function_definition(std::move(decorators), async_token);
  }
  invalid_syntax();
}

Stmt* Parser::function_definition(std::vector<Expr*> decorators,
                                  std::optional<Token> async_token) {
  Token keyword = take();
  Loc start = start_of(async_token ? *async_token : keyword);
  Token name = expect(Tok::Name);
  expect_forced(Tok::LParen);
  // Defaults and annotations are evaluated where the function is defined.
  Arguments* args = parameters(/*is_lambda=*/false);
  expect(Tok::RParen);
  Expr* returns = nullptr;
  if (at(Tok::Arrow)) {
    // Without a valid annotation the arrow is where ':' was expected.
    Token arrow = peek();
    if (!attempt([&] {
          take();
          returns = expression();
        })) {
      fail_at_token(arrow, "expected ':'");
    }
  }
  expect_forced(Tok::Colon);

  Scope scope;
  scope.kind = Scope::Function;
  scope.is_async = async_token.has_value();
  ScopeGuard guard(*this, scope);
  std::vector<Stmt*> body = block(keyword, "function definition");
  FunctionDef* def = compound<FunctionDef>(start);
  def->name = std::string(name.text);
  def->args = args;
  def->body = std::move(body);
  def->decorators = std::move(decorators);
  def->returns = returns;
  def->is_async = async_token.has_value();
  guard.close(def);
  return def;
}

Stmt* Parser::class_definition(std::vector<Expr*> decorators) {
  Token keyword = take();
  Token name = expect(Tok::Name);
  std::vector<Expr*> bases;
  std::vector<Keyword*> keywords;
  if (at(Tok::LParen)) {
    Token open = take();
    call_arguments(open, bases, keywords, /*allow_generator=*/false);
  }
  expect_header_colon();
  Scope scope;
  scope.kind = Scope::Class;
  ScopeGuard guard(*this, scope);
  std::vector<Stmt*> body = block(keyword, "class definition");
  ClassDef* def = compound<ClassDef>(start_of(keyword));
  def->name = std::string(name.text);
  def->bases = std::move(bases);
  def->keywords = std::move(keywords);
  def->body = std::move(body);
  def->decorators = std::move(decorators);
  guard.close(def);
  return def;
}

// The parameters of a def (up to ')') or a lambda (up to ':').
Arguments* Parser::parameters(bool is_lambda) {
  Tok close = is_lambda ? Tok::Colon : Tok::RParen;
  Arguments* args = make<Arguments>();
  std::vector<Arg*> positional;
  bool seen_slash = false, seen_star = false;
  auto parameter = [&](bool star_annotation) {
    Token name = expect(Tok::Name);
    Arg* arg = make<Arg>();
    arg->arg = std::string(name.text);
    if (!is_lambda && accept(Tok::Colon)) {
      arg->annotation = star_annotation ? star_expression() : expression();
    }
    arg->pos = Pos{name.line, name.col, last_token().end_line, last_token().end_col};
    return arg;
  };
  while (!at(close)) {
    if (args->kwarg) {
      fail_at_token(peek(), "arguments cannot follow var-keyword argument");
    }
    if (at(Tok::Slash)) {
      Token slash = take();
      if (seen_slash) fail_at_token(slash, "/ may appear only once");
      if (seen_star) fail_at_token(slash, "/ must be ahead of *");
      if (positional.empty()) invalid_syntax();
      seen_slash = true;
      args->posonlyargs = std::move(positional);
      positional.clear();
    } else if (at(Tok::Star)) {
      Token star = take();
      if (seen_star) fail_at_token(star, "* argument may appear only once");
      seen_star = true;
      if (at(Tok::Comma) || at(close)) {
        // A bare '*' must be followed by keyword-only parameters.
        if (at(close) || peek(1).kind == close || peek(1).kind == Tok::DoubleStar) {
          if (is_lambda) fail_at_furthest("named arguments must follow bare *");
          fail_at_token(star, "named arguments must follow bare *");
        }
      } else {
        args->vararg = parameter(/*star_annotation=*/true);
        if (at(Tok::Equal)) {
          fail_at_token(peek(), "var-positional argument cannot have default value");
        }
      }
    } else if (at(Tok::DoubleStar)) {
      take();
      args->kwarg = parameter(false);
      if (at(Tok::Equal)) fail_at_token(peek(), "var-keyword argument cannot have default value");
    } else {
      Arg* arg = parameter(false);
      Expr* default_value = nullptr;
      if (accept(Tok::Equal)) {
        if (at(Tok::RParen) || at(Tok::Comma)) {
          fail_at_token(last_token(), "expected default value expression");
        }
        default_value = expression();
      }
      if (seen_star) {
        args->kwonlyargs.push_back(arg);
        args->kw_defaults.push_back(default_value);
      } else {
        if (default_value) {
          args->defaults.push_back(default_value);
        } else if (!args->defaults.empty()) {
          fail_at_node(arg, "non-default argument follows default argument");
        }
        positional.push_back(arg);
      }
    }
    if (!accept(Tok::Comma)) break;
  }
  args->args = std::move(positional);

  // Two parameters with one name: the symbol table's error in CPython.
  std::vector<const Arg*> all(args->posonlyargs.begin(), args->posonlyargs.end());
  all.insert(all.end(), args->args.begin(), args->args.end());
  if (args->vararg) all.push_back(args->vararg);
  all.insert(all.end(), args->kwonlyargs.begin(), args->kwonlyargs.end());
  if (args->kwarg) all.push_back(args->kwarg);
  for (size_t i = 1; i < all.size(); i++) {
    for (size_t j = 0; j < i; j++) {
      if (all[i]->arg == all[j]->arg) {
        defer_error(all[i], "duplicate argument '" + all[i]->arg + "' in function definition",
                    /*symbol_table=*/true);
        break;
      }
    }
  }
  return args;
}

// ----------------------------------------------------------------------------------------
// Simple statements

Stmt* Parser::loop_control() {
  Token keyword = take();
  bool is_break = keyword.kind == Tok::KwBreak;
  Stmt* statement = is_break ? static_cast<Stmt*>(node<Break>(start_of(keyword)))
                             : static_cast<Stmt*>(node<Continue>(start_of(keyword)));
  if (scope().loop_depth == 0) {
    defer_error(statement, is_break ? "'break' outside loop" : "'continue' not properly in loop");
  }
  return statement;
}

Stmt* Parser::return_statement() {
  Token keyword = take();
  Expr* value = nullptr;
  if (starts_expression(peek()) || at(Tok::Star)) value = star_expressions();
  Return* statement = node<Return>(start_of(keyword));
  statement->value = value;
  if (value) check_not_bare_starred(value);
  if (scope().kind != Scope::Function) {
    defer_error(statement, "'return' outside function");
  } else if (value && !scope().first_return_value) {
    scope().first_return_value = statement;
  }
  return statement;
}

Stmt* Parser::raise_statement() {
  Token keyword = take();
  Expr* exc = nullptr;
  Expr* cause = nullptr;
  if (starts_expression(peek())) {
    exc = expression();
    if (accept(Tok::KwFrom)) cause = expression();
  }
  Raise* statement = node<Raise>(start_of(keyword));
  statement->exc = exc;
  statement->cause = cause;
  return statement;
}

Stmt* Parser::global_or_nonlocal() {
  Token keyword = take();
  std::vector<std::string> names;
  do {
    names.emplace_back(expect(Tok::Name).text);
  } while (accept(Tok::Comma));
  if (keyword.kind == Tok::KwGlobal) {
    Global* statement = node<Global>(start_of(keyword));
    statement->names = std::move(names);
    return statement;
  }
  Nonlocal* statement = node<Nonlocal>(start_of(keyword));
  statement->names = std::move(names);
  if (scope().kind == Scope::Module) {
    defer_error(statement, "nonlocal declaration not allowed at module level",
                /*symbol_table=*/true);
  }
  return statement;
}

Stmt* Parser::del_statement() {
  Token keyword = take();
  Expr* targets = star_expressions();
  Delete* statement = node<Delete>(start_of(keyword));
  if (targets->kind == ExprKind::Tuple && !is_parenthesized_tuple(targets)) {
    statement->targets = static_cast<TupleExpr*>(targets)->elts;
  } else {
    statement->targets.push_back(targets);
  }
  for (Expr* target : statement->targets) {
    if (Expr* invalid = set_context(target, Ctx::Del)) {
      fail_at_node(invalid, "cannot delete " + expression_name(invalid));
    }
  }
  return statement;
}

Stmt* Parser::assert_statement() {
  Token keyword = take();
  Expr* test = expression();
  Expr* message = accept(Tok::Comma) ? expression() : nullptr;
  Assert* statement = node<Assert>(start_of(keyword));
  statement->test = test;
  statement->msg = message;
  return statement;
}

// `import a.b as c, d`
Stmt* Parser::import_statement() {
  Token keyword = take();
  std::vector<Alias*> names;
  do {
    names.push_back(import_alias(/*dotted=*/true));
  } while (accept(Tok::Comma));
  Import* statement = node<Import>(start_of(keyword));
  statement->names = std::move(names);
  return statement;
}

Alias* Parser::import_alias(bool dotted) {
  Token first = expect(Tok::Name);
  Alias* alias = make<Alias>();
  alias->name = std::string(first.text);
  while (dotted && accept(Tok::Dot)) {
    alias->name += '.';
    alias->name += expect(Tok::Name).text;
  }
  if (accept(Tok::KwAs)) alias->asname = std::string(expect(Tok::Name).text);
  alias->pos = Pos{first.line, first.col, last_token().end_line, last_token().end_col};
  return alias;
}

// `from ..m import a, b as c`, `from m import (a, b,)`, `from m import *`
Stmt* Parser::from_import_statement() {
  Token keyword = take();
  int level = 0;
  for (;;) {
    if (accept(Tok::Dot)) {
      level += 1;
    } else if (accept(Tok::Ellipsis)) {
      level += 3;   // "..." is one token
    } else {
      break;
    }
  }
  std::string module;
  if (level == 0 || at(Tok::Name)) {
    module = std::string(expect(Tok::Name).text);
    while (accept(Tok::Dot)) {
      module += '.';
      module += expect(Tok::Name).text;
    }
  }
  expect(Tok::KwImport);
  std::vector<Alias*> names;
  if (at(Tok::Star)) {
    Token star = take();
    Alias* alias = node<Alias>(start_of(star));
    alias->name = "*";
    names.push_back(alias);
    if (scope().kind != Scope::Module) {
      defer_error(alias, "import * only allowed at module level", /*symbol_table=*/true);
    }
  } else if (accept(Tok::LParen)) {
    do {
      if (at(Tok::RParen) && !names.empty()) break;
      names.push_back(import_alias(/*dotted=*/false));
    } while (accept(Tok::Comma));
    expect(Tok::RParen);
  } else {
    for (;;) {
      names.push_back(import_alias(/*dotted=*/false));
      if (!accept(Tok::Comma)) break;
      if (at(Tok::Newline)) {
        fail_at_furthest("trailing comma not allowed without surrounding parentheses");
      }
    }
  }
  ImportFrom* statement = node<ImportFrom>(start_of(keyword));
  statement->module = std::move(module);
  statement->names = std::move(names);
  statement->level = level;
  return statement;
}

// ----------------------------------------------------------------------------------------
// Expression statements and assignments

Stmt* Parser::expression_statement() {
  Token first_token = peek();
  Expr* first = yield_or_star_expressions();
  if (at(Tok::Colon)) return annotated_assignment(first, first_token);
  if (std::optional<Operator> op = augmented_operator(peek().kind)) {
    return augmented_assignment(start_of(first_token), first, *op);
  }
  if (at(Tok::Equal)) return assignment(start_of(first_token), first);
  check_not_bare_starred(first);
  ExprStmt* statement = node<ExprStmt>(start_of(first_token));
  statement->value = first;
  return statement;
}

std::optional<Operator> Parser::augmented_operator(Tok kind) {
  switch (kind) {
    case Tok::PlusEqual: return Operator::Add;
    case Tok::MinusEqual: return Operator::Sub;
    case Tok::StarEqual: return Operator::Mult;
    case Tok::AtEqual: return Operator::MatMult;
    case Tok::SlashEqual: return Operator::Div;
    case Tok::PercentEqual: return Operator::Mod;
    case Tok::AmperEqual: return Operator::BitAnd;
    case Tok::VBarEqual: return Operator::BitOr;
    case Tok::CircumflexEqual: return Operator::BitXor;
    case Tok::LeftShiftEqual: return Operator::LShift;
    case Tok::RightShiftEqual: return Operator::RShift;
    case Tok::DoubleStarEqual: return Operator::Pow;
    case Tok::DoubleSlashEqual: return Operator::FloorDiv;
    default: return std::nullopt;
  }
}

// `target: annotation [= value]`
Stmt* Parser::annotated_assignment(Expr* target, const Token& first_token) {
  take();
  Expr* annotation = expression();
  switch (target->kind) {
    case ExprKind::Name:
    case ExprKind::Attribute:
    case ExprKind::Subscript:
      break;
    case ExprKind::Tuple:
      fail_at_node(is_parenthesized_tuple(target) ? target : static_cast<TupleExpr*>(target)->elts[0],
                   "only single target (not tuple) can be annotated");
    case ExprKind::List:
      fail_at_node(target, "only single target (not list) can be annotated");
    default:
      fail_at_node(target, "illegal target for annotation");
  }
  set_context(target, Ctx::Store);
  Expr* value = accept(Tok::Equal) ? yield_or_star_expressions() : nullptr;
  AnnAssign* statement = node<AnnAssign>(start_of(first_token));
  statement->target = target;
  statement->annotation = annotation;
  statement->value = value;
  // A parenthesized name is not "simple": it does not create an __annotations__ entry.
  statement->simple = target->kind == ExprKind::Name && first_token.kind == Tok::Name;
  if (value) check_not_bare_starred(value);
  return statement;
}

Stmt* Parser::augmented_assignment(Loc start, Expr* target, Operator op) {
  take();
  Expr* value = yield_or_star_expressions();
  if (target->kind != ExprKind::Name && target->kind != ExprKind::Attribute &&
      target->kind != ExprKind::Subscript) {
    fail_at_node(target, "'" + expression_name(target) +
                             "' is an illegal expression for augmented assignment");
  }
  set_context(target, Ctx::Store);
  AugAssign* statement = node<AugAssign>(start);
  statement->target = target;
  statement->op = op;
  statement->value = value;
  check_not_bare_starred(value);
  return statement;
}

// `a = b = value`. Each target is checked when its '=' is reached, so an invalid one is
// reported even if what follows does not parse, as CPython does.
Stmt* Parser::assignment(Loc start, Expr* first) {
  std::vector<Expr*> targets{first};
  std::vector<bool> parenthesized;
  size_t first_equal = tokens_->position();
  Expr* value = nullptr;
  for (;;) {
    Expr* target = targets.back();
    parenthesized.push_back(last_token().end_col != target->pos.end_col ||
                            last_token().end_line != target->pos.end_line);
    take();   // '='
    if (set_context(target, Ctx::Store)) {
      report_invalid_assignment(targets, parenthesized, first_equal);
    }
    value = yield_or_star_expressions();
    if (!at(Tok::Equal)) break;
    targets.push_back(value);
  }
  for (Expr* target : targets) check_starred_targets(target);
  check_not_bare_starred(value);
  Assign* statement = node<Assign>(start);
  statement->targets = std::move(targets);
  statement->value = value;
  return statement;
}

// Chooses CPython's message for an assignment with an invalid target. Its rules run in
// order: first the "did you mean '=='" check on the element just before the first '=',
// then the yield check, then the generic "cannot assign to ...".
void Parser::report_invalid_assignment(const std::vector<Expr*>& targets,
                                       const std::vector<bool>& parenthesized,
                                       size_t first_equal) {
  Expr* first = targets.front();
  Expr* last_element = first;
  if (first->kind == ExprKind::Tuple && !is_parenthesized_tuple(first)) {
    last_element = static_cast<TupleExpr*>(first)->elts.back();
  }
  tokens_->rewind(first_equal);
  check_assignment_typo(last_element);
  for (size_t i = 0; i < targets.size(); i++) {
    Expr* target = targets[i];
    bool is_yield = target->kind == ExprKind::Yield || target->kind == ExprKind::YieldFrom;
    if (is_yield && !parenthesized[i]) {
      fail_at_node(target, "assignment to yield expression not possible");
    }
    if (Expr* invalid = set_context(target, Ctx::Store)) {
      fail_at_node(invalid, "cannot assign to " + expression_name(invalid));
    }
  }
}

}  // namespace parser_detail

// ----------------------------------------------------------------------------------------
// The entry point

namespace {

using parser_detail::ParseError;

// Whether the input's last line is empty or blank: at the REPL that ends a compound
// statement, so a block still missing its body is an error rather than unfinished input.
bool ends_with_blank_line(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  size_t newline = text.rfind('\n');
  std::string_view last = newline == std::string_view::npos ? text : text.substr(newline + 1);
  return last.find_first_not_of(" \t\f") == std::string_view::npos && newline != std::string_view::npos;
}

// After a grammar error CPython tokenizes the rest of the input: a tokenizer error found
// there (a bad character, an unterminated string, a bracket never closed that was opened
// before the error's line) is reported instead.
SyntaxErrorInfo check_rest_of_input(Lexer& lexer, SyntaxErrorInfo error, int error_line) {
  for (;;) {
    Token token = lexer.next();
    if (token.kind == Tok::EndMarker) return error;
    if (token.kind != Tok::Error) continue;
    SyntaxErrorInfo found = lexer.error();
    if (lexer.error_is_eager()) {
      found.text = std::string(lexer.line_text(found.line));
      return found;
    }
    const std::vector<OpenBracket>& open = lexer.open_brackets();
    if (!open.empty() && open.back().line < error_line) {
      SyntaxErrorInfo unclosed;
      unclosed.message = std::string("'") + open.back().ch + "' was never closed";
      unclosed.line = unclosed.end_line = open.back().line;
      unclosed.col = open.back().col + 1;
      unclosed.end_col = 0;
      unclosed.text = std::string(lexer.line_text(unclosed.line));
      return unclosed;
    }
    return error;
  }
}

}  // namespace

ParseResult parse(std::string_view source, const std::string& filename, ParseMode mode) {
  ParseResult result;
  std::string normalized;
  std::string_view text;
  if (!normalize_source(source, filename, &normalized, &text, &result.error)) {
    result.error.filename = filename;
    return result;
  }
  Lexer lexer(text);
  ast::Module module;
  parser_detail::Parser parser(lexer, *module.arena, mode);
  try {
    module.body = parser.parse_input();
    result.module = std::move(module);
    return result;
  } catch (ParseError& error) {
    result.error = std::move(error.info);
    const Token& furthest = parser.furthest_main_token();
    if (mode == ParseMode::Interactive) {
      result.error.incomplete_input =
          error.from_lexer ? result.error.incomplete_input
                           : furthest.at_end_of_input && !ends_with_blank_line(text);
    } else {
      result.error.incomplete_input = false;
      if (!error.from_lexer) {
        result.error = check_rest_of_input(lexer, std::move(result.error), furthest.line);
      }
    }
  }
  result.error.filename = filename;
  return result;
}

}  // namespace mvm
