// Literals: numbers (to int64, big-integer decimal text or double), string and bytes
// literals with their escapes, and f-strings, which CPython 3.11 splits into literal text and
// replacement fields whose expressions are parsed on their own as "(expr)".
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "compiler/parser_internal.h"
#include "runtime/unicode.h"

namespace mvm::parser_detail {

using namespace ast;

namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The decimal text of an integer written with `digits` in `base`, however large: the digits
// are accumulated into base-10^9 limbs, least significant first.
std::string to_decimal(std::string_view digits, int base) {
  constexpr uint32_t kLimb = 1000000000;
  std::vector<uint32_t> limbs{0};
  for (char c : digits) {
    uint64_t carry = static_cast<uint64_t>(digit_value(c));
    for (uint32_t& limb : limbs) {
      uint64_t value = static_cast<uint64_t>(limb) * static_cast<uint64_t>(base) + carry;
      limb = static_cast<uint32_t>(value % kLimb);
      carry = value / kLimb;
    }
    while (carry) {
      limbs.push_back(static_cast<uint32_t>(carry % kLimb));
      carry /= kLimb;
    }
  }
  std::string text = std::to_string(limbs.back());
  for (size_t i = limbs.size() - 1; i-- > 0;) {
    std::string part = std::to_string(limbs[i]);
    text.append(9 - part.size(), '0');
    text += part;
  }
  return text;
}

// For a float literal too large or too small for a double: whether it overflows (to inf)
// rather than underflows (to 0). Compares the position of its first significant digit.
bool float_overflows(std::string_view text) {
  size_t exponent_at = text.find_first_of("eE");
  long long exponent = 0;
  if (exponent_at != std::string_view::npos) {
    std::string_view e = text.substr(exponent_at + 1);
    bool negative = !e.empty() && e[0] == '-';
    if (!e.empty() && (e[0] == '-' || e[0] == '+')) e.remove_prefix(1);
    for (char c : e) exponent = std::min(exponent * 10 + (c - '0'), 100000000LL);
    if (negative) exponent = -exponent;
  }
  std::string_view mantissa = text.substr(0, exponent_at);
  size_t point = mantissa.find('.');
  if (point == std::string_view::npos) point = mantissa.size();
  size_t first = mantissa.find_first_of("123456789");
  if (first == std::string_view::npos) return false;   // zero
  long long magnitude = first < point ? static_cast<long long>(point - first)
                                      : -static_cast<long long>(first - point - 1);
  return magnitude + exponent > 0;
}

// A string literal's prefix letters and where its body lies between the quotes.
struct Literal {
  bool bytes = false, raw = false, fstring = false;
  std::string_view body;
  size_t body_offset = 0;   // of the body within the token's text
};

Literal split_literal(std::string_view text) {
  Literal literal;
  size_t i = 0;
  for (; text[i] != '\'' && text[i] != '"'; i++) {
    char c = static_cast<char>(text[i] | 0x20);   // lower case
    if (c == 'b') literal.bytes = true;
    if (c == 'r') literal.raw = true;
    if (c == 'f') literal.fstring = true;
  }
  char quote = text[i];
  size_t quote_size =
      text.size() >= i + 6 && text[i + 1] == quote && text[i + 2] == quote ? 3 : 1;
  literal.body_offset = i + quote_size;
  literal.body = text.substr(literal.body_offset, text.size() - i - 2 * quote_size);
  return literal;
}

std::string codec_error(size_t start, size_t end, const char* reason) {
  return "(unicode error) 'unicodeescape' codec can't decode bytes in position " +
         std::to_string(start) + "-" + std::to_string(end - 1) + ": " + reason;
}

// Appends a str literal's body to out with its escapes decoded. Returns CPython's error
// message for a malformed escape, or an empty string. Positions in the message count as
// CPython's decoder does, after it has turned each non-ASCII character into a \U escape.
std::string decode_text(std::string_view body, std::string& out) {
  size_t i = 0, position = 0;
  while (i < body.size()) {
    unsigned char c = static_cast<unsigned char>(body[i]);
    if (c != '\\') {
      size_t length = utf8_seq_length(c);
      out.append(body.substr(i, length));
      i += length;
      position += c >= 0x80 ? 10 : 1;
      continue;
    }
    size_t start = position;
    if (i + 1 >= body.size() || static_cast<unsigned char>(body[i + 1]) >= 0x80) {
      // A backslash at the end of an f-string's literal part, or before a non-ASCII
      // character, stands for itself.
      out += '\\';
      i++;
      position += 6;
      continue;
    }
    char e = body[i + 1];
    i += 2;
    position += 2;
    switch (e) {
      case '\n': break;   // a backslash-newline continues the literal
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        uint32_t value = static_cast<uint32_t>(e - '0');
        for (int k = 0; k < 2 && i < body.size() && body[i] >= '0' && body[i] <= '7'; k++) {
          value = value * 8 + static_cast<uint32_t>(body[i++] - '0');
          position++;
        }
        utf8_append(out, value);
        break;
      }
      case 'x': case 'u': case 'U': {
        int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        const char* truncated = e == 'x'   ? "truncated \\xXX escape"
                                : e == 'u' ? "truncated \\uXXXX escape"
                                           : "truncated \\UXXXXXXXX escape";
        uint32_t value = 0;
        for (int k = 0; k < digits; k++) {
          if (i >= body.size() || !is_hex_digit(body[i])) {
            return codec_error(start, position, truncated);
          }
          value = value * 16 + static_cast<uint32_t>(digit_value(body[i++]));
          position++;
        }
        if (value > 0x10FFFF) return codec_error(start, position, "illegal Unicode character");
        utf8_append(out, value);
        break;
      }
      case 'N': {
        // \N{name} needs the Unicode name database, which minivm does not carry.
        const char* reason = "malformed \\N character escape";
        if (i < body.size() && body[i] == '{') {
          size_t close = body.find('}', i + 1);
          if (close == std::string_view::npos) {
            position += body.size() - i;
          } else if (close > i + 1) {
            position += close + 1 - i;
            reason = "unknown Unicode character name";
          } else {
            position += close - i;
          }
        }
        return codec_error(start, position, reason);
      }
      default:   // an unknown escape keeps its backslash
        out += '\\';
        out += e;
        break;
    }
  }
  return {};
}

