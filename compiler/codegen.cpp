// The code generator: walks the AST with the symbol table at hand and emits bytecode for
// each scope into a CodeUnit. Control flow uses labels that are resolved to absolute
// instruction indices at the end; a final pass computes each unit's maximum stack depth.
#include <algorithm>
#include <cassert>
#include <cstring>
#include <optional>

#include "compiler/compiler.h"
#include "compiler/symtable.h"
#include "runtime/code.h"
#include "runtime/object.h"
#include "vm/opcodes.h"

namespace mvm {

bool ConstValue::operator==(const ConstValue& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case Kind::Int: return int_value == o.int_value;
    case Kind::Float: {
      // 0.0 and -0.0 must stay distinct constants; compare bit patterns.
      return std::memcmp(&float_value, &o.float_value, sizeof(double)) == 0;
    }
    case Kind::BigInt:
    case Kind::Str:
    case Kind::Bytes: return text == o.text;
    case Kind::Tuple:
    case Kind::FrozenSet: return items == o.items;
    case Kind::Code: return code == o.code;
    default: return true;
  }
}

namespace {

using Label = int;

// What a break, continue or return must undo when it leaves a block (see unwind()).
enum class BlockKind {
  WhileLoop,       // nothing on the stack
  ForLoop,         // the iterator is on the stack
  TryExcept,       // a SETUP_FINALLY handler block is active
  FinallyTry,      // the same, and the finally body must run on the way out
  FinallyEnd,      // inside a finally body run for an exception: [prev, exc] + handler block
  HandlerCleanup,  // inside an except clause: [prev] + handler block
  With,            // a SETUP_WITH (or SETUP_ASYNC_WITH) block is active, __exit__ on the stack
};

struct Block {
  BlockKind kind;
  Label continue_target = -1;   // loops
  Label break_target = -1;      // loops
  const std::vector<ast::Stmt*>* finalbody = nullptr;   // FinallyTry
  std::string handler_name;     // HandlerCleanup: the `as` name to clear
  bool is_async = false;        // With: `async with`, whose __aexit__ result is awaited
};

// One code object being generated.
struct Unit {
  std::shared_ptr<CodeUnit> code = std::make_shared<CodeUnit>();
  Scope* scope = nullptr;
  std::vector<int> label_positions;          // label -> instruction index (-1: unplaced)
  std::vector<Block> blocks;
  int setup_depth = 0;                       // current nesting of runtime blocks
  int current_line = 1;
  std::string qualname;

  int add_name(const std::string& n) {
    auto& names = code->names;
    auto it = std::find(names.begin(), names.end(), n);
    if (it != names.end()) return int(it - names.begin());
    names.push_back(n);
    return int(names.size() - 1);
  }
  int add_const(ConstValue c) {
    auto& consts = code->consts;
    for (size_t i = 0; i < consts.size(); i++)
      if (consts[i] == c) return int(i);
    consts.push_back(std::move(c));
    return int(consts.size() - 1);
  }
  int varname_index(const std::string& n) {
    auto& v = code->varnames;
    auto it = std::find(v.begin(), v.end(), n);
    if (it != v.end()) return int(it - v.begin());
    v.push_back(n);
    return int(v.size() - 1);
  }
  // Index among cells then free variables, as LOAD_DEREF expects.
  int deref_index(const std::string& n) {
    auto& cells = code->cellvars;
    auto it = std::find(cells.begin(), cells.end(), n);
    if (it != cells.end()) return int(it - cells.begin());
    auto& frees = code->freevars;
    auto jt = std::find(frees.begin(), frees.end(), n);
    assert(jt != frees.end());
    return int(cells.size() + (jt - frees.begin()));
  }
};

struct CompileError {
  std::string message;
  ast::Pos pos;
};

class CodeGen {
 public:
  CodeGen(const SymbolTable& table, const std::string& filename, ParseMode mode)
      : table_(table), filename_(filename), mode_(mode) {}

  std::shared_ptr<CodeUnit> compile(const ast::Module& module) {
    enter_unit(table_.top.get(), "<module>", "<module>", 1);
    if (mode_ == ParseMode::Eval) {
      auto* stmt = static_cast<ast::ExprStmt*>(module.body.at(0));
      expr(stmt->value);
      emit(Opcode::RETURN_VALUE);
    } else {
      body_with_docstring(module.body, true);
      emit_const_none();
      emit(Opcode::RETURN_VALUE);
    }
    return leave_unit();
  }

  std::optional<CompileError> error;

 private:
  const SymbolTable& table_;
  std::string filename_;
  ParseMode mode_;
  std::vector<Unit> units_;

  Unit& u() { return units_.back(); }

  [[noreturn]] void fail(const std::string& message, const ast::Pos& pos) {
    throw CompileError{message, pos};
  }

  // ------------------------------------------------------------------ units

  void enter_unit(Scope* scope, const std::string& name, const std::string& qualname, int line) {
    Unit unit;
    unit.scope = scope;
    unit.qualname = qualname;
    unit.current_line = line;
    CodeUnit& c = *unit.code;
    c.name = name;
    c.qualname = qualname;
    c.filename = filename_;
    c.firstlineno = line;
    c.cellvars = scope->cellvars();
    c.freevars = scope->freevars();
    if (scope->kind == Scope::Kind::Function) {
      c.flags |= kCodeOptimized | kCodeNewLocals;
      for (const std::string& v : scope->varnames)
        if (scope->lookup(v) == NameScope::Local || scope->lookup(v) == NameScope::Cell) c.varnames.push_back(v);
    }
    if (scope->is_generator && scope->is_coroutine) c.flags |= kCodeAsyncGenerator;
    else if (scope->is_generator) c.flags |= kCodeGenerator;
    else if (scope->is_coroutine) c.flags |= kCodeCoroutine;
    if (scope->has_varargs) c.flags |= kCodeVarargs;
    if (scope->has_varkeywords) c.flags |= kCodeVarkeywords;
    if (!c.freevars.empty()) c.flags |= kCodeHasFreeVars;
    if (scope->parent && scope->parent->kind == Scope::Kind::Function) c.flags |= kCodeNested;
    units_.push_back(std::move(unit));
  }

  std::shared_ptr<CodeUnit> leave_unit() {
    Unit& unit = u();
    CodeUnit& c = *unit.code;
    // Resolve labels to absolute instruction indices.
    for (size_t i = 0; i < c.instructions.size(); i++) {
      uint32_t instr = c.instructions[i];
      if (kOpcodeFlags[int(opcode_of(instr))] & kOpJump) {
        int pos = unit.label_positions[arg_of(instr)];
        assert(pos >= 0);
        c.instructions[i] = encode(opcode_of(instr), uint32_t(pos));
      }
    }
    // Parameters that are captured start their life as cells.
    for (const std::string& cell : c.cellvars) {
      auto it = std::find(c.varnames.begin(), c.varnames.end(), cell);
      int nparams = c.argcount + c.kwonlyargcount + ((c.flags & kCodeVarargs) ? 1 : 0) +
                    ((c.flags & kCodeVarkeywords) ? 1 : 0);
      int index = it == c.varnames.end() ? -1 : int(it - c.varnames.begin());
      c.cell2arg.push_back(index >= 0 && index < nparams ? index : -1);
    }
    c.stacksize = compute_stack_depth(c);
    auto result = unit.code;
    units_.pop_back();
    return result;
  }

