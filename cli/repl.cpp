// The REPL: reads entries with readline, asks the interpreter whether an entry is complete,
// and prompts with "... " until it is.
#include "cli/repl.h"

#include <readline/history.h>
#include <readline/readline.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "minivm/minivm.h"

namespace {

// One line of input: readline on a terminal, plain getline otherwise (pipes, tests).
bool read_line(const char* prompt, std::string* line) {
  if (isatty(STDIN_FILENO)) {
    char* text = readline(prompt);
    if (!text) return false;
    *line = text;
    if (!line->empty()) add_history(text);
    std::free(text);
    return true;
  }
  std::fputs(prompt, stdout);
  std::fflush(stdout);
  // C stdio rather than std::cin: a translation unit that includes <iostream> makes every
  // start-up construct the standard streams and their locale (about 0.2 ms).
  char* text = nullptr;
  size_t capacity = 0;
  ssize_t length = getline(&text, &capacity, stdin);
  if (length > 0 && text[length - 1] == '\n') length--;
  if (length >= 0) line->assign(text, size_t(length));
  std::free(text);
  return length >= 0;
}

}  // namespace

static bool is_blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

// A compound statement (if, def, class, for, ...) stays open until a blank line, as in
// CPython's REPL, even when what was typed so far already parses.
static bool starts_compound_statement(const std::string& entry) {
  std::string first = entry.substr(0, entry.find('\n'));
  size_t hash = first.find('#');
  if (hash != std::string::npos) first = first.substr(0, hash);
  size_t end = first.find_last_not_of(" \t\r");
  if (end == std::string::npos) return false;
  size_t start = first.find_first_not_of(" \t");
  return first[end] == ':' || first[start] == '@';
}

int run_repl(minivm::Interpreter& vm) {
  if (isatty(STDIN_FILENO))
    std::printf("%s\nType \"help\", \"copyright\", \"credits\" or \"license\" for more information.\n",
                minivm::version_string().c_str());
  std::string entry, line;
  for (;;) {
    if (!read_line(entry.empty() ? ">>> " : "... ", &line)) {
      std::fputs("\n", stdout);
      return 0;
    }
    if (entry.empty() && is_blank(line)) continue;
    entry += line + "\n";
    if (starts_compound_statement(entry) && !is_blank(line)) continue;
    try {
      if (vm.repl_step(entry) == minivm::ReplStatus::Incomplete) continue;
    } catch (const minivm::Error& e) {
      if (e.type() == "SystemExit") return 0;
      throw;
    }
    entry.clear();
  }
}