// Appends a bytes literal's body to out with its escapes decoded; returns an error or "".
std::string decode_bytes(std::string_view body, std::string& out) {
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c != '\\' || i + 1 >= body.size()) {
      out += c;
      i++;
      continue;
    }
    size_t backslash = i;
    char e = body[i + 1];
    i += 2;
    switch (e) {
      case '\n': break;
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        unsigned value = static_cast<unsigned>(e - '0');
        for (int k = 0; k < 2 && i < body.size() && body[i] >= '0' && body[i] <= '7'; k++) {
          value = value * 8 + static_cast<unsigned>(body[i++] - '0');
        }
        out += static_cast<char>(value & 0xFF);
        break;
      }
      case 'x':
        if (i + 1 >= body.size() || !is_hex_digit(body[i]) || !is_hex_digit(body[i + 1])) {
          return "(value error) invalid \\x escape at position " + std::to_string(backslash);
        }
        out += static_cast<char>(digit_value(body[i]) * 16 + digit_value(body[i + 1]));
        i += 2;
        break;
      default:
        out += '\\';
        out += e;
        break;
    }
  }
  return {};
}

// The source position of byte `offset` of a token's text.
Loc position_in_token(const Token& token, size_t offset) {
  Loc loc{token.line, token.col};
  for (size_t i = 0; i < offset; i++) {
    char c = token.text[i];
    if (c == '\n') {
      loc.line++;
      loc.col = 0;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      loc.col++;
    }
  }
  return loc;
}

}  // namespace

// ----------------------------------------------------------------------------------------
// Numbers