  static int compute_stack_depth(const CodeUnit& c) {
    size_t n = c.instructions.size();
    std::vector<int> depth(n, -1);
    std::vector<size_t> work;
    int max_depth = 0;
    auto visit = [&](size_t target, int d) {
      if (target >= n || depth[target] >= d) return;
      depth[target] = d;
      work.push_back(target);
    };
    visit(0, 0);
    while (!work.empty()) {
      size_t i = work.back();
      work.pop_back();
      int d = depth[i];
      for (; i < n; i++) {
        uint32_t instr = c.instructions[i];
        Opcode op = opcode_of(instr);
        int arg = int(arg_of(instr));
        uint32_t flags = kOpcodeFlags[int(op)];
        if (flags & kOpJump) {
          int jd = d + jump_stack_effect(op, arg);
          max_depth = std::max(max_depth, jd);
          visit(size_t(arg), jd);
        }
        d += stack_effect(op, arg);
        max_depth = std::max(max_depth, d);
        if (flags & kOpTerminal) break;
        if (i + 1 < n && depth[i + 1] >= d) break;
        if (i + 1 < n) depth[i + 1] = d;
      }
    }
    return max_depth + 1;
  }

  // ------------------------------------------------------------------ emission

  // The four arithmetic operators scripts use most have an instruction each, so that the
  // eval loop's branches for one serve only it (vm/opcodes.h).
  static Opcode binary_opcode(BinaryOp op) {
    switch (op) {
      case BinaryOp::Add: return Opcode::BINARY_OP_ADD;
      case BinaryOp::Sub: return Opcode::BINARY_OP_SUBTRACT;
      case BinaryOp::Mul: return Opcode::BINARY_OP_MULTIPLY;
      case BinaryOp::TrueDiv: return Opcode::BINARY_OP_TRUE_DIVIDE;
      default: return Opcode::BINARY_OP;
    }
  }
  void emit(Opcode op, uint32_t arg = 0) {
    if (arg > kMaxArg) fail("too many items for one instruction", ast::Pos{u().current_line, 0, 0, 0});
    if (op == Opcode::BINARY_OP) op = binary_opcode(BinaryOp(arg & 0x0f));
    u().code->instructions.push_back(encode(op, arg));
    u().code->lines.push_back(u().current_line);
  }
  Label new_label() {
    u().label_positions.push_back(-1);
    return Label(u().label_positions.size() - 1);
  }
  void place(Label l) { u().label_positions[l] = int(u().code->instructions.size()); }
  void emit_jump(Opcode op, Label l) { emit(op, uint32_t(l)); }
  void set_line(const ast::Node* n) {
    if (n->pos.line > 0) u().current_line = n->pos.line;
  }

  void emit_const(ConstValue c) { emit(Opcode::LOAD_CONST, uint32_t(u().add_const(std::move(c)))); }
  void emit_const_none() { emit_const(ConstValue{}); }
  static ConstValue str_const(const std::string& s) {
    ConstValue c;
    c.kind = ConstValue::Kind::Str;
    c.text = s;
    return c;
  }
  static ConstValue int_const(int64_t v) {
    ConstValue c;
    c.kind = ConstValue::Kind::Int;
    c.int_value = v;
    return c;
  }

  // ------------------------------------------------------------------ names

  enum class Access { Load, Store, Del };

  void name_op(const std::string& name, Access access) {
    Scope* scope = u().scope;
    NameScope where = scope->lookup(name);
    bool function = scope->kind == Scope::Kind::Function;
    auto pick = [&](Opcode load, Opcode store, Opcode del) {
      return access == Access::Load ? load : access == Access::Store ? store : del;
    };
    switch (where) {
      case NameScope::Local:
        if (function) {
          emit(pick(Opcode::LOAD_FAST, Opcode::STORE_FAST, Opcode::DELETE_FAST), uint32_t(u().varname_index(name)));
        } else {
          emit(pick(Opcode::LOAD_NAME, Opcode::STORE_NAME, Opcode::DELETE_NAME), uint32_t(u().add_name(name)));
        }
        return;
      case NameScope::GlobalExplicit:
        emit(pick(Opcode::LOAD_GLOBAL, Opcode::STORE_GLOBAL, Opcode::DELETE_GLOBAL), uint32_t(u().add_name(name)));
        return;
      case NameScope::GlobalImplicit:
        if (function)
          emit(pick(Opcode::LOAD_GLOBAL, Opcode::STORE_GLOBAL, Opcode::DELETE_GLOBAL), uint32_t(u().add_name(name)));
        else
          emit(pick(Opcode::LOAD_NAME, Opcode::STORE_NAME, Opcode::DELETE_NAME), uint32_t(u().add_name(name)));
        return;
      case NameScope::Free:
      case NameScope::Cell:
        if (scope->kind == Scope::Kind::Class && access == Access::Load) {
          emit(Opcode::LOAD_CLASSDEREF, uint32_t(u().deref_index(name)));
          return;
        }
        if (scope->kind == Scope::Kind::Class && where == NameScope::Cell) {
          // __class__ is the only cell of a class body and is never a plain variable.
          emit(pick(Opcode::LOAD_NAME, Opcode::STORE_NAME, Opcode::DELETE_NAME), uint32_t(u().add_name(name)));
          return;
        }
        emit(pick(Opcode::LOAD_DEREF, Opcode::STORE_DEREF, Opcode::DELETE_DEREF), uint32_t(u().deref_index(name)));
        return;
    }
  }

  // ------------------------------------------------------------------ statements

  static bool is_docstring(const ast::Stmt* s) {
    if (s->kind != ast::StmtKind::ExprStmt) return false;
    auto* e = static_cast<const ast::ExprStmt*>(s)->value;
    return e->kind == ast::ExprKind::Constant && static_cast<const ast::Constant*>(e)->ckind == ast::ConstKind::Str;
  }

  void body_with_docstring(const std::vector<ast::Stmt*>& body, bool store_doc) {
    size_t start = 0;
    if (!body.empty() && is_docstring(body[0]) && mode_ != ParseMode::Interactive) {
      if (store_doc) {
        set_line(body[0]);
        expr(static_cast<ast::ExprStmt*>(body[0])->value);
        name_op("__doc__", Access::Store);
      }
      start = 1;
    }
    for (size_t i = start; i < body.size(); i++) stmt(body[i]);
  }

  void stmts(const std::vector<ast::Stmt*>& body) {
    for (ast::Stmt* s : body) stmt(s);
  }

  void stmt(ast::Stmt* s) {
    set_line(s);
    using K = ast::StmtKind;
    switch (s->kind) {
      case K::FunctionDef: function_def(static_cast<ast::FunctionDef*>(s)); break;
      case K::ClassDef: class_def(static_cast<ast::ClassDef*>(s)); break;
      case K::Return: return_stmt(static_cast<ast::Return*>(s)); break;
      case K::Delete:
        for (ast::Expr* t : static_cast<ast::Delete*>(s)->targets) delete_target(t);
        break;
      case K::Assign: {
        auto* a = static_cast<ast::Assign*>(s);
        expr(a->value);
        for (size_t i = 0; i < a->targets.size(); i++) {
          if (i + 1 < a->targets.size()) emit(Opcode::COPY, 1);
          store_target(a->targets[i]);
        }
        break;
      }
      case K::AugAssign: aug_assign(static_cast<ast::AugAssign*>(s)); break;
      case K::AnnAssign: {
        auto* a = static_cast<ast::AnnAssign*>(s);
        if (a->value) {
          expr(a->value);
          store_target(a->target);
        }
        break;
      }
      case K::For: for_stmt(static_cast<ast::For*>(s)); break;
      case K::While: while_stmt(static_cast<ast::While*>(s)); break;
      case K::If: if_stmt(static_cast<ast::If*>(s)); break;
      case K::With: with_stmt(static_cast<ast::With*>(s), 0); break;
      case K::Raise: {
        auto* r = static_cast<ast::Raise*>(s);
        uint32_t n = 0;
        if (r->exc) {
          expr(r->exc);
          n = 1;
          if (r->cause) {
            expr(r->cause);
            n = 2;
          }
        }
        emit(Opcode::RAISE_VARARGS, n);
        break;
      }
      case K::Try: try_stmt(static_cast<ast::Try*>(s)); break;
      case K::Assert: {
        auto* a = static_cast<ast::Assert*>(s);
        Label ok = new_label();
        jump_if(a->test, ok, true);
        if (a->msg) {
          emit(Opcode::PUSH_NULL);
          emit(Opcode::LOAD_ASSERTION_ERROR);
          expr(a->msg);
          emit(Opcode::CALL, 1);
        } else {
          emit(Opcode::LOAD_ASSERTION_ERROR);
        }
        emit(Opcode::RAISE_VARARGS, 1);
        place(ok);
        break;
      }
      case K::Import: import_stmt(static_cast<ast::Import*>(s)); break;
      case K::ImportFrom: import_from(static_cast<ast::ImportFrom*>(s)); break;
      case K::Global:
      case K::Nonlocal:
      case K::Pass:
        break;
      case K::ExprStmt: {
        auto* e = static_cast<ast::ExprStmt*>(s)->value;
        if (mode_ == ParseMode::Interactive && units_.size() == 1) {
          expr(e);
          emit(Opcode::PRINT_EXPR);
        } else if (e->kind == ast::ExprKind::Constant) {
          // A bare constant (a docstring in the middle of code) does nothing.
        } else {
          expr(e);
          emit(Opcode::POP_TOP);
        }
        break;
      }
      case K::Break: break_stmt(s); break;
      case K::Continue: continue_stmt(s); break;
    }
  }

