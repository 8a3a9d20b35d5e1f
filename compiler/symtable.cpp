// Building symbol tables in two passes: a walk over the AST records how each scope uses
// each name, then resolution decides, innermost first, which names are cells and free.
#include "compiler/symtable.h"

#include <algorithm>
#include <set>

namespace mvm {

namespace {

enum NameFlag : uint32_t {
  kDefLocal = 1 << 0,      // bound here: assignment, def, class, import, for, with, except
  kDefParam = 1 << 1,
  kDefGlobal = 1 << 2,     // `global` declaration
  kDefNonlocal = 1 << 3,   // `nonlocal` declaration
  kUse = 1 << 4,
  kDefFreeClass = 1 << 5,  // a class body that uses a name free in an enclosing function
};

struct ScopeError {
  std::string message;
  ast::Pos pos;
};

class Builder {
 public:
  explicit Builder(SymbolTable& table) : table_(table) {}

  bool build(const ast::Module& module, ScopeError* error) {
    table_.top = std::make_unique<Scope>();
    table_.top->kind = Scope::Kind::Module;
    table_.top->name = "top";
    current_ = table_.top.get();
    for (ast::Stmt* s : module.body) visit_stmt(s);
    if (error_) {
      *error = *error_;
      return false;
    }
    resolve(table_.top.get(), {});
    if (error_) {
      *error = *error_;
      return false;
    }
    return true;
  }

 private:
  SymbolTable& table_;
  Scope* current_ = nullptr;
  std::optional<ScopeError> error_;

  void fail(const std::string& message, const ast::Pos& pos) {
    if (!error_) error_ = ScopeError{message, pos};
  }

  Scope* push_scope(const ast::Node* node, Scope::Kind kind, const std::string& name, int line) {
    auto scope = std::make_unique<Scope>();
    scope->kind = kind;
    scope->name = name;
    scope->parent = current_;
    scope->firstlineno = line;
    Scope* raw = scope.get();
    current_->children.push_back(std::move(scope));
    table_.scopes[node] = raw;
    current_ = raw;
    return raw;
  }
  void pop_scope() { current_ = current_->parent; }

  void add(const std::string& name, uint32_t flag, const ast::Pos& pos) {
    uint32_t& f = current_->flags[name];
    if ((flag & (kDefLocal | kUse)) && (f & kDefGlobal) == 0 && (f & kDefNonlocal) == 0) {
      // fine
    }
    if (flag == kDefGlobal && (f & (kDefLocal | kUse | kDefParam))) {
      if (f & kDefParam)
        fail("name '" + name + "' is parameter and global", pos);
      else
        fail("name '" + name + "' is " + ((f & kDefLocal) ? "assigned to" : "used") + " prior to global declaration", pos);
    }
    if (flag == kDefNonlocal && (f & (kDefLocal | kUse | kDefParam))) {
      if (f & kDefParam)
        fail("name '" + name + "' is parameter and nonlocal", pos);
      else
        fail("name '" + name + "' is " + ((f & kDefLocal) ? "assigned to" : "used") + " prior to nonlocal declaration", pos);
    }
    if ((flag & (kDefLocal | kDefParam)) && !(f & (kDefLocal | kDefParam | kDefGlobal | kDefNonlocal)))
      current_->varnames.push_back(name);
    f |= flag;
  }

  // A walrus target inside a comprehension binds in the nearest enclosing non-comprehension
  // scope (PEP 572).
  void add_walrus_target(const std::string& name, const ast::Pos& pos) {
    if (!current_->is_comprehension) {
      add(name, kDefLocal, pos);
      return;
    }
    Scope* target = current_;
    while (target->is_comprehension) target = target->parent;
    if (target->kind == Scope::Kind::Class) {
      fail("assignment expression within a comprehension cannot be used in a class body", pos);
      return;
    }
    Scope* saved = current_;
    current_ = target;
    add(name, kDefLocal, pos);
    current_ = saved;
    for (Scope* s = saved; s != target; s = s->parent) {
      uint32_t& f = s->flags[name];
      f |= target->kind == Scope::Kind::Module ? kDefGlobal : kDefNonlocal;
    }
  }

  // ---- statements ----

  void visit_body(const std::vector<ast::Stmt*>& body) {
    for (ast::Stmt* s : body) visit_stmt(s);
  }