Expr* Parser::number() {
  Token token = take();
  Constant* constant = node<Constant>(start_of(token));
  char last = token.text.back();
  if (last == 'j' || last == 'J') fail_at_token(token, "complex literals are not supported");
  std::string text;
  text.reserve(token.text.size());
  for (char c : token.text) {
    if (c != '_') text += c;
  }
  int base = 10;
  std::string_view digits = text;
  if (text.size() > 1 && text[0] == '0') {
    char radix = static_cast<char>(text[1] | 0x20);
    base = radix == 'x' ? 16 : radix == 'o' ? 8 : radix == 'b' ? 2 : 10;
    if (base != 10) digits.remove_prefix(2);
  }
  if (base == 10 && text.find_first_of(".eE") != std::string::npos) {
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc::result_out_of_range) value = float_overflows(text) ? HUGE_VAL : 0.0;
    constant->ckind = ConstKind::Float;
    constant->float_value = value;
    return constant;
  }
  uint64_t value = 0;
  bool fits = true;
  for (char c : digits) {
    uint64_t digit = static_cast<uint64_t>(digit_value(c));
    if (value > (UINT64_MAX - digit) / static_cast<uint64_t>(base)) {
      fits = false;
      break;
    }
    value = value * static_cast<uint64_t>(base) + digit;
  }
  if (fits && value <= static_cast<uint64_t>(INT64_MAX)) {
    constant->ckind = ConstKind::Int;
    constant->int_value = static_cast<int64_t>(value);
  } else {
    constant->ckind = ConstKind::BigInt;
    constant->text = to_decimal(digits, base);
  }
  return constant;
}

// ----------------------------------------------------------------------------------------
// Strings

// Adjacent literals form one constant ("a" 'b' is "ab"); with an f-string among them, one
// JoinedStr. CPython decodes them once it has seen the token after the last one, so errors
// in them are reported at that token, in the order of the literals.
Expr* Parser::strings() {
  std::vector<Token> tokens;
  while (at(Tok::String)) tokens.push_back(take());
  Pos whole{tokens.front().line, tokens.front().col, tokens.back().end_line,
            tokens.back().end_col};
  FStringPieces pieces{{}, {}, whole};   // the text, in pending, until an f-string comes
  bool bytes = false, any_fstring = false;
  for (size_t i = 0; i < tokens.size(); i++) {
    const Token& token = tokens[i];
    Literal literal = split_literal(token.text);
    std::string decoded;
    if (!literal.fstring) {
      if (literal.bytes) {
        for (char c : literal.body) {
          if (static_cast<unsigned char>(c) >= 0x80) {
            fail_at_token(token, "bytes can only contain ASCII literal characters");
          }
        }
      }
      std::string error;
      if (literal.raw) {
        decoded = literal.body;
      } else {
        error = literal.bytes ? decode_bytes(literal.body, decoded)
                              : decode_text(literal.body, decoded);
      }
      if (!error.empty()) fail_at_furthest(std::move(error));
    }
    if (i > 0 && literal.bytes != bytes) fail_at_furthest("cannot mix bytes and nonbytes literals");
    bytes = literal.bytes;
    if (literal.fstring) {
      any_fstring = true;
      size_t position = 0;
      fstring_body(token, literal.body_offset, literal.body, literal.raw, position, 0, pieces);
    } else {
      pieces.pending += decoded;
    }
  }
  if (!any_fstring) {
    Constant* constant = make<Constant>();
    constant->pos = whole;
    constant->ckind = bytes ? ConstKind::Bytes : ConstKind::Str;
    constant->text = std::move(pieces.pending);
    return constant;
  }
  flush_literal(pieces, whole);
  JoinedStr* joined = make<JoinedStr>();
  joined->pos = whole;
  joined->values = std::move(pieces.values);
  return joined;
}

// Literal text collected so far becomes a Constant piece (empty text makes none).
void Parser::flush_literal(FStringPieces& pieces, const Pos& pos) {
  if (pieces.pending.empty()) return;
  Constant* constant = make<Constant>();
  constant->ckind = ConstKind::Str;
  constant->text = std::move(pieces.pending);
  constant->pos = pos;
  pieces.values.push_back(constant);
  pieces.pending.clear();
}

