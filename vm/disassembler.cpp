// The disassembler: prints code objects like `python -m dis`, driven by the opcode table.
#include "vm/disassembler.h"

#include <cstdio>
#include <string>

#include "compiler/code_unit.h"
#include "runtime/float.h"
#include "runtime/object.h"
#include "vm/opcodes.h"

namespace mvm {

static std::string const_repr(const ConstValue& c) {
  switch (c.kind) {
    case ConstValue::Kind::None: return "None";
    case ConstValue::Kind::True: return "True";
    case ConstValue::Kind::False: return "False";
    case ConstValue::Kind::Ellipsis: return "Ellipsis";
    case ConstValue::Kind::Int: return std::to_string(c.int_value);
    case ConstValue::Kind::BigInt: return c.text;
    case ConstValue::Kind::Float: return float_repr(c.float_value);
    case ConstValue::Kind::Str: return "'" + c.text + "'";
    case ConstValue::Kind::Bytes: return "b'" + c.text + "'";
    case ConstValue::Kind::Tuple: {
      std::string s = "(";
      for (size_t i = 0; i < c.items.size(); i++) s += (i ? ", " : "") + const_repr(c.items[i]);
      return s + (c.items.size() == 1 ? ",)" : ")");
    }
    case ConstValue::Kind::FrozenSet: {
      std::string s = "frozenset({";
      for (size_t i = 0; i < c.items.size(); i++) s += (i ? ", " : "") + const_repr(c.items[i]);
      return s + "})";
    }
    case ConstValue::Kind::Code:
      return "<code object " + c.code->name + ", file \"" + c.code->filename + "\", line " +
             std::to_string(c.code->firstlineno) + ">";
  }
  return "?";
}

// The parenthesised meaning of an argument: a constant, a name, a jump target.
static std::string describe_arg(const CodeUnit& code, Opcode op, uint32_t arg) {
  uint32_t flags = kOpcodeFlags[int(op)];
  auto name_at = [](const std::vector<std::string>& v, uint32_t i) { return i < v.size() ? v[i] : "?"; };
  if (flags & kOpConst) return arg < code.consts.size() ? const_repr(code.consts[arg]) : "?";
  if (flags & kOpName) return name_at(code.names, arg);
  if (flags & kOpLocal) return name_at(code.varnames, arg);
  if (flags & kOpFree) {
    if (arg < code.cellvars.size()) return code.cellvars[arg];
    return name_at(code.freevars, uint32_t(arg - code.cellvars.size()));
  }
  if (flags & kOpJump) return "to " + std::to_string(arg);
  if (flags & kOpBinary) {
    static const char* symbols[] = {"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@"};
    std::string s = symbols[arg & 0x0f];
    return (arg & kInplaceFlag) ? s + "=" : s;
  }
  if (op == Opcode::COMPARE_OP) {
    static const char* symbols[] = {"<", "<=", "==", "!=", ">", ">="};
    return arg < 6 ? symbols[arg] : "?";
  }
  return "";
}

static void disassemble_unit(const CodeUnit& code, std::string& out, bool header) {
  if (header)
    out += "Disassembly of <code object " + code.name + ", file \"" + code.filename + "\", line " +
           std::to_string(code.firstlineno) + ">:\n";
  int last_line = -1;
  for (size_t i = 0; i < code.instructions.size(); i++) {
    uint32_t instr = code.instructions[i];
    Opcode op = opcode_of(instr);
    uint32_t arg = arg_of(instr);
    char prefix[32];
    int line = code.lines[i];
    if (line != last_line) {
      if (i > 0) out += "\n";
      std::snprintf(prefix, sizeof prefix, "%4d", line);
      last_line = line;
    } else {
      std::snprintf(prefix, sizeof prefix, "    ");
    }
    char buf[160];
    if (kOpcodeFlags[int(op)] & kOpArg)
      std::snprintf(buf, sizeof buf, "%s %10zu %-24s %4u", prefix, i, kOpcodeNames[int(op)], arg);
    else
      std::snprintf(buf, sizeof buf, "%s %10zu %s", prefix, i, kOpcodeNames[int(op)]);
    out += buf;
    std::string meaning = describe_arg(code, op, arg);
    if (!meaning.empty()) out += " (" + meaning + ")";
    out += "\n";
  }
  for (const ConstValue& c : code.consts)
    if (c.kind == ConstValue::Kind::Code) {
      out += "\n";
      disassemble_unit(*c.code, out, true);
    }
}

std::string disassemble_code_unit(const CodeUnit& code) {
  std::string out;
  disassemble_unit(code, out, false);
  return out;
}

}  // namespace mvm
