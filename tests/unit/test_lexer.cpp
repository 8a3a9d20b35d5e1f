// Unit tests for the tokenizer (compiler/lexer.cpp): token kinds, indentation, implicit and
// explicit line joining, numbers, string prefixes, positions and the error details CPython
// 3.11's tokenizer gives. Parser-level error messages are in test_parser.cpp.
#include <doctest/doctest.h>

#include <string>

#include "compiler/lexer.h"

using namespace mvm;

namespace {

std::string describe(const Token& token, const Lexer& lexer) {
  switch (token.kind) {
    case Tok::Name: return "NAME(" + std::string(token.text) + ")";
    case Tok::Number: return "NUMBER(" + std::string(token.text) + ")";
    case Tok::String: return "STRING(" + std::string(token.text) + ")";
    case Tok::Unknown: return "UNKNOWN(" + std::string(token.text) + ")";
    case Tok::Newline: return "NEWLINE";
    case Tok::Indent: return "INDENT";
    case Tok::Dedent: return "DEDENT";
    case Tok::EndMarker: return "END";
    case Tok::Error: return "ERROR(" + lexer.error().message + ")";
    default: return token_spelling(token.kind);
  }
}

// The tokens of source, space-separated; keywords and operators as written.
std::string tokens(std::string_view source) {
  Lexer lexer(source);
  std::string out;
  for (;;) {
    Token token = lexer.next();
    if (!out.empty()) out += ' ';
    out += describe(token, lexer);
    if (token.kind == Tok::EndMarker || token.kind == Tok::Error) return out;
  }
}

// Tokens with their positions: line:col-end_line:end_col, columns 0-based.
std::string spans(std::string_view source) {
  Lexer lexer(source);
  std::string out;
  for (;;) {
    Token token = lexer.next();
    if (!out.empty()) out += ' ';
    out += describe(token, lexer) + "@" + std::to_string(token.line) + ":" +
           std::to_string(token.col) + "-" + std::to_string(token.end_line) + ":" +
           std::to_string(token.end_col);
    if (token.kind == Tok::EndMarker || token.kind == Tok::Error) return out;
  }
}

// The first error: "message @line:col-end_line:end_col" (CPython's 1-based columns).
std::string lex_error(std::string_view source) {
  Lexer lexer(source);
  for (;;) {
    Token token = lexer.next();
    if (token.kind == Tok::EndMarker) return "no error";
    if (token.kind != Tok::Error) continue;
    const SyntaxErrorInfo& e = lexer.error();
    return e.message + " @" + std::to_string(e.line) + ":" + std::to_string(e.col) + "-" +
           std::to_string(e.end_line) + ":" + std::to_string(e.end_col);
  }
}

}  // namespace

TEST_CASE("lexer: names, keywords and operators") {
  CHECK(tokens("x = 1\n") == "NAME(x) = NUMBER(1) NEWLINE END");
  CHECK(tokens("if iffy and None or none:\n") ==
        "if NAME(iffy) and None or NAME(none) : NEWLINE END");
  CHECK(tokens("async await lambda yield\n") == "async await lambda yield NEWLINE END");
  // The longest operator wins.
  CHECK(tokens("a**=b//=c->d...e:=f!=g<<=h>>=i@=j\n") ==
        "NAME(a) **= NAME(b) //= NAME(c) -> NAME(d) ... NAME(e) := NAME(f) != NAME(g) <<= "
        "NAME(h) >>= NAME(i) @= NAME(j) NEWLINE END");
  CHECK(tokens("a.b ..c\n") == "NAME(a) . NAME(b) . . NAME(c) NEWLINE END");
  CHECK(tokens("x ** -y // z\n") == "NAME(x) ** - NAME(y) // NAME(z) NEWLINE END");
  // Characters that are no token; "<>" is only valid in CPython's joke mode.
  CHECK(tokens("$ ? ! ` <>\n") ==
        "UNKNOWN($) UNKNOWN(?) UNKNOWN(!) UNKNOWN(`) UNKNOWN(<>) NEWLINE END");
  CHECK(tokens("é = ℕ\n") == "NAME(é) = NAME(ℕ) NEWLINE END");
}

TEST_CASE("lexer: numbers") {
  CHECK(tokens("0 00 0x1F 0O7 0b1_0 1_000 1.5 .5 1. 1e5 1E-5 1_0.0_1e1_0 7j\n") ==
        "NUMBER(0) NUMBER(00) NUMBER(0x1F) NUMBER(0O7) NUMBER(0b1_0) NUMBER(1_000) NUMBER(1.5) "
        "NUMBER(.5) NUMBER(1.) NUMBER(1e5) NUMBER(1E-5) NUMBER(1_0.0_1e1_0) NUMBER(7j) NEWLINE "
        "END");
  // A number may touch a keyword that can follow it (CPython only warns).
  CHECK(tokens("1if x else 2\n") == "NUMBER(1) if NAME(x) else NUMBER(2) NEWLINE END");
  CHECK(tokens("0x1for\n") == "NUMBER(0x1f) or NEWLINE END");
  CHECK(tokens("1else\n") == "NUMBER(1) else NEWLINE END");
  CHECK(tokens("1.real\n") == "ERROR(invalid decimal literal)");
  CHECK(tokens("1 .real\n") == "NUMBER(1) . NAME(real) NEWLINE END");
}