// The body of an f-string (level 0) or of a format specification (level 1, which ends at
// the '}' closing its replacement field), from `position` on.
void Parser::fstring_body(const Token& token, size_t body_offset, std::string_view body,
                          bool raw, size_t& position, int level, FStringPieces& pieces) {
  for (;;) {
    // Literal text, up to a '{' that is not doubled.
    size_t start = position;
    bool doubled = false;
    while (position < body.size()) {
      char c = body[position++];
      if (!raw && c == '\\' && position < body.size()) {
        c = body[position++];
        if (c == 'N') {
          // The braces of \N{NAME} are not a replacement field.
          if (position < body.size() && body[position++] == '{') {
            while (position < body.size() && body[position++] != '}') {
            }
          }
          continue;
        }
      }
      if (c == '{' || c == '}') {
        if (level == 0) {
          if (position < body.size() && body[position] == c) {
            doubled = true;   // "{{" or "}}": the literal keeps one brace
            break;
          }
          if (c == '}') fail_at_furthest("f-string: single '}' is not allowed");
        }
        position--;
        break;
      }
    }
    std::string_view text = body.substr(start, position - start);
    if (raw) {
      pieces.pending += text;
    } else {
      std::string error = decode_text(text, pieces.pending);
      if (!error.empty()) fail_at_furthest(std::move(error));
    }
    if (doubled) {
      position++;
      continue;
    }
    if (position >= body.size() || body[position] == '}') break;
    replacement_field(token, body_offset, body, raw, position, level, pieces);
  }
  if (level > 0 && (position >= body.size() || body[position] != '}')) {
    fail_at_furthest("f-string: expecting '}'");
  }
}

