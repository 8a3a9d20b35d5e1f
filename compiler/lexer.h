// The tokenizer: turns source text into Python tokens (names, numbers, strings, operators,
// NEWLINE/INDENT/DEDENT), with positions and bracket depth, the way CPython's tokenizer does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics.h"

namespace mvm {

// Operators and delimiters, with their spelling. Longer spellings are matched first.
#define MVM_OPERATOR_TOKENS(X)                                                              \
  X(LParen, "(") X(RParen, ")") X(LBracket, "[") X(RBracket, "]") X(LBrace, "{")           \
  X(RBrace, "}") X(Colon, ":") X(Comma, ",") X(Semicolon, ";") X(Plus, "+") X(Minus, "-")  \
  X(Star, "*") X(Slash, "/") X(VBar, "|") X(Amper, "&") X(Less, "<") X(Greater, ">")       \
  X(Equal, "=") X(Dot, ".") X(Percent, "%") X(EqEqual, "==") X(NotEqual, "!=")             \
  X(LessEqual, "<=") X(GreaterEqual, ">=") X(Tilde, "~") X(Circumflex, "^")                \
  X(LeftShift, "<<") X(RightShift, ">>") X(DoubleStar, "**") X(PlusEqual, "+=")            \
  X(MinusEqual, "-=") X(StarEqual, "*=") X(SlashEqual, "/=") X(PercentEqual, "%=")         \
  X(AmperEqual, "&=") X(VBarEqual, "|=") X(CircumflexEqual, "^=")                          \
  X(LeftShiftEqual, "<<=") X(RightShiftEqual, ">>=") X(DoubleStarEqual, "**=")             \
  X(DoubleSlash, "//") X(DoubleSlashEqual, "//=") X(At, "@") X(AtEqual, "@=")              \
  X(Arrow, "->") X(Ellipsis, "...") X(ColonEqual, ":=")

// Reserved words. Python has no soft keywords in the subset (match/case/type are omitted).
#define MVM_KEYWORD_TOKENS(X)                                                                \
  X(KwFalse, "False") X(KwNone, "None") X(KwTrue, "True") X(KwAnd, "and") X(KwAs, "as")     \
  X(KwAssert, "assert") X(KwAsync, "async") X(KwAwait, "await") X(KwBreak, "break")         \
  X(KwClass, "class") X(KwContinue, "continue") X(KwDef, "def") X(KwDel, "del")             \
  X(KwElif, "elif") X(KwElse, "else") X(KwExcept, "except") X(KwFinally, "finally")         \
  X(KwFor, "for") X(KwFrom, "from") X(KwGlobal, "global") X(KwIf, "if") X(KwImport, "import") \
  X(KwIn, "in") X(KwIs, "is") X(KwLambda, "lambda") X(KwNonlocal, "nonlocal") X(KwNot, "not") \
  X(KwOr, "or") X(KwPass, "pass") X(KwRaise, "raise") X(KwReturn, "return") X(KwTry, "try") \
  X(KwWhile, "while") X(KwWith, "with") X(KwYield, "yield")

enum class Tok : uint8_t {
  EndMarker,
  Name,
  Number,
  String,      // one literal, prefix and quotes included; the parser decodes it
  Newline,
  Indent,
  Dedent,
  Unknown,     // a character that is no token, like '$' or '?': always a syntax error
  Error,       // the source is malformed; Lexer::error() says how
#define MVM_TOKEN_ENUM(name, text) name,
  MVM_OPERATOR_TOKENS(MVM_TOKEN_ENUM) MVM_KEYWORD_TOKENS(MVM_TOKEN_ENUM)
#undef MVM_TOKEN_ENUM
};

// How a token kind is written: "(" or "while", or a description like "NAME".
const char* token_spelling(Tok kind);

struct Token {
  Tok kind = Tok::EndMarker;
  std::string_view text;     // the exact source text (empty for NEWLINE/INDENT/DEDENT/END)
  // 1-based lines, 0-based columns in code points; the end is exclusive. Tokens that CPython
  // places at the tokenizer's cursor rather than at text of their own (INDENT, DEDENT and
  // ENDMARKER) have end_col == -2, so that errors reported at them carry CPython's
  // "no end" marker (-1) after the usual +1.
  int line = 0, col = 0;
  int end_line = 0, end_col = 0;
  int depth = 0;             // bracket nesting after this token, as CPython's token level
  bool at_end_of_input = false;   // a DEDENT or ENDMARKER produced by the end of the text
};

// One bracket that is still open, for "'(' was never closed".
struct OpenBracket {
  char ch;
  int line, col;   // col is 0-based
};

class Lexer {
 public:
  // source must outlive the lexer and its tokens, use "\n" line endings and contain no NUL
  // bytes (normalize_source() ensures that). A lexer for the expression inside an f-string
  // starts at (first_line, first_col) of the enclosing file, so its tokens carry true
  // positions.
  explicit Lexer(std::string_view source, int first_line = 1, int first_col = 0);