TEST_CASE("lexer: string literals") {
  CHECK(tokens("'a' \"b\" '''c''' \"\"\"d\"\"\" ''\n") ==
        "STRING('a') STRING(\"b\") STRING('''c''') STRING(\"\"\"d\"\"\") STRING('') NEWLINE END");
  CHECK(tokens("r'a' b'a' u'a' f'a' Rb'a' bR'a' rF'a' Fr'a' U'a'\n") ==
        "STRING(r'a') STRING(b'a') STRING(u'a') STRING(f'a') STRING(Rb'a') STRING(bR'a') "
        "STRING(rF'a') STRING(Fr'a') STRING(U'a') NEWLINE END");
  // Not prefixes: the name stands alone.
  CHECK(tokens("ur'a' bu'a' fb'a' rr'a'\n") ==
        "NAME(ur) STRING('a') NAME(bu) STRING('a') NAME(fb) STRING('a') NAME(rr) STRING('a') "
        "NEWLINE END");
  // Escaped quotes and backslash-newline stay inside the literal (even a raw one).
  CHECK(tokens("'it\\'s' r'\\'' 'a\\\nb'\n") ==
        "STRING('it\\'s') STRING(r'\\'') STRING('a\\\nb') NEWLINE END");
  CHECK(spans("x = '''one\ntwo'''\n") ==
        "NAME(x)@1:0-1:1 =@1:2-1:3 STRING('''one\ntwo''')@1:4-2:6 NEWLINE@2:6-2:6 "
        "END@2:6-2:-2");
}

TEST_CASE("lexer: indentation") {
  CHECK(tokens("if x:\n    y\n    z\nw\n") ==
        "if NAME(x) : NEWLINE INDENT NAME(y) NEWLINE NAME(z) NEWLINE DEDENT NAME(w) NEWLINE END");
  // Several levels close at once, and the end of input closes the rest.
  CHECK(tokens("a:\n b:\n  c\nd:\n e") ==
        "NAME(a) : NEWLINE INDENT NAME(b) : NEWLINE INDENT NAME(c) NEWLINE DEDENT DEDENT "
        "NAME(d) : NEWLINE INDENT NAME(e) NEWLINE DEDENT END");
  // Blank and comment-only lines neither indent nor end statements.
  CHECK(tokens("a\n\n   \n  # note\n\t\nb  # trailing\n") ==
        "NAME(a) NEWLINE NAME(b) NEWLINE END");
  // A tab reaches the next multiple of 8; a form feed resets the column.
  CHECK(tokens("a:\n  \tb\n  \tc\n") ==
        "NAME(a) : NEWLINE INDENT NAME(b) NEWLINE NAME(c) NEWLINE DEDENT END");
  CHECK(tokens("a:\n\tb\n        c\n") ==
        "NAME(a) : NEWLINE INDENT NAME(b) NEWLINE "
        "ERROR(inconsistent use of tabs and spaces in indentation)");
  CHECK(tokens("a:\n  b\n\f  c\n") ==
        "NAME(a) : NEWLINE INDENT NAME(b) NEWLINE NAME(c) NEWLINE DEDENT END");
  CHECK(lex_error("a:\n    b\n  c\n") ==
        "unindent does not match any outer indentation level @3:4-3:-1");
  CHECK(lex_error("a:\n\tb\n        c\n") ==
        "inconsistent use of tabs and spaces in indentation @3:1-3:0");
  // INDENT, DEDENT and ENDMARKER sit at the cursor and have no end (-2).
  CHECK(spans("a:\n  b\n") ==
        "NAME(a)@1:0-1:1 :@1:1-1:2 NEWLINE@1:2-1:2 INDENT@2:1-2:-2 NAME(b)@2:2-2:3 "
        "NEWLINE@2:3-2:3 DEDENT@2:3-2:-2 END@2:3-2:-2");
}

TEST_CASE("lexer: line joining") {
  // Inside brackets newlines and indentation mean nothing.
  CHECK(tokens("f(a,\n      b\n)\n") == "NAME(f) ( NAME(a) , NAME(b) ) NEWLINE END");
  CHECK(tokens("x = [\n  1,\n]\ny\n") == "NAME(x) = [ NUMBER(1) , ] NEWLINE NAME(y) NEWLINE END");
  // A backslash joins lines anywhere.
  CHECK(tokens("x = 1 + \\\n      2\n") == "NAME(x) = NUMBER(1) + NUMBER(2) NEWLINE END");
  CHECK(tokens("if a and \\\nb:\n  c\n") ==
        "if NAME(a) and NAME(b) : NEWLINE INDENT NAME(c) NEWLINE DEDENT END");
  // Bracket depth after each token, as CPython's token level.
  Lexer lexer("f([a])\n");
  int depths[7];
  for (int& depth : depths) depth = lexer.next().depth;
  CHECK(depths[0] == 0);   // f
  CHECK(depths[1] == 1);   // (
  CHECK(depths[2] == 2);   // [
  CHECK(depths[3] == 2);   // a
  CHECK(depths[4] == 1);   // ]
  CHECK(depths[5] == 0);   // )
}

