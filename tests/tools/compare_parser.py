#!/usr/bin/env python3
"""Compares minivm's parser with CPython's on real files and on a list of mistakes.

  compare_parser.py PARSE_TOOL ast FILE...    ASTs, positions included (see parse_tool.cpp)
  compare_parser.py PARSE_TOOL errors         SyntaxError details for the snippets in ERRORS

CPython's AST is rendered in the s-expression form of compiler/ast_dump.cpp; its byte
columns are converted to code points, as minivm counts them.
"""
import ast
import subprocess
import sys


def quoted(value):
    if isinstance(value, bytes):
        out = "b'"
        for b in value:
            ch = chr(b)
            if ch in "\\'\n\r\t":
                out += {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch]
            elif b < 0x20 or b >= 0x7F:
                out += "\\x%02x" % b
            else:
                out += ch
        return out + "'"
    out = "'"
    for ch in value:
        if ch in "\\'\n\r\t":
            out += {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch]
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out += "\\x%02x" % ord(ch)
        else:
            out += ch
    return out + "'"


OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
       ast.Mod: "%", ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&",
       ast.BitOr: "|", ast.BitXor: "^", ast.MatMult: "@"}
CMP = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
       ast.Is: "is", ast.IsNot: "is-not", ast.In: "in", ast.NotIn: "not-in"}
UNARY = {ast.Not: "not", ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}