  // The next token. After an Error token, error() describes the problem and every further
  // call returns Error again.
  Token next();
  const SyntaxErrorInfo& error() const { return error_; }
  // Whether the error is one CPython raises as an exception from inside its tokenizer (bad
  // literal, bad character, unterminated string, bracket mismatch); those take precedence
  // over parser errors earlier in the file. Indentation errors and running out of input
  // inside brackets do not.
  bool error_is_eager() const { return error_eager_; }

  // Brackets still open at the current position, innermost last.
  const std::vector<OpenBracket>& open_brackets() const { return brackets_; }
  // The text of a 1-based line of the source, without its newline.
  std::string_view line_text(int line) const;
  // The number of the last line that holds any text, as CPython numbers it at end of input.
  int last_line() const;
  size_t source_size() const { return src_.size(); }

 private:
  char peek_char(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  void advance();   // one byte, keeping line and column current
  int depth() const { return static_cast<int>(brackets_.size()); }

  Token make(Tok kind, size_t start, int line, int col);
  Token make_cursor_token(Tok kind);
  Token fail(SyntaxErrorInfo::Kind kind, std::string message, int line, int col, int end_line,
             int end_col, bool eager);
  Token fail_here(std::string message);

  bool handle_line_start();   // indentation; false after an error
  Token name_or_string(size_t start, int line, int col);
  Token number(size_t start, int line, int col);
  Token string(size_t start, int line, int col);
  Token operator_or_bracket(size_t start, int line, int col);
  Token fraction(size_t start, int line, int col);
  Token exponent(size_t start, int line, int col);
  Token imaginary(size_t start, int line, int col);
  Token finish_number(size_t start, int line, int col, const char* kind);
  bool verify_end_of_number(const char* kind);
  bool decimal_tail();
  bool verify_identifier(size_t start, int col);

  std::string_view src_;
  size_t pos_ = 0;
  int line_, col_;
  int first_line_;
  mutable int last_line_ = 0;   // computed on first use
  int end_col_ = -1;             // code points in the last line; computed on first use

  bool at_line_start_ = true;
  std::vector<int> indents_{0};       // indentation columns, tabs to multiples of 8
  std::vector<int> alt_indents_{0};   // the same with tabs counted as 1, to detect mixing
  int pending_indents_ = 0;           // > 0: INDENTs to emit; < 0: DEDENTs
  std::vector<OpenBracket> brackets_;
  Tok last_kind_ = Tok::Newline;      // to add the NEWLINE a file without one at its end needs
  bool finished_ = false;

  SyntaxErrorInfo error_;
  bool failed_ = false;
  bool error_eager_ = false;
};

// Prepares raw source bytes for the Lexer: drops a UTF-8 byte order mark, turns "\r\n" and
// "\r" into "\n", and checks for NUL bytes and invalid UTF-8. Returns false with *error set
// when the text cannot be tokenized at all. *out receives the text only when it had to
// change; otherwise *view is set to the (BOM-less) input itself.
bool normalize_source(std::string_view source, const std::string& filename, std::string* out,
                      std::string_view* view, SyntaxErrorInfo* error);

}  // namespace mvm
