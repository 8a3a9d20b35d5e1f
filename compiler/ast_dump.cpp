// The s-expression rendering of ASTs used by the parser tests (see ast_dump.h).
#include "compiler/ast_dump.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mvm {

using namespace ast;

namespace {

// Python's repr() of a float: the shortest digits that round-trip, written in positional
// notation for decimal exponents from -4 to 15 and in scientific notation otherwise.
std::string float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string text(buffer, result.ptr);
  std::string sign;
  if (text[0] == '-') {
    sign = "-";
    text.erase(0, 1);
  }
  size_t e = text.find('e');
  int exponent = std::atoi(text.c_str() + e + 1);
  std::string digits = text.substr(0, e);
  if (digits.size() > 1) digits.erase(1, 1);   // drop the decimal point
  if (exponent >= -4 && exponent < 16) {
    std::string out;
    if (exponent < 0) {
      out = "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    } else if (static_cast<int>(digits.size()) <= exponent + 1) {
      out = digits + std::string(static_cast<size_t>(exponent + 1) - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, static_cast<size_t>(exponent + 1)) + "." +
            digits.substr(static_cast<size_t>(exponent + 1));
    }
    return sign + out;
  }
  std::string mantissa = digits.size() > 1 ? digits.substr(0, 1) + "." + digits.substr(1) : digits;
  char exponent_text[16];
  std::snprintf(exponent_text, sizeof exponent_text, "e%c%02d", exponent < 0 ? '-' : '+',
                std::abs(exponent));
  return sign + mantissa + exponent_text;
}

// A string or bytes value in single quotes, with backslash, quote and control characters
// escaped and everything else (UTF-8 text included) as is.
std::string quoted(const std::string& text, bool bytes) {
  std::string out = bytes ? "b'" : "'";
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20 || u == 0x7F || (bytes && u >= 0x80)) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\x%02x", u);
          out += hex;
        } else {
          out += c;
        }
    }
  }
  return out + "'";
}

const char* operator_text(Operator op) {
  switch (op) {
    case Operator::Add: return "+";
    case Operator::Sub: return "-";
    case Operator::Mult: return "*";
    case Operator::Div: return "/";
    case Operator::FloorDiv: return "//";
    case Operator::Mod: return "%";
    case Operator::Pow: return "**";
    case Operator::LShift: return "<<";
    case Operator::RShift: return ">>";
    case Operator::BitAnd: return "&";
    case Operator::BitOr: return "|";
    case Operator::BitXor: return "^";
    case Operator::MatMult: return "@";
  }
  return "?";
}

const char* comparison_text(CmpOp op) {
  switch (op) {
    case CmpOp::Eq: return "==";
    case CmpOp::NotEq: return "!=";
    case CmpOp::Lt: return "<";
    case CmpOp::LtE: return "<=";
    case CmpOp::Gt: return ">";
    case CmpOp::GtE: return ">=";
    case CmpOp::Is: return "is";
    case CmpOp::IsNot: return "is-not";
    case CmpOp::In: return "in";
    case CmpOp::NotIn: return "not-in";
  }
  return "?";
}

const char* context_suffix(Ctx ctx) {
  return ctx == Ctx::Store ? ":store" : ctx == Ctx::Del ? ":del" : "";
}

class Dumper {
 public:
  explicit Dumper(bool positions) : positions_(positions) {}

