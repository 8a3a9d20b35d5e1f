// Unit tests for the parser (compiler/parser.cpp and friends): every construct of the
// language subset, operator precedence, positions, Store/Del contexts, the three modes, and
// the SyntaxError CPython 3.11 reports for common mistakes (message, line, column and end).
// Expected ASTs and errors were produced by CPython 3.11 itself, through the converter in
// tests/tools/compare_parser.py, which also compares whole files (see that script).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/ast_dump.h"
#include "compiler/parser.h"

using namespace mvm;

namespace {

// The s-expression dump of a module (see compiler/ast_dump.h), or the error message.
std::string parsed(std::string_view source, ParseMode mode = ParseMode::File) {
  ParseResult result = parse(source, "<test>", mode);
  if (!result.module) return "error: " + result.error.message;
  return dump(*result.module);
}

std::string parsed_with_positions(std::string_view source) {
  ParseResult result = parse(source, "<test>", ParseMode::File);
  if (!result.module) return "error: " + result.error.message;
  return dump(*result.module, /*positions=*/true);
}

// A syntax error as "[Kind: ]message @line:col-end_line:end_col", with CPython's 1-based
// columns; "no error" if the source parses.
std::string error(std::string_view source, ParseMode mode = ParseMode::File) {
  ParseResult result = parse(source, "<test>", mode);
  if (result.module) return "no error";
  const SyntaxErrorInfo& e = result.error;
  std::string kind = e.kind == SyntaxErrorInfo::Kind::Indentation ? "IndentationError: "
                     : e.kind == SyntaxErrorInfo::Kind::Tab       ? "TabError: "
                                                                  : "";
  return kind + e.message + " @" + std::to_string(e.line) + ":" + std::to_string(e.col) + "-" +
         std::to_string(e.end_line) + ":" + std::to_string(e.end_col);
}

SyntaxErrorInfo error_info(std::string_view source, ParseMode mode = ParseMode::File) {
  ParseResult result = parse(source, "<test>", mode);
  REQUIRE_FALSE(result.module);
  return result.error;
}

std::string repeat(std::string_view text, int count) {
  std::string out;
  for (int i = 0; i < count; i++) out += text;
  return out;
}

bool parses(const std::string& source) {
  return parse(source, "<test>", ParseMode::File).module.has_value();
}

}  // namespace

TEST_CASE("parser: numbers, strings and constants") {
  CHECK(parsed("42\n"
               "0\n"
               "9223372036854775807\n"
               "9223372036854775808\n"
               "-9223372036854775808\n") ==
        "(Expr 42)\n"
        "(Expr 0)\n"
        "(Expr 9223372036854775807)\n"
        "(Expr 9223372036854775808)\n"
        "(Expr (UnaryOp - 9223372036854775808))");
  CHECK(parsed("0xff\n"
               "0o17\n"
               "0b101\n"
               "0XFF_FF\n"
               "1_000_000\n"
               "0xffffffffffffffffffff\n"
               "0o7777777777777777777777777\n"
               "0b1111111111111111111111111111111111111111111111111111111111111111111111\n") ==
        "(Expr 255)\n"
        "(Expr 15)\n"
        "(Expr 5)\n"
        "(Expr 65535)\n"
        "(Expr 1000000)\n"
        "(Expr 1208925819614629174706175)\n"
        "(Expr 37778931862957161709567)\n"
        "(Expr 1180591620717411303423)");
  CHECK(parsed("1.5\n"
               "1e3\n"
               ".5\n"
               "1.\n"
               "1_000.000_1\n"
               "1e-5\n"
               "2.5E+10\n"
               "1e400\n"
               "1e-400\n"
               "0.0\n"
               "00.5\n"
               "0e0\n") ==
        "(Expr 1.5)\n"
        "(Expr 1000.0)\n"
        "(Expr 0.5)\n"
        "(Expr 1.0)\n"
        "(Expr 1000.0001)\n"
        "(Expr 1e-05)\n"
        "(Expr 25000000000.0)\n"
        "(Expr inf)\n"
        "(Expr 0.0)\n"
        "(Expr 0.0)\n"
        "(Expr 0.5)\n"
        "(Expr 0.0)");
  CHECK(parsed("'a' \"b\"\n"
               "'''tri\n"
               "ple'''\n"
               "\"\"\"x\"\"\"\n"
               "''\n") ==
        "(Expr 'ab')\n"
        "(Expr 'tri\\nple')\n"
        "(Expr 'x')\n"
        "(Expr '')");
  CHECK(parsed("'\\n\\t\\\\\\'\\\"\\a\\b\\f\\v\\r'\n"
               "'\\x41\\101\\0\\u00e9\\U0001F600'\n"
               "'\\d\\q'\n"
               "'a\\\n"
               "b'\n") ==
        "(Expr '\\n\\t\\\\\\'\"\\x07\\x08\\x0c\\x0b\\r')\n"
        "(Expr 'AA\\x00é😀')\n"
        "(Expr '\\\\d\\\\q')\n"
        "(Expr 'ab')");
  CHECK(parsed("r'\\n\\x'\n"
               "R\"\\d\"\n"
               "b'\\x00\\xff\\n'\n"
               "B'abc'\n"
               "rb'\\n'\n"
               "Br'\\x'\n"
               "u'unicode'\n"
               "U'x'\n") ==
        "(Expr '\\\\n\\\\x')\n"
        "(Expr '\\\\d')\n"
        "(Expr b'\\x00\\xff\\n')\n"
        "(Expr b'abc')\n"
        "(Expr b'\\\\n')\n"
        "(Expr b'\\\\x')\n"
        "(Expr 'unicode')\n"
        "(Expr 'x')");
  CHECK(parsed("'café' '€'\n"
               "b'a' b'b'\n"
               "'a' 'b' 'c'\n") ==
        "(Expr 'café€')\n"
        "(Expr b'ab')\n"
        "(Expr 'abc')");
  CHECK(parsed("None\n"
               "True\n"
               "False\n"
               "...\n") ==
        "(Expr None)\n"
        "(Expr True)\n"
        "(Expr False)\n"
        "(Expr ...)");
  // Complex literals are not in the subset.
  CHECK(error("x = 1j\n") == "complex literals are not supported @1:5-1:7");
}

TEST_CASE("parser: f-strings") {
  CHECK(parsed("f'a{x}b'\n") ==
        "(Expr (JoinedStr 'a' (FormattedValue x) 'b'))");
  CHECK(parsed("f'{x!r} {y!s} {z!a}'\n") ==
        "(Expr (JoinedStr (FormattedValue x !r) ' ' (FormattedValue y !s) ' ' (FormattedValue z !a)))");
  CHECK(parsed("f'{x:>10} {y:{w}.{p}f}'\n") ==
        "(Expr (JoinedStr (FormattedValue x (JoinedStr '>10')) ' ' (FormattedValue y (JoinedStr (FormattedValue w) '.' (FormattedValue p) 'f'))))");
  CHECK(parsed("f'{x=}'\n"
               "f'{x = }'\n"
               "f'{x=!s}'\n"
               "f'{x=:>4}'\n") ==
        "(Expr (JoinedStr 'x=' (FormattedValue x !r)))\n"
        "(Expr (JoinedStr 'x = ' (FormattedValue x !r)))\n"
        "(Expr (JoinedStr 'x=' (FormattedValue x !s)))\n"
        "(Expr (JoinedStr 'x=' (FormattedValue x (JoinedStr '>4'))))");
  CHECK(parsed("f'{{literal}}' f\"{'nested'}\"\n") ==
        "(Expr (JoinedStr '{literal}' (FormattedValue 'nested')))");
  CHECK(parsed("'plain' f'{x}' 'tail'\n"
               "f'' ''\n"
               "f'abc'\n") ==
        "(Expr (JoinedStr 'plain' (FormattedValue x) 'tail'))\n"
        "(Expr (JoinedStr))\n"
        "(Expr (JoinedStr 'abc'))");
  CHECK(parsed("rf'\\n{x}'\n"
               "FR'{x}\\d'\n") ==
        "(Expr (JoinedStr '\\\\n' (FormattedValue x)))\n"
        "(Expr (JoinedStr (FormattedValue x) '\\\\d'))");
  CHECK(parsed("f'{a+b:{c}}'\n"
               "f'{x,y}'\n"
               "f'{d[\"k\"]}'\n"
               "f'{(lambda: 1)()}'\n") ==
        "(Expr (JoinedStr (FormattedValue (BinOp a + b) (JoinedStr (FormattedValue c)))))\n"
        "(Expr (JoinedStr (FormattedValue (Tuple x y))))\n"
        "(Expr (JoinedStr (FormattedValue (Subscript d 'k'))))\n"
        "(Expr (JoinedStr (FormattedValue (Call (Lambda (args) 1)))))");
  CHECK(parsed("f'''{\n"
               "x\n"
               "}'''\n") ==
        "(Expr (JoinedStr (FormattedValue x)))");
  CHECK(parsed("f'{x!r:^{width}}'\n"
               "f'{3.14:.{n}f}'\n"
               "f'{x:{{}}}'\n") ==
        "(Expr (JoinedStr (FormattedValue x !r (JoinedStr '^' (FormattedValue width)))))\n"
        "(Expr (JoinedStr (FormattedValue 3.14 (JoinedStr '.' (FormattedValue n) 'f'))))\n"
        "(Expr (JoinedStr (FormattedValue x (JoinedStr (FormattedValue (Dict))))))");
}

