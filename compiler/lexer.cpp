// The tokenizer. It follows CPython 3.11's tokenizer closely, including where it places the
// caret for each error, because scripts and tests compare SyntaxError output with CPython.
#include "compiler/lexer.h"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "runtime/unicode.h"

namespace mvm {

namespace {

// CPython's limits: MAXLEVEL brackets and MAXINDENT indentation levels.
constexpr int kMaxBracketDepth = 200;
constexpr size_t kMaxIndentLevels = 100;
constexpr int kTabSize = 8;

struct Spelling {
  std::string_view text;
  Tok kind;
};

const Spelling kOperators[] = {
#define MVM_SPELLING(name, text) {text, Tok::name},
    MVM_OPERATOR_TOKENS(MVM_SPELLING)
#undef MVM_SPELLING
};

const Spelling kKeywords[] = {
#define MVM_SPELLING(name, text) {text, Tok::name},
    MVM_KEYWORD_TOKENS(MVM_SPELLING)
#undef MVM_SPELLING
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// Bytes that may be part of an identifier before it is checked: CPython treats every
// non-ASCII byte this way and verifies the decoded identifier afterwards.
bool is_potential_identifier_char(char c) {
  return is_ascii_letter(c) || is_digit(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// What the lexer returns once it has failed; error() holds the details.
Token error_token() {
  Token token;
  token.kind = Tok::Error;
  return token;
}

Tok keyword_kind(std::string_view text) {
  if (text.size() < 2 || text.size() > 8) return Tok::Name;
  for (const Spelling& keyword : kKeywords) {
    if (keyword.text[0] == text[0] && keyword.text == text) return keyword.kind;
  }
  return Tok::Name;
}

// The operators that begin with each character, longest first, so that the first match
// is the longest ("**=" before "**" before "*").
const std::vector<Spelling>& operators_starting_with(char c) {
  static const auto table = [] {
    std::vector<std::vector<Spelling>> by_first(128);
    for (const Spelling& op : kOperators) by_first[static_cast<size_t>(op.text[0])].push_back(op);
    for (std::vector<Spelling>& list : by_first) {
      std::stable_sort(list.begin(), list.end(), [](const Spelling& a, const Spelling& b) {
        return a.text.size() > b.text.size();
      });
    }
    return by_first;
  }();
  return table[static_cast<unsigned char>(c) & 0x7F];
}

std::string format_code_point(const char* format, uint32_t c) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, static_cast<unsigned>(c));
  return buffer;
}

}  // namespace

const char* token_spelling(Tok kind) {
  switch (kind) {
    case Tok::EndMarker: return "ENDMARKER";
    case Tok::Name: return "NAME";
    case Tok::Number: return "NUMBER";
    case Tok::String: return "STRING";
    case Tok::Newline: return "NEWLINE";
    case Tok::Indent: return "INDENT";
    case Tok::Dedent: return "DEDENT";
    case Tok::Unknown: return "OP";
    case Tok::Error: return "ERRORTOKEN";
#define MVM_SPELLING_CASE(name, text) \
  case Tok::name: return text;
      MVM_OPERATOR_TOKENS(MVM_SPELLING_CASE)
      MVM_KEYWORD_TOKENS(MVM_SPELLING_CASE)
#undef MVM_SPELLING_CASE
  }
  return "?";
}

bool normalize_source(std::string_view source, const std::string& filename, std::string* out,
                      std::string_view* view, SyntaxErrorInfo* error) {
  if (source.substr(0, 3) == "\xEF\xBB\xBF") source.remove_prefix(3);
  if (source.find('\0') != std::string_view::npos) {
    error->message = "source code cannot contain null bytes";
    return false;
  }
  Utf8Error bad;
  if (utf8_find_error(source, &bad)) {
    std::string_view before = source.substr(0, bad.start);
    int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(source[bad.start]));
    error->message = "Non-UTF-8 code starting with '" + std::string(hex) + "' in file " +
                     filename + " on line " + std::to_string(line) +
                     ", but no encoding declared; see https://peps.python.org/pep-0263/ for "
                     "details";
    error->line = line;
    return false;
  }
  if (source.find('\r') == std::string_view::npos) {
    *view = source;
    return true;
  }
  out->clear();
  out->reserve(source.size());
  for (size_t i = 0; i < source.size(); i++) {
    if (source[i] != '\r') {
      *out += source[i];
    } else {
      *out += '\n';
      if (i + 1 < source.size() && source[i + 1] == '\n') i++;
    }
  }
  *view = *out;
  return true;
}

// ----------------------------------------------------------------------------------------
// The lexer

Lexer::Lexer(std::string_view source, int first_line, int first_col)
    : src_(source), line_(first_line), col_(first_col), first_line_(first_line) {}

void Lexer::advance() {
  char c = src_[pos_++];
  if (c == '\n') {
    line_++;
    col_ = 0;
  } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
    col_++;   // a code point starts here; continuation bytes add nothing
  }
}

