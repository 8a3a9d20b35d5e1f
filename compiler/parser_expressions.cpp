// Expressions, from lambda and conditional expressions down to atoms, one function per
// precedence level (binary operators share one precedence-climbing loop), plus assignment
// targets and CPython's specialised messages for common mistakes inside expressions.
#include <utility>

#include "compiler/parser_internal.h"

namespace mvm::parser_detail {

using namespace ast;

namespace {

// Whether an expression may begin with this token ('*' and 'yield' excepted).
bool begins_expression(Tok kind) {
  switch (kind) {
    case Tok::Name:
    case Tok::Number:
    case Tok::String:
    case Tok::LParen:
    case Tok::LBracket:
    case Tok::LBrace:
    case Tok::Minus:
    case Tok::Plus:
    case Tok::Tilde:
    case Tok::KwNot:
    case Tok::KwLambda:
    case Tok::KwAwait:
    case Tok::KwNone:
    case Tok::KwTrue:
    case Tok::KwFalse:
    case Tok::Ellipsis:
      return true;
    default:
      return false;
  }
}

// Binary operators from '|' (level 1) to the multiplicative ones (level 6); 0: not one.
int binary_level(Tok kind, Operator* op) {
  switch (kind) {
    case Tok::VBar: *op = Operator::BitOr; return 1;
    case Tok::Circumflex: *op = Operator::BitXor; return 2;
    case Tok::Amper: *op = Operator::BitAnd; return 3;
    case Tok::LeftShift: *op = Operator::LShift; return 4;
    case Tok::RightShift: *op = Operator::RShift; return 4;
    case Tok::Plus: *op = Operator::Add; return 5;
    case Tok::Minus: *op = Operator::Sub; return 5;
    case Tok::Star: *op = Operator::Mult; return 6;
    case Tok::Slash: *op = Operator::Div; return 6;
    case Tok::DoubleSlash: *op = Operator::FloorDiv; return 6;
    case Tok::Percent: *op = Operator::Mod; return 6;
    case Tok::At: *op = Operator::MatMult; return 6;
    default: return 0;
  }
}

// Whether e can stand where CPython's grammar has a bitwise_or (no comparison, not, and, or,
// conditional, lambda or walrus at its top).
bool is_bitwise_or_level(const Expr* e) {
  switch (e->kind) {
    case ExprKind::BoolOp:
    case ExprKind::Compare:
    case ExprKind::IfExp:
    case ExprKind::Lambda:
    case ExprKind::NamedExpr:
    case ExprKind::Starred:
    case ExprKind::Yield:
    case ExprKind::YieldFrom:
      return false;
    case ExprKind::UnaryOp:
      return static_cast<const UnaryOpExpr*>(e)->op != UnaryOperator::Not;
    default:
      return true;
  }
}

// Whether e's source begins with a list or tuple display, a generator expression or
// True/False/None: CPython's "did you mean '=='" rule does not apply to those.
bool starts_with_display(const Expr* e) {
  for (;;) {
    switch (e->kind) {
      case ExprKind::BinOp: e = static_cast<const BinOp*>(e)->left; break;
      case ExprKind::Attribute: e = static_cast<const Attribute*>(e)->value; break;
      case ExprKind::Subscript: e = static_cast<const Subscript*>(e)->value; break;
      case ExprKind::Call: e = static_cast<const Call*>(e)->func; break;
      case ExprKind::List:
      case ExprKind::Tuple:
      case ExprKind::GeneratorExp:
        return true;
      case ExprKind::Constant: {
        ConstKind kind = static_cast<const Constant*>(e)->ckind;
        return kind == ConstKind::None || kind == ConstKind::True || kind == ConstKind::False;
      }
      default:
        return false;
    }
  }
}

bool ends_at(const Token& token, const Expr* e) {
  return token.end_line == e->pos.end_line && token.end_col == e->pos.end_col;
}

}  // namespace

// How CPython names an expression in "cannot assign to ..." and similar messages.
std::string expression_name(const Expr* e) {
  switch (e->kind) {
    case ExprKind::Attribute: return "attribute";
    case ExprKind::Subscript: return "subscript";
    case ExprKind::Starred: return "starred";
    case ExprKind::Name: return "name";
    case ExprKind::List: return "list";
    case ExprKind::Tuple: return "tuple";
    case ExprKind::Lambda: return "lambda";
    case ExprKind::Call: return "function call";
    case ExprKind::BoolOp:
    case ExprKind::BinOp:
    case ExprKind::UnaryOp:
      return "expression";
    case ExprKind::GeneratorExp: return "generator expression";
    case ExprKind::Yield:
    case ExprKind::YieldFrom:
      return "yield expression";
    case ExprKind::Await: return "await expression";
    case ExprKind::ListComp: return "list comprehension";
    case ExprKind::SetComp: return "set comprehension";
    case ExprKind::DictComp: return "dict comprehension";
    case ExprKind::Dict: return "dict literal";
    case ExprKind::Set: return "set display";
    case ExprKind::JoinedStr:
    case ExprKind::FormattedValue:
      return "f-string expression";
    case ExprKind::Constant:
      switch (static_cast<const Constant*>(e)->ckind) {
        case ConstKind::None: return "None";
        case ConstKind::True: return "True";
        case ConstKind::False: return "False";
        case ConstKind::Ellipsis: return "ellipsis";
        default: return "literal";
      }
    case ExprKind::Compare: return "comparison";
    case ExprKind::IfExp: return "conditional expression";
    case ExprKind::NamedExpr: return "named expression";
    case ExprKind::Slice: return "slice";
  }
  return "expression";
}

bool Parser::starts_expression(const Token& token) const { return begins_expression(token.kind); }

bool Parser::at_comprehension() {
  return at(Tok::KwFor) || (at(Tok::KwAsync) && at(Tok::KwFor, 1));
}

bool Parser::is_parenthesized_tuple(const Expr* e) const {
  return parenthesized_tuples_.count(e) != 0;
}

// ----------------------------------------------------------------------------------------
// Expression lists

// first (',' element)* [','] : a Tuple when there is a comma.
Expr* Parser::tuple_rest(Loc start, Expr* first, Expr* (Parser::*element)()) {
  if (!at(Tok::Comma)) return first;
  std::vector<Expr*> elts{first};
  while (accept(Tok::Comma)) {
    if (!starts_expression(peek()) && !at(Tok::Star)) break;   // a trailing comma
    elts.push_back((this->*element)());
  }
  TupleExpr* tuple = node<TupleExpr>(start);
  tuple->elts = std::move(elts);
  return tuple;
}

Expr* Parser::star_expressions() {
  Loc start = start_of(peek());
  return tuple_rest(start, star_expression(), &Parser::star_expression);
}

Expr* Parser::starred(Expr* (Parser::*operand)()) {
  Token star = take();
  Expr* value = (this->*operand)();
  Starred* e = node<Starred>(start_of(star));
  e->value = value;
  return e;
}

Expr* Parser::star_expression() {
  return at(Tok::Star) ? starred(&Parser::bitwise_or) : expression();
}

Expr* Parser::star_named_expression() {
  return at(Tok::Star) ? starred(&Parser::bitwise_or) : named_expression();
}

// The input of eval(): no starred items.
Expr* Parser::expressions() {
  Loc start = start_of(peek());
  return tuple_rest(start, expression(), &Parser::expression);
}

Expr* Parser::yield_or_star_expressions() {
  return at(Tok::KwYield) ? yield_expression() : star_expressions();
}

Expr* Parser::yield_expression() {
  Token keyword = take();
  Expr* e;
  if (accept(Tok::KwFrom)) {
    Expr* value = expression();
    YieldFrom* yield_from = node<YieldFrom>(start_of(keyword));
    yield_from->value = value;
    e = yield_from;
  } else {
    Expr* value = nullptr;
    if (starts_expression(peek()) || at(Tok::Star)) {
      value = star_expressions();
      check_not_bare_starred(value);
    }
    Yield* yield = node<Yield>(start_of(keyword));
    yield->value = value;
    e = yield;
  }
  scope().events.push_back(e);
  return e;
}

// ----------------------------------------------------------------------------------------
// Named and conditional expressions

Expr* Parser::named_expression() {
  if (at(Tok::Name) && at(Tok::ColonEqual, 1)) return walrus();
  return check_named_expression(expression());
}

Expr* Parser::walrus() {
  Token name = take();
  take();   // ':='
  Expr* value = expression();
  Name* target = make<Name>();
  target->id = std::string(name.text);
  target->ctx = Ctx::Store;
  target->pos = Pos{name.line, name.col, name.end_line, name.end_col};
  NamedExpr* e = node<NamedExpr>(start_of(name));
  e->target = target;
  e->value = value;
  return e;
}

// An expression where a walrus was allowed: `a.b := 1` and `x = 1` get CPython's messages.
Expr* Parser::check_named_expression(Expr* e) {
  if (!invalid_checks_) return e;
  if (at(Tok::ColonEqual)) {
    fail_at_node(e, "cannot use assignment expressions with " + expression_name(e));
  }
  if (at(Tok::Equal)) check_assignment_typo(e);
  return e;
}

// CPython's invalid_named_expression: `target = value` where a comparison was likely meant.
// The current token is the '='; returns normally when the rule does not apply.
void Parser::check_assignment_typo(Expr* target) {
  if (!invalid_checks_ || !at(Tok::Equal)) return;
  const Token& before = last_token();
  if (before.kind == Tok::Comma) return;
  bool parenthesized = !ends_at(before, target);
  bool is_name = target->kind == ExprKind::Name && !parenthesized;
  if (!is_name) {
    if (!parenthesized && !is_bitwise_or_level(target)) return;
    bool display = parenthesized ? target->kind == ExprKind::Tuple ||
                                       target->kind == ExprKind::GeneratorExp
                                 : starts_with_display(target);
    if (display) return;
  }
  Checkpoint saved = checkpoint();
  take();   // '='
  Expr* value = nullptr;
  if (!attempt([&] { value = bitwise_or(); }) || at(Tok::Equal) || at(Tok::ColonEqual)) {
    restore(saved);
    return;
  }
  if (is_name) {
    fail_range(target, value, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
  }
  fail_at_node(target, "cannot assign to " + expression_name(target) +
                           " here. Maybe you meant '==' instead of '='?");
}

Expr* Parser::expression() {
  DepthGuard guard(*this);
  if (at(Tok::KwLambda)) return lambda_expression();
  Token first = peek();
  Loc start = start_of(first);
  Expr* body = disjunction();
  if (at(Tok::KwIf)) {
    size_t if_position = tokens_->position();
    take();
    Expr* test = disjunction();
    if (!at(Tok::KwElse)) {
      if (invalid_checks_ && !at(Tok::Colon)) {
        fail_range(body, test, "expected 'else' after 'if' expression");
      }
      // Without the else this is no conditional expression; what came before the 'if'
      // still is an expression, and whoever follows will fail at the 'if'.
      tokens_->rewind(if_position);
      return body;
    }
    take();
    Expr* orelse = expression();
    IfExp* e = node<IfExp>(start);
    e->test = test;
    e->body = body;
    e->orelse = orelse;
    return e;
  }
  if (invalid_checks_ && (starts_expression(peek()) || at(Tok::Star))) {
    check_legacy_print(body, first);
    check_missing_comma(body, first);
  }
  return body;
}

namespace {

bool is_legacy_statement(const Expr* e, const Token& first) {
  if (e->kind != ExprKind::Name || first.kind != Tok::Name || !ends_at(first, e)) return false;
  const std::string& id = static_cast<const Name*>(e)->id;
  return id == "print" || id == "exec";
}

}  // namespace

// `print "hello"`: CPython suggests the call.
void Parser::check_legacy_print(Expr* left, const Token& first) {
  if (!is_legacy_statement(left, first)) return;
  Expr* args = nullptr;
  if (!attempt([&] { args = star_expressions(); })) return;
  const std::string& name = static_cast<Name*>(left)->id;
  fail_range(left, args,
             "Missing parentheses in call to '" + name + "'. Did you mean " + name + "(...)?");
}

// Two expressions side by side inside brackets, as in `[1 2]` or `f(a b)`.
void Parser::check_missing_comma(Expr* left, const Token& first) {
  if (!starts_expression(peek())) return;
  // CPython leaves out soft keywords and a name before a string (a mistyped prefix).
  if (first.kind == Tok::Name) {
    if (first.text == "match" || first.text == "case" || first.text == "_") return;
    if (ends_at(first, left) && at(Tok::String)) return;
  }
  if (is_legacy_statement(left, first)) return;
  Checkpoint saved = checkpoint();
  Expr* right = nullptr;
  bool parsed = attempt([&] {
    NoInvalidChecks off(*this);
    right = expression();
  });
  if (!parsed) return;
  if (last_token().depth == 0) {
    restore(saved);
    return;
  }
  fail_range(left, right, "invalid syntax. Perhaps you forgot a comma?");
}

Expr* Parser::lambda_expression() {
  Token keyword = take();
  Arguments* args = parameters(/*is_lambda=*/true);
  expect(Tok::Colon);
  Scope scope;
  scope.kind = Scope::Lambda;
  ScopeGuard guard(*this, scope);
  Expr* body = expression();
  Lambda* e = node<Lambda>(start_of(keyword));
  e->args = args;
  e->body = body;
  guard.close(e);
  return e;
}

// ----------------------------------------------------------------------------------------
// Boolean operators and comparisons

// Nodes built around a left operand start at its first token, which is its opening
// parenthesis if it has one: (a + b) * c starts at the '('.
Expr* Parser::disjunction() {
  Loc start = start_of(peek());
  Expr* first = conjunction();
  if (!at(Tok::KwOr)) return first;
  std::vector<Expr*> values{first};
  while (accept(Tok::KwOr)) values.push_back(conjunction());
  BoolOp* e = node<BoolOp>(start);
  e->op = BoolOperator::Or;
  e->values = std::move(values);
  return e;
}

Expr* Parser::conjunction() {
  Loc start = start_of(peek());
  Expr* first = inversion();
  if (!at(Tok::KwAnd)) return first;
  std::vector<Expr*> values{first};
  while (accept(Tok::KwAnd)) values.push_back(inversion());
  BoolOp* e = node<BoolOp>(start);
  e->op = BoolOperator::And;
  e->values = std::move(values);
  return e;
}

Expr* Parser::inversion() {
  if (!at(Tok::KwNot)) return comparison();
  DepthGuard guard(*this);
  Loc start = start_of(take());
  Expr* operand = inversion();
  UnaryOpExpr* e = node<UnaryOpExpr>(start);
  e->op = UnaryOperator::Not;
  e->operand = operand;
  return e;
}

// a < b <= c: one Compare with several operators.
Expr* Parser::comparison() {
  Loc start = start_of(peek());
  Expr* left = bitwise_or();
  std::vector<CmpOp> ops;
  std::vector<Expr*> comparators;
  for (;;) {
    CmpOp op;
    switch (peek().kind) {
      case Tok::EqEqual: op = CmpOp::Eq; break;
      case Tok::NotEqual: op = CmpOp::NotEq; break;
      case Tok::Less: op = CmpOp::Lt; break;
      case Tok::LessEqual: op = CmpOp::LtE; break;
      case Tok::Greater: op = CmpOp::Gt; break;
      case Tok::GreaterEqual: op = CmpOp::GtE; break;
      case Tok::KwIn: op = CmpOp::In; break;
      case Tok::KwIs:
        take();
        op = at(Tok::KwNot) ? CmpOp::IsNot : CmpOp::Is;
        if (op == CmpOp::IsNot) take();
        comparators.push_back(bitwise_or());
        ops.push_back(op);
        continue;
      case Tok::KwNot:
        if (!at(Tok::KwIn, 1)) goto done;
        take();
        op = CmpOp::NotIn;
        break;
      default:
        goto done;
    }
    take();
    ops.push_back(op);
    comparators.push_back(bitwise_or());
  }
done:
  if (ops.empty()) return left;
  Compare* e = node<Compare>(start);
  e->left = left;
  e->ops = std::move(ops);
  e->comparators = std::move(comparators);
  return e;
}

// ----------------------------------------------------------------------------------------
// Arithmetic: precedence climbing over the left-associative binary operators

Expr* Parser::bitwise_or() { return binary(1); }

Expr* Parser::binary(int min_level) {
  Loc start = start_of(peek());
  Expr* left = factor();
  std::optional<DepthGuard> depth;
  for (;;) {
    Operator op;
    int level = binary_level(peek().kind, &op);
    if (level == 0 || level < min_level) return left;
    depth ? depth->enter() : (void)depth.emplace(*this);   // each link nests the tree deeper
    take();
    Expr* right = binary(level + 1);
    BinOp* e = node<BinOp>(start);
    e->left = left;
    e->op = op;
    e->right = right;
    left = e;
  }
}

// Unary + - ~ bind looser than ** on their right: -2**2 is -(2**2).
Expr* Parser::factor() {
  UnaryOperator op;
  switch (peek().kind) {
    case Tok::Plus: op = UnaryOperator::UAdd; break;
    case Tok::Minus: op = UnaryOperator::USub; break;
    case Tok::Tilde: op = UnaryOperator::Invert; break;
    default: return power();
  }
  DepthGuard guard(*this);
  Loc start = start_of(take());
  Expr* operand = factor();
  UnaryOpExpr* e = node<UnaryOpExpr>(start);
  e->op = op;
  e->operand = operand;
  return e;
}

// ** is right-associative and its right operand may carry a sign: 2**-1, 2**3**2.
Expr* Parser::power() {
  Loc start = start_of(peek());
  Expr* base = await_primary();
  if (!at(Tok::DoubleStar)) return base;
  take();
  DepthGuard guard(*this);
  Expr* exponent = factor();
  BinOp* e = node<BinOp>(start);
  e->left = base;
  e->op = Operator::Pow;
  e->right = exponent;
  return e;
}

Expr* Parser::await_primary() {
  if (!at(Tok::KwAwait)) return primary();
  Token keyword = take();
  Expr* value = primary();
  Await* e = node<Await>(start_of(keyword));
  e->value = value;
  scope().events.push_back(e);
  return e;
}

// An atom followed by attribute, call and subscript trailers.
Expr* Parser::primary() {
  Loc start = start_of(peek());
  Expr* e = atom();
  std::optional<DepthGuard> depth;
  for (;;) {
    if (at(Tok::Dot) || at(Tok::LParen) || at(Tok::LBracket)) {
      depth ? depth->enter() : (void)depth.emplace(*this);   // each trailer nests one deeper
    }
    if (at(Tok::Dot)) {
      take();
      Token name = expect(Tok::Name);
      Attribute* attribute = node<Attribute>(start);
      attribute->value = e;
      attribute->attr = std::string(name.text);
      e = attribute;
    } else if (at(Tok::LParen) || at(Tok::LBracket)) {
      Expr* trailer = invalid_checks_ ? (at(Tok::LParen) ? call(start, e) : subscript(start, e))
                                      : probe_trailer(start, e);
      if (!trailer) return e;
      e = trailer;
    } else {
      return e;
    }
  }
}

// While probing (as CPython's first pass does), a call or subscript that does not parse
// leaves the primary as it was before it: returns null then. Kept out of primary() so that
// its speculative state does not enlarge every recursive call's stack frame.
Expr* Parser::probe_trailer(Loc start, Expr* e) {
  Expr* trailer = nullptr;
  attempt([&] { trailer = at(Tok::LParen) ? call(start, e) : subscript(start, e); },
          /*keep_furthest=*/true);
  return trailer;
}

Expr* Parser::atom() {
  Token token = peek();
  auto constant = [&](ConstKind kind) {
    take();
    Constant* c = node<Constant>(start_of(token));
    c->ckind = kind;
    return c;
  };
  switch (token.kind) {
    case Tok::Name: {
      take();
      Name* name = node<Name>(start_of(token));
      name->id = std::string(token.text);
      return name;
    }
    case Tok::KwNone: return constant(ConstKind::None);
    case Tok::KwTrue: return constant(ConstKind::True);
    case Tok::KwFalse: return constant(ConstKind::False);
    case Tok::Ellipsis: return constant(ConstKind::Ellipsis);
    case Tok::Number: return number();
    case Tok::String: return strings();
    case Tok::LParen: return parenthesized();
    case Tok::LBracket: return list_display();
    case Tok::LBrace: return braced_display();
    default: invalid_syntax();
  }
}

// ----------------------------------------------------------------------------------------
// Displays and comprehensions

// ( ... ): the empty tuple, a group, a tuple, a yield or a generator expression.
Expr* Parser::parenthesized() {
  Token open = take();
  if (accept(Tok::RParen)) {
    TupleExpr* empty = node<TupleExpr>(start_of(open));
    parenthesized_tuples_.insert(empty);
    return empty;
  }
  if (at(Tok::KwYield)) {
    Expr* yield = yield_expression();
    expect(Tok::RParen);
    return yield;
  }
  if (at(Tok::DoubleStar)) double_starred_group();
  size_t events = scope().events.size();
  Expr* first = star_named_expression();
  if (at_comprehension()) {
    reject_starred_element(first);
    return comprehension(ExprKind::GeneratorExp, start_of(open), first, nullptr, events,
                         Placement::Bracketed);
  }
  if (at(Tok::Comma)) {
    std::vector<Expr*> elts{first};
    while (accept(Tok::Comma) && !at(Tok::RParen)) elts.push_back(star_named_expression());
    expect(Tok::RParen);
    TupleExpr* tuple = node<TupleExpr>(start_of(open));
    tuple->elts = std::move(elts);
    parenthesized_tuples_.insert(tuple);
    return tuple;
  }
  if (first->kind == ExprKind::Starred && at(Tok::RParen)) {
    if (invalid_checks_) fail_at_node(first, "cannot use starred expression here");
    invalid_syntax();
  }
  expect(Tok::RParen);
  return first;   // a group keeps the position of what it contains
}

// `(**a)`
void Parser::double_starred_group() {
  Token stars = peek();
  if (invalid_checks_ && attempt([&] {
        take();
        expression();
        expect(Tok::RParen);
      })) {
    fail_at_token(stars, "cannot use double starred expression here");
  }
  invalid_syntax();
}

void Parser::reject_starred_element(const Expr* element) {
  if (element->kind != ExprKind::Starred) return;
  if (invalid_checks_) {
    fail_at_node(element, "iterable unpacking cannot be used in comprehension");
  }
  invalid_syntax();
}

Expr* Parser::list_display() {
  Token open = take();
  if (accept(Tok::RBracket)) return node<ListExpr>(start_of(open));
  size_t events = scope().events.size();
  Expr* first = star_named_expression();
  if (at_comprehension()) {
    reject_starred_element(first);
    return comprehension(ExprKind::ListComp, start_of(open), first, nullptr, events,
                         Placement::Bracketed);
  }
  std::vector<Expr*> elts{first};
  display_elements(elts, Tok::RBracket);
  ListExpr* list = node<ListExpr>(start_of(open));
  list->elts = std::move(elts);
  return list;
}

// The rest of a list or set display after its first element, through the closing bracket.
void Parser::display_elements(std::vector<Expr*>& elts, Tok close) {
  while (accept(Tok::Comma)) {
    if (at(close)) break;
    if (at_comprehension()) {
      // [a, b for ...]: the comprehension's target needs parentheses.
      if (elts.size() == 1) {
        const Token& comma = last_token();
        if (invalid_checks_) {
          fail("did you forget parentheses around the comprehension target?",
               elts[0]->pos.line, elts[0]->pos.col + 1, comma.end_line, comma.end_col + 1);
        }
        invalid_syntax();
      }
      break;
    }
    elts.push_back(star_named_expression());
  }
  if (at_comprehension() && elts.size() > 1) {
    if (invalid_checks_) {
      fail_range(elts.front(), elts.back(),
                 "did you forget parentheses around the comprehension target?");
    }
    invalid_syntax();
  }
  expect(close);
}

// { ... }: a dict or set display, or a dict or set comprehension.
Expr* Parser::braced_display() {
  Token open = take();
  if (accept(Tok::RBrace)) return node<DictExpr>(start_of(open));
  size_t events = scope().events.size();
  if (at(Tok::DoubleStar)) {
    Token stars = take();
    Expr* value = bitwise_or();
    if (at_comprehension()) {
      if (invalid_checks_) {
        fail_at_token(stars, "dict unpacking cannot be used in dict comprehension");
      }
      invalid_syntax();
    }
    return dict_display(open, nullptr, value);
  }
  Expr* first;
  if (at(Tok::Star)) {
    first = starred(&Parser::bitwise_or);
  } else if (at(Tok::Name) && at(Tok::ColonEqual, 1)) {
    first = walrus();
  } else {
    first = expression();
    if (accept(Tok::Colon)) {
      if (at(Tok::RBrace) || at(Tok::Comma)) missing_dict_value();
      Expr* value = expression();
      if (at_comprehension()) {
        return comprehension(ExprKind::DictComp, start_of(open), first, value, events,
                             Placement::Bracketed);
      }
      return dict_display(open, first, value);
    }
    first = check_named_expression(first);
  }
  if (at_comprehension()) {
    reject_starred_element(first);
    return comprehension(ExprKind::SetComp, start_of(open), first, nullptr, events,
                         Placement::Bracketed);
  }
  std::vector<Expr*> elts{first};
  display_elements(elts, Tok::RBrace);
  SetExpr* set = node<SetExpr>(start_of(open));
  set->elts = std::move(elts);
  return set;
}

// `{1: }`: at the ':' just consumed.
void Parser::missing_dict_value() {
  if (invalid_checks_) {
    fail_at_token(last_token(), "expression expected after dictionary key and ':'");
  }
  invalid_syntax();
}

Expr* Parser::dict_display(const Token& open, Expr* first_key, Expr* first_value) {
  std::vector<Expr*> keys{first_key}, values{first_value};
  while (accept(Tok::Comma)) {
    if (at(Tok::RBrace)) break;
    if (accept(Tok::DoubleStar)) {
      keys.push_back(nullptr);
      values.push_back(bitwise_or());
      continue;
    }
    // CPython judges later keys without its specialised rules: `{1: 2, 'b' 3}` lacks a
    // ':', not a comma.
    Expr* key = nullptr;
    if (!attempt([&] {
          NoInvalidChecks off(*this);
          key = expression();
        })) {
      key = expression();
    }
    if (!accept(Tok::Colon)) {
      if (invalid_checks_) {
        fail("':' expected after dictionary key", key->pos.line, key->pos.end_col,
             key->pos.end_line, 0);
      }
      invalid_syntax();
    }
    if (at(Tok::RBrace) || at(Tok::Comma)) missing_dict_value();
    keys.push_back(key);
    values.push_back(expression());
  }
  expect(Tok::RBrace);
  DictExpr* dict = node<DictExpr>(start_of(open));
  dict->keys = std::move(keys);
  dict->values = std::move(values);
  return dict;
}

// The `for ... in ... if ...` clauses after a comprehension's element (or key and value),
// through the closing bracket. The element was parsed before the comprehension was known:
// the yields and awaits recorded since `events` move into its scope.
Expr* Parser::comprehension(ExprKind kind, Loc start, Expr* elt, Expr* value, size_t events,
                            Placement placement) {
  std::vector<const Expr*>& outer = scope().events;
  std::vector<const Expr*> element_events(outer.begin() + static_cast<ptrdiff_t>(events),
                                         outer.end());
  outer.resize(events);
  // The first iterable is evaluated in the enclosing scope; all the rest inside.
  std::vector<Comprehension*> generators{comprehension_clause()};
  Scope inner;
  inner.kind = Scope::Comprehension;
  inner.comprehension = kind;
  inner.events = std::move(element_events);
  inner.has_async_clause = generators[0]->is_async;
  ScopeGuard guard(*this, inner);
  comprehension_conditions(generators[0]);
  while (at_comprehension()) {
    Comprehension* clause = comprehension_clause();
    scope().has_async_clause |= clause->is_async;
    comprehension_conditions(clause);
    generators.push_back(clause);
  }
  if (placement == Placement::OtherCallArgument ||
      (placement == Placement::SoleCallArgument && !at(Tok::RParen))) {
    const Comprehension* last = generators.back();
    const Expr* end = last->ifs.empty() ? last->iter : last->ifs.back();
    if (invalid_checks_) fail_range(elt, end, "Generator expression must be parenthesized");
    invalid_syntax();
  }
  expect(kind == ExprKind::ListComp   ? Tok::RBracket
         : kind == ExprKind::GeneratorExp ? Tok::RParen
                                          : Tok::RBrace);
  Comp* e = node<Comp>(start, kind);
  if (kind == ExprKind::DictComp) {
    e->key = elt;
    e->value = value;
  } else {
    e->elt = elt;
  }
  e->generators = std::move(generators);
  guard.close(e);
  return e;
}

// [async] for targets in iterable
Comprehension* Parser::comprehension_clause() {
  Token first = peek();
  bool is_async = accept(Tok::KwAsync);
  expect(Tok::KwFor);
  Expr* target = target_list();
  validate_target(target);
  expect(Tok::KwIn);
  Expr* iter = disjunction();
  Comprehension* clause = node<Comprehension>(start_of(first));
  clause->target = target;
  clause->iter = iter;
  clause->is_async = is_async;
  return clause;
}

void Parser::comprehension_conditions(Comprehension* clause) {
  while (accept(Tok::KwIf)) clause->ifs.push_back(disjunction());
  clause->pos.end_line = last_token().end_line;
  clause->pos.end_col = last_token().end_col;
}

// ----------------------------------------------------------------------------------------
// Calls and subscripts

Expr* Parser::call(Loc start, Expr* func) {
  Token open = take();
  std::vector<Expr*> args;
  std::vector<Keyword*> keywords;
  call_arguments(open, args, keywords, /*allow_generator=*/true);
  Call* e = node<Call>(start);
  e->func = func;
  e->args = std::move(args);
  e->keywords = std::move(keywords);
  return e;
}

// The arguments of a call or the bases of a class, through the closing ')'.
void Parser::call_arguments(const Token& open, std::vector<Expr*>& args,
                            std::vector<Keyword*>& keywords, bool allow_generator) {
  if (accept(Tok::RParen)) return;
  size_t events = scope().events.size();
  bool misplaced_positional = false;
  for (;;) {
    bool after_keyword = !keywords.empty();
    if (at(Tok::Star)) {
      Token star = peek();
      Expr* argument = starred(&Parser::expression);
      if (at_comprehension()) reject_starred_element(argument);
      if (after_keyword && keywords.back()->arg.empty()) {
        if (invalid_checks_) {
          fail_at_token(star, "iterable argument unpacking follows keyword argument unpacking");
        }
        invalid_syntax();
      }
      args.push_back(argument);
    } else if (at(Tok::DoubleStar)) {
      Token stars = take();
      Expr* value = expression();
      Keyword* keyword = node<Keyword>(start_of(stars));
      keyword->value = value;
      keywords.push_back(keyword);
    } else if (at(Tok::Name) && at(Tok::Equal, 1)) {
      Token name = take();
      Token equal = take();
      Expr* value = expression();
      if (at_comprehension()) {
        if (invalid_checks_) {
          fail_range(name, equal, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
        }
        invalid_syntax();
      }
      Keyword* keyword = node<Keyword>(start_of(name));
      keyword->arg = std::string(name.text);
      keyword->value = value;
      keywords.push_back(keyword);
    } else if ((at(Tok::KwTrue) || at(Tok::KwFalse) || at(Tok::KwNone)) && at(Tok::Equal, 1)) {
      Token constant = take();
      Token equal = take();
      if (invalid_checks_) fail_range(constant, equal, "cannot assign to " + std::string(constant.text));
      invalid_syntax();
    } else {
      Expr* value;
      if (at(Tok::Name) && at(Tok::ColonEqual, 1)) {
        value = walrus();
      } else {
        value = expression();
        if (at(Tok::Equal)) {
          Token equal = peek();
          if (invalid_checks_) {
            fail(R"(expression cannot contain assignment, perhaps you meant "=="?)",
                 value->pos.line, value->pos.col + 1, equal.end_line, equal.end_col + 1);
          }
          invalid_syntax();
        }
      }
      if (at_comprehension()) {
        if (!allow_generator) invalid_syntax();
        bool sole = args.empty() && keywords.empty();
        args.push_back(comprehension(ExprKind::GeneratorExp,
                                     sole ? start_of(open) : start_of(value), value, nullptr,
                                     events,
                                     sole ? Placement::SoleCallArgument
                                          : Placement::OtherCallArgument));
        return;   // the generator expression took the closing ')'
      }
      if (after_keyword) misplaced_positional = true;
      args.push_back(value);
    }
    if (!accept(Tok::Comma) || at(Tok::RParen)) break;
  }
  if (misplaced_positional) {
    bool unpacking = false;
    for (const Keyword* keyword : keywords) unpacking |= keyword->arg.empty();
    if (invalid_checks_) {
      fail_at_furthest(unpacking ? "positional argument follows keyword argument unpacking"
                                 : "positional argument follows keyword argument");
    }
    invalid_syntax();
  }
  expect(Tok::RParen);
  for (size_t i = 1; i < keywords.size(); i++) {
    for (size_t j = 0; j < i && !keywords[i]->arg.empty(); j++) {
      if (keywords[j]->arg == keywords[i]->arg) {
        defer_error(keywords[i], "keyword argument repeated: " + keywords[i]->arg);
        break;
      }
    }
  }
}

Expr* Parser::subscript(Loc value_start, Expr* value) {
  take();   // '['
  Loc start = start_of(peek());
  Expr* index = slice_item();
  if (at(Tok::Comma) || index->kind == ExprKind::Starred) {
    std::vector<Expr*> elts{index};
    while (accept(Tok::Comma) && !at(Tok::RBracket)) elts.push_back(slice_item());
    TupleExpr* tuple = node<TupleExpr>(start);
    tuple->elts = std::move(elts);
    index = tuple;
  }
  expect(Tok::RBracket);
  Subscript* e = node<Subscript>(value_start);
  e->value = value;
  e->slice = index;
  return e;
}

// One item between the brackets of a subscript: an index, a slice or a starred expression.
Expr* Parser::slice_item() {
  if (at(Tok::Star)) return starred(&Parser::expression);
  Loc start = start_of(peek());
  Expr* lower = nullptr;
  if (!at(Tok::Colon)) {
    lower = named_expression();
    if (!at(Tok::Colon)) return lower;
  }
  take();   // ':'
  Expr* upper = starts_expression(peek()) ? expression() : nullptr;
  Expr* step = nullptr;
  if (accept(Tok::Colon) && starts_expression(peek())) step = expression();
  SliceExpr* e = node<SliceExpr>(start);
  e->lower = lower;
  e->upper = upper;
  e->step = step;
  return e;
}

// ----------------------------------------------------------------------------------------
// Assignment targets

// The targets of a for loop or comprehension: they stop before 'in', so comparisons are
// not parsed.
Expr* Parser::target_list() {
  Loc start = start_of(peek());
  return tuple_rest(start, target_element(), &Parser::target_element);
}

Expr* Parser::target_element() {
  return at(Tok::Star) ? starred(&Parser::bitwise_or) : bitwise_or();
}

// Marks target (and the names, attributes, subscripts, lists and tuples in it) as stored
// to or deleted. Returns the first part that cannot be a target, or null.
Expr* Parser::set_context(Expr* target, Ctx ctx) {
  switch (target->kind) {
    case ExprKind::Name:
      static_cast<Name*>(target)->ctx = ctx;
      return nullptr;
    case ExprKind::Attribute:
      static_cast<Attribute*>(target)->ctx = ctx;
      return nullptr;
    case ExprKind::Subscript:
      static_cast<Subscript*>(target)->ctx = ctx;
      return nullptr;
    case ExprKind::Starred: {
      if (ctx == Ctx::Del) return target;
      Starred* starred = static_cast<Starred*>(target);
      starred->ctx = ctx;
      return set_context(starred->value, ctx);
    }
    case ExprKind::Tuple:
    case ExprKind::List: {
      std::vector<Expr*>& elts = target->kind == ExprKind::Tuple
                                     ? static_cast<TupleExpr*>(target)->elts
                                     : static_cast<ListExpr*>(target)->elts;
      if (target->kind == ExprKind::Tuple) {
        static_cast<TupleExpr*>(target)->ctx = ctx;
      } else {
        static_cast<ListExpr*>(target)->ctx = ctx;
      }
      for (Expr* elt : elts) {
        if (Expr* invalid = set_context(elt, ctx)) return invalid;
      }
      return nullptr;
    }
    default:
      return target;
  }
}

// A for, with or comprehension target: "cannot assign to ..." when it is not one.
void Parser::validate_target(Expr* target) {
  if (Expr* invalid = set_context(target, Ctx::Store)) {
    if (invalid_checks_) fail_at_node(invalid, "cannot assign to " + expression_name(invalid));
    invalid_syntax();
  }
  check_starred_targets(target);
}

// Starred targets CPython's compiler rejects: `*a = x` and `a, *b, *c = x`.
void Parser::check_starred_targets(Expr* target) {
  if (target->kind == ExprKind::Starred) {
    defer_error(target, "starred assignment target must be in a list or tuple");
    return;
  }
  if (target->kind != ExprKind::Tuple && target->kind != ExprKind::List) return;
  const std::vector<Expr*>& elts = target->kind == ExprKind::Tuple
                                       ? static_cast<TupleExpr*>(target)->elts
                                       : static_cast<ListExpr*>(target)->elts;
  int starred = 0;
  for (Expr* elt : elts) {
    if (elt->kind == ExprKind::Starred) {
      starred++;
      check_starred_targets(static_cast<Starred*>(elt)->value);
    } else {
      check_starred_targets(elt);
    }
  }
  if (starred > 1) defer_error(target, "multiple starred expressions in assignment");
}

// `x = *a` or `return *a`: a starred expression must be inside a display or a call.
void Parser::check_not_bare_starred(Expr* value) {
  if (value->kind == ExprKind::Starred) defer_error(value, "can't use starred expression here");
}

}  // namespace mvm::parser_detail
