// The disassembler behind `minivm --dis`: a readable listing of compiled bytecode.
#pragma once

#include <string>

namespace mvm {

struct CodeUnit;

// Every instruction of `code` and of the code objects nested in it, with line numbers,
// instruction indices, opcode names, arguments and what the arguments mean.
std::string disassemble_code_unit(const CodeUnit& code);

}  // namespace mvm