std::string_view Lexer::line_text(int line) const {
  size_t start = 0;
  for (int n = first_line_; n < line; n++) {
    size_t newline = src_.find('\n', start);
    if (newline == std::string_view::npos) return {};
    start = newline + 1;
  }
  size_t end = src_.find('\n', start);
  return src_.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

int Lexer::last_line() const {
  if (last_line_ == 0) {
    int newlines = static_cast<int>(std::count(src_.begin(), src_.end(), '\n'));
    bool ends_with_newline = !src_.empty() && src_.back() == '\n';
    last_line_ = first_line_ + newlines - (ends_with_newline ? 1 : 0);
  }
  return last_line_;
}

Token Lexer::make(Tok kind, size_t start, int line, int col) {
  Token token;
  token.kind = kind;
  token.text = src_.substr(start, pos_ - start);
  token.line = line;
  token.col = col;
  token.end_line = line_;
  token.end_col = col_;
  token.depth = depth();
  last_kind_ = kind;
  return token;
}

// INDENT, DEDENT and ENDMARKER have no text: CPython reports errors at them at the
// tokenizer's cursor, which at the end of input is just past the last line's text.
Token Lexer::make_cursor_token(Tok kind) {
  Token token;
  token.kind = kind;
  if (pos_ >= src_.size()) {
    if (end_col_ < 0) end_col_ = static_cast<int>(utf8_count(line_text(last_line())));
    token.line = last_line();
    token.col = end_col_;
    token.at_end_of_input = true;
  } else {
    token.line = line_;
    token.col = col_ - 1;
  }
  token.end_line = token.line;
  token.end_col = -2;
  token.depth = depth();
  last_kind_ = kind;
  return token;
}

Token Lexer::fail(SyntaxErrorInfo::Kind kind, std::string message, int line, int col,
                  int end_line, int end_col, bool eager) {
  error_.kind = kind;
  error_.message = std::move(message);
  error_.line = line;
  error_.col = col;
  error_.end_line = end_line;
  error_.end_col = end_col;
  failed_ = true;
  error_eager_ = eager;
  return error_token();
}

// CPython's syntaxerror(): the caret goes on the character before the cursor.
Token Lexer::fail_here(std::string message) {
  return fail(SyntaxErrorInfo::Kind::Syntax, std::move(message), line_, col_, line_, col_,
              /*eager=*/true);
}

Token Lexer::next() {
  if (failed_) return error_token();
  if (finished_) return make_cursor_token(Tok::EndMarker);
  for (;;) {
    if (pending_indents_ > 0) {
      pending_indents_--;
      return make_cursor_token(Tok::Indent);
    }
    if (pending_indents_ < 0) {
      pending_indents_++;
      return make_cursor_token(Tok::Dedent);
    }
    if (at_line_start_) {
      at_line_start_ = false;
      // Indentation only matters outside brackets.
      if (depth() == 0) {
        if (!handle_line_start()) return error_token();
        if (pending_indents_ != 0) continue;
      }
    }

    while (peek_char() == ' ' || peek_char() == '\t' || peek_char() == '\f') advance();
    if (peek_char() == '#') {
      while (pos_ < src_.size() && peek_char() != '\n') advance();
    }

    size_t start = pos_;
    int line = line_, col = col_;
    if (pos_ >= src_.size()) {
      if (!brackets_.empty()) {
        const OpenBracket& open = brackets_.back();
        Token token = fail(SyntaxErrorInfo::Kind::Syntax,
                           std::string("'") + open.ch + "' was never closed", open.line,
                           open.col + 1, open.line, 0, /*eager=*/false);
        error_.incomplete_input = true;
        return token;
      }
      // A last line without "\n" still ends its statement.
      if (last_kind_ != Tok::Newline && last_kind_ != Tok::Dedent &&
          last_kind_ != Tok::Indent) {
        Token token = make(Tok::Newline, start, line, col);
        at_line_start_ = true;
        return token;
      }
      if (indents_.size() > 1) {
        pending_indents_ = -static_cast<int>(indents_.size() - 1);
        indents_.erase(indents_.begin() + 1, indents_.end());
        alt_indents_.erase(alt_indents_.begin() + 1, alt_indents_.end());
        continue;
      }
      finished_ = true;
      return make_cursor_token(Tok::EndMarker);
    }

    char c = peek_char();
    if (c == '\n') {
      advance();
      at_line_start_ = true;
      if (depth() > 0) continue;   // implicit line joining inside brackets
      Token token;
      token.kind = Tok::Newline;
      token.line = token.end_line = line;
      token.col = token.end_col = col;
      last_kind_ = Tok::Newline;
      return token;
    }
    if (c == '\\') {
      advance();
      if (pos_ < src_.size() && peek_char() != '\n') {
        // The caret goes on the character after the backslash.
        return fail(SyntaxErrorInfo::Kind::Syntax,
                    "unexpected character after line continuation character", line_, col_ + 1,
                    line_, 0, /*eager=*/false);
      }
      if (pos_ < src_.size()) advance();
      if (pos_ >= src_.size()) {
        int last = last_line();
        int end = static_cast<int>(utf8_count(line_text(last))) + 1;
        Token token = fail(SyntaxErrorInfo::Kind::Syntax, "unexpected EOF while parsing", last,
                           end, last, -1, /*eager=*/false);
        error_.incomplete_input = true;
        return token;
      }
      continue;   // the logical line goes on
    }
    if (is_ascii_letter(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80) {
      return name_or_string(start, line, col);
    }
    if (is_digit(c) || (c == '.' && is_digit(peek_char(1)))) return number(start, line, col);
    if (c == '"' || c == '\'') return string(start, line, col);
    return operator_or_bracket(start, line, col);
  }
}

// At the start of a logical line outside brackets: measures the indentation, skips blank
// and comment-only lines, and queues INDENT or DEDENT tokens.
bool Lexer::handle_line_start() {
  using Kind = SyntaxErrorInfo::Kind;
  for (;;) {
    int col = 0, alt_col = 0;
    for (;;) {
      char c = peek_char();
      if (c == ' ') {
        col++;
        alt_col++;
      } else if (c == '\t') {
        col = (col / kTabSize + 1) * kTabSize;
        alt_col++;
      } else if (c == '\f') {
        col = alt_col = 0;
      } else {
        break;
      }
      advance();
    }
    if (peek_char() == '#') {
      while (pos_ < src_.size() && peek_char() != '\n') advance();
    }
    if (pos_ < src_.size() && peek_char() == '\n') {
      advance();   // a blank line: neither indentation nor a NEWLINE token
      continue;
    }
    if (pos_ >= src_.size()) return true;   // next() closes the open blocks

    if (col == indents_.back()) {
      if (alt_col != alt_indents_.back()) break;
    } else if (col > indents_.back()) {
      if (indents_.size() >= kMaxIndentLevels) {
        fail(Kind::Indentation, "too many levels of indentation", line_, 1, line_, 0, false);
        return false;
      }
      if (alt_col <= alt_indents_.back()) break;
      indents_.push_back(col);
      alt_indents_.push_back(alt_col);
      pending_indents_ = 1;
    } else {
      while (indents_.size() > 1 && col < indents_.back()) {
        indents_.pop_back();
        alt_indents_.pop_back();
        pending_indents_--;
      }
      if (col != indents_.back()) {
        // CPython's cursor is at the end of the offending line.
        int end = static_cast<int>(utf8_count(line_text(line_))) + 1;
        fail(Kind::Indentation, "unindent does not match any outer indentation level", line_,
             end, line_, -1, false);
        return false;
      }
      if (alt_col != alt_indents_.back()) break;
    }
    return true;
  }
  fail(Kind::Tab, "inconsistent use of tabs and spaces in indentation", line_, 1, line_, 0,
       false);
  return false;
}

Token Lexer::name_or_string(size_t start, int line, int col) {
  // String prefixes: b, r, u, f and the combinations br/rb and fr/rf, in any case.
  bool saw_b = false, saw_r = false, saw_u = false, saw_f = false;
  for (size_t ahead = 0;; ahead++) {
    char c = peek_char(ahead);
    if (!(saw_b || saw_u || saw_f) && (c == 'b' || c == 'B')) {
      saw_b = true;
    } else if (!(saw_b || saw_u || saw_r || saw_f) && (c == 'u' || c == 'U')) {
      saw_u = true;
    } else if (!(saw_r || saw_u) && (c == 'r' || c == 'R')) {
      saw_r = true;
    } else if (!(saw_f || saw_b || saw_u) && (c == 'f' || c == 'F')) {
      saw_f = true;
    } else {
      break;
    }
    char after = peek_char(ahead + 1);
    if (after == '"' || after == '\'') {
      for (size_t i = 0; i <= ahead; i++) advance();
      return string(start, line, col);
    }
  }

  bool ascii = true;
  while (pos_ < src_.size() && is_potential_identifier_char(peek_char())) {
    if (static_cast<unsigned char>(peek_char()) >= 0x80) ascii = false;
    advance();
  }
  if (!ascii && !verify_identifier(start, col)) return error_token();
  return make(keyword_kind(src_.substr(start, pos_ - start)), start, line, col);
}

// Checks a name with non-ASCII characters against PEP 3131; CPython puts the caret on the
// first character that may not appear in an identifier.
bool Lexer::verify_identifier(size_t start, int col) {
  int index = 0;
  for (size_t i = start; i < pos_; index++) {
    size_t length = utf8_seq_length(static_cast<unsigned char>(src_[i]));
    uint32_t c = utf8_decode_at(src_, i);
    bool ok = index == 0 ? unicode_is_id_start(c) : unicode_is_id_continue(c);
    if (!ok) {
      std::string message;
      if (unicode_isprintable(c)) {
        message = "invalid character '" + std::string(src_.substr(i, length)) + "' (" +
                  format_code_point("U+%04X", c) + ")";
      } else {
        message = format_code_point("invalid non-printable character U+%04X", c);
      }
      fail(SyntaxErrorInfo::Kind::Syntax, std::move(message), line_, col + index + 1, line_,
           col + index + 1, /*eager=*/true);
      return false;
    }
    i += length;
  }
  return true;
}

// ----------------------------------------------------------------------------------------
// Numbers: validated here exactly as CPython does, converted by the parser.

// Digits and single underscores between them.
bool Lexer::decimal_tail() {
  for (;;) {
    while (is_digit(peek_char())) advance();
    if (peek_char() != '_') return true;
    advance();
    if (!is_digit(peek_char())) {
      fail_here("invalid decimal literal");
      return false;
    }
  }
}

// A number directly followed by a letter is an error ("1abc"), except before the keywords
// that may follow a number in valid code ("1if x else 2"), which CPython only warns about.
bool Lexer::verify_end_of_number(const char* kind) {
  char c = peek_char();
  auto followed_by = [&](std::string_view rest) {
    for (size_t i = 0; i < rest.size(); i++) {
      if (peek_char(i + 1) != rest[i]) return false;
    }
    return true;
  };
  bool keyword = (c == 'a' && followed_by("nd")) || (c == 'e' && followed_by("lse")) ||
                 (c == 'f' && followed_by("or")) || (c == 'o' && followed_by("r")) ||
                 (c == 'n' && followed_by("ot")) ||
                 (c == 'i' && (peek_char(1) == 'f' || peek_char(1) == 'n' || peek_char(1) == 's'));
  if (keyword) return true;
  if (pos_ < src_.size() && is_potential_identifier_char(c)) {
    fail_here(std::string("invalid ") + kind + " literal");
    return false;
  }
  return true;
}

Token Lexer::finish_number(size_t start, int line, int col, const char* kind) {
  if (!verify_end_of_number(kind)) return error_token();
  return make(Tok::Number, start, line, col);
}

Token Lexer::number(size_t start, int line, int col) {
  if (peek_char() == '.') {
    advance();
    return fraction(start, line, col);
  }
  if (peek_char() != '0') {
    if (!decimal_tail()) return error_token();
    char c = peek_char();
    if (c == '.') {
      advance();
      return fraction(start, line, col);
    }
    if (c == 'e' || c == 'E') return exponent(start, line, col);
    if (c == 'j' || c == 'J') return imaginary(start, line, col);
    return finish_number(start, line, col, "decimal");
  }

  advance();   // the leading '0'
  char c = peek_char();
  struct Radix {
    char letter;
    const char* name;
    int base;
  };
  static const Radix kRadixes[] = {{'x', "hexadecimal", 16}, {'o', "octal", 8}, {'b', "binary", 2}};
  for (const Radix& radix : kRadixes) {
    if (c != radix.letter && c != radix.letter - 'a' + 'A') continue;
    advance();
    auto in_radix = [&](char d) {
      return radix.base == 16 ? is_hex_digit(d) : (d >= '0' && d < '0' + radix.base);
    };
    auto bad_digit = [&]() {
      // A decimal digit too big for the base is named in the message.
      advance();
      return fail_here(std::string("invalid digit '") + src_[pos_ - 1] + "' in " + radix.name +
                       " literal");
    };
    do {
      if (peek_char() == '_') advance();
      if (!in_radix(peek_char())) {
        if (radix.base != 16 && is_digit(peek_char())) return bad_digit();
        return fail_here(std::string("invalid ") + radix.name + " literal");
      }
      while (in_radix(peek_char())) advance();
    } while (peek_char() == '_');
    if (radix.base != 16 && is_digit(peek_char())) return bad_digit();
    return finish_number(start, line, col, radix.name);
  }

  // "0", "00", "0.5", "0e3" are fine; "0777" is an old-style octal literal, now an error.
  for (;;) {
    if (peek_char() == '_') {
      advance();
      if (!is_digit(peek_char())) return fail_here("invalid decimal literal");
    }
    if (peek_char() != '0') break;
    advance();
  }
  int zeros_end = col_ + 1;
  bool nonzero = false;
  if (is_digit(peek_char())) {
    nonzero = true;
    if (!decimal_tail()) return error_token();
  }
  c = peek_char();
  if (c == '.') {
    advance();
    return fraction(start, line, col);
  }
  if (c == 'e' || c == 'E') return exponent(start, line, col);
  if (c == 'j' || c == 'J') return imaginary(start, line, col);
  if (nonzero) {
    return fail(SyntaxErrorInfo::Kind::Syntax,
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
                "for octal integers",
                line, col + 1, line, zeros_end, /*eager=*/true);
  }
  return finish_number(start, line, col, "decimal");
}

// After the decimal point.
Token Lexer::fraction(size_t start, int line, int col) {
  if (is_digit(peek_char()) && !decimal_tail()) return error_token();
  char c = peek_char();
  if (c == 'e' || c == 'E') return exponent(start, line, col);
  if (c == 'j' || c == 'J') return imaginary(start, line, col);
  return finish_number(start, line, col, "decimal");
}

// At the 'e' of an exponent.
Token Lexer::exponent(size_t start, int line, int col) {
  char after = peek_char(1);
  if (after == '+' || after == '-') {
    advance();
    advance();
    if (!is_digit(peek_char())) return fail_here("invalid decimal literal");
  } else if (!is_digit(after)) {
    // "1else": the number ends before the keyword; "1e" alone is malformed.
    if (peek_char(1) == 'l' && peek_char(2) == 's' && peek_char(3) == 'e') {
      return make(Tok::Number, start, line, col);
    }
    return fail_here("invalid decimal literal");
  } else {
    advance();
  }
  if (!decimal_tail()) return error_token();
  char c = peek_char();
  if (c == 'j' || c == 'J') return imaginary(start, line, col);
  return finish_number(start, line, col, "decimal");
}

Token Lexer::imaginary(size_t start, int line, int col) {
  advance();
  return finish_number(start, line, col, "imaginary");
}

// ----------------------------------------------------------------------------------------
// Strings: the lexer only finds where a literal ends; escapes and f-strings are the parser's.

Token Lexer::string(size_t start, int line, int col) {
  char quote = peek_char();
  advance();
  int quote_size = 1, end_quote_size = 0;
  if (peek_char() == quote) {
    advance();
    if (peek_char() == quote) {
      advance();
      quote_size = 3;
    } else {
      end_quote_size = 1;   // the empty string
    }
  }
  while (end_quote_size != quote_size) {
    bool at_end = pos_ >= src_.size();
    if (at_end || (quote_size == 1 && peek_char() == '\n')) {
      int detected = at_end ? last_line() : line_;
      std::string message = quote_size == 3 ? "unterminated triple-quoted string literal"
                                            : "unterminated string literal";
      message += " (detected at line " + std::to_string(detected) + ")";
      Token token = fail(SyntaxErrorInfo::Kind::Syntax, std::move(message), line, col + 1, line,
                         col + 1, /*eager=*/true);
      error_.incomplete_input = at_end && quote_size == 3;
      return token;
    }
    char c = peek_char();
    advance();
    if (c == quote) {
      end_quote_size++;
    } else {
      end_quote_size = 0;
      if (c == '\\' && pos_ < src_.size()) advance();   // the escaped character
    }
  }
  return make(Tok::String, start, line, col);
}

// ----------------------------------------------------------------------------------------
// Operators and brackets

Token Lexer::operator_or_bracket(size_t start, int line, int col) {
  char c = peek_char();
  if (c == '<' && peek_char(1) == '>') {
    // Python 2's "<>", a token CPython only accepts in its joke __future__ mode.
    advance();
    advance();
    return make(Tok::Unknown, start, line, col);
  }
  const Spelling* match = nullptr;
  for (const Spelling& op : operators_starting_with(c)) {
    if (src_.substr(pos_, op.text.size()) == op.text) {
      match = &op;
      break;
    }
  }
  if (!match) {
    advance();
    if (!unicode_isprintable(static_cast<unsigned char>(c))) {
      return fail_here(format_code_point("invalid non-printable character U+%04X",
                                         static_cast<unsigned char>(c)));
    }
    return make(Tok::Unknown, start, line, col);
  }
  for (size_t i = 0; i < match->text.size(); i++) advance();
  if (c == '(' || c == '[' || c == '{') {
    if (depth() >= kMaxBracketDepth) return fail_here("too many nested parentheses");
    brackets_.push_back(OpenBracket{c, line, col});
  } else if (c == ')' || c == ']' || c == '}') {
    if (brackets_.empty()) return fail_here(std::string("unmatched '") + c + "'");
    OpenBracket open = brackets_.back();
    brackets_.pop_back();
    char expected = open.ch == '(' ? ')' : open.ch == '[' ? ']' : '}';
    if (c != expected) {
      std::string message = std::string("closing parenthesis '") + c +
                            "' does not match opening parenthesis '" + open.ch + "'";
      if (open.line != line) message += " on line " + std::to_string(open.line);
      return fail_here(std::move(message));
    }
  }
  return make(match->kind, start, line, col);
}

}  // namespace mvm