// {expression[=][!conversion][:format_spec]} starting at the '{' at `position`.
void Parser::replacement_field(const Token& token, size_t body_offset, std::string_view body,
                               bool raw, size_t& position, int level, FStringPieces& pieces) {
  if (level >= 2) fail_at_furthest("f-string: expressions nested too deeply");
  size_t expr_start = ++position;
  // Find where the expression ends, skipping strings and brackets inside it.
  char quote = 0;
  bool triple = false;
  std::vector<char> brackets;
  for (; position < body.size(); position++) {
    char c = body[position];
    if (c == '\\') fail_at_furthest("f-string expression part cannot include a backslash");
    if (quote) {
      if (c == quote) {
        if (!triple) {
          quote = 0;
        } else if (position + 2 < body.size() && body[position + 1] == c &&
                   body[position + 2] == c) {
          position += 2;
          quote = 0;
        }
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      triple = position + 2 < body.size() && body[position + 1] == c && body[position + 2] == c;
      if (triple) position += 2;
      quote = c;
    } else if (c == '[' || c == '{' || c == '(') {
      if (brackets.size() >= 200) fail_at_furthest("f-string: too many nested parenthesis");
      brackets.push_back(c);
    } else if (c == '#') {
      fail_at_furthest("f-string expression part cannot include '#'");
    } else if (brackets.empty() &&
               (c == '!' || c == ':' || c == '}' || c == '=' || c == '>' || c == '<')) {
      // "!=", "==", "<=" and ">=" are operators, not the end of the expression.
      char next = position + 1 < body.size() ? body[position + 1] : '\0';
      if (next == '=' && (c == '!' || c == '=' || c == '<' || c == '>')) {
        position++;
        continue;
      }
      if (c == '<' || c == '>') continue;
      break;
    } else if (c == ']' || c == '}' || c == ')') {
      if (brackets.empty()) fail_at_furthest(std::string("f-string: unmatched '") + c + "'");
      char opening = brackets.back();
      brackets.pop_back();
      char expected = opening == '(' ? ')' : opening == '[' ? ']' : '}';
      if (c != expected) {
        fail_at_furthest(std::string("f-string: closing parenthesis '") + c +
                         "' does not match opening parenthesis '" + opening + "'");
      }
    }
  }
  size_t expr_end = position;
  if (quote) fail_at_furthest("f-string: unterminated string");
  if (!brackets.empty()) {
    fail_at_furthest(std::string("f-string: unmatched '") + brackets.back() + "'");
  }
  if (position >= body.size()) fail_at_furthest("f-string: expecting '}'");
  std::string_view source = body.substr(expr_start, expr_end - expr_start);
  if (source.find_first_not_of(" \t\n\f") == std::string_view::npos) {
    char c = body[expr_end];
    if (c == '!' || c == ':' || c == '=') {
      fail_at_furthest(std::string("f-string: expression required before '") + c + "'");
    }
    fail_at_furthest("f-string: empty expression not allowed");
  }
  // CPython parses the expression before looking at what follows it.
  Expr* value = fstring_expression(token, body_offset + expr_start, source);

  bool debug = false;
  if (body[position] == '=') {
    // f"{x=}" shows the expression's text, then its repr unless told otherwise.
    position++;
    while (position < body.size() && std::string_view(" \t\n\r\f\v").find(body[position]) !=
                                         std::string_view::npos) {
      position++;
    }
    if (position >= body.size()) fail_at_furthest("f-string: expecting '}'");
    debug = true;
    pieces.pending += body.substr(expr_start, position - expr_start);
  }
  char conversion = 0;
  if (body[position] == '!') {
    if (++position >= body.size()) fail_at_furthest("f-string: expecting '}'");
    conversion = body[position++];
    if (conversion != 's' && conversion != 'r' && conversion != 'a') {
      fail_at_furthest("f-string: invalid conversion character: expected 's', 'r', or 'a'");
    }
  }
  Expr* format_spec = nullptr;
  if (position < body.size() && body[position] == ':') {
    if (++position >= body.size()) fail_at_furthest("f-string: expecting '}'");
    // CPython gives the specification, and literal text ending it, the token's position.
    Pos token_pos{token.line, token.col, token.end_line, token.end_col};
    FStringPieces spec{{}, {}, pieces.pos};
    fstring_body(token, body_offset, body, raw, position, level + 1, spec);
    flush_literal(spec, token_pos);
    JoinedStr* joined = make<JoinedStr>();
    joined->values = std::move(spec.values);
    joined->pos = token_pos;
    format_spec = joined;
  }
  if (position >= body.size() || body[position] != '}') {
    fail_at_furthest("f-string: expecting '}'");
  }
  position++;
  if (debug && !format_spec && conversion == 0) conversion = 'r';
  flush_literal(pieces, pieces.pos);
  FormattedValue* formatted = make<FormattedValue>();
  formatted->value = value;
  formatted->conversion = conversion;
  formatted->format_spec = format_spec;
  formatted->pos = pieces.pos;
  pieces.values.push_back(formatted);
}

// Parses the expression of a replacement field, which starts at byte `offset` of the
// token's text. Like CPython 3.11 it is parsed as "(source)" by a parser of its own, with
// positions mapped back into the file.
Expr* Parser::fstring_expression(const Token& token, size_t offset, std::string_view source) {
  Loc brace = position_in_token(token, offset - 1);
  std::string wrapped;
  wrapped.reserve(source.size() + 2);
  wrapped += '(';
  wrapped += source;
  wrapped += ')';
  Lexer lexer(wrapped, brace.line, brace.col);
  TokenStream stream(lexer);
  FStringFieldGuard field(*this, stream, wrapped, brace);
  Expr* value = star_expressions();
  if (!at(Tok::Newline)) invalid_syntax();
  return value;
}

FStringFieldGuard::FStringFieldGuard(Parser& parser, TokenStream& stream,
                                     std::string_view source, Loc origin)
    : parser_(parser),
      saved_tokens_(parser.tokens_),
      saved_source_(parser.fstring_source_),
      saved_origin_{parser.fstring_line_, parser.fstring_col_} {
  parser_.tokens_ = &stream;
  parser_.fstring_source_ = source;
  parser_.fstring_line_ = origin.line;
  parser_.fstring_col_ = origin.col;
}

FStringFieldGuard::~FStringFieldGuard() {
  parser_.tokens_ = saved_tokens_;
  parser_.fstring_source_ = saved_source_;
  parser_.fstring_line_ = saved_origin_.line;
  parser_.fstring_col_ = saved_origin_.col;
}

}  // namespace mvm::parser_detail