TEST_CASE("parser: operator precedence and associativity") {
  CHECK(parsed("-2**2\n"
               "2**-1\n"
               "2**3**2\n"
               "-x**-y\n"
               "~a**b\n") ==
        "(Expr (UnaryOp - (BinOp 2 ** 2)))\n"
        "(Expr (BinOp 2 ** (UnaryOp - 1)))\n"
        "(Expr (BinOp 2 ** (BinOp 3 ** 2)))\n"
        "(Expr (UnaryOp - (BinOp x ** (UnaryOp - y))))\n"
        "(Expr (UnaryOp ~ (BinOp a ** b)))");
  CHECK(parsed("a + b * c - d / e // f % g @ h\n") ==
        "(Expr (BinOp (BinOp a + (BinOp b * c)) - (BinOp (BinOp (BinOp (BinOp d / e) // f) % g) @ h)))");
  CHECK(parsed("a | b ^ c & d << e >> f\n") ==
        "(Expr (BinOp a | (BinOp b ^ (BinOp c & (BinOp (BinOp d << e) >> f)))))");
  CHECK(parsed("a << b + c\n"
               "(a + b) * c\n") ==
        "(Expr (BinOp a << (BinOp b + c)))\n"
        "(Expr (BinOp (BinOp a + b) * c))");
  CHECK(parsed("not a == b\n"
               "not a and b or c\n"
               "a or b and not c\n") ==
        "(Expr (UnaryOp not (Compare a == b)))\n"
        "(Expr (BoolOp or (BoolOp and (UnaryOp not a) b) c))\n"
        "(Expr (BoolOp or a (BoolOp and b (UnaryOp not c))))");
  CHECK(parsed("a < b <= c == d != e > f >= g\n"
               "a in b not in c is d is not e\n") ==
        "(Expr (Compare a < b <= c == d != e > f >= g))\n"
        "(Expr (Compare a in b not-in c is d is-not e))");
  CHECK(parsed("a if b else c if d else e\n"
               "(a if b else c) if d else e\n") ==
        "(Expr (IfExp b a (IfExp d c e)))\n"
        "(Expr (IfExp d (IfExp b a c) e))");
  CHECK(parsed("lambda: a if b else c\n"
               "lambda x: lambda y: x + y\n") ==
        "(Expr (Lambda (args) (IfExp b a c)))\n"
        "(Expr (Lambda (args x) (Lambda (args y) (BinOp x + y))))");
  CHECK(parsed("a and b and c\n"
               "a or b or c\n"
               "(a or b) and c\n") ==
        "(Expr (BoolOp and a b c))\n"
        "(Expr (BoolOp or a b c))\n"
        "(Expr (BoolOp and (BoolOp or a b) c))");
  CHECK(parsed("-+~x\n"
               "not not x\n") ==
        "(Expr (UnaryOp - (UnaryOp + (UnaryOp ~ x))))\n"
        "(Expr (UnaryOp not (UnaryOp not x)))");
  CHECK(parsed("x.y.z\n"
               "x[1][2]\n"
               "f(a)(b)\n"
               "x.y(z)[0].w\n") ==
        "(Expr (Attribute (Attribute x y) z))\n"
        "(Expr (Subscript (Subscript x 1) 2))\n"
        "(Expr (Call (Call f a) b))\n"
        "(Expr (Attribute (Subscript (Call (Attribute x y) z) 0) w))");
  CHECK(parsed("async def f():\n"
               "    await x\n"
               "    await f(x) ** 2\n"
               "    -await x\n") ==
        "(AsyncFunctionDef f (args) [(Expr (Await x)) (Expr (BinOp (Await (Call f x)) ** 2)) (Expr (UnaryOp - (Await x)))])");
}

TEST_CASE("parser: atoms, displays, comprehensions, calls and subscripts") {
  CHECK(parsed("()\n"
               "(1,)\n"
               "(1, 2)\n"
               "1, 2\n"
               "(1, 2,)\n"
               "[]\n"
               "[1]\n"
               "[1, 2,]\n"
               "{}\n"
               "{1: 2}\n"
               "{1, 2}\n"
               "{1}\n") ==
        "(Expr (Tuple))\n"
        "(Expr (Tuple 1))\n"
        "(Expr (Tuple 1 2))\n"
        "(Expr (Tuple 1 2))\n"
        "(Expr (Tuple 1 2))\n"
        "(Expr (List))\n"
        "(Expr (List 1))\n"
        "(Expr (List 1 2))\n"
        "(Expr (Dict))\n"
        "(Expr (Dict (1 2)))\n"
        "(Expr (Set 1 2))\n"
        "(Expr (Set 1))");
  CHECK(parsed("[*a, *b]\n"
               "(*a, b)\n"
               "{*a, 1}\n"
               "{**a, 'k': 1, **b}\n"
               "x = *a, b\n"
               "print(*args, **kwargs)\n") ==
        "(Expr (List (Starred a) (Starred b)))\n"
        "(Expr (Tuple (Starred a) b))\n"
        "(Expr (Set (Starred a) 1))\n"
        "(Expr (Dict (** a) ('k' 1) (** b)))\n"
        "(Assign x:store = (Tuple (Starred a) b))\n"
        "(Expr (Call print (Starred args) **kwargs))");
  CHECK(parsed("[x for x in y]\n"
               "{x for x in y}\n"
               "{k: v for k, v in items}\n"
               "(x for x in y)\n") ==
        "(Expr (ListComp x (for x:store y)))\n"
        "(Expr (SetComp x (for x:store y)))\n"
        "(Expr (DictComp k v (for (Tuple:store k:store v:store) items)))\n"
        "(Expr (GeneratorExp x (for x:store y)))");
  CHECK(parsed("[x * y for x in a if x for y in b if y if x > y]\n") ==
        "(Expr (ListComp (BinOp x * y) (for x:store a (if x)) (for y:store b (if y) (if (Compare x > y)))))");
  CHECK(parsed("async def f():\n"
               "    [x async for x in y]\n") ==
        "(AsyncFunctionDef f (args) [(Expr (ListComp x (async-for x:store y)))])");
  CHECK(parsed("f(x for x in y)\n"
               "f((x for x in y), z)\n"
               "sum(i for i in range(10) if i % 2)\n") ==
        "(Expr (Call f (GeneratorExp x (for x:store y))))\n"
        "(Expr (Call f (GeneratorExp x (for x:store y)) z))\n"
        "(Expr (Call sum (GeneratorExp i (for i:store (Call range 10) (if (BinOp i % 2))))))");
  CHECK(parsed("f()\n"
               "f(a)\n"
               "f(a, b, *c, d=1, **e)\n"
               "f(*a, *b, **c, **d)\n"
               "f(a=1, *b)\n"
               "f(a,)\n") ==
        "(Expr (Call f))\n"
        "(Expr (Call f a))\n"
        "(Expr (Call f a b (Starred c) d=1 **e))\n"
        "(Expr (Call f (Starred a) (Starred b) **c **d))\n"
        "(Expr (Call f (Starred b) a=1))\n"
        "(Expr (Call f a))");
  CHECK(parsed("a[1]\n"
               "a[1:2]\n"
               "a[:]\n"
               "a[::2]\n"
               "a[1:2:3]\n"
               "a[::]\n"
               "a[:-1]\n"
               "a[1:2, 3]\n"
               "a[...]\n"
               "a[1,]\n"
               "a[*b]\n"
               "a[x:=1]\n") ==
        "(Expr (Subscript a 1))\n"
        "(Expr (Subscript a (Slice 1 2 _)))\n"
        "(Expr (Subscript a (Slice _ _ _)))\n"
        "(Expr (Subscript a (Slice _ _ 2)))\n"
        "(Expr (Subscript a (Slice 1 2 3)))\n"
        "(Expr (Subscript a (Slice _ _ _)))\n"
        "(Expr (Subscript a (Slice _ (UnaryOp - 1) _)))\n"
        "(Expr (Subscript a (Tuple (Slice 1 2 _) 3)))\n"
        "(Expr (Subscript a ...))\n"
        "(Expr (Subscript a (Tuple 1)))\n"
        "(Expr (Subscript a (Tuple (Starred b))))\n"
        "(Expr (Subscript a (NamedExpr x:store 1)))");
  CHECK(parsed("(y := 10)\n"
               "if (n := len(a)) > 10: pass\n"
               "[y := f(x), y**2]\n"
               "f(x := 1)\n") ==
        "(Expr (NamedExpr y:store 10))\n"
        "(If (Compare (NamedExpr n:store (Call len a)) > 10) [(Pass)])\n"
        "(Expr (List (NamedExpr y:store (Call f x)) (BinOp y ** 2)))\n"
        "(Expr (Call f (NamedExpr x:store 1)))");
  CHECK(parsed("x.attr\n"
               "x.y.z\n") ==
        "(Expr (Attribute x attr))\n"
        "(Expr (Attribute (Attribute x y) z))");
  CHECK(parsed("lambda: 0\n"
               "lambda x, y=1, *a, z, w=2, **k: 0\n"
               "lambda *, k: k\n"
               "lambda a, /, b: 0\n") ==
        "(Expr (Lambda (args) 0))\n"
        "(Expr (Lambda (args x y=1 *a z w=2 **k) 0))\n"
        "(Expr (Lambda (args * k) k))\n"
        "(Expr (Lambda (args a / b) 0))");
}