  void visit_args_defaults(ast::Arguments* args) {
    for (ast::Expr* e : args->defaults) visit_expr(e);
    for (ast::Expr* e : args->kw_defaults)
      if (e) visit_expr(e);
    auto annotations = [&](ast::Arg* a) {
      if (a && a->annotation) visit_expr(a->annotation);
    };
    for (ast::Arg* a : args->posonlyargs) annotations(a);
    for (ast::Arg* a : args->args) annotations(a);
    for (ast::Arg* a : args->kwonlyargs) annotations(a);
    annotations(args->vararg);
    annotations(args->kwarg);
  }

  void declare_params(ast::Arguments* args) {
    for (ast::Arg* a : args->posonlyargs) add(a->arg, kDefParam, a->pos);
    for (ast::Arg* a : args->args) add(a->arg, kDefParam, a->pos);
    for (ast::Arg* a : args->kwonlyargs) add(a->arg, kDefParam, a->pos);
    if (args->vararg) {
      add(args->vararg->arg, kDefParam, args->vararg->pos);
      current_->has_varargs = true;
    }
    if (args->kwarg) {
      add(args->kwarg->arg, kDefParam, args->kwarg->pos);
      current_->has_varkeywords = true;
    }
  }

  void visit_stmt(ast::Stmt* s) {
    using K = ast::StmtKind;
    switch (s->kind) {
      case K::FunctionDef: {
        auto* f = static_cast<ast::FunctionDef*>(s);
        for (ast::Expr* d : f->decorators) visit_expr(d);
        visit_args_defaults(f->args);
        if (f->returns) visit_expr(f->returns);
        add(f->name, kDefLocal, f->pos);
        Scope* scope = push_scope(f, Scope::Kind::Function, f->name, f->pos.line);
        scope->is_coroutine = f->is_async;
        declare_params(f->args);
        visit_body(f->body);
        pop_scope();
        break;
      }
      case K::ClassDef: {
        auto* c = static_cast<ast::ClassDef*>(s);
        for (ast::Expr* d : c->decorators) visit_expr(d);
        for (ast::Expr* b : c->bases) visit_expr(b);
        for (ast::Keyword* k : c->keywords) visit_expr(k->value);
        add(c->name, kDefLocal, c->pos);
        push_scope(c, Scope::Kind::Class, c->name, c->pos.line);
        visit_body(c->body);
        pop_scope();
        break;
      }
      case K::Return: {
        auto* r = static_cast<ast::Return*>(s);
        if (current_->kind != Scope::Kind::Function) fail("'return' outside function", r->pos);
        if (r->value) visit_expr(r->value);
        break;
      }
      case K::Delete:
        for (ast::Expr* t : static_cast<ast::Delete*>(s)->targets) visit_expr(t);
        break;
      case K::Assign: {
        auto* a = static_cast<ast::Assign*>(s);
        visit_expr(a->value);
        for (ast::Expr* t : a->targets) visit_expr(t);
        break;
      }
      case K::AugAssign: {
        auto* a = static_cast<ast::AugAssign*>(s);
        visit_expr(a->value);
        if (a->target->kind == ast::ExprKind::Name) {
          auto* n = static_cast<ast::Name*>(a->target);
          add(n->id, kDefLocal | kUse, n->pos);
        } else {
          visit_expr(a->target);
        }
        break;
      }
      case K::AnnAssign: {
        auto* a = static_cast<ast::AnnAssign*>(s);
        if (a->value) visit_expr(a->value);
        if (a->annotation) visit_expr(a->annotation);
        if (a->value || a->target->kind != ast::ExprKind::Name) visit_expr(a->target);
        else add(static_cast<ast::Name*>(a->target)->id, kDefLocal, a->target->pos);
        break;
      }
      case K::For: {
        auto* f = static_cast<ast::For*>(s);
        visit_expr(f->iter);
        visit_expr(f->target);
        visit_body(f->body);
        visit_body(f->orelse);
        break;
      }
      case K::While: {
        auto* w = static_cast<ast::While*>(s);
        visit_expr(w->test);
        visit_body(w->body);
        visit_body(w->orelse);
        break;
      }
      case K::If: {
        auto* i = static_cast<ast::If*>(s);
        visit_expr(i->test);
        visit_body(i->body);
        visit_body(i->orelse);
        break;
      }
      case K::With: {
        auto* w = static_cast<ast::With*>(s);
        for (ast::WithItem* item : w->items) {
          visit_expr(item->context_expr);
          if (item->optional_vars) visit_expr(item->optional_vars);
        }
        visit_body(w->body);
        break;
      }
      case K::Raise: {
        auto* r = static_cast<ast::Raise*>(s);
        if (r->exc) visit_expr(r->exc);
        if (r->cause) visit_expr(r->cause);
        break;
      }
      case K::Try: {
        auto* t = static_cast<ast::Try*>(s);
        visit_body(t->body);
        for (ast::ExceptHandler* h : t->handlers) {
          if (h->type) visit_expr(h->type);
          if (!h->name.empty()) add(h->name, kDefLocal, h->pos);
          visit_body(h->body);
        }
        visit_body(t->orelse);
        visit_body(t->finalbody);
        break;
      }
      case K::Assert: {
        auto* a = static_cast<ast::Assert*>(s);
        visit_expr(a->test);
        if (a->msg) visit_expr(a->msg);
        break;
      }
      case K::Import:
        for (ast::Alias* a : static_cast<ast::Import*>(s)->names) {
          std::string bound = a->asname.empty() ? a->name.substr(0, a->name.find('.')) : a->asname;
          add(bound, kDefLocal, a->pos);
        }
        break;
      case K::ImportFrom:
        for (ast::Alias* a : static_cast<ast::ImportFrom*>(s)->names) {
          if (a->name == "*") {
            if (current_->kind != Scope::Kind::Module)
              fail("import * only allowed at module level", s->pos);
            continue;
          }
          add(a->asname.empty() ? a->name : a->asname, kDefLocal, a->pos);
        }
        break;
      case K::Global:
        for (const std::string& n : static_cast<ast::Global*>(s)->names) add(n, kDefGlobal, s->pos);
        break;
      case K::Nonlocal:
        if (current_->kind == Scope::Kind::Module) {
          fail("nonlocal declaration not allowed at module level", s->pos);
          break;
        }
        for (const std::string& n : static_cast<ast::Nonlocal*>(s)->names) add(n, kDefNonlocal, s->pos);
        break;
      case K::ExprStmt:
        visit_expr(static_cast<ast::ExprStmt*>(s)->value);
        break;
      case K::Pass:
      case K::Break:
      case K::Continue:
        break;
    }
  }

