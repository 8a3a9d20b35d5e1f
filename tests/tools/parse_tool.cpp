// A command-line front end to the parser, for comparing it with CPython (compare_parser.py):
//   parse_tool [--positions] [--quiet] [--mode=exec|eval|single] [FILE...]  (stdin: no FILE)
// Prints the AST dump, or "ERROR<TAB>kind<TAB>message<TAB>line<TAB>col<TAB>end_line<TAB>
// end_col<TAB>text<TAB>incomplete". With several files, each result follows "== FILE".
// --quiet prints only errors (to time the parser or check it alone).
// Build: g++ -std=c++20 -O2 -I. compiler/{lexer,parser,parser_expressions,parser_literals,
//   ast_dump}.cpp runtime/unicode.cpp tests/tools/parse_tool.cpp -o parse_tool
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/ast_dump.h"
#include "compiler/parser.h"

namespace {

bool quiet = false;

void report(const std::string& source, const std::string& name, mvm::ParseMode mode,
            bool positions) {
  mvm::ParseResult result = mvm::parse(source, name, mode);
  if (result.module) {
    if (!quiet) std::cout << mvm::dump(*result.module, positions) << "\n";
    return;
  }
  const mvm::SyntaxErrorInfo& e = result.error;
  const char* kind = e.kind == mvm::SyntaxErrorInfo::Kind::Syntax        ? "SyntaxError"
                     : e.kind == mvm::SyntaxErrorInfo::Kind::Indentation ? "IndentationError"
                                                                         : "TabError";
  std::cout << "ERROR\t" << kind << "\t" << e.message << "\t" << e.line << "\t" << e.col << "\t"
            << e.end_line << "\t" << e.end_col << "\t" << e.text << "\t" << e.incomplete_input
            << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  bool positions = false;
  mvm::ParseMode mode = mvm::ParseMode::File;
  std::vector<std::string> files;
  for (int i = 1; i < argc; i++) {
    std::string arg = argv[i];
    if (arg == "--positions") {
      positions = true;
    } else if (arg == "--quiet") {
      quiet = true;
    } else if (arg == "--mode=eval") {
      mode = mvm::ParseMode::Eval;
    } else if (arg == "--mode=single") {
      mode = mvm::ParseMode::Interactive;
    } else if (arg == "--mode=exec") {
      mode = mvm::ParseMode::File;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::stringstream buffer;
    buffer << std::cin.rdbuf();
    report(buffer.str(), "<stdin>", mode, positions);
    return 0;
  }
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (files.size() > 1) std::cout << "== " << file << "\n";
    report(buffer.str(), file, mode, positions);
  }
  return 0;
}