TEST_CASE("parser: statements") {
  CHECK(parsed("x = 1\n"
               "x = y = 2\n"
               "x, y = y, x\n"
               "[a, b] = c\n"
               "(a, b), c = d\n"
               "a, *b = c\n"
               "*a, b = c\n"
               "x.y = z\n"
               "x[0] = y\n") ==
        "(Assign x:store = 1)\n"
        "(Assign x:store y:store = 2)\n"
        "(Assign (Tuple:store x:store y:store) = (Tuple y x))\n"
        "(Assign (List:store a:store b:store) = c)\n"
        "(Assign (Tuple:store (Tuple:store a:store b:store) c:store) = d)\n"
        "(Assign (Tuple:store a:store (Starred:store b:store)) = c)\n"
        "(Assign (Tuple:store (Starred:store a:store) b:store) = c)\n"
        "(Assign (Attribute:store x y) = z)\n"
        "(Assign (Subscript:store x 0) = y)");
  CHECK(parsed("x += 1\n"
               "x -= 1\n"
               "x *= 1\n"
               "x /= 1\n"
               "x //= 1\n"
               "x %= 1\n"
               "x **= 1\n"
               "x >>= 1\n"
               "x <<= 1\n"
               "x &= 1\n"
               "x ^= 1\n"
               "x |= 1\n"
               "x @= 1\n"
               "x.y += 1\n"
               "x[0] += 1\n") ==
        "(AugAssign x:store += 1)\n"
        "(AugAssign x:store -= 1)\n"
        "(AugAssign x:store *= 1)\n"
        "(AugAssign x:store /= 1)\n"
        "(AugAssign x:store //= 1)\n"
        "(AugAssign x:store %= 1)\n"
        "(AugAssign x:store **= 1)\n"
        "(AugAssign x:store >>= 1)\n"
        "(AugAssign x:store <<= 1)\n"
        "(AugAssign x:store &= 1)\n"
        "(AugAssign x:store ^= 1)\n"
        "(AugAssign x:store |= 1)\n"
        "(AugAssign x:store @= 1)\n"
        "(AugAssign (Attribute:store x y) += 1)\n"
        "(AugAssign (Subscript:store x 0) += 1)");
  CHECK(parsed("x: int\n"
               "x: int = 1\n"
               "(x): int = 1\n"
               "x.y: str\n"
               "x[0]: list = []\n"
               "x: tuple = 1, 2\n") ==
        "(AnnAssign x:store int)\n"
        "(AnnAssign x:store int = 1)\n"
        "(AnnAssign x:store int = 1 simple=0)\n"
        "(AnnAssign (Attribute:store x y) str simple=0)\n"
        "(AnnAssign (Subscript:store x 0) list = (List) simple=0)\n"
        "(AnnAssign x:store tuple = (Tuple 1 2))");
  CHECK(parsed("del x\n"
               "del x, y\n"
               "del (x, y)\n"
               "del [x, y]\n"
               "del x.y, x[0]\n"
               "del x,\n") ==
        "(Delete x:del)\n"
        "(Delete x:del y:del)\n"
        "(Delete (Tuple:del x:del y:del))\n"
        "(Delete (List:del x:del y:del))\n"
        "(Delete (Attribute:del x y) (Subscript:del x 0))\n"
        "(Delete x:del)");
  CHECK(parsed("pass\n"
               "x = 1; y = 2;\n"
               "assert x\n"
               "assert x, 'msg'\n"
               "raise\n"
               "raise E\n"
               "raise E from e\n") ==
        "(Pass)\n"
        "(Assign x:store = 1)\n"
        "(Assign y:store = 2)\n"
        "(Assert x)\n"
        "(Assert x 'msg')\n"
        "(Raise)\n"
        "(Raise E)\n"
        "(Raise E from e)");
  CHECK(parsed("import a\n"
               "import a.b.c\n"
               "import a as b, c.d as e\n"
               "from a import b\n"
               "from a.b import c as d, e\n"
               "from . import x\n"
               "from .. import y\n"
               "from ...a import b\n"
               "from .a import (b, c as d,)\n"
               "from a import *\n") ==
        "(Import a)\n"
        "(Import a.b.c)\n"
        "(Import (a as b) (c.d as e))\n"
        "(ImportFrom a b)\n"
        "(ImportFrom a.b (c as d) e)\n"
        "(ImportFrom . x)\n"
        "(ImportFrom .. y)\n"
        "(ImportFrom ...a b)\n"
        "(ImportFrom .a b (c as d))\n"
        "(ImportFrom a *)");
  CHECK(parsed("global a, b\n"
               "def f():\n"
               "    nonlocal x\n") ==
        "(Global a b)\n"
        "(FunctionDef f (args) [(Nonlocal x)])");
  CHECK(parsed("if a:\n"
               "    pass\n"
               "elif b:\n"
               "    pass\n"
               "elif c:\n"
               "    pass\n"
               "else:\n"
               "    pass\n") ==
        "(If a [(Pass)] else [(If b [(Pass)] else [(If c [(Pass)] else [(Pass)])])])");
  CHECK(parsed("for y in z:\n"
               "    while x:\n"
               "        break\n"
               "    else:\n"
               "        continue\n") ==
        "(For y:store z [(While x [(Break)] else [(Continue)])])");
  CHECK(parsed("for x in y:\n"
               "    continue\n"
               "else:\n"
               "    pass\n"
               "for x, y in z: pass\n"
               "for (a, b), *c in d: pass\n"
               "for x in 1, 2: pass\n") ==
        "(For x:store y [(Continue)] else [(Pass)])\n"
        "(For (Tuple:store x:store y:store) z [(Pass)])\n"
        "(For (Tuple:store (Tuple:store a:store b:store) (Starred:store c:store)) d [(Pass)])\n"
        "(For x:store (Tuple 1 2) [(Pass)])");
  CHECK(parsed("try:\n"
               "    pass\n"
               "except E:\n"
               "    pass\n"
               "except (A, B) as e:\n"
               "    pass\n"
               "except:\n"
               "    pass\n"
               "else:\n"
               "    pass\n"
               "finally:\n"
               "    pass\n") ==
        "(Try [(Pass)] (except E [(Pass)]) (except (Tuple A B) as e [(Pass)]) (except [(Pass)]) else [(Pass)] finally [(Pass)])");
  CHECK(parsed("try:\n"
               "    pass\n"
               "finally:\n"
               "    pass\n") ==
        "(Try [(Pass)] finally [(Pass)])");
  CHECK(parsed("with a: pass\n"
               "with a as b, c as d: pass\n"
               "with (a as b, c): pass\n"
               "with (a, b): pass\n"
               "with (a, b) as c: pass\n"
               "with (a) as b: pass\n"
               "with a as (b, c): pass\n"
               "with (\n"
               "  open(x) as f,\n"
               "  open(y) as g,\n"
               "): pass\n") ==
        "(With (item a) [(Pass)])\n"
        "(With (item a b:store) (item c d:store) [(Pass)])\n"
        "(With (item a b:store) (item c) [(Pass)])\n"
        "(With (item a) (item b) [(Pass)])\n"
        "(With (item (Tuple a b) c:store) [(Pass)])\n"
        "(With (item a b:store) [(Pass)])\n"
        "(With (item a (Tuple:store b:store c:store)) [(Pass)])\n"
        "(With (item (Call open x) f:store) (item (Call open y) g:store) [(Pass)])");
  CHECK(parsed("def f(): pass\n"
               "def f(a, b=1, *args, c, d=2, **kw) -> int: return a\n"
               "def f(a, /, b, *, c): pass\n"
               "def f(a=1, /, b=2): pass\n"
               "def f(*, a): pass\n"
               "def f(a: int, *b: str, c: 'x' = 3, **d: dict): pass\n") ==
        "(FunctionDef f (args) [(Pass)])\n"
        "(FunctionDef f (args a b=1 *args c d=2 **kw) [(Return a)] (returns int))\n"
        "(FunctionDef f (args a / b * c) [(Pass)])\n"
        "(FunctionDef f (args a=1 / b=2) [(Pass)])\n"
        "(FunctionDef f (args * a) [(Pass)])\n"
        "(FunctionDef f (args a:int *b:str c:'x'=3 **d:dict) [(Pass)])");
  CHECK(parsed("@dec\n"
               "def f(): pass\n"
               "@a.b(c)\n"
               "@d\n"
               "class C: pass\n"
               "@x[0]\n"
               "async def g(): pass\n") ==
        "(FunctionDef f (args) [(Pass)] (decorators dec))\n"
        "(ClassDef C [(Pass)] (decorators (Call (Attribute a b) c) d))\n"
        "(AsyncFunctionDef g (args) [(Pass)] (decorators (Subscript x 0)))");
  CHECK(parsed("class C: pass\n"
               "class C(B): pass\n"
               "class C(A, B, metaclass=M, **kw): x = 1\n"
               "class C(): pass\n") ==
        "(ClassDef C [(Pass)])\n"
        "(ClassDef C (bases B) [(Pass)])\n"
        "(ClassDef C (bases A B metaclass=M **kw) [(Assign x:store = 1)])\n"
        "(ClassDef C [(Pass)])");
  CHECK(parsed("async def f():\n"
               "    await x\n"
               "    async for a in b: pass\n"
               "    async with c as d: pass\n"
               "    return [i async for i in j]\n") ==
        "(AsyncFunctionDef f (args) [(Expr (Await x)) (AsyncFor a:store b [(Pass)]) (AsyncWith (item c d:store) [(Pass)]) (Return (ListComp i (async-for i:store j)))])");
  CHECK(parsed("def g():\n"
               "    yield\n"
               "    yield 1\n"
               "    yield 1, 2\n"
               "    yield from x\n"
               "    x = yield y\n"
               "    return *a, b\n") ==
        "(FunctionDef g (args) [(Expr (Yield)) (Expr (Yield 1)) (Expr (Yield (Tuple 1 2))) (Expr (YieldFrom x)) (Assign x:store = (Yield y)) (Return (Tuple (Starred a) b))])");
}