  // Emits what leaving `block` requires. With preserve_tos, a value on top of the stack
  // (a return value) stays on top.
  void unwind(const Block& block, bool preserve_tos) {
    switch (block.kind) {
      case BlockKind::WhileLoop:
        break;
      case BlockKind::ForLoop:
        if (preserve_tos) emit(Opcode::SWAP, 2);
        emit(Opcode::POP_TOP);
        break;
      case BlockKind::TryExcept:
        emit(Opcode::POP_BLOCK);
        break;
      case BlockKind::FinallyTry:
        // unwind_to has already removed this block, so the finally body compiles with
        // only the outer blocks active.
        emit(Opcode::POP_BLOCK);
        u().setup_depth--;
        stmts(*block.finalbody);
        u().setup_depth++;
        break;
      case BlockKind::FinallyEnd:
        if (preserve_tos) emit(Opcode::SWAP, 2);
        emit(Opcode::POP_TOP);   // the exception
        if (preserve_tos) emit(Opcode::SWAP, 2);
        emit(Opcode::POP_EXCEPT);
        break;
      case BlockKind::HandlerCleanup:
        if (preserve_tos) emit(Opcode::SWAP, 2);
        emit(Opcode::POP_EXCEPT);
        if (!block.handler_name.empty()) clear_handler_name(block.handler_name);
        break;
      case BlockKind::With:
        emit(Opcode::POP_BLOCK);
        if (preserve_tos) emit(Opcode::SWAP, 2);
        call_exit_with_nones(block.is_async);
        break;
    }
  }

  // Emits the unwinding of blocks from the innermost outwards. For break and continue it
  // stops at the innermost loop and returns it (nullopt if there is none); for return it
  // unwinds every block.
  std::optional<Block> unwind_to(bool to_loop, bool preserve_tos) {
    std::vector<Block> saved = u().blocks;
    int saved_depth = u().setup_depth;
    std::optional<Block> loop;
    for (size_t i = saved.size(); i > 0; i--) {
      const Block& block = saved[i - 1];
      if (to_loop && (block.kind == BlockKind::WhileLoop || block.kind == BlockKind::ForLoop)) {
        loop = block;
        break;
      }
      // What leaving this block needs is compiled with only the outer blocks active.
      u().blocks.resize(i - 1);
      unwind(block, preserve_tos);
    }
    u().blocks = saved;
    u().setup_depth = saved_depth;
    return loop;
  }

  void break_stmt(ast::Stmt* s) {
    std::optional<Block> loop = unwind_to(true, false);
    if (!loop) fail("'break' outside loop", s->pos);
    if (loop->kind == BlockKind::ForLoop) emit(Opcode::POP_TOP);
    emit_jump(Opcode::JUMP, loop->break_target);
  }

  void continue_stmt(ast::Stmt* s) {
    std::optional<Block> loop = unwind_to(true, false);
    if (!loop) fail("'continue' not properly in loop", s->pos);
    emit_jump(Opcode::JUMP_BACKWARD, loop->continue_target);
  }

  void return_stmt(ast::Return* r) {
    if (u().scope->kind != Scope::Kind::Function) fail("'return' outside function", r->pos);
    if (r->value) {
      expr(r->value);
    } else {
      emit_const_none();
    }
    set_line(r);
    unwind_to(false, true);
    emit(Opcode::RETURN_VALUE);
  }

  void call_exit_with_nones(bool is_async) {
    // [exit] -> exit(None, None, None), awaited for `async with`; result discarded.
    emit(Opcode::PUSH_NULL);
    emit(Opcode::SWAP, 2);
    emit_const_none();
    emit_const_none();
    emit_const_none();
    emit(Opcode::CALL, 3);
    if (is_async) emit_await();
    emit(Opcode::POP_TOP);
  }

  // [value] -> [the value sent in]: `yield`. An async generator wraps what it yields, so
  // that its consumer can tell it from what an `await` in its body passes out.
  void emit_yield() {
    if (u().code->flags & kCodeAsyncGenerator) emit(Opcode::ASYNC_GEN_WRAP);
    emit(Opcode::YIELD_VALUE);
  }

  // [awaitable] -> [its result]: what `await` compiles to.
  void emit_await() {
    emit(Opcode::GET_AWAITABLE);
    emit_const_none();
    emit(Opcode::YIELD_FROM);
  }

  // The head of an `async for` or async comprehension step, with the async iterator on
  // the stack: awaits __anext__() and jumps to `handler` on any exception, where
  // END_ASYNC_FOR ends the loop on StopAsyncIteration and re-raises anything else.
  void async_for_next(Label handler) {
    emit_jump(Opcode::SETUP_FINALLY, handler);
    push_block(Block{BlockKind::TryExcept}, true);
    emit(Opcode::GET_ANEXT);
    emit_await();
    pop_block(true);
    emit(Opcode::POP_BLOCK);
  }

  void clear_handler_name(const std::string& name) {
    emit_const_none();
    name_op(name, Access::Store);
    name_op(name, Access::Del);
  }

  void push_block(Block b, bool runtime_block) {
    u().blocks.push_back(std::move(b));
    if (runtime_block) {
      u().setup_depth++;
      u().code->maxblocks = std::max(u().code->maxblocks, u().setup_depth + 1);
    }
  }
  void pop_block(bool runtime_block) {
    u().blocks.pop_back();
    if (runtime_block) u().setup_depth--;
  }

  void if_stmt(ast::If* s) {
    Label end = new_label();
    Label orelse = s->orelse.empty() ? end : new_label();
    jump_if(s->test, orelse, false);
    stmts(s->body);
    if (!s->orelse.empty()) {
      emit_jump(Opcode::JUMP, end);
      place(orelse);
      stmts(s->orelse);
    }
    place(end);
  }

  static bool is_constant_true(const ast::Expr* e) {
    if (e->kind != ast::ExprKind::Constant) return false;
    auto* c = static_cast<const ast::Constant*>(e);
    return c->ckind == ast::ConstKind::True || (c->ckind == ast::ConstKind::Int && c->int_value != 0);
  }

  void while_stmt(ast::While* s) {
    Label loop = new_label(), orelse = new_label(), end = new_label();
    place(loop);
    if (!is_constant_true(s->test)) jump_if(s->test, orelse, false);
    push_block(Block{BlockKind::WhileLoop, loop, end}, false);
    stmts(s->body);
    pop_block(false);
    set_line(s);
    emit_jump(Opcode::JUMP_BACKWARD, loop);
    place(orelse);
    stmts(s->orelse);
    place(end);
  }