class Dumper:
    def __init__(self, source, positions):
        self.lines = source.split("\n")
        self.positions = positions

    def col(self, line, byte_col):
        text = self.lines[line - 1].encode("utf-8", "surrogatepass")
        return len(text[:byte_col].decode("utf-8", "replace"))

    def where(self, node):
        if not self.positions:
            return ""
        return "@%d:%d-%d:%d" % (node.lineno, self.col(node.lineno, node.col_offset),
                                 node.end_lineno, self.col(node.end_lineno, node.end_col_offset))

    def open(self, name, node):
        return "(" + name + self.where(node)

    def ctx(self, node):
        return {ast.Load: "", ast.Store: ":store", ast.Del: ":del"}[type(node.ctx)]

    def list(self, nodes):
        return "".join(" " + self.expr(n) for n in nodes)

    def keywords(self, kws):
        return "".join(" **" + self.expr(k.value) if k.arg is None
                       else " %s=%s" % (k.arg, self.expr(k.value)) for k in kws)

    def body(self, stmts):
        return "[" + " ".join(self.stmt(s) for s in stmts) + "]"

    def orelse(self, stmts):
        return " else " + self.body(stmts) if stmts else ""

    def param(self, arg, default):
        out = arg.arg
        if arg.annotation is not None:
            out += ":" + self.expr(arg.annotation)
        if default is not None:
            out += "=" + self.expr(default)
        return out

    def arguments(self, a):
        out = "(args"
        positional = a.posonlyargs + a.args
        first_default = len(positional) - len(a.defaults)
        for i, arg in enumerate(positional):
            out += " " + self.param(arg, a.defaults[i - first_default] if i >= first_default else None)
            if i + 1 == len(a.posonlyargs):
                out += " /"
        if a.vararg:
            out += " *" + self.param(a.vararg, None)
        elif a.kwonlyargs:
            out += " *"
        for arg, default in zip(a.kwonlyargs, a.kw_defaults):
            out += " " + self.param(arg, default)
        if a.kwarg:
            out += " **" + self.param(a.kwarg, None)
        return out + ")"

    def constant(self, v):
        if v is None: return "None"
        if v is True: return "True"
        if v is False: return "False"
        if v is Ellipsis: return "..."
        if isinstance(v, int): return str(v)
        if isinstance(v, float): return repr(v)
        if isinstance(v, (str, bytes)): return quoted(v)
        return "complex:" + repr(v)

    def expr(self, e):
        if e is None:
            return "_"
        t = type(e)
        if t is ast.Name:
            return e.id + self.ctx(e) + self.where(e)
        if t is ast.Constant:
            return self.constant(e.value) + self.where(e)
        if t is ast.JoinedStr:
            return self.open("JoinedStr", e) + self.list(e.values) + ")"
        if t is ast.FormattedValue:
            out = self.open("FormattedValue", e) + " " + self.expr(e.value)
            if e.conversion != -1:
                out += " !" + chr(e.conversion)
            if e.format_spec:
                out += " " + self.expr(e.format_spec)
            return out + ")"
        if t is ast.BinOp:
            return "%s %s %s %s)" % (self.open("BinOp", e), self.expr(e.left), OPS[type(e.op)], self.expr(e.right))
        if t is ast.UnaryOp:
            return "%s %s %s)" % (self.open("UnaryOp", e), UNARY[type(e.op)], self.expr(e.operand))
        if t is ast.BoolOp:
            return self.open("BoolOp", e) + (" and" if type(e.op) is ast.And else " or") + self.list(e.values) + ")"
        if t is ast.Compare:
            out = self.open("Compare", e) + " " + self.expr(e.left)
            for op, c in zip(e.ops, e.comparators):
                out += " %s %s" % (CMP[type(op)], self.expr(c))
            return out + ")"
        if t is ast.Call:
            return self.open("Call", e) + " " + self.expr(e.func) + self.list(e.args) + self.keywords(e.keywords) + ")"
        if t is ast.Attribute:
            return "%s %s %s)" % (self.open("Attribute" + self.ctx(e), e), self.expr(e.value), e.attr)
        if t is ast.Subscript:
            return "%s %s %s)" % (self.open("Subscript" + self.ctx(e), e), self.expr(e.value), self.expr(e.slice))
        if t is ast.Slice:
            return "%s %s %s %s)" % (self.open("Slice", e), self.expr(e.lower), self.expr(e.upper), self.expr(e.step))
        if t is ast.Starred:
            return "%s %s)" % (self.open("Starred" + self.ctx(e), e), self.expr(e.value))
        if t is ast.List:
            return self.open("List" + self.ctx(e), e) + self.list(e.elts) + ")"
        if t is ast.Tuple:
            return self.open("Tuple" + self.ctx(e), e) + self.list(e.elts) + ")"
        if t is ast.Dict:
            out = self.open("Dict", e)
            for k, v in zip(e.keys, e.values):
                out += " (%s %s)" % (self.expr(k), self.expr(v)) if k is not None else " (** %s)" % self.expr(v)
            return out + ")"
        if t is ast.Set:
            return self.open("Set", e) + self.list(e.elts) + ")"
        if t in (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp):
            out = self.open(t.__name__, e)
            out += " %s %s" % (self.expr(e.key), self.expr(e.value)) if t is ast.DictComp else " " + self.expr(e.elt)
            for g in e.generators:
                out += (" (async-for " if g.is_async else " (for ") + self.expr(g.target) + " " + self.expr(g.iter)
                for c in g.ifs:
                    out += " (if " + self.expr(c) + ")"
                out += ")"
            return out + ")"
        if t is ast.Lambda:
            return "%s %s %s)" % (self.open("Lambda", e), self.arguments(e.args), self.expr(e.body))
        if t is ast.IfExp:
            return "%s %s %s %s)" % (self.open("IfExp", e), self.expr(e.test), self.expr(e.body), self.expr(e.orelse))
        if t is ast.Yield:
            return self.open("Yield", e) + (" " + self.expr(e.value) if e.value else "") + ")"
        if t is ast.YieldFrom:
            return "%s %s)" % (self.open("YieldFrom", e), self.expr(e.value))
        if t is ast.Await:
            return "%s %s)" % (self.open("Await", e), self.expr(e.value))
        if t is ast.NamedExpr:
            return "%s %s %s)" % (self.open("NamedExpr", e), self.expr(e.target), self.expr(e.value))
        return "?" + t.__name__

    def aliases(self, names):
        return "".join(" " + a.name if not a.asname else " (%s as %s)" % (a.name, a.asname) for a in names)

    def stmt(self, s):
        t = type(s)
        if t in (ast.FunctionDef, ast.AsyncFunctionDef):
            out = "%s %s %s %s" % (self.open(t.__name__, s), s.name, self.arguments(s.args), self.body(s.body))
            if s.decorator_list:
                out += " (decorators" + self.list(s.decorator_list) + ")"
            if s.returns:
                out += " (returns " + self.expr(s.returns) + ")"
            return out + ")"
        if t is ast.ClassDef:
            out = self.open("ClassDef", s) + " " + s.name
            if s.bases or s.keywords:
                out += " (bases" + self.list(s.bases) + self.keywords(s.keywords) + ")"
            out += " " + self.body(s.body)
            if s.decorator_list:
                out += " (decorators" + self.list(s.decorator_list) + ")"
            return out + ")"
        if t is ast.Return:
            return self.open("Return", s) + (" " + self.expr(s.value) if s.value else "") + ")"
        if t is ast.Delete:
            return self.open("Delete", s) + self.list(s.targets) + ")"
        if t is ast.Assign:
            return self.open("Assign", s) + self.list(s.targets) + " = " + self.expr(s.value) + ")"
        if t is ast.AugAssign:
            return "%s %s %s= %s)" % (self.open("AugAssign", s), self.expr(s.target), OPS[type(s.op)], self.expr(s.value))
        if t is ast.AnnAssign:
            out = "%s %s %s" % (self.open("AnnAssign", s), self.expr(s.target), self.expr(s.annotation))
            if s.value:
                out += " = " + self.expr(s.value)
            if not s.simple:
                out += " simple=0"
            return out + ")"
        if t in (ast.For, ast.AsyncFor):
            return "%s %s %s %s%s)" % (self.open(t.__name__, s), self.expr(s.target), self.expr(s.iter), self.body(s.body), self.orelse(s.orelse))
        if t is ast.While:
            return "%s %s %s%s)" % (self.open("While", s), self.expr(s.test), self.body(s.body), self.orelse(s.orelse))
        if t is ast.If:
            return "%s %s %s%s)" % (self.open("If", s), self.expr(s.test), self.body(s.body), self.orelse(s.orelse))
        if t in (ast.With, ast.AsyncWith):
            out = self.open(t.__name__, s)
            for item in s.items:
                out += " (item " + self.expr(item.context_expr)
                if item.optional_vars:
                    out += " " + self.expr(item.optional_vars)
                out += ")"
            return out + " " + self.body(s.body) + ")"
        if t is ast.Raise:
            out = self.open("Raise", s)
            if s.exc:
                out += " " + self.expr(s.exc)
            if s.cause:
                out += " from " + self.expr(s.cause)
            return out + ")"
        if t is ast.Try:
            out = self.open("Try", s) + " " + self.body(s.body)
            for h in s.handlers:
                out += " " + self.open("except", h)
                if h.type:
                    out += " " + self.expr(h.type)
                if h.name:
                    out += " as " + h.name
                out += " " + self.body(h.body) + ")"
            out += self.orelse(s.orelse)
            if s.finalbody:
                out += " finally " + self.body(s.finalbody)
            return out + ")"
        if t is ast.Assert:
            return self.open("Assert", s) + " " + self.expr(s.test) + (" " + self.expr(s.msg) if s.msg else "") + ")"
        if t is ast.Import:
            return self.open("Import", s) + self.aliases(s.names) + ")"
        if t is ast.ImportFrom:
            return self.open("ImportFrom", s) + " " + "." * s.level + (s.module or "") + self.aliases(s.names) + ")"
        if t in (ast.Global, ast.Nonlocal):
            return self.open(t.__name__, s) + "".join(" " + n for n in s.names) + ")"
        if t is ast.Expr:
            return self.open("Expr", s) + " " + self.expr(s.value) + ")"
        if t in (ast.Pass, ast.Break, ast.Continue):
            return self.open(t.__name__, s) + ")"
        return "?" + t.__name__