TEST_CASE("parser: Store and Del contexts reach nested targets") {
  CHECK(parsed("[a, (b, *c)], d.e, f[0] = g\n") ==
        "(Assign (Tuple:store (List:store a:store (Tuple:store b:store (Starred:store c:store))) "
        "(Attribute:store d e) (Subscript:store f 0)) = g)");
  CHECK(parsed("for x, (y, z) in w: pass\n") ==
        "(For (Tuple:store x:store (Tuple:store y:store z:store)) w [(Pass)])");
  CHECK(parsed("with a as (b, [c]): pass\n") ==
        "(With (item a (Tuple:store b:store (List:store c:store))) [(Pass)])");
  CHECK(parsed("del a, (b, [c.d, e[0]])\n") ==
        "(Delete a:del (Tuple:del b:del (List:del (Attribute:del c d) (Subscript:del e 0))))");
  CHECK(parsed("[x for (x, y) in z]\n") ==
        "(Expr (ListComp x (for (Tuple:store x:store y:store) z)))");
  CHECK(parsed("(n := 1)\n") == "(Expr (NamedExpr n:store 1))");
}

TEST_CASE("parser: positions are CPython's (columns in code points)") {
  CHECK(parsed_with_positions("x = 1 + 2\n") ==
        "(Assign@1:0-1:9 x:store@1:0-1:1 = (BinOp@1:4-1:9 1@1:4-1:5 + 2@1:8-1:9))");
  CHECK(parsed_with_positions("print(f(a, b=c))\n") ==
        "(Expr@1:0-1:16 (Call@1:0-1:16 print@1:0-1:5 (Call@1:6-1:15 f@1:6-1:7 a@1:8-1:9 b=c@1:13-1:14)))");
  CHECK(parsed_with_positions("if x:\n"
                              "    y = (a +\n"
                              "         b)\n"
                              "else:\n"
                              "    z = 1; w = 2;\n") ==
        "(If@1:0-5:17 x@1:3-1:4 [(Assign@2:4-3:11 y:store@2:4-2:5 = (BinOp@2:9-3:10 a@2:9-2:10 + b@3:9-3:10))] else [(Assign@5:4-5:9 z:store@5:4-5:5 = 1@5:8-5:9) (Assign@5:11-5:16 w:store@5:11-5:12 = 2@5:15-5:16)])");
  CHECK(parsed_with_positions("x = 'café' + y\n") ==
        "(Assign@1:0-1:14 x:store@1:0-1:1 = (BinOp@1:4-1:14 'café'@1:4-1:10 + y@1:13-1:14))");
  CHECK(parsed_with_positions("def f(a, *, b=1):\n"
                              "    return a\n") ==
        "(FunctionDef@1:0-2:12 f (args a * b=1@1:14-1:15) [(Return@2:4-2:12 a@2:11-2:12)])");
  CHECK(parsed_with_positions("(a + b) * c\n") ==
        "(Expr@1:0-1:11 (BinOp@1:0-1:11 (BinOp@1:1-1:6 a@1:1-1:2 + b@1:5-1:6) * c@1:10-1:11))");
  CHECK(parsed_with_positions("f(x for x in y)\n") ==
        "(Expr@1:0-1:15 (Call@1:0-1:15 f@1:0-1:1 (GeneratorExp@1:1-1:15 x@1:2-1:3 (for x:store@1:8-1:9 y@1:13-1:14))))");
  CHECK(parsed_with_positions("x = f'{a} {b!r:>{w}}' 'z'\n") ==
        "(Assign@1:0-1:25 x:store@1:0-1:1 = (JoinedStr@1:4-1:25 (FormattedValue@1:4-1:25 a@1:7-1:8) ' '@1:4-1:25 (FormattedValue@1:4-1:25 b@1:11-1:12 !r (JoinedStr@1:4-1:21 '>'@1:4-1:25 (FormattedValue@1:4-1:25 w@1:17-1:18))) 'z'@1:4-1:25))");
  CHECK(parsed_with_positions("a[1:2, ::3]\n") ==
        "(Expr@1:0-1:11 (Subscript@1:0-1:11 a@1:0-1:1 (Tuple@1:2-1:10 (Slice@1:2-1:5 1@1:2-1:3 2@1:4-1:5 _) (Slice@1:7-1:10 _ _ 3@1:9-1:10))))");
  CHECK(parsed_with_positions("@d\n"
                              "class C(B):\n"
                              "    pass\n") ==
        "(ClassDef@2:0-3:8 C (bases B@2:8-2:9) [(Pass@3:4-3:8)] (decorators d@1:1-1:2))");
  CHECK(parsed_with_positions("try:\n"
                              "    pass\n"
                              "except E as e:\n"
                              "    pass\n") ==
        "(Try@1:0-4:8 [(Pass@2:4-2:8)] (except@3:0-4:8 E@3:7-3:8 as e [(Pass@4:4-4:8)]))");
  CHECK(parsed_with_positions("with a as b: pass\n") ==
        "(With@1:0-1:17 (item a@1:5-1:6 b:store@1:10-1:11) [(Pass@1:13-1:17)])");
  CHECK(parsed_with_positions("lambda x: x\n") ==
        "(Expr@1:0-1:11 (Lambda@1:0-1:11 (args x) x@1:10-1:11))");
  CHECK(parsed_with_positions("x: int = 5\n") ==
        "(AnnAssign@1:0-1:10 x:store@1:0-1:1 int@1:3-1:6 = 5@1:9-1:10)");
}