  // `for` keeps its iterator on the stack and steps it with FOR_ITER; `async for` keeps
  // an async iterator there and awaits __anext__() (async_for_next), ending at the
  // handler's END_ASYNC_FOR.
  void for_stmt(ast::For* s) {
    Label loop = new_label(), exhausted = new_label(), end = new_label();
    expr(s->iter);
    emit(s->is_async ? Opcode::GET_AITER : Opcode::GET_ITER);
    place(loop);
    set_line(s);
    if (s->is_async) async_for_next(exhausted);
    else emit_jump(Opcode::FOR_ITER, exhausted);
    store_target(s->target);
    push_block(Block{BlockKind::ForLoop, loop, end}, false);
    stmts(s->body);
    pop_block(false);
    set_line(s);
    emit_jump(Opcode::JUMP_BACKWARD, loop);
    place(exhausted);
    if (s->is_async) emit(Opcode::END_ASYNC_FOR);   // [async iterator, prev, exc]
    stmts(s->orelse);
    place(end);
  }

  void try_stmt(ast::Try* s) {
    if (!s->finalbody.empty()) {
      try_finally(s);
    } else {
      try_except(s);
    }
  }

  void try_finally(ast::Try* s) {
    Label handler = new_label(), end = new_label();
    emit_jump(Opcode::SETUP_FINALLY, handler);
    Block b{BlockKind::FinallyTry};
    b.finalbody = &s->finalbody;
    push_block(b, true);
    if (!s->handlers.empty()) try_except(s);
    else stmts(s->body);
    pop_block(true);
    emit(Opcode::POP_BLOCK);
    stmts(s->finalbody);
    emit_jump(Opcode::JUMP, end);
    // Exceptional path: [prev, exc] with a handler block.
    place(handler);
    push_block(Block{BlockKind::FinallyEnd}, true);
    stmts(s->finalbody);
    pop_block(true);
    emit(Opcode::RERAISE);
    place(end);
  }

  void try_except(ast::Try* s) {
    Label handler = new_label(), orelse = new_label(), end = new_label();
    emit_jump(Opcode::SETUP_FINALLY, handler);
    push_block(Block{BlockKind::TryExcept}, true);
    stmts(s->body);
    pop_block(true);
    emit(Opcode::POP_BLOCK);
    emit_jump(Opcode::JUMP, orelse);

    place(handler);   // [prev, exc]
    for (size_t i = 0; i < s->handlers.size(); i++) {
      ast::ExceptHandler* h = s->handlers[i];
      set_line(h);
      if (!h->type && i + 1 < s->handlers.size()) fail("default 'except:' must be last", h->pos);
      Label next = new_label();
      if (h->type) {
        expr(h->type);
        emit(Opcode::CHECK_EXC_MATCH);
        emit_jump(Opcode::POP_JUMP_IF_FALSE, next);
      }
      if (!h->name.empty()) name_op(h->name, Access::Store);
      else emit(Opcode::POP_TOP);
      Block cleanup{BlockKind::HandlerCleanup};
      cleanup.handler_name = h->name;
      // The handler block pushed by the VM is live while the clause runs.
      push_block(cleanup, true);
      stmts(h->body);
      pop_block(true);
      emit(Opcode::POP_EXCEPT);
      if (!h->name.empty()) clear_handler_name(h->name);
      emit_jump(Opcode::JUMP, end);
      place(next);
    }
    emit(Opcode::RERAISE);   // no clause matched: [prev, exc]
    place(orelse);
    stmts(s->orelse);
    place(end);
  }

  void with_stmt(ast::With* s, size_t item_index) {
    ast::WithItem* item = s->items[item_index];
    Label handler = new_label(), end = new_label(), suppress = new_label();
    set_line(s);
    expr(item->context_expr);
    if (s->is_async) {
      emit(Opcode::BEFORE_ASYNC_WITH);   // [mgr] -> [__aexit__, __aenter__()]
      emit_await();
      emit_jump(Opcode::SETUP_ASYNC_WITH, handler);
    } else {
      emit_jump(Opcode::SETUP_WITH, handler);
    }
    Block with_block{BlockKind::With};
    with_block.is_async = s->is_async;
    push_block(with_block, true);
    if (item->optional_vars) store_target(item->optional_vars);
    else emit(Opcode::POP_TOP);
    if (item_index + 1 < s->items.size()) with_stmt(s, item_index + 1);
    else stmts(s->body);
    pop_block(true);
    set_line(s);
    emit(Opcode::POP_BLOCK);
    call_exit_with_nones(s->is_async);
    emit_jump(Opcode::JUMP, end);

    place(handler);   // [exit, prev, exc]
    emit(Opcode::WITH_EXCEPT_START);
    if (s->is_async) emit_await();
    emit_jump(Opcode::POP_JUMP_IF_TRUE, suppress);
    emit(Opcode::RERAISE);
    place(suppress);  // [exit, prev, exc]
    emit(Opcode::POP_TOP);
    emit(Opcode::POP_EXCEPT);
    emit(Opcode::POP_TOP);
    place(end);
  }

  void import_stmt(ast::Import* s) {
    for (ast::Alias* a : s->names) {
      emit_const(int_const(0));
      emit_const_none();
      emit(Opcode::IMPORT_NAME, uint32_t(u().add_name(a->name)));
      if (a->asname.empty()) {
        name_op(a->name.substr(0, a->name.find('.')), Access::Store);
      } else {
        // `import a.b.c as m` binds the submodule: walk down from the top package.
        size_t start = a->name.find('.');
        while (start != std::string::npos) {
          size_t next = a->name.find('.', start + 1);
          std::string part = a->name.substr(start + 1, next == std::string::npos ? std::string::npos : next - start - 1);
          emit(Opcode::IMPORT_FROM, uint32_t(u().add_name(part)));
          emit(Opcode::SWAP, 2);
          emit(Opcode::POP_TOP);
          start = next;
        }
        name_op(a->asname, Access::Store);
      }
    }
  }

  void import_from(ast::ImportFrom* s) {
    ConstValue fromlist;
    fromlist.kind = ConstValue::Kind::Tuple;
    for (ast::Alias* a : s->names) fromlist.items.push_back(str_const(a->name));
    emit_const(int_const(s->level));
    emit_const(fromlist);
    emit(Opcode::IMPORT_NAME, uint32_t(u().add_name(s->module)));
    if (s->names.size() == 1 && s->names[0]->name == "*") {
      emit(Opcode::IMPORT_STAR);
      return;
    }
    for (ast::Alias* a : s->names) {
      emit(Opcode::IMPORT_FROM, uint32_t(u().add_name(a->name)));
      name_op(a->asname.empty() ? a->name : a->asname, Access::Store);
    }
    emit(Opcode::POP_TOP);
  }

  // ------------------------------------------------------------------ functions, classes

  std::string child_qualname(const std::string& name) {
    Unit& parent = u();
    if (parent.scope->kind == Scope::Kind::Module) return name;
    if (parent.scope->kind == Scope::Kind::Function) return parent.qualname + ".<locals>." + name;
    return parent.qualname + "." + name;
  }