  // ---- expressions ----

  void visit_comprehension(ast::Comp* c, const char* name) {
    // The first iterable is evaluated in the enclosing scope; everything else inside.
    visit_expr(c->generators[0]->iter);
    Scope* scope = push_scope(c, Scope::Kind::Function, name, c->pos.line);
    scope->is_comprehension = true;
    scope->is_generator = c->kind == ast::ExprKind::GeneratorExp;
    add(".0", kDefParam, c->pos);
    for (size_t i = 0; i < c->generators.size(); i++) {
      ast::Comprehension* g = c->generators[i];
      if (i > 0) visit_expr(g->iter);
      visit_expr(g->target);
      for (ast::Expr* cond : g->ifs) visit_expr(cond);
      if (g->is_async) scope->is_coroutine = true;
    }
    if (c->elt) visit_expr(c->elt);
    if (c->key) visit_expr(c->key);
    if (c->value) visit_expr(c->value);
    pop_scope();
  }

  void visit_exprs(const std::vector<ast::Expr*>& exprs) {
    for (ast::Expr* e : exprs)
      if (e) visit_expr(e);
  }

  void visit_expr(ast::Expr* e) {
    using K = ast::ExprKind;
    switch (e->kind) {
      case K::Name: {
        auto* n = static_cast<ast::Name*>(e);
        add(n->id, n->ctx == ast::Ctx::Load ? kUse : kDefLocal, n->pos);
        // super() with no arguments needs the class and the first argument: make
        // __class__ a free variable of the method, as CPython does.
        if (n->ctx == ast::Ctx::Load && n->id == "super" && current_->kind == Scope::Kind::Function)
          current_->uses_class_cell = true;
        if (n->id == "__class__" && current_->kind == Scope::Kind::Function) current_->uses_class_cell = true;
        break;
      }
      case K::Constant:
        break;
      case K::JoinedStr:
        visit_exprs(static_cast<ast::JoinedStr*>(e)->values);
        break;
      case K::FormattedValue: {
        auto* f = static_cast<ast::FormattedValue*>(e);
        visit_expr(f->value);
        if (f->format_spec) visit_expr(f->format_spec);
        break;
      }
      case K::BinOp: {
        auto* b = static_cast<ast::BinOp*>(e);
        visit_expr(b->left);
        visit_expr(b->right);
        break;
      }
      case K::UnaryOp:
        visit_expr(static_cast<ast::UnaryOpExpr*>(e)->operand);
        break;
      case K::BoolOp:
        visit_exprs(static_cast<ast::BoolOp*>(e)->values);
        break;
      case K::Compare: {
        auto* c = static_cast<ast::Compare*>(e);
        visit_expr(c->left);
        visit_exprs(c->comparators);
        break;
      }
      case K::Call: {
        auto* c = static_cast<ast::Call*>(e);
        visit_expr(c->func);
        visit_exprs(c->args);
        for (ast::Keyword* k : c->keywords) visit_expr(k->value);
        break;
      }
      case K::Attribute:
        visit_expr(static_cast<ast::Attribute*>(e)->value);
        break;
      case K::Subscript: {
        auto* s = static_cast<ast::Subscript*>(e);
        visit_expr(s->value);
        visit_expr(s->slice);
        break;
      }
      case K::Slice: {
        auto* s = static_cast<ast::SliceExpr*>(e);
        if (s->lower) visit_expr(s->lower);
        if (s->upper) visit_expr(s->upper);
        if (s->step) visit_expr(s->step);
        break;
      }
      case K::Starred:
        visit_expr(static_cast<ast::Starred*>(e)->value);
        break;
      case K::List:
        visit_exprs(static_cast<ast::ListExpr*>(e)->elts);
        break;
      case K::Tuple:
        visit_exprs(static_cast<ast::TupleExpr*>(e)->elts);
        break;
      case K::Dict: {
        auto* d = static_cast<ast::DictExpr*>(e);
        visit_exprs(d->keys);
        visit_exprs(d->values);
        break;
      }
      case K::Set:
        visit_exprs(static_cast<ast::SetExpr*>(e)->elts);
        break;
      case K::ListComp:
        visit_comprehension(static_cast<ast::Comp*>(e), "<listcomp>");
        break;
      case K::SetComp:
        visit_comprehension(static_cast<ast::Comp*>(e), "<setcomp>");
        break;
      case K::DictComp:
        visit_comprehension(static_cast<ast::Comp*>(e), "<dictcomp>");
        break;
      case K::GeneratorExp:
        visit_comprehension(static_cast<ast::Comp*>(e), "<genexpr>");
        break;
      case K::Lambda: {
        auto* l = static_cast<ast::Lambda*>(e);
        visit_args_defaults(l->args);
        Scope* scope = push_scope(l, Scope::Kind::Function, "<lambda>", l->pos.line);
        scope->is_lambda = true;
        declare_params(l->args);
        visit_expr(l->body);
        pop_scope();
        break;
      }
      case K::IfExp: {
        auto* i = static_cast<ast::IfExp*>(e);
        visit_expr(i->test);
        visit_expr(i->body);
        visit_expr(i->orelse);
        break;
      }
      case K::Yield:
      case K::YieldFrom: {
        if (current_->kind != Scope::Kind::Function) {
          fail("'yield' outside function", e->pos);
          break;
        }
        if (current_->is_comprehension) {
          fail("'yield' inside list comprehension", e->pos);
          break;
        }
        current_->is_generator = true;
        ast::Expr* v = e->kind == K::Yield ? static_cast<ast::Yield*>(e)->value
                                            : static_cast<ast::YieldFrom*>(e)->value;
        if (v) visit_expr(v);
        break;
      }
      case K::Await: {
        if (current_->kind != Scope::Kind::Function || !current_->is_coroutine) {
          if (!(current_->is_comprehension && current_->parent && current_->parent->is_coroutine))
            fail("'await' outside async function", e->pos);
          // A comprehension that awaits is itself a coroutine, awaited where it is built.
          current_->is_coroutine = true;
        }
        visit_expr(static_cast<ast::Await*>(e)->value);
        break;
      }
      case K::NamedExpr: {
        auto* n = static_cast<ast::NamedExpr*>(e);
        visit_expr(n->value);
        add_walrus_target(n->target->id, n->target->pos);
        break;
      }
    }
  }