TEST_CASE("parser: source forms") {
  CHECK(parsed("") ==
        "");
  CHECK(parsed("\n"
               "\n"
               "\n") ==
        "");
  CHECK(parsed("# just a comment\n") ==
        "");
  CHECK(parsed("x = 1") ==
        "(Assign x:store = 1)");
  CHECK(parsed("if x:\n"
               "    y = 1") ==
        "(If x [(Assign y:store = 1)])");
  CHECK(parsed("x = 1\\\n"
               "  + 2\n") ==
        "(Assign x:store = (BinOp 1 + 2))");
  CHECK(parsed("x = (1 +\n"
               "     2)\n") ==
        "(Assign x:store = (BinOp 1 + 2))");
  CHECK(parsed("if x:\n"
               "\ty = 1\n"
               "\tz = 2\n") ==
        "(If x [(Assign y:store = 1) (Assign z:store = 2)])");
  CHECK(parsed("x = 1 # comment\n"
               "# another\n"
               "y = 2\n") ==
        "(Assign x:store = 1)\n"
        "(Assign y:store = 2)");
  CHECK(parsed("\x0cx = 1\n") ==
        "(Assign x:store = 1)");
  CHECK(parsed("# -*- coding: utf-8 -*-\n"
               "x = 1\n") ==
        "(Assign x:store = 1)");
  CHECK(parsed("if x:\n"
               "\n"
               "    y = 1\n"
               "  \n"
               "    z = 2\n") ==
        "(If x [(Assign y:store = 1) (Assign z:store = 2)])");
  CHECK(parsed("def f():\n"
               "    '''doc'''\n"
               "    return 1\n") ==
        "(FunctionDef f (args) [(Expr 'doc') (Return 1)])");
  // Line endings, a byte order mark and a missing final newline change nothing.
  CHECK(parsed("if x:\r\n    y = 1\r\nz = 2") ==
        "(If x [(Assign y:store = 1)])\n(Assign z:store = 2)");
  CHECK(parsed("if x:\r    y = 1\r") == "(If x [(Assign y:store = 1)])");
  CHECK(parsed("\xEF\xBB\xBFx = 1\n") == "(Assign x:store = 1)");
  CHECK(parsed(std::string("x = 1\0\n", 7)) == "error: source code cannot contain null bytes");
  CHECK(parsed("x = '\xff'\n") ==
        "error: Non-UTF-8 code starting with '\\xff' in file <test> on line 1, but no encoding "
        "declared; see https://peps.python.org/pep-0263/ for details");
  // A tab goes to the next multiple of 8 columns, but mixing tabs and spaces differently on
  // lines of one block is an error.
  CHECK(parsed("if x:\n    \ty = 1\n    \tz = 2\n") ==
        "(If x [(Assign y:store = 1) (Assign z:store = 2)])");
  CHECK(error("if x:\n\ty = 1\n        z = 2\n") ==
        "TabError: inconsistent use of tabs and spaces in indentation @3:1-3:0");
}