  // Pushes the defaults tuple, kwdefaults dict and closure tuple, then the code, and emits
  // MAKE_FUNCTION.
  void make_function(std::shared_ptr<CodeUnit> code, ast::Arguments* args) {
    uint32_t flags = 0;
    if (args && !args->defaults.empty()) {
      for (ast::Expr* d : args->defaults) expr(d);
      emit(Opcode::BUILD_TUPLE, uint32_t(args->defaults.size()));
      flags |= 1;
    }
    if (args) {
      int n = 0;
      for (size_t i = 0; i < args->kwonlyargs.size(); i++) {
        if (!args->kw_defaults[i]) continue;
        emit_const(str_const(args->kwonlyargs[i]->arg));
        expr(args->kw_defaults[i]);
        n++;
      }
      if (n) {
        emit(Opcode::BUILD_MAP, uint32_t(n));
        flags |= 2;
      }
    }
    if (!code->freevars.empty()) {
      for (const std::string& name : code->freevars) emit(Opcode::LOAD_CLOSURE, uint32_t(u().deref_index(name)));
      emit(Opcode::BUILD_TUPLE, uint32_t(code->freevars.size()));
      flags |= 4;
    }
    ConstValue c;
    c.kind = ConstValue::Kind::Code;
    c.code = std::move(code);
    emit_const(c);
    emit(Opcode::MAKE_FUNCTION, flags);
  }

  void set_signature(CodeUnit& c, ast::Arguments* args) {
    c.posonlyargcount = int(args->posonlyargs.size());
    c.argcount = int(args->posonlyargs.size() + args->args.size());
    c.kwonlyargcount = int(args->kwonlyargs.size());
  }

  std::shared_ptr<CodeUnit> function_body(const ast::Node* node, const std::string& name, ast::Arguments* args,
                                          const std::vector<ast::Stmt*>* body, ast::Expr* lambda_body, int line) {
    Scope* scope = table_.scopes.at(node);
    enter_unit(scope, name, child_qualname(name), line);
    set_signature(*u().code, args);
    if (body) {
      // A docstring is the function's first constant (flagged so MAKE_FUNCTION uses it).
      if (!body->empty() && is_docstring((*body)[0])) {
        auto* c = static_cast<ast::Constant*>(static_cast<ast::ExprStmt*>((*body)[0])->value);
        u().add_const(str_const(c->text));
        u().code->flags |= kCodeHasDocstring;
      }
      body_with_docstring(*body, false);
      emit_const_none();
      emit(Opcode::RETURN_VALUE);
    } else {
      expr(lambda_body);
      emit(Opcode::RETURN_VALUE);
    }
    return leave_unit();
  }

  void function_def(ast::FunctionDef* f) {
    for (ast::Expr* d : f->decorators) {
      emit(Opcode::PUSH_NULL);
      expr(d);
    }
    set_line(f);
    auto code = function_body(f, f->name, f->args, &f->body, nullptr, f->pos.line);
    make_function(code, f->args);
    for (size_t i = 0; i < f->decorators.size(); i++) emit(Opcode::CALL, 1);
    name_op(f->name, Access::Store);
  }

  void class_def(ast::ClassDef* c) {
    for (ast::Expr* d : c->decorators) {
      emit(Opcode::PUSH_NULL);
      expr(d);
    }
    set_line(c);
    Scope* scope = table_.scopes.at(c);
    enter_unit(scope, c->name, child_qualname(c->name), c->pos.line);
    name_op("__name__", Access::Load);
    name_op("__module__", Access::Store);
    emit_const(str_const(u().qualname));
    name_op("__qualname__", Access::Store);
    body_with_docstring(c->body, true);
    if (scope->needs_class_cell) {
      emit(Opcode::LOAD_CLOSURE, uint32_t(u().deref_index("__class__")));
      name_op("__classcell__", Access::Store);
    }
    emit_const_none();
    emit(Opcode::RETURN_VALUE);
    auto code = leave_unit();

    emit(Opcode::PUSH_NULL);
    emit(Opcode::LOAD_BUILD_CLASS);
    make_function(code, nullptr);
    emit_const(str_const(c->name));
    call_arguments(c->bases, c->keywords, 2, c);
    for (size_t i = 0; i < c->decorators.size(); i++) emit(Opcode::CALL, 1);
    name_op(c->name, Access::Store);
  }

  // ------------------------------------------------------------------ assignment

  void store_target(ast::Expr* t) {
    set_line(t);
    using K = ast::ExprKind;
    switch (t->kind) {
      case K::Name:
        name_op(static_cast<ast::Name*>(t)->id, Access::Store);
        break;
      case K::Attribute: {
        auto* a = static_cast<ast::Attribute*>(t);
        expr(a->value);
        emit(Opcode::STORE_ATTR, uint32_t(u().add_name(a->attr)));
        break;
      }
      case K::Subscript: {
        auto* s = static_cast<ast::Subscript*>(t);
        expr(s->value);
        expr(s->slice);
        emit(Opcode::STORE_SUBSCR);
        break;
      }
      case K::Tuple:
      case K::List: {
        const auto& elts = t->kind == K::Tuple ? static_cast<ast::TupleExpr*>(t)->elts
                                               : static_cast<ast::ListExpr*>(t)->elts;
        unpack_into(elts, t);
        break;
      }
      case K::Starred:
        fail("starred assignment target must be in a list or tuple", t->pos);
      default:
        fail("cannot assign to expression", t->pos);
    }
  }

  void unpack_into(const std::vector<ast::Expr*>& elts, ast::Expr* where) {
    size_t star = elts.size();
    for (size_t i = 0; i < elts.size(); i++) {
      if (elts[i]->kind == ast::ExprKind::Starred) {
        if (star != elts.size()) fail("multiple starred expressions in assignment", elts[i]->pos);
        star = i;
      }
    }
    if (star == elts.size()) {
      emit(Opcode::UNPACK_SEQUENCE, uint32_t(elts.size()));
    } else {
      size_t after = elts.size() - star - 1;
      if (star > 255 || after > 0xffff) fail("too many expressions in star-unpacking assignment", where->pos);
      emit(Opcode::UNPACK_EX, uint32_t(star | (after << 8)));
    }
    for (ast::Expr* e : elts) {
      if (e->kind == ast::ExprKind::Starred) store_target(static_cast<ast::Starred*>(e)->value);
      else store_target(e);
    }
  }

  void delete_target(ast::Expr* t) {
    set_line(t);
    using K = ast::ExprKind;
    switch (t->kind) {
      case K::Name:
        name_op(static_cast<ast::Name*>(t)->id, Access::Del);
        break;
      case K::Attribute: {
        auto* a = static_cast<ast::Attribute*>(t);
        expr(a->value);
        emit(Opcode::DELETE_ATTR, uint32_t(u().add_name(a->attr)));
        break;
      }
      case K::Subscript: {
        auto* s = static_cast<ast::Subscript*>(t);
        expr(s->value);
        expr(s->slice);
        emit(Opcode::DELETE_SUBSCR);
        break;
      }
      case K::Tuple:
        for (ast::Expr* e : static_cast<ast::TupleExpr*>(t)->elts) delete_target(e);
        break;
      case K::List:
        for (ast::Expr* e : static_cast<ast::ListExpr*>(t)->elts) delete_target(e);
        break;
      default:
        fail("cannot delete expression", t->pos);
    }
  }

  static uint32_t binary_arg(ast::Operator op) {
    static const BinaryOp map[] = {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::TrueDiv,
                                   BinaryOp::FloorDiv, BinaryOp::Mod, BinaryOp::Pow, BinaryOp::LShift,
                                   BinaryOp::RShift, BinaryOp::And, BinaryOp::Or, BinaryOp::Xor,
                                   BinaryOp::MatMul};
    return uint32_t(map[int(op)]);
  }