def cpython_dump(source, positions=True):
    tree = ast.parse(source)
    d = Dumper(source, positions)
    return "\n".join(d.stmt(s) for s in tree.body)


def compare_files(tool, files):
    same = differ = unsupported = 0
    for path in files:
        raw = open(path, "rb").read()
        try:
            source = raw.decode("utf-8")
            if source.startswith("\ufeff"):
                source = source[1:]
            source = source.replace("\r\n", "\n").replace("\r", "\n")
            expected = cpython_dump(source)
        except (SyntaxError, UnicodeDecodeError, ValueError) as e:
            print("SKIP (CPython rejects it: %s) %s" % (e, path))
            continue
        except RecursionError:
            print("SKIP (too deep for this script) %s" % path)
            continue
        got = subprocess.run([tool, "--positions", path], capture_output=True).stdout.decode("utf-8", "surrogatepass").rstrip("\n")
        if got == expected:
            same += 1
            continue
        if got.startswith("ERROR\t"):
            unsupported += 1
            print("ERROR %s: %s" % (path, got.split("\t")[1:5]))
            continue
        differ += 1
        for i, (a, b) in enumerate(zip(got.split("\n"), expected.split("\n"))):
            if a != b:
                at = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
                print("DIFF %s statement %d" % (path, i + 1))
                print("  minivm :", a[max(0, at - 150):at + 150])
                print("  cpython:", b[max(0, at - 150):at + 150])
                break
        else:
            print("DIFF %s: statement counts differ" % path)
    print("%d identical, %d different, %d rejected" % (same, differ, unsupported))


def cpython_error(source, mode):
    try:
        compile(source, "f", mode)
        return None
    except SyntaxError as e:
        end_col = e.end_offset if e.end_offset is not None else 0
        return (type(e).__name__, e.msg, e.lineno or 0, e.offset or 0, e.end_lineno or 0, end_col)


def compare_errors(tool, snippets):
    good = bad = 0
    for source in snippets:
        mode = "exec"
        expected = cpython_error(source, mode)
        out = subprocess.run([tool], input=source.encode("utf-8"), capture_output=True).stdout.decode()
        if out.startswith("ERROR\t"):
            fields = out.rstrip("\n").split("\t")
            got = (fields[1], fields[2], int(fields[3]), int(fields[4]), int(fields[5]), int(fields[6]))
        else:
            got = None
        if got == expected:
            good += 1
        else:
            bad += 1
            print("MISMATCH %r\n  minivm : %s\n  cpython: %s" % (source, got, expected))
    print("%d match, %d differ" % (good, bad))


if __name__ == "__main__":
    tool, what = sys.argv[1], sys.argv[2]
    if what == "ast":
        compare_files(tool, sys.argv[3:])
    else:
        sys.path.insert(0, __file__.rsplit("/", 1)[0])
        from error_snippets import SNIPPETS
        compare_errors(tool, SNIPPETS)