  std::string expr(const Expr* e) {
    if (!e) return "_";
    switch (e->kind) {
      case ExprKind::Name: {
        auto* n = static_cast<const Name*>(e);
        return n->id + context_suffix(n->ctx) + where(e);
      }
      case ExprKind::Constant:
        return constant(static_cast<const Constant*>(e)) + where(e);
      case ExprKind::JoinedStr:
        return open("JoinedStr", e) + list(static_cast<const JoinedStr*>(e)->values) + ")";
      case ExprKind::FormattedValue: {
        auto* f = static_cast<const FormattedValue*>(e);
        std::string out = open("FormattedValue", e) + " " + expr(f->value);
        if (f->conversion) out += std::string(" !") + f->conversion;
        if (f->format_spec) out += " " + expr(f->format_spec);
        return out + ")";
      }
      case ExprKind::BinOp: {
        auto* b = static_cast<const BinOp*>(e);
        return open("BinOp", e) + " " + expr(b->left) + " " + operator_text(b->op) + " " +
               expr(b->right) + ")";
      }
      case ExprKind::UnaryOp: {
        auto* u = static_cast<const UnaryOpExpr*>(e);
        static const char* const kNames[] = {"not", "-", "+", "~"};
        return open("UnaryOp", e) + " " + kNames[static_cast<int>(u->op)] + " " +
               expr(u->operand) + ")";
      }
      case ExprKind::BoolOp: {
        auto* b = static_cast<const BoolOp*>(e);
        return open("BoolOp", e) + (b->op == BoolOperator::And ? " and" : " or") +
               list(b->values) + ")";
      }
      case ExprKind::Compare: {
        auto* c = static_cast<const Compare*>(e);
        std::string out = open("Compare", e) + " " + expr(c->left);
        for (size_t i = 0; i < c->ops.size(); i++) {
          out += std::string(" ") + comparison_text(c->ops[i]) + " " + expr(c->comparators[i]);
        }
        return out + ")";
      }
      case ExprKind::Call: {
        auto* c = static_cast<const Call*>(e);
        return open("Call", e) + " " + expr(c->func) + list(c->args) + keywords(c->keywords) + ")";
      }
      case ExprKind::Attribute: {
        auto* a = static_cast<const Attribute*>(e);
        return open(std::string("Attribute") + context_suffix(a->ctx), e) + " " +
               expr(a->value) + " " + a->attr + ")";
      }
      case ExprKind::Subscript: {
        auto* s = static_cast<const Subscript*>(e);
        return open(std::string("Subscript") + context_suffix(s->ctx), e) + " " +
               expr(s->value) + " " + expr(s->slice) + ")";
      }
      case ExprKind::Slice: {
        auto* s = static_cast<const SliceExpr*>(e);
        return open("Slice", e) + " " + expr(s->lower) + " " + expr(s->upper) + " " +
               expr(s->step) + ")";
      }
      case ExprKind::Starred: {
        auto* s = static_cast<const Starred*>(e);
        return open(std::string("Starred") + context_suffix(s->ctx), e) + " " + expr(s->value) +
               ")";
      }
      case ExprKind::List: {
        auto* l = static_cast<const ListExpr*>(e);
        return open(std::string("List") + context_suffix(l->ctx), e) + list(l->elts) + ")";
      }
      case ExprKind::Tuple: {
        auto* t = static_cast<const TupleExpr*>(e);
        return open(std::string("Tuple") + context_suffix(t->ctx), e) + list(t->elts) + ")";
      }
      case ExprKind::Dict: {
        auto* d = static_cast<const DictExpr*>(e);
        std::string out = open("Dict", e);
        for (size_t i = 0; i < d->keys.size(); i++) {
          out += d->keys[i] ? " (" + expr(d->keys[i]) + " " + expr(d->values[i]) + ")"
                            : " (** " + expr(d->values[i]) + ")";
        }
        return out + ")";
      }
      case ExprKind::Set:
        return open("Set", e) + list(static_cast<const SetExpr*>(e)->elts) + ")";
      case ExprKind::ListComp:
      case ExprKind::SetComp:
      case ExprKind::GeneratorExp:
      case ExprKind::DictComp: {
        auto* c = static_cast<const Comp*>(e);
        const char* name = e->kind == ExprKind::ListComp  ? "ListComp"
                           : e->kind == ExprKind::SetComp ? "SetComp"
                           : e->kind == ExprKind::DictComp ? "DictComp"
                                                            : "GeneratorExp";
        std::string out = open(name, e);
        out += e->kind == ExprKind::DictComp ? " " + expr(c->key) + " " + expr(c->value)
                                             : " " + expr(c->elt);
        for (const Comprehension* g : c->generators) {
          out += std::string(g->is_async ? " (async-for " : " (for ") + expr(g->target) + " " +
                 expr(g->iter);
          for (const Expr* condition : g->ifs) out += " (if " + expr(condition) + ")";
          out += ")";
        }
        return out + ")";
      }
      case ExprKind::Lambda: {
        auto* l = static_cast<const Lambda*>(e);
        return open("Lambda", e) + " " + arguments(l->args) + " " + expr(l->body) + ")";
      }
      case ExprKind::IfExp: {
        auto* i = static_cast<const IfExp*>(e);
        return open("IfExp", e) + " " + expr(i->test) + " " + expr(i->body) + " " +
               expr(i->orelse) + ")";
      }
      case ExprKind::Yield: {
        auto* y = static_cast<const Yield*>(e);
        return open("Yield", e) + (y->value ? " " + expr(y->value) : "") + ")";
      }
      case ExprKind::YieldFrom:
        return open("YieldFrom", e) + " " + expr(static_cast<const YieldFrom*>(e)->value) + ")";
      case ExprKind::Await:
        return open("Await", e) + " " + expr(static_cast<const Await*>(e)->value) + ")";
      case ExprKind::NamedExpr: {
        auto* n = static_cast<const NamedExpr*>(e);
        return open("NamedExpr", e) + " " + expr(n->target) + " " + expr(n->value) + ")";
      }
    }
    return "?";
  }