  void aug_assign(ast::AugAssign* s) {
    uint32_t op = binary_arg(s->op) | kInplaceFlag;
    using K = ast::ExprKind;
    switch (s->target->kind) {
      case K::Name: {
        auto* n = static_cast<ast::Name*>(s->target);
        name_op(n->id, Access::Load);
        expr(s->value);
        set_line(s);
        emit(Opcode::BINARY_OP, op);
        name_op(n->id, Access::Store);
        break;
      }
      case K::Attribute: {
        auto* a = static_cast<ast::Attribute*>(s->target);
        int name = u().add_name(a->attr);
        expr(a->value);
        emit(Opcode::COPY, 1);
        emit(Opcode::LOAD_ATTR, uint32_t(name));
        expr(s->value);
        set_line(s);
        emit(Opcode::BINARY_OP, op);
        emit(Opcode::SWAP, 2);
        emit(Opcode::STORE_ATTR, uint32_t(name));
        break;
      }
      case K::Subscript: {
        auto* sub = static_cast<ast::Subscript*>(s->target);
        expr(sub->value);
        expr(sub->slice);
        emit(Opcode::COPY, 2);
        emit(Opcode::COPY, 2);
        emit(Opcode::BINARY_SUBSCR);
        expr(s->value);
        set_line(s);
        emit(Opcode::BINARY_OP, op);
        emit(Opcode::STORE_SUBSCR, 1);   // [container, key, value]
        break;
      }
      default:
        fail("'" + std::string("expression") + "' is an illegal expression for augmented assignment", s->target->pos);
    }
  }

  // ------------------------------------------------------------------ expressions

  // Jumps to `target` when e's truth equals `when`; falls through otherwise. Avoids
  // materialising booleans for `not`, `and`, `or` and comparisons.
  void jump_if(ast::Expr* e, Label target, bool when) {
    using K = ast::ExprKind;
    if (e->kind == K::UnaryOp && static_cast<ast::UnaryOpExpr*>(e)->op == ast::UnaryOperator::Not) {
      jump_if(static_cast<ast::UnaryOpExpr*>(e)->operand, target, !when);
      return;
    }
    if (e->kind == K::BoolOp) {
      auto* b = static_cast<ast::BoolOp*>(e);
      bool is_or = b->op == ast::BoolOperator::Or;
      if (is_or == when) {
        // `a or b` jumps when any is true; `a and b` jumps when any is false.
        for (ast::Expr* v : b->values) jump_if(v, target, when);
      } else {
        Label skip = new_label();
        for (size_t i = 0; i + 1 < b->values.size(); i++) jump_if(b->values[i], skip, !when);
        jump_if(b->values.back(), target, when);
        place(skip);
      }
      return;
    }
    expr(e);
    emit_jump(when ? Opcode::POP_JUMP_IF_TRUE : Opcode::POP_JUMP_IF_FALSE, target);
  }

  void expr(ast::Expr* e) {
    int saved_line = u().current_line;
    set_line(e);
    expr_inner(e);
    u().current_line = saved_line;
  }

  static bool constant_of(const ast::Expr* e, ConstValue* out) {
    if (e->kind != ast::ExprKind::Constant) return false;
    auto* c = static_cast<const ast::Constant*>(e);
    ConstValue v;
    switch (c->ckind) {
      case ast::ConstKind::None: v.kind = ConstValue::Kind::None; break;
      case ast::ConstKind::True: v.kind = ConstValue::Kind::True; break;
      case ast::ConstKind::False: v.kind = ConstValue::Kind::False; break;
      case ast::ConstKind::Ellipsis: v.kind = ConstValue::Kind::Ellipsis; break;
      case ast::ConstKind::Int: v.kind = ConstValue::Kind::Int; v.int_value = c->int_value; break;
      case ast::ConstKind::BigInt: v.kind = ConstValue::Kind::BigInt; v.text = c->text; break;
      case ast::ConstKind::Float: v.kind = ConstValue::Kind::Float; v.float_value = c->float_value; break;
      case ast::ConstKind::Str: v.kind = ConstValue::Kind::Str; v.text = c->text; break;
      case ast::ConstKind::Bytes: v.kind = ConstValue::Kind::Bytes; v.text = c->text; break;
    }
    *out = std::move(v);
    return true;
  }

  // A tuple display whose elements are all constants becomes one constant.
  static bool constant_tuple(const std::vector<ast::Expr*>& elts, ConstValue* out) {
    ConstValue t;
    t.kind = ConstValue::Kind::Tuple;
    for (ast::Expr* e : elts) {
      ConstValue c;
      if (!constant_of(e, &c)) return false;
      t.items.push_back(std::move(c));
    }
    *out = std::move(t);
    return true;
  }

  static bool has_starred(const std::vector<ast::Expr*>& elts) {
    for (ast::Expr* e : elts)
      if (e->kind == ast::ExprKind::Starred) return true;
    return false;
  }

  // Builds a list from elements that may include *starred ones: BUILD_LIST, LIST_EXTEND.
  void starred_list(const std::vector<ast::Expr*>& elts) {
    size_t pending = 0;
    bool built = false;
    for (ast::Expr* e : elts) {
      if (e->kind == ast::ExprKind::Starred) {
        if (!built) {
          emit(Opcode::BUILD_LIST, uint32_t(pending));
          built = true;
        } else if (pending) {
          emit(Opcode::BUILD_LIST, uint32_t(pending));
          emit(Opcode::LIST_EXTEND, 1);
        }
        pending = 0;
        expr(static_cast<ast::Starred*>(e)->value);
        emit(Opcode::LIST_EXTEND, 1);
      } else {
        expr(e);
        pending++;
      }
    }
    if (!built) {
      emit(Opcode::BUILD_LIST, uint32_t(pending));
    } else if (pending) {
      emit(Opcode::BUILD_LIST, uint32_t(pending));
      emit(Opcode::LIST_EXTEND, 1);
    }
  }