TEST_CASE("lexer: positions count code points") {
  CHECK(spans("s = 'é€😀' + x\n") ==
        "NAME(s)@1:0-1:1 =@1:2-1:3 STRING('é€😀')@1:4-1:9 +@1:10-1:11 NAME(x)@1:12-1:13 "
        "NEWLINE@1:13-1:13 END@1:13-1:-2");
  // The last line's missing newline is supplied.
  CHECK(spans("a\nbc") == "NAME(a)@1:0-1:1 NEWLINE@1:1-1:1 NAME(bc)@2:0-2:2 NEWLINE@2:2-2:2 "
                          "END@2:2-2:-2");
  CHECK(tokens("") == "END");
  CHECK(tokens("# only a comment") == "END");
  // A lexer for an f-string field starts where the field is in the file.
  Lexer field("(a + b)", 3, 10);
  Token open = field.next();
  Token a = field.next();
  CHECK(open.line == 3);
  CHECK(open.col == 10);
  CHECK(a.col == 11);
}

TEST_CASE("lexer: errors and where CPython puts them") {
  CHECK(lex_error("x = 1abc") == "invalid decimal literal @1:5-1:5");
  CHECK(lex_error("x = 0o19") == "invalid digit '9' in octal literal @1:8-1:8");
  CHECK(lex_error("x = 0b") == "invalid binary literal @1:6-1:6");
  CHECK(lex_error("x = 0x_") == "invalid hexadecimal literal @1:7-1:7");
  CHECK(lex_error("x = 012") ==
        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for "
        "octal integers @1:5-1:6");
  CHECK(lex_error("x = 'abc\ny = 2\n") == "unterminated string literal (detected at line 1) @1:5-1:5");
  CHECK(lex_error("x = '''abc\n\n") ==
        "unterminated triple-quoted string literal (detected at line 2) @1:5-1:5");
  CHECK(lex_error("a = (1,\n     [2)") ==
        "closing parenthesis ')' does not match opening parenthesis '[' @2:8-2:8");
  CHECK(lex_error("a = (1,\n 2]") ==
        "closing parenthesis ']' does not match opening parenthesis '(' on line 1 @2:3-2:3");
  CHECK(lex_error("a = 1}") == "unmatched '}' @1:6-1:6");
  CHECK(lex_error("f(a, [b,\n") == "'[' was never closed @1:6-1:0");
  CHECK(lex_error("x = a€") == "invalid character '€' (U+20AC) @1:6-1:6");
  CHECK(lex_error("x = \u200b") == "invalid non-printable character U+200B @1:5-1:5");
  CHECK(lex_error("x = \x7f") == "invalid non-printable character U+007F @1:5-1:5");
  CHECK(lex_error("x = 1 \\ # comment") ==
        "unexpected character after line continuation character @1:8-1:0");
  CHECK(lex_error("x = 1 \\") == "unexpected EOF while parsing @1:8-1:-1");
  CHECK(lex_error("x = 1\n\n") == "no error");

  // Which errors take precedence over an earlier parser error, and which mean that the
  // input is unfinished (for the REPL).
  Lexer eager("x = 'abc\n");
  while (eager.next().kind != Tok::Error) {
  }
  CHECK(eager.error_is_eager());
  CHECK_FALSE(eager.error().incomplete_input);
  Lexer unfinished("x = (1,\n");
  while (unfinished.next().kind != Tok::Error) {
  }
  CHECK_FALSE(unfinished.error_is_eager());
  CHECK(unfinished.error().incomplete_input);
  REQUIRE(unfinished.open_brackets().size() == 1);
  CHECK(unfinished.open_brackets()[0].ch == '(');
  CHECK(unfinished.next().kind == Tok::Error);   // errors stick
}

TEST_CASE("lexer: source normalisation") {
  auto normalized = [](std::string_view raw) {
    std::string storage;
    std::string_view text;
    SyntaxErrorInfo error;
    if (!normalize_source(raw, "f.py", &storage, &text, &error)) return "error: " + error.message;
    return std::string(text);
  };
  CHECK(normalized("a\r\nb\rc\n") == "a\nb\nc\n");
  CHECK(normalized("\xEF\xBB\xBFx = 1\n") == "x = 1\n");
  CHECK(normalized("x = 'é'\n") == "x = 'é'\n");
  CHECK(normalized(std::string_view("x\0", 2)) == "error: source code cannot contain null bytes");
  CHECK(normalized("ok\n'\xC3\x28'") ==
        "error: Non-UTF-8 code starting with '\\xc3' in file f.py on line 2, but no encoding "
        "declared; see https://peps.python.org/pep-0263/ for details");
}
