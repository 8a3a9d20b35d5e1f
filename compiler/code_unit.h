// What the compiler produces: bytecode with its constants and names as plain C++ data. The
// compiler knows nothing of runtime objects; vm/code_loader.cpp turns a CodeUnit into a
// runtime Code object.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mvm {

struct CodeUnit;

// A compile-time constant.
struct ConstValue {
  enum class Kind : uint8_t { None, True, False, Ellipsis, Int, BigInt, Float, Str, Bytes, Tuple, FrozenSet, Code };
  Kind kind = Kind::None;
  int64_t int_value = 0;
  double float_value = 0;
  std::string text;                      // BigInt digits, Str (UTF-8) or Bytes
  std::vector<ConstValue> items;         // Tuple, FrozenSet
  std::shared_ptr<CodeUnit> code;        // Code

  bool operator==(const ConstValue& o) const;   // same kind and value (1 and 1.0 differ)
};

struct CodeUnit {
  std::string name;                      // co_name: "f", "<module>", "<lambda>", "<listcomp>"
  std::string qualname;                  // "C.method.<locals>.inner"
  std::string filename;
  int firstlineno = 1;

  std::vector<uint32_t> instructions;    // see vm/opcodes.h for the encoding
  std::vector<int32_t> lines;            // source line of each instruction
  std::vector<ConstValue> consts;
  std::vector<std::string> names;        // globals, attributes, imports
  std::vector<std::string> varnames;     // locals, parameters first
  std::vector<std::string> cellvars;     // locals captured by inner scopes
  std::vector<std::string> freevars;     // captured from enclosing scopes
  std::vector<int32_t> cell2arg;         // per cellvar: the parameter index it starts as, or -1

  int argcount = 0;
  int posonlyargcount = 0;
  int kwonlyargcount = 0;
  uint32_t flags = 0;                    // CodeFlags (runtime/code.h)
  int stacksize = 0;
  int maxblocks = 0;
};

}  // namespace mvm