  std::string stmt(const Stmt* s) {
    switch (s->kind) {
      case StmtKind::FunctionDef: {
        auto* f = static_cast<const FunctionDef*>(s);
        std::string out = open(f->is_async ? "AsyncFunctionDef" : "FunctionDef", s) + " " +
                          f->name + " " + arguments(f->args) + " " + body(f->body);
        if (!f->decorators.empty()) out += " (decorators" + list(f->decorators) + ")";
        if (f->returns) out += " (returns " + expr(f->returns) + ")";
        return out + ")";
      }
      case StmtKind::ClassDef: {
        auto* c = static_cast<const ClassDef*>(s);
        std::string out = open("ClassDef", s) + " " + c->name;
        if (!c->bases.empty() || !c->keywords.empty()) {
          out += " (bases" + list(c->bases) + keywords(c->keywords) + ")";
        }
        out += " " + body(c->body);
        if (!c->decorators.empty()) out += " (decorators" + list(c->decorators) + ")";
        return out + ")";
      }
      case StmtKind::Return: {
        auto* r = static_cast<const Return*>(s);
        return open("Return", s) + (r->value ? " " + expr(r->value) : "") + ")";
      }
      case StmtKind::Delete:
        return open("Delete", s) + list(static_cast<const Delete*>(s)->targets) + ")";
      case StmtKind::Assign: {
        auto* a = static_cast<const Assign*>(s);
        return open("Assign", s) + list(a->targets) + " = " + expr(a->value) + ")";
      }
      case StmtKind::AugAssign: {
        auto* a = static_cast<const AugAssign*>(s);
        return open("AugAssign", s) + " " + expr(a->target) + " " + operator_text(a->op) +
               "= " + expr(a->value) + ")";
      }
      case StmtKind::AnnAssign: {
        auto* a = static_cast<const AnnAssign*>(s);
        std::string out = open("AnnAssign", s) + " " + expr(a->target) + " " + expr(a->annotation);
        if (a->value) out += " = " + expr(a->value);
        if (!a->simple) out += " simple=0";
        return out + ")";
      }
      case StmtKind::For: {
        auto* f = static_cast<const For*>(s);
        return open(f->is_async ? "AsyncFor" : "For", s) + " " + expr(f->target) + " " +
               expr(f->iter) + " " + body(f->body) + orelse(f->orelse) + ")";
      }
      case StmtKind::While: {
        auto* w = static_cast<const While*>(s);
        return open("While", s) + " " + expr(w->test) + " " + body(w->body) + orelse(w->orelse) +
               ")";
      }
      case StmtKind::If: {
        auto* i = static_cast<const If*>(s);
        return open("If", s) + " " + expr(i->test) + " " + body(i->body) + orelse(i->orelse) + ")";
      }
      case StmtKind::With: {
        auto* w = static_cast<const With*>(s);
        std::string out = open(w->is_async ? "AsyncWith" : "With", s);
        for (const WithItem* item : w->items) {
          out += " (item " + expr(item->context_expr);
          if (item->optional_vars) out += " " + expr(item->optional_vars);
          out += ")";
        }
        return out + " " + body(w->body) + ")";
      }
      case StmtKind::Raise: {
        auto* r = static_cast<const Raise*>(s);
        std::string out = open("Raise", s);
        if (r->exc) out += " " + expr(r->exc);
        if (r->cause) out += " from " + expr(r->cause);
        return out + ")";
      }
      case StmtKind::Try: {
        auto* t = static_cast<const Try*>(s);
        std::string out = open("Try", s) + " " + body(t->body);
        for (const ExceptHandler* h : t->handlers) {
          out += " " + open("except", h);
          if (h->type) out += " " + expr(h->type);
          if (!h->name.empty()) out += " as " + h->name;
          out += " " + body(h->body) + ")";
        }
        out += orelse(t->orelse);
        if (!t->finalbody.empty()) out += " finally " + body(t->finalbody);
        return out + ")";
      }
      case StmtKind::Assert: {
        auto* a = static_cast<const Assert*>(s);
        return open("Assert", s) + " " + expr(a->test) + (a->msg ? " " + expr(a->msg) : "") + ")";
      }
      case StmtKind::Import:
        return open("Import", s) + aliases(static_cast<const Import*>(s)->names) + ")";
      case StmtKind::ImportFrom: {
        auto* i = static_cast<const ImportFrom*>(s);
        return open("ImportFrom", s) + " " + std::string(static_cast<size_t>(i->level), '.') +
               i->module + aliases(i->names) + ")";
      }
      case StmtKind::Global:
      case StmtKind::Nonlocal: {
        const std::vector<std::string>& names = s->kind == StmtKind::Global
                                                    ? static_cast<const Global*>(s)->names
                                                    : static_cast<const Nonlocal*>(s)->names;
        std::string out = open(s->kind == StmtKind::Global ? "Global" : "Nonlocal", s);
        for (const std::string& name : names) out += " " + name;
        return out + ")";
      }
      case StmtKind::ExprStmt:
        return open("Expr", s) + " " + expr(static_cast<const ExprStmt*>(s)->value) + ")";
      case StmtKind::Pass: return open("Pass", s) + ")";
      case StmtKind::Break: return open("Break", s) + ")";
      case StmtKind::Continue: return open("Continue", s) + ")";
    }
    return "?";
  }

