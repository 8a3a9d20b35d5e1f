// Unit tests for the compiler back end: symbol tables, code generation and the opcode table.
#include <doctest/doctest.h>

#include <algorithm>

#include "compiler/compiler.h"
#include "compiler/symtable.h"
#include "vm/disassembler.h"
#include "vm/opcodes.h"

using namespace mvm;

namespace {
std::shared_ptr<CodeUnit> compile_ok(const std::string& source) {
  CompileResult r = compile_source(source, "<test>", ParseMode::File);
  REQUIRE_MESSAGE(r.code, r.error.message);
  return r.code;
}
bool has_op(const CodeUnit& c, Opcode op) {
  return std::any_of(c.instructions.begin(), c.instructions.end(), [&](uint32_t i) { return opcode_of(i) == op; });
}
const CodeUnit& nested(const CodeUnit& c, size_t which = 0) {
  size_t seen = 0;
  for (const ConstValue& k : c.consts)
    if (k.kind == ConstValue::Kind::Code && seen++ == which) return *k.code;
  FAIL("no nested code");
  return c;
}
}  // namespace

TEST_CASE("opcode table drives names and stack effects") {
  CHECK(std::string(kOpcodeNames[int(Opcode::LOAD_FAST)]) == "LOAD_FAST");
  CHECK(stack_effect(Opcode::BINARY_OP, 0) == -1);
  CHECK(stack_effect(Opcode::CALL, 3) == -4);
  CHECK(stack_effect(Opcode::BUILD_MAP, 2) == -3);
  CHECK(jump_stack_effect(Opcode::FOR_ITER, 0) == -1);
  CHECK((kOpcodeFlags[int(Opcode::JUMP_BACKWARD)] & kOpPoll) != 0);
  CHECK((kOpcodeFlags[int(Opcode::JUMP_BACKWARD)] & kOpPoll) != 0u);
  CHECK(arg_of(encode(Opcode::LOAD_CONST, 7)) == 7u);
}

TEST_CASE("function locals are fast, module names are not") {
  auto code = compile_ok("x = 1\ndef f(a):\n    b = a + x\n    return b\n");
  CHECK(has_op(*code, Opcode::STORE_NAME));
  const CodeUnit& f = nested(*code);
  CHECK(f.name == "f");
  CHECK(f.argcount == 1);
  CHECK(f.varnames == std::vector<std::string>{"a", "b"});
  CHECK(has_op(f, Opcode::LOAD_FAST));
  CHECK(has_op(f, Opcode::LOAD_GLOBAL));
  CHECK_FALSE(has_op(f, Opcode::LOAD_NAME));
}

TEST_CASE("closures make cells and free variables") {
  auto code = compile_ok("def outer():\n    n = 0\n    def inner():\n        nonlocal n\n        n += 1\n    return inner\n");
  const CodeUnit& outer = nested(*code);
  CHECK(outer.cellvars == std::vector<std::string>{"n"});
  const CodeUnit& inner = nested(outer);
  CHECK(inner.freevars == std::vector<std::string>{"n"});
  CHECK(has_op(inner, Opcode::LOAD_DEREF));
  CHECK(has_op(inner, Opcode::STORE_DEREF));
  CHECK(inner.qualname == "outer.<locals>.inner");
}

TEST_CASE("methods that use super() capture __class__") {
  auto code = compile_ok("class C(B):\n    def m(self):\n        return super().m()\n");
  const CodeUnit& body = nested(*code);
  CHECK(body.cellvars == std::vector<std::string>{"__class__"});
  const CodeUnit& m = nested(body);
  CHECK(m.freevars == std::vector<std::string>{"__class__"});
  CHECK(m.qualname == "C.m");
}

TEST_CASE("generators are flagged and stack depth is computed") {
  auto code = compile_ok("def g():\n    yield 1\n");
  const CodeUnit& g = nested(*code);
  CHECK((g.flags & (1u << 5)) != 0);
  CHECK(g.stacksize >= 1);
  auto deep = compile_ok("x = [1, 2, [3, 4, [5, 6]]]\n");
  CHECK(deep->stacksize >= 5);
}

TEST_CASE("try blocks reserve frame block slots") {
  auto code = compile_ok("try:\n    try:\n        pass\n    finally:\n        pass\nexcept E:\n    pass\n");
  CHECK(code->maxblocks >= 2);
  CHECK(has_op(*code, Opcode::SETUP_FINALLY));
  CHECK(has_op(*code, Opcode::CHECK_EXC_MATCH));
}

TEST_CASE("scope errors are SyntaxErrors with positions") {
  CompileResult r = compile_source("def f():\n    x = 1\n    global x\n", "<test>", ParseMode::File);
  REQUIRE_FALSE(r.code);
  CHECK(r.error.message == "name 'x' is assigned to prior to global declaration");
  CompileResult r2 = compile_source("nonlocal y\n", "<test>", ParseMode::File);
  REQUIRE_FALSE(r2.code);
  CHECK(r2.error.message == "nonlocal declaration not allowed at module level");
  CompileResult r3 = compile_source("break\n", "<test>", ParseMode::File);
  REQUIRE_FALSE(r3.code);
  CHECK(r3.error.message == "'break' outside loop");
}

TEST_CASE("the disassembler names every instruction") {
  auto code = compile_ok("def f(n):\n    return n * 2\n");
  std::string text = disassemble_code_unit(*code);
  CHECK(text.find("MAKE_FUNCTION") != std::string::npos);
  CHECK(text.find("Disassembly of <code object f") != std::string::npos);
  CHECK(text.find("BINARY_OP") != std::string::npos);
  CHECK(text.find("(*)") != std::string::npos);
}