  void expr_inner(ast::Expr* e) {
    using K = ast::ExprKind;
    switch (e->kind) {
      case K::Name:
        name_op(static_cast<ast::Name*>(e)->id, Access::Load);
        break;
      case K::Constant: {
        ConstValue c;
        constant_of(e, &c);
        emit_const(std::move(c));
        break;
      }
      case K::JoinedStr: {
        auto* j = static_cast<ast::JoinedStr*>(e);
        if (j->values.empty()) {
          emit_const(str_const(""));
          break;
        }
        for (ast::Expr* v : j->values) expr(v);
        if (j->values.size() > 1 || j->values[0]->kind != K::FormattedValue)
          emit(Opcode::BUILD_STRING, uint32_t(j->values.size()));
        break;
      }
      case K::FormattedValue: {
        auto* f = static_cast<ast::FormattedValue*>(e);
        expr(f->value);
        uint32_t flags = f->conversion == 's' ? 1 : f->conversion == 'r' ? 2 : f->conversion == 'a' ? 3 : 0;
        if (f->format_spec) {
          expr(f->format_spec);
          flags |= 4;
        }
        emit(Opcode::FORMAT_VALUE, flags);
        break;
      }
      case K::BinOp: {
        auto* b = static_cast<ast::BinOp*>(e);
        expr(b->left);
        expr(b->right);
        set_line(b);
        emit(Opcode::BINARY_OP, binary_arg(b->op));
        break;
      }
      case K::UnaryOp: {
        auto* un = static_cast<ast::UnaryOpExpr*>(e);
        // Fold -<number> so that negative literals are constants.
        if (un->op == ast::UnaryOperator::USub && un->operand->kind == K::Constant) {
          auto* c = static_cast<ast::Constant*>(un->operand);
          if (c->ckind == ast::ConstKind::Int && c->int_value != INT64_MIN) {
            emit_const(int_const(-c->int_value));
            break;
          }
          if (c->ckind == ast::ConstKind::Float) {
            ConstValue f;
            f.kind = ConstValue::Kind::Float;
            f.float_value = -c->float_value;
            emit_const(f);
            break;
          }
        }
        expr(un->operand);
        switch (un->op) {
          case ast::UnaryOperator::Not: emit(Opcode::UNARY_NOT); break;
          case ast::UnaryOperator::USub: emit(Opcode::UNARY_NEGATIVE); break;
          case ast::UnaryOperator::UAdd: emit(Opcode::UNARY_POSITIVE); break;
          case ast::UnaryOperator::Invert: emit(Opcode::UNARY_INVERT); break;
        }
        break;
      }
      case K::BoolOp: {
        auto* b = static_cast<ast::BoolOp*>(e);
        Label end = new_label();
        Opcode jump = b->op == ast::BoolOperator::And ? Opcode::JUMP_IF_FALSE_OR_POP : Opcode::JUMP_IF_TRUE_OR_POP;
        for (size_t i = 0; i < b->values.size(); i++) {
          expr(b->values[i]);
          if (i + 1 < b->values.size()) emit_jump(jump, end);
        }
        place(end);
        break;
      }
      case K::Compare: compare(static_cast<ast::Compare*>(e)); break;
      case K::Call: call(static_cast<ast::Call*>(e)); break;
      case K::Attribute: {
        auto* a = static_cast<ast::Attribute*>(e);
        expr(a->value);
        set_line(a);
        emit(Opcode::LOAD_ATTR, uint32_t(u().add_name(a->attr)));
        break;
      }
      case K::Subscript: {
        auto* s = static_cast<ast::Subscript*>(e);
        expr(s->value);
        expr(s->slice);
        set_line(s);
        emit(Opcode::BINARY_SUBSCR);
        break;
      }
      case K::Slice: {
        auto* s = static_cast<ast::SliceExpr*>(e);
        if (s->lower) expr(s->lower); else emit_const_none();
        if (s->upper) expr(s->upper); else emit_const_none();
        if (s->step) {
          expr(s->step);
          emit(Opcode::BUILD_SLICE, 3);
        } else {
          emit(Opcode::BUILD_SLICE, 2);
        }
        break;
      }
      case K::Starred:
        fail("can't use starred expression here", e->pos);
      case K::List: {
        auto* l = static_cast<ast::ListExpr*>(e);
        if (has_starred(l->elts)) {
          starred_list(l->elts);
        } else {
          for (ast::Expr* x : l->elts) expr(x);
          emit(Opcode::BUILD_LIST, uint32_t(l->elts.size()));
        }
        break;
      }
      case K::Tuple: {
        auto* t = static_cast<ast::TupleExpr*>(e);
        ConstValue c;
        if (constant_tuple(t->elts, &c)) {
          emit_const(std::move(c));
        } else if (has_starred(t->elts)) {
          starred_list(t->elts);
          emit(Opcode::LIST_TO_TUPLE);
        } else {
          for (ast::Expr* x : t->elts) expr(x);
          emit(Opcode::BUILD_TUPLE, uint32_t(t->elts.size()));
        }
        break;
      }
      case K::Set: {
        auto* s = static_cast<ast::SetExpr*>(e);
        ConstValue folded;
        if (s->elts.size() >= 3 && constant_tuple(s->elts, &folded)) {
          // As CPython does: a constant frozenset merged into a new set (which also gives
          // the same iteration order as CPython's).
          folded.kind = ConstValue::Kind::FrozenSet;
          emit(Opcode::BUILD_SET, 0);
          emit_const(std::move(folded));
          emit(Opcode::SET_UPDATE, 1);
          break;
        }
        if (has_starred(s->elts)) {
          emit(Opcode::BUILD_SET, 0);
          for (ast::Expr* x : s->elts) {
            if (x->kind == K::Starred) {
              expr(static_cast<ast::Starred*>(x)->value);
              emit(Opcode::SET_UPDATE, 1);
            } else {
              expr(x);
              emit(Opcode::SET_ADD, 1);
            }
          }
        } else {
          for (ast::Expr* x : s->elts) expr(x);
          emit(Opcode::BUILD_SET, uint32_t(s->elts.size()));
        }
        break;
      }
      case K::Dict: {
        auto* d = static_cast<ast::DictExpr*>(e);
        size_t pending = 0;
        bool built = false;
        for (size_t i = 0; i < d->keys.size(); i++) {
          if (!d->keys[i]) {
            if (!built || pending) {
              emit(Opcode::BUILD_MAP, uint32_t(pending));
              if (built) emit(Opcode::DICT_UPDATE, 1);
              built = true;
              pending = 0;
            }
            expr(d->values[i]);
            emit(Opcode::DICT_UPDATE, 1);
          } else {
            expr(d->keys[i]);
            expr(d->values[i]);
            pending++;
          }
        }
        if (!built) {
          emit(Opcode::BUILD_MAP, uint32_t(pending));
        } else if (pending) {
          emit(Opcode::BUILD_MAP, uint32_t(pending));
          emit(Opcode::DICT_UPDATE, 1);
        }
        break;
      }
      case K::ListComp:
      case K::SetComp:
      case K::DictComp:
      case K::GeneratorExp:
        comprehension(static_cast<ast::Comp*>(e));
        break;
      case K::Lambda: {
        auto* l = static_cast<ast::Lambda*>(e);
        auto code = function_body(l, "<lambda>", l->args, nullptr, l->body, l->pos.line);
        make_function(code, l->args);
        break;
      }
      case K::IfExp: {
        auto* i = static_cast<ast::IfExp*>(e);
        Label orelse = new_label(), end = new_label();
        jump_if(i->test, orelse, false);
        expr(i->body);
        emit_jump(Opcode::JUMP, end);
        place(orelse);
        expr(i->orelse);
        place(end);
        break;
      }
      case K::Yield: {
        auto* y = static_cast<ast::Yield*>(e);
        if (y->value) expr(y->value); else emit_const_none();
        emit_yield();
        break;
      }
      case K::YieldFrom:
        expr(static_cast<ast::YieldFrom*>(e)->value);
        emit(Opcode::GET_YIELD_FROM_ITER);
        emit_const_none();
        emit(Opcode::YIELD_FROM);
        break;
      case K::Await:
        expr(static_cast<ast::Await*>(e)->value);
        emit_await();
        break;
      case K::NamedExpr: {
        auto* n = static_cast<ast::NamedExpr*>(e);
        expr(n->value);
        emit(Opcode::COPY, 1);
        name_op(n->target->id, Access::Store);
        break;
      }
    }
  }

  static uint32_t compare_arg(ast::CmpOp op, Opcode* opcode) {
    switch (op) {
      case ast::CmpOp::Eq: *opcode = Opcode::COMPARE_OP; return uint32_t(CompareOp::Eq);
      case ast::CmpOp::NotEq: *opcode = Opcode::COMPARE_OP; return uint32_t(CompareOp::Ne);
      case ast::CmpOp::Lt: *opcode = Opcode::COMPARE_OP; return uint32_t(CompareOp::Lt);
      case ast::CmpOp::LtE: *opcode = Opcode::COMPARE_OP; return uint32_t(CompareOp::Le);
      case ast::CmpOp::Gt: *opcode = Opcode::COMPARE_OP; return uint32_t(CompareOp::Gt);
      case ast::CmpOp::GtE: *opcode = Opcode::COMPARE_OP; return uint32_t(CompareOp::Ge);
      case ast::CmpOp::Is: *opcode = Opcode::IS_OP; return 0;
      case ast::CmpOp::IsNot: *opcode = Opcode::IS_OP; return 1;
      case ast::CmpOp::In: *opcode = Opcode::CONTAINS_OP; return 0;
      case ast::CmpOp::NotIn: *opcode = Opcode::CONTAINS_OP; return 1;
    }
    return 0;
  }