  // ---- resolution ----

  // `bound` holds names bound in enclosing function scopes (visible as free variables).
  // Returns the names this scope (or its children) need from outside.
  std::set<std::string> resolve(Scope* scope, const std::set<std::string>& bound) {
    std::set<std::string> local_bound;
    for (auto& [name, f] : scope->flags) {
      if (f & kDefGlobal) {
        scope->resolved[name] = NameScope::GlobalExplicit;
      } else if (f & kDefNonlocal) {
        if (!bound.count(name))
          fail("no binding for nonlocal '" + name + "' found", ast::Pos{scope->firstlineno, 0, 0, 0});
        scope->resolved[name] = NameScope::Free;
      } else if (f & (kDefLocal | kDefParam)) {
        scope->resolved[name] = NameScope::Local;
        if (scope->kind == Scope::Kind::Function) local_bound.insert(name);
      } else if (bound.count(name) && scope->kind != Scope::Kind::Module) {
        scope->resolved[name] = NameScope::Free;
      } else {
        scope->resolved[name] = NameScope::GlobalImplicit;
      }
    }
    if (scope->uses_class_cell) {
      scope->resolved["__class__"] = bound.count("__class__") ? NameScope::Free : NameScope::GlobalImplicit;
    }

    // What children may capture: our bindings (functions only) plus what we could capture.
    std::set<std::string> child_bound = bound;
    if (scope->kind == Scope::Kind::Function) {
      for (const std::string& n : local_bound) child_bound.insert(n);
      for (auto& [name, where] : scope->resolved)
        if (where == NameScope::GlobalExplicit) child_bound.erase(name);
    }
    if (scope->kind == Scope::Kind::Class) child_bound.insert("__class__");

    std::set<std::string> needed_from_children;
    for (auto& child : scope->children) {
      auto needed = resolve(child.get(), child_bound);
      needed_from_children.insert(needed.begin(), needed.end());
    }

    std::set<std::string> needed_from_outside;
    for (const std::string& name : needed_from_children) {
      if (scope->kind == Scope::Kind::Class && name == "__class__") {
        scope->needs_class_cell = true;
        continue;
      }
      auto it = scope->resolved.find(name);
      if (scope->kind == Scope::Kind::Function && it != scope->resolved.end() &&
          it->second == NameScope::Local) {
        it->second = NameScope::Cell;
      } else if (it == scope->resolved.end() || it->second == NameScope::GlobalImplicit ||
                 (scope->kind == Scope::Kind::Class && it->second == NameScope::Local)) {
        // Pass through: this scope does not bind it (or is a class, whose names are
        // invisible to inner functions), so it must come from further out.
        if (scope->kind == Scope::Kind::Function) scope->resolved[name] = NameScope::Free;
        else if (scope->kind == Scope::Kind::Class) scope->flags[name] |= kDefFreeClass;
        needed_from_outside.insert(name);
      } else if (it->second == NameScope::Free) {
        needed_from_outside.insert(name);
      }
    }
    for (auto& [name, where] : scope->resolved)
      if (where == NameScope::Free) needed_from_outside.insert(name);
    return needed_from_outside;
  }
};

}  // namespace

NameScope Scope::lookup(const std::string& name) const {
  auto it = resolved.find(name);
  if (it != resolved.end()) return it->second;
  return kind == Kind::Module ? NameScope::GlobalImplicit : NameScope::GlobalImplicit;
}

std::vector<std::string> Scope::cellvars() const {
  std::vector<std::string> out;
  for (auto& [name, where] : resolved)
    if (where == NameScope::Cell) out.push_back(name);
  if (needs_class_cell) out.push_back("__class__");
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Scope::freevars() const {
  std::vector<std::string> out;
  for (auto& [name, where] : resolved)
    if (where == NameScope::Free) out.push_back(name);
  // A class body that passes a name through needs it as a free variable too.
  for (auto& [name, f] : flags)
    if ((f & kDefFreeClass) && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<SymbolTable> build_symbol_table(const ast::Module& module, const std::string& filename,
                                              SyntaxErrorInfo* error) {
  SymbolTable table;
  Builder builder(table);
  ScopeError e;
  if (!builder.build(module, &e)) {
    error->kind = SyntaxErrorInfo::Kind::Syntax;
    error->message = e.message;
    error->filename = filename;
    error->line = e.pos.line;
    error->col = e.pos.col + 1;
    error->end_line = e.pos.end_line;
    error->end_col = e.pos.end_col + 1;
    return std::nullopt;
  }
  return table;
}

}  // namespace mvm