TEST_CASE("parser: tokenizer errors") {
  CHECK(error("if x:\n  a\n b\n") ==
        "IndentationError: unindent does not match any outer indentation level @3:3-3:-1");
  CHECK(error("if x:\n    a\n  b = 1\n") ==
        "IndentationError: unindent does not match any outer indentation level @3:8-3:-1");
  CHECK(error("if x:\n\ta\n        b\n") ==
        "TabError: inconsistent use of tabs and spaces in indentation @3:1-3:0");
  CHECK(error("a = 1\n  b = 2") ==
        "IndentationError: unexpected indent @2:2-2:-1");
  CHECK(error("x = (1,\n2") ==
        "'(' was never closed @1:5-1:0");
  CHECK(error("x = [1, 2)") ==
        "closing parenthesis ')' does not match opening parenthesis '[' @1:10-1:10");
  CHECK(error("x = [1,\n 2)") ==
        "closing parenthesis ')' does not match opening parenthesis '[' on line 1 @2:3-2:3");
  CHECK(error("x = 1)") ==
        "unmatched ')' @1:6-1:6");
  CHECK(error("\"abc") ==
        "unterminated string literal (detected at line 1) @1:1-1:1");
  CHECK(error("x = \"abc\ny") ==
        "unterminated string literal (detected at line 1) @1:5-1:5");
  CHECK(error("\"\"\"abc\n\n") ==
        "unterminated triple-quoted string literal (detected at line 2) @1:1-1:1");
  CHECK(error("x = '''ab\nc") ==
        "unterminated triple-quoted string literal (detected at line 2) @1:5-1:5");
  CHECK(error("x = 1abc") ==
        "invalid decimal literal @1:5-1:5");
  CHECK(error("x = 0777") ==
        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers @1:5-1:6");
  CHECK(error("x = 0_7") ==
        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers @1:5-1:7");
  CHECK(error("x = 1_") ==
        "invalid decimal literal @1:6-1:6");
  CHECK(error("x = 1__0") ==
        "invalid decimal literal @1:6-1:6");
  CHECK(error("x = 0x") ==
        "invalid hexadecimal literal @1:6-1:6");
  CHECK(error("x = 0x1g") ==
        "invalid hexadecimal literal @1:7-1:7");
  CHECK(error("x = 0o8") ==
        "invalid digit '8' in octal literal @1:7-1:7");
  CHECK(error("x = 0b2") ==
        "invalid digit '2' in binary literal @1:7-1:7");
  CHECK(error("x = 0b1_") ==
        "invalid binary literal @1:8-1:8");
  CHECK(error("x = 1e") ==
        "invalid decimal literal @1:5-1:5");
  CHECK(error("x = 1e+") ==
        "invalid decimal literal @1:7-1:7");
  CHECK(error("x = 1.5_") ==
        "invalid decimal literal @1:8-1:8");
  CHECK(error("x = 1 €") ==
        "invalid character '€' (U+20AC) @1:7-1:7");
  CHECK(error("x€ = 1") ==
        "invalid character '€' (U+20AC) @1:2-1:2");
  CHECK(error("x = 1 +   2") ==
        "invalid non-printable character U+00A0 @1:9-1:9");
  CHECK(error("x = 1 + \x01") ==
        "invalid non-printable character U+0001 @1:9-1:9");
  CHECK(error("x = $") ==
        "invalid syntax @1:5-1:6");
  CHECK(error("x = a!b") ==
        "invalid syntax @1:6-1:7");
  CHECK(error("x = 1\\ 2") ==
        "unexpected character after line continuation character @1:7-1:0");
  CHECK(error("x = 1 \\") ==
        "unexpected EOF while parsing @1:8-1:-1");
  CHECK(error("x = 1\ny = 2\\ 3") ==
        "unexpected character after line continuation character @2:7-2:0");
  // 100 indentation levels are too many; 201 brackets too.
  std::string deep;
  for (int i = 0; i < 101; i++) deep += std::string(static_cast<size_t>(i), ' ') + "if 1:\n";
  deep += std::string(101, ' ') + "pass\n";
  CHECK(error(deep) == "IndentationError: too many levels of indentation @101:1-101:0");
  CHECK(error(repeat("(", 201) + repeat(")", 201)) == "too many nested parentheses @1:201-1:201");
}

TEST_CASE("parser: syntax errors") {
  CHECK(error("x = a b") ==
        "invalid syntax @1:7-1:8");
  CHECK(error("x = 1 +") ==
        "invalid syntax @1:8-1:8");
  CHECK(error("x = (1 +)") ==
        "invalid syntax @1:9-1:10");
  CHECK(error("x = ") ==
        "invalid syntax @1:5-1:5");
  CHECK(error("else:\n pass") ==
        "invalid syntax @1:1-1:5");
  CHECK(error("x.None = 1") ==
        "invalid syntax @1:3-1:7");
  CHECK(error("import") ==
        "invalid syntax @1:7-1:7");
  CHECK(error("@deco\n") ==
        "invalid syntax @1:0-1:0");
  CHECK(error("print(a b)") ==
        "invalid syntax. Perhaps you forgot a comma? @1:7-1:10");
  CHECK(error("[1 2]") ==
        "invalid syntax. Perhaps you forgot a comma? @1:2-1:5");
  CHECK(error("{a: 1 b: 2}") ==
        "invalid syntax. Perhaps you forgot a comma? @1:5-1:8");
  CHECK(error("f(a not b)") ==
        "invalid syntax. Perhaps you forgot a comma? @1:3-1:10");
  CHECK(error("print \"hi\"") ==
        "Missing parentheses in call to 'print'. Did you mean print(...)? @1:1-1:11");
  CHECK(error("if x\n  pass") ==
        "expected ':' @1:5-1:5");
  CHECK(error("def f()\n  pass") ==
        "expected ':' @1:8-1:8");
  CHECK(error("def f:\n pass") ==
        "expected '(' @1:6-1:7");
  CHECK(error("class C\n  pass") ==
        "expected ':' @1:8-1:8");
  CHECK(error("for x in y\n pass") ==
        "expected ':' @1:11-1:11");
  CHECK(error("while x\n pass") ==
        "expected ':' @1:8-1:8");
  CHECK(error("def f() x:\n pass") ==
        "expected ':' @1:9-1:10");
  CHECK(error("try x:\n pass") ==
        "expected ':' @1:5-1:6");
  CHECK(error("try:\n pass\nexcept E\n pass") ==
        "expected ':' @3:9-3:9");
  CHECK(error("if 1:\n pass\nelse\n pass") ==
        "expected ':' @3:5-3:5");
  CHECK(error("try:\n pass\n") ==
        "expected 'except' or 'finally' block @2:6-2:-1");
  CHECK(error("try:\n pass\nexcept E, F:\n pass") ==
        "multiple exception types must be parenthesized @3:8-3:12");
  CHECK(error("if 1:\npass") ==
        "IndentationError: expected an indented block after 'if' statement on line 1 @2:1-2:5");
  CHECK(error("def f():\nreturn") ==
        "IndentationError: expected an indented block after function definition on line 1 @2:1-2:7");
  CHECK(error("class C:\n\n") ==
        "IndentationError: expected an indented block after class definition on line 1 @2:1-2:-1");
  CHECK(error("for x in y:\n") ==
        "IndentationError: expected an indented block after 'for' statement on line 1 @1:12-1:-1");
  CHECK(error("while 1:\nx") ==
        "IndentationError: expected an indented block after 'while' statement on line 1 @2:1-2:2");
  CHECK(error("try:\nexcept: pass") ==
        "IndentationError: expected an indented block after 'try' statement on line 1 @2:1-2:7");
  CHECK(error("with a:\nx") ==
        "IndentationError: expected an indented block after 'with' statement on line 1 @2:1-2:2");
  CHECK(error("if 1:\n pass\nelif 2:\nx") ==
        "IndentationError: expected an indented block after 'elif' statement on line 3 @4:1-4:2");
  CHECK(error("if 1:\n pass\nelse:\nx") ==
        "IndentationError: expected an indented block after 'else' statement on line 3 @4:1-4:2");
  CHECK(error("try:\n pass\nexcept E:\nx") ==
        "IndentationError: expected an indented block after 'except' statement on line 3 @4:1-4:2");
  CHECK(error("try:\n pass\nfinally:\nx") ==
        "IndentationError: expected an indented block after 'finally' statement on line 3 @4:1-4:2");
  CHECK(error("if x = 2:\n  pass") ==
        "invalid syntax. Maybe you meant '==' or ':=' instead of '='? @1:4-1:9");
  CHECK(error("if x.y = 2:\n  pass") ==
        "cannot assign to attribute here. Maybe you meant '==' instead of '='? @1:4-1:7");
  CHECK(error("while x = 1: pass") ==
        "invalid syntax. Maybe you meant '==' or ':=' instead of '='? @1:7-1:12");
  CHECK(error("x = 1 if 2") ==
        "expected 'else' after 'if' expression @1:5-1:11");
  CHECK(error("f() = 1") ==
        "cannot assign to function call here. Maybe you meant '==' instead of '='? @1:1-1:4");
  CHECK(error("1 = x") ==
        "cannot assign to literal here. Maybe you meant '==' instead of '='? @1:1-1:2");
  CHECK(error("x + 1 = 2") ==
        "cannot assign to expression here. Maybe you meant '==' instead of '='? @1:1-1:6");
  CHECK(error("(a, 1) = 2") ==
        "cannot assign to literal @1:5-1:6");
  CHECK(error("x = f() = 3") ==
        "cannot assign to function call @1:5-1:8");
  CHECK(error("None = 1") ==
        "cannot assign to None @1:1-1:5");
  CHECK(error("a < b = 1") ==
        "cannot assign to comparison @1:1-1:6");
  CHECK(error("yield x = 1") ==
        "assignment to yield expression not possible @1:1-1:8");
  CHECK(error("f(), x = 1") ==
        "invalid syntax. Maybe you meant '==' or ':=' instead of '='? @1:6-1:11");
  CHECK(error("del f()") ==
        "cannot delete function call @1:5-1:8");
  CHECK(error("del (a, 1)") ==
        "cannot delete literal @1:9-1:10");
  CHECK(error("del *a") ==
        "cannot delete starred @1:5-1:7");
  CHECK(error("for 1 in x: pass") ==
        "cannot assign to literal @1:5-1:6");
  CHECK(error("with a as 1: pass") ==
        "cannot assign to literal @1:11-1:12");
  CHECK(error("f() += 1") ==
        "'function call' is an illegal expression for augmented assignment @1:1-1:4");
  CHECK(error("(a, b) += 1") ==
        "'tuple' is an illegal expression for augmented assignment @1:1-1:7");
  CHECK(error("(a, b): int") ==
        "only single target (not tuple) can be annotated @1:1-1:7");
  CHECK(error("[a]: int") ==
        "only single target (not list) can be annotated @1:1-1:4");
  CHECK(error("f(): int") ==
        "illegal target for annotation @1:1-1:4");
  CHECK(error("(a.b := 1)") ==
        "cannot use assignment expressions with attribute @1:2-1:5");
  CHECK(error("x = (*a)") ==
        "cannot use starred expression here @1:6-1:8");
  CHECK(error("(**a)") ==
        "cannot use double starred expression here @1:2-1:4");
  CHECK(error("print(*a for a in b)") ==
        "iterable unpacking cannot be used in comprehension @1:7-1:9");
  CHECK(error("[a, b for a in c]") ==
        "did you forget parentheses around the comprehension target? @1:2-1:6");
  CHECK(error("x = {1: 2, 3}") ==
        "':' expected after dictionary key @1:12-1:0");
  CHECK(error("x = {1: }") ==
        "expression expected after dictionary key and ':' @1:7-1:8");
  CHECK(error("f(a, x=1, b)") ==
        "positional argument follows keyword argument @1:12-1:13");
  CHECK(error("f(**k, a)") ==
        "positional argument follows keyword argument unpacking @1:9-1:10");
  CHECK(error("f(**k, *a)") ==
        "iterable argument unpacking follows keyword argument unpacking @1:8-1:9");
  CHECK(error("f(x for x in y, 1)") ==
        "Generator expression must be parenthesized @1:3-1:15");
  CHECK(error("f(1, x for x in y)") ==
        "Generator expression must be parenthesized @1:6-1:18");
  CHECK(error("f(True=1)") ==
        "cannot assign to True @1:3-1:8");
  CHECK(error("f(a.b=1)") ==
        "expression cannot contain assignment, perhaps you meant \"==\"? @1:3-1:7");
  CHECK(error("f(x=1 for x in y)") ==
        "invalid syntax. Maybe you meant '==' or ':=' instead of '='? @1:3-1:5");
  CHECK(error("def f(a=1, b): pass") ==
        "non-default argument follows default argument @1:12-1:13");
  CHECK(error("lambda a=1, b: 0") ==
        "non-default argument follows default argument @1:13-1:14");
  CHECK(error("def f(*): pass") ==
        "named arguments must follow bare * @1:7-1:8");
  CHECK(error("def f(**a, b): pass") ==
        "arguments cannot follow var-keyword argument @1:12-1:13");
  CHECK(error("def f(a, /, b, /): pass") ==
        "/ may appear only once @1:16-1:17");
  CHECK(error("def f(*a=1): pass") ==
        "var-positional argument cannot have default value @1:9-1:10");
  CHECK(error("def f(*a, *b): pass") ==
        "* argument may appear only once @1:11-1:12");
  CHECK(error("def f(a=): pass") ==
        "expected default value expression @1:8-1:9");
  CHECK(error("def f() -> : pass") ==
        "expected ':' @1:9-1:11");
}

TEST_CASE("parser: f-string and string literal errors") {
  CHECK(error("print(f\"{x\")") ==
        "f-string: expecting '}' @1:12-1:13");
  CHECK(error("print(f\"{}\")") ==
        "f-string: empty expression not allowed @1:12-1:13");
  CHECK(error("print(f\"}\")") ==
        "f-string: single '}' is not allowed @1:11-1:12");
  CHECK(error("f\"{x!}\"") ==
        "f-string: invalid conversion character: expected 's', 'r', or 'a' @1:8-1:8");
  CHECK(error("print(f\"{x!z}\")") ==
        "f-string: invalid conversion character: expected 's', 'r', or 'a' @1:15-1:16");
  CHECK(error("f\"{\\n}\"") ==
        "f-string expression part cannot include a backslash @1:8-1:8");
  CHECK(error("f\"{#}\"") ==
        "f-string expression part cannot include '#' @1:7-1:7");
  CHECK(error("f\"{a b}\"") ==
        "f-string: invalid syntax. Perhaps you forgot a comma? @1:2-1:5");
  CHECK(error("f\"{*a}\"") ==
        "f-string: cannot use starred expression here @1:2-1:4");
  CHECK(error("f\"{x:{y:{z}}}\"") ==
        "f-string: expressions nested too deeply @1:15-1:15");
  CHECK(error("x = 1\ny = f\"{1abc}\"") ==
        "invalid decimal literal @2:2-2:2");
  CHECK(error("x = \"\\x4\"") ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape @1:10-1:10");
  CHECK(error("x = \"\\U00110000\"") ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character @1:17-1:17");
  CHECK(error("x = \"\\N{foo}\"") ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-6: unknown Unicode character name @1:14-1:14");
  CHECK(error("x = b\"\\x\"") ==
        "(value error) invalid \\x escape at position 0 @1:10-1:10");
  CHECK(error("x = b\"é\"") ==
        "bytes can only contain ASCII literal characters @1:5-1:9");
  CHECK(error("\"a\" b\"c\"") ==
        "cannot mix bytes and nonbytes literals @1:9-1:9");
}

TEST_CASE("parser: errors CPython reports after parsing (symbol table, compiler)") {
  CHECK(error("return") ==
        "'return' outside function @1:1-1:7");
  CHECK(error("break") ==
        "'break' outside loop @1:1-1:6");
  CHECK(error("continue") ==
        "'continue' not properly in loop @1:1-1:9");
  CHECK(error("yield 1") ==
        "'yield' outside function @1:1-1:8");
  CHECK(error("await x") ==
        "'await' outside function @1:1-1:8");
  CHECK(error("class C:\n  return 1") ==
        "'return' outside function @2:3-2:11");
  CHECK(error("while 1:\n  def f():\n    break") ==
        "'break' outside loop @3:5-3:10");
  CHECK(error("for x in range(3):\n pass\nelse:\n break") ==
        "'break' outside loop @4:2-4:7");
  CHECK(error("def f(): await x") ==
        "'await' outside async function @1:10-1:17");
  CHECK(error("def f(): [await x for x in y]") ==
        "asynchronous comprehension outside of an asynchronous function @1:10-1:30");
  CHECK(error("def f(): return [x async for x in y]") ==
        "asynchronous comprehension outside of an asynchronous function @1:17-1:37");
  CHECK(error("async def f():\n  yield 1\n  return 2") ==
        "'return' with value in async generator @3:3-3:11");
  CHECK(error("def f():\n  [(yield x) for x in y]") ==
        "'yield' inside list comprehension @2:5-2:12");
  CHECK(error("class C:\n  [x for x in (yield)]") ==
        "'yield' outside function @2:16-2:21");
  CHECK(error("async def f(): yield from x") ==
        "'yield from' inside async function @1:16-1:28");
  CHECK(error("def f(): async for x in y: pass") ==
        "invalid syntax @1:10-1:15");
  CHECK(error("nonlocal x") ==
        "nonlocal declaration not allowed at module level @1:1-1:11");
  CHECK(error("def f(a, a): pass") ==
        "duplicate argument 'a' in function definition @1:10-1:11");
  CHECK(error("def f():\n  from m import *") ==
        "import * only allowed at module level @2:17-2:18");
  CHECK(error("f(x=1, x=2)") ==
        "keyword argument repeated: x @1:8-1:11");
  CHECK(error("x = *a") ==
        "can't use starred expression here @1:5-1:7");
  CHECK(error("*a = 1") ==
        "starred assignment target must be in a list or tuple @1:1-1:3");
  CHECK(error("a, *b, *c = 1") ==
        "multiple starred expressions in assignment @1:1-1:10");
  CHECK(error("try:\n pass\nexcept:\n pass\nexcept E:\n pass") ==
        "default 'except:' must be last @3:1-4:6");
  CHECK(error("return\nyield") ==
        "'return' outside function @1:1-1:7");
  CHECK(error("break\ndef f(a, a): pass") ==
        "duplicate argument 'a' in function definition @2:10-2:11");
  CHECK(error("x = *a\nreturn") ==
        "can't use starred expression here @1:5-1:7");
}

TEST_CASE("parser: at most 20 nested loop, with and try blocks, as in CPython's compiler") {
  // `count` nested headers, indented from `indent` on, around a pass.
  auto nested = [](std::string_view header, int count, int indent = 0) {
    std::string source;
    for (int i = indent; i < indent + count; i++) {
      source += std::string(static_cast<size_t>(i), ' ') + std::string(header) + "\n";
    }
    return source + std::string(static_cast<size_t>(indent + count), ' ') + "pass\n";
  };
  CHECK(error(nested("for x in y:", 20)) == "no error");
  CHECK(error(nested("for x in y:", 21)) == "too many statically nested blocks @21:21-22:26");
  CHECK(error(nested("with x:", 21)) == "too many statically nested blocks @21:21-22:26");
  CHECK(error(nested("if x:", 30)) == "no error");
  // A function starts afresh.
  CHECK(error(nested("for x in y:", 15) + std::string(15, ' ') + "def f():\n" +
              nested("while x:", 15, 16)) == "no error");
}

TEST_CASE("parser: tokenizer errors after a syntax error win, as in CPython") {
  CHECK(error("return\nx = (") ==
        "'(' was never closed @2:5-2:0");
  CHECK(error("x = (1,\ny = 3 $\nz = \"") ==
        "unterminated string literal (detected at line 3) @3:5-3:5");
  CHECK(error("a b\nc = \"") ==
        "unterminated string literal (detected at line 2) @2:5-2:5");
  CHECK(error("x = 1 +\nif x:\ny = (") ==
        "invalid syntax @1:8-1:8");
  CHECK(error("x = (1, 2\ny = 3\n") ==
        "'(' was never closed @1:5-1:0");
}

TEST_CASE("parser: error text is the offending line") {
  SyntaxErrorInfo e = error_info("x = 1\nif y\n    pass\n");
  CHECK(e.message == "expected ':'");
  CHECK(e.text == "if y");
  CHECK(e.filename == "<test>");
  CHECK(e.kind == SyntaxErrorInfo::Kind::Syntax);
  CHECK_FALSE(e.incomplete_input);
  // Inside an f-string replacement field CPython shows the field as it parsed it.
  e = error_info("x = f'{a b}'\n");
  CHECK(e.text == "(a b)");
  CHECK(e.message == "f-string: invalid syntax. Perhaps you forgot a comma?");
}

TEST_CASE("parser: interactive mode reports unfinished input") {
  auto incomplete = [](std::string_view source) {
    ParseResult result = parse(source, "<stdin>", ParseMode::Interactive);
    return !result.module && result.error.incomplete_input;
  };
  CHECK(incomplete("if x:\n"));
  CHECK(incomplete("def f():"));
  CHECK(incomplete("class C:\n  def f(self):\n"));
  CHECK(incomplete("x = (1,\n"));
  CHECK(incomplete("foo(1 2"));   // the call may go on on the next line
  CHECK(incomplete("x = \"\"\"abc\n"));
  CHECK(incomplete("x = 1 + \\\n"));
  CHECK(incomplete("@decorator\n"));
  CHECK(incomplete("try:\n  pass\n"));
  CHECK(incomplete("if x:\n  pass\nelse:"));
  // Complete entries, and real errors.
  CHECK(parsed("if x:\n  pass\n", ParseMode::Interactive) == "(If x [(Pass)])");
  CHECK(parsed("x = 1; y = 2\n", ParseMode::Interactive) ==
        "(Assign x:store = 1)\n(Assign y:store = 2)");
  CHECK_FALSE(incomplete("x = 1 +\n"));
  CHECK_FALSE(incomplete("x = $\n"));
  CHECK_FALSE(incomplete("x = 'abc\n"));
  // A blank line ends a compound statement at the REPL: a missing body is then an error...
  CHECK_FALSE(incomplete("if x:\n\n"));
  CHECK(error("if x:\n\n", ParseMode::Interactive) ==
        "IndentationError: expected an indented block after 'if' statement on line 1 @2:1-2:-1");
  // ...but not inside brackets.
  CHECK(incomplete("x = [1,\n\n\n"));
}

TEST_CASE("parser: eval mode takes one expression list") {
  CHECK(parsed("1 + 2", ParseMode::Eval) == "(Expr (BinOp 1 + 2))");
  CHECK(parsed("1, 2\n\n", ParseMode::Eval) == "(Expr (Tuple 1 2))");
  CHECK(parsed("lambda: x", ParseMode::Eval) == "(Expr (Lambda (args) x))");
  CHECK(error("x = 1", ParseMode::Eval) == "invalid syntax @1:3-1:4");
  CHECK(error("1; 2", ParseMode::Eval) == "invalid syntax @1:2-1:3");
  CHECK(error("*a, b", ParseMode::Eval) == "invalid syntax @1:1-1:2");
  CHECK(error(" 1", ParseMode::Eval) == "IndentationError: unexpected indent @1:1-1:-1");
}

TEST_CASE("parser: deep nesting is refused without exhausting the stack") {
  CHECK(parsed("x = " + repeat("(", 199) + "1" + repeat(")", 199)) == "(Assign x:store = 1)");
  const std::string too_deep = "error: maximum recursion depth exceeded during compilation";
  for (std::string_view piece : {"-", "not ", "lambda: ", "1 if 1 else ", "2**", "1+", "a."}) {
    CHECK(parsed("x = " + repeat(piece, 100000) + "1") == too_deep);
  }
  CHECK(parsed("x = a" + repeat("[0]", 100000)) == too_deep);
  CHECK(parsed("x = f" + repeat("()", 100000)) == too_deep);
  CHECK(parsed("if x: pass\n" + repeat("elif x: pass\n", 5000)) == too_deep);
  // Long flat sequences are not deep.
  CHECK(parses("x = [" + repeat("1, ", 100000) + "]\n"));
  CHECK(parses("x = a" + repeat(" or a", 100000) + "\n"));
  CHECK(parses("x = a" + repeat(" < a", 100000) + "\n"));
  CHECK(parses(repeat("'s' ", 100000) + "\n"));
  CHECK(parses(repeat("x = 1\n", 100000)));
}

TEST_CASE("parser: a 10000-line file parses") {
  std::string source;
  for (int i = 0; i < 1000; i++) {
    source += "def function_" + std::to_string(i) + "(a, b=1, *args, **kwargs):\n";
    source += "    '''Docstring.'''\n";
    source += "    x = [i * 2 for i in range(a) if i % 3]\n";
    source += "    if x and b > 2:\n";
    source += "        return {'k': x, 'v': f'{a!r:>10}'}\n";
    source += "    for item in args:\n";
    source += "        kwargs[item] = (item, a + b) * 2\n";
    source += "    with open('f') as handle:\n";
    source += "        handle.write(str(x))\n";
    source += "    return None\n";
  }
  // No timing is asserted (tests must not depend on the machine's load): quadratic
  // behaviour would show as a slow test run, not as a flaky failure.
  ParseResult result = parse(source, "<big>", ParseMode::File);
  REQUIRE(result.module);
  CHECK(result.module->body.size() == 1000);
}

namespace {

// Parses every .py file in `directory`; returns "file:line: message: text" for failures.
std::vector<std::string> failures_in(const std::filesystem::path& directory) {
  std::vector<std::string> failures;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() != ".py") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    ParseResult result = parse(text.str(), entry.path().string(), ParseMode::File);
    if (!result.module) {
      failures.push_back(entry.path().filename().string() + ":" +
                         std::to_string(result.error.line) + ": " + result.error.message +
                         ": " + result.error.text);
    }
  }
  return failures;
}

}  // namespace

TEST_CASE("parser: the acceptance demos and CPython's standard library parse") {
  std::filesystem::path root =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
  std::filesystem::path acceptance = root.parent_path() / "shared" / "acceptance";
  if (std::filesystem::exists(acceptance)) {
    std::vector<std::string> failures = failures_in(acceptance);
    for (const std::string& failure : failures) MESSAGE(failure);
    CHECK(failures.empty());
  }
  // Only files with match statements, which are not in the subset, may fail.
  std::filesystem::path stdlib = "/usr/lib/python3.11";
  if (std::filesystem::exists(stdlib)) {
    for (const std::string& failure : failures_in(stdlib)) {
      INFO(failure);
      CHECK(failure.find("match ") != std::string::npos);
    }
  }
}