 private:
  std::string where(const Node* node) const {
    if (!positions_) return "";
    const Pos& p = node->pos;
    return "@" + std::to_string(p.line) + ":" + std::to_string(p.col) + "-" +
           std::to_string(p.end_line) + ":" + std::to_string(p.end_col);
  }
  std::string open(const std::string& name, const Node* node) const {
    return "(" + name + where(node);
  }
  std::string list(const std::vector<Expr*>& exprs) {
    std::string out;
    for (const Expr* e : exprs) {
      out += ' ';
      out += expr(e);
    }
    return out;
  }
  std::string keywords(const std::vector<Keyword*>& keywords) {
    std::string out;
    for (const Keyword* k : keywords) {
      out += k->arg.empty() ? " **" + expr(k->value) : " " + k->arg + "=" + expr(k->value);
    }
    return out;
  }
  std::string body(const std::vector<Stmt*>& statements) {
    std::string out = "[";
    for (size_t i = 0; i < statements.size(); i++) {
      if (i) out += ' ';
      out += stmt(statements[i]);
    }
    return out + "]";
  }
  std::string orelse(const std::vector<Stmt*>& statements) {
    return statements.empty() ? "" : " else " + body(statements);
  }
  std::string aliases(const std::vector<Alias*>& names) {
    std::string out;
    for (const Alias* a : names) {
      out += a->asname.empty() ? " " + a->name : " (" + a->name + " as " + a->asname + ")";
    }
    return out;
  }
  std::string parameter(const Arg* arg, const Expr* default_value) {
    std::string out = arg->arg;
    if (arg->annotation) {
      out += ':';
      out += expr(arg->annotation);
    }
    if (default_value) {
      out += '=';
      out += expr(default_value);
    }
    return out;
  }
  std::string arguments(const Arguments* a) {
    std::string out = "(args";
    size_t positional = a->posonlyargs.size() + a->args.size();
    size_t first_default = positional - a->defaults.size();
    for (size_t i = 0; i < positional; i++) {
      const Arg* arg = i < a->posonlyargs.size() ? a->posonlyargs[i]
                                                 : a->args[i - a->posonlyargs.size()];
      out += ' ';
      out += parameter(arg, i >= first_default ? a->defaults[i - first_default] : nullptr);
      if (i + 1 == a->posonlyargs.size()) out += " /";
    }
    if (a->vararg) {
      out += " *" + parameter(a->vararg, nullptr);
    } else if (!a->kwonlyargs.empty()) {
      out += " *";
    }
    for (size_t i = 0; i < a->kwonlyargs.size(); i++) {
      out += ' ';
      out += parameter(a->kwonlyargs[i], a->kw_defaults[i]);
    }
    if (a->kwarg) out += " **" + parameter(a->kwarg, nullptr);
    return out + ")";
  }
  static std::string constant(const Constant* c) {
    switch (c->ckind) {
      case ConstKind::None: return "None";
      case ConstKind::True: return "True";
      case ConstKind::False: return "False";
      case ConstKind::Ellipsis: return "...";
      case ConstKind::Int: return std::to_string(c->int_value);
      case ConstKind::BigInt: return c->text;
      case ConstKind::Float: return float_repr(c->float_value);
      case ConstKind::Str: return quoted(c->text, false);
      case ConstKind::Bytes: return quoted(c->text, true);
    }
    return "?";
  }

  bool positions_;
};

}  // namespace

std::string dump(const Module& module, bool positions) {
  Dumper dumper(positions);
  std::string out;
  for (size_t i = 0; i < module.body.size(); i++) {
    if (i) out += "\n";
    out += dumper.stmt(module.body[i]);
  }
  return out;
}

std::string dump(const Stmt* statement, bool positions) {
  return Dumper(positions).stmt(statement);
}

std::string dump(const Expr* expression, bool positions) {
  return Dumper(positions).expr(expression);
}

}  // namespace mvm