  void compare(ast::Compare* c) {
    expr(c->left);
    size_t n = c->ops.size();
    Opcode op;
    if (n == 1) {
      expr(c->comparators[0]);
      set_line(c);
      uint32_t arg = compare_arg(c->ops[0], &op);
      emit(op, arg);
      return;
    }
    // a < b < c: each middle operand is kept for the next comparison.
    Label cleanup = new_label(), end = new_label();
    for (size_t i = 0; i + 1 < n; i++) {
      expr(c->comparators[i]);
      emit(Opcode::SWAP, 2);
      emit(Opcode::COPY, 2);
      uint32_t arg = compare_arg(c->ops[i], &op);
      emit(op, arg);
      emit_jump(Opcode::JUMP_IF_FALSE_OR_POP, cleanup);
    }
    expr(c->comparators[n - 1]);
    uint32_t arg = compare_arg(c->ops[n - 1], &op);
    emit(op, arg);
    emit_jump(Opcode::JUMP, end);
    place(cleanup);
    emit(Opcode::SWAP, 2);
    emit(Opcode::POP_TOP);
    place(end);
  }

  void call(ast::Call* c) {
    bool simple = !has_starred(c->args);
    for (ast::Keyword* k : c->keywords)
      if (k->arg.empty()) simple = false;
    if (simple && c->func->kind == ast::ExprKind::Attribute) {
      auto* a = static_cast<ast::Attribute*>(c->func);
      expr(a->value);
      set_line(a);
      emit(Opcode::LOAD_METHOD, uint32_t(u().add_name(a->attr)));
    } else {
      emit(Opcode::PUSH_NULL);
      expr(c->func);
    }
    call_arguments(c->args, c->keywords, 0, c);
  }

  // Emits the arguments and the call itself. `extra` positional arguments are already on the
  // stack above the callable (LOAD_BUILD_CLASS passes the body function and the name).
  void call_arguments(const std::vector<ast::Expr*>& args, const std::vector<ast::Keyword*>& keywords,
                      size_t extra, const ast::Node* where) {
    bool starred = has_starred(args);
    bool double_starred = false;
    for (ast::Keyword* k : keywords)
      if (k->arg.empty()) double_starred = true;
    if (!starred && !double_starred) {
      for (ast::Expr* a : args) expr(a);
      if (keywords.empty()) {
        set_line(where);
        emit(Opcode::CALL, uint32_t(extra + args.size()));
        return;
      }
      ConstValue names;
      names.kind = ConstValue::Kind::Tuple;
      for (ast::Keyword* k : keywords) {
        for (const ConstValue& seen : names.items)
          if (seen.text == k->arg) fail("keyword argument repeated: " + k->arg, k->pos);
        expr(k->value);
        names.items.push_back(str_const(k->arg));
      }
      emit_const(names);
      set_line(where);
      emit(Opcode::CALL_KW, uint32_t(extra + args.size() + keywords.size()));
      return;
    }
    // General form: a positional tuple (the extra arguments first) and a keyword dict.
    emit(Opcode::BUILD_LIST, uint32_t(extra));
    for (ast::Expr* a : args) {
      if (a->kind == ast::ExprKind::Starred) {
        expr(static_cast<ast::Starred*>(a)->value);
        emit(Opcode::LIST_EXTEND, 1);
      } else {
        expr(a);
        emit(Opcode::LIST_APPEND, 1);
      }
    }
    emit(Opcode::LIST_TO_TUPLE);
    uint32_t flags = 0;
    if (!keywords.empty()) {
      emit(Opcode::BUILD_MAP, 0);
      for (ast::Keyword* k : keywords) {
        if (k->arg.empty()) {
          expr(k->value);
          emit(Opcode::DICT_MERGE, 1);
        } else {
          emit_const(str_const(k->arg));
          expr(k->value);
          emit(Opcode::MAP_ADD, 1);
        }
      }
      flags = 1;
    }
    set_line(where);
    emit(Opcode::CALL_EX, flags);
  }

  void comprehension(ast::Comp* c) {
    Scope* scope = table_.scopes.at(c);
    enter_unit(scope, scope->name, child_qualname(scope->name), c->pos.line);
    CodeUnit& code = *u().code;
    code.argcount = 1;
    using K = ast::ExprKind;
    if (c->kind == K::ListComp) emit(Opcode::BUILD_LIST, 0);
    else if (c->kind == K::SetComp) emit(Opcode::BUILD_SET, 0);
    else if (c->kind == K::DictComp) emit(Opcode::BUILD_MAP, 0);
    comprehension_generator(c, 0);
    if (c->kind == K::GeneratorExp) emit_const_none();
    emit(Opcode::RETURN_VALUE);
    auto unit = leave_unit();

    emit(Opcode::PUSH_NULL);
    make_function(unit, nullptr);
    expr(c->generators[0]->iter);
    emit(c->generators[0]->is_async ? Opcode::GET_AITER : Opcode::GET_ITER);
    emit(Opcode::CALL, 1);
    // A comprehension that awaits (or iterates asynchronously) is a coroutine: await it.
    if (scope->is_coroutine && !scope->is_generator) emit_await();
  }

  void comprehension_generator(ast::Comp* c, size_t index) {
    ast::Comprehension* g = c->generators[index];
    Label loop = new_label(), end = new_label();
    if (index == 0) {
      emit(Opcode::LOAD_FAST, uint32_t(u().varname_index(".0")));
    } else {
      expr(g->iter);
      emit(g->is_async ? Opcode::GET_AITER : Opcode::GET_ITER);
    }
    place(loop);
    if (g->is_async) async_for_next(end);
    else emit_jump(Opcode::FOR_ITER, end);
    store_target(g->target);
    for (ast::Expr* cond : g->ifs) jump_if(cond, loop, false);
    if (index + 1 < c->generators.size()) {
      comprehension_generator(c, index + 1);
    } else {
      // The collection sits under one iterator per generator.
      uint32_t depth = uint32_t(c->generators.size() + 1);
      using K = ast::ExprKind;
      switch (c->kind) {
        case K::ListComp:
          expr(c->elt);
          emit(Opcode::LIST_APPEND, depth);
          break;
        case K::SetComp:
          expr(c->elt);
          emit(Opcode::SET_ADD, depth);
          break;
        case K::DictComp:
          expr(c->key);
          expr(c->value);
          emit(Opcode::MAP_ADD, depth);
          break;
        default:
          expr(c->elt);
          emit_yield();
          emit(Opcode::POP_TOP);
          break;
      }
    }
    emit_jump(Opcode::JUMP_BACKWARD, loop);
    place(end);
    if (g->is_async) emit(Opcode::END_ASYNC_FOR);   // [async iterator, prev, exc]
  }
};

}  // namespace

CompileResult compile_module(const ast::Module& module, const std::string& filename, ParseMode mode,
                             std::string_view source) {
  CompileResult result;
  auto table = build_symbol_table(module, filename, &result.error);
  auto source_line = [&](int line) {
    size_t start = 0;
    for (int l = 1; l < line && start != std::string_view::npos; l++) {
      start = source.find('\n', start);
      if (start != std::string_view::npos) start++;
    }
    if (start == std::string_view::npos || start > source.size()) return std::string();
    size_t end = source.find('\n', start);
    return std::string(source.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
  };
  if (!table) {
    result.error.text = source_line(result.error.line);
    return result;
  }
  CodeGen gen(*table, filename, mode);
  try {
    result.code = gen.compile(module);
  } catch (const CompileError& e) {
    result.error.message = e.message;
    result.error.filename = filename;
    result.error.line = e.pos.line;
    result.error.col = e.pos.col + 1;
    result.error.end_line = e.pos.end_line;
    result.error.end_col = e.pos.end_col + 1;
    result.error.text = source_line(e.pos.line);
  }
  return result;
}

CompileResult compile_source(std::string_view source, const std::string& filename, ParseMode mode) {
  ParseResult parsed = parse(source, filename, mode);
  if (!parsed.module) {
    CompileResult result;
    result.error = parsed.error;
    return result;
  }
  return compile_module(*parsed.module, filename, mode, source);
}

}  // namespace mvm
