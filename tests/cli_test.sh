#!/usr/bin/env bash
# Command-line behaviour of the minivm executable: flags, exit codes, error output.
set -u
VM=$1
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
pass=0; fail=0
check() { # name, expected exit code, regex on stdout+stderr, command...
  local name=$1 code=$2 pat=$3; shift 3
  timeout 30 "$@" > "$TMP/all" 2>&1 < /dev/null; local rc=$?
  if [ "$rc" = "$code" ] && { [ -z "$pat" ] || grep -Eq -- "$pat" "$TMP/all"; }; then pass=$((pass+1))
  else fail=$((fail+1)); echo "FAIL $name (exit $rc, wanted $code; pattern $pat)"; sed 's/^/    /' "$TMP/all" | head -20; fi
}
printf 'x = 1\nif x = 2:\n    pass\n' > "$TMP/bad_syntax.py"
printf 'def f():\n    return g()\ndef g():\n    raise KeyError("missing")\nf()\n' > "$TMP/raises.py"
printf 'import sys\nprint(sys.argv[1:])\n' > "$TMP/argv.py"
printf 'import sys\nsys.exit(3)\n' > "$TMP/exit3.py"
printf 'import sys\nsys.exit("bye")\n' > "$TMP/exitmsg.py"
printf 'def f(n):\n    return f(n + 1)\nf(0)\n' > "$TMP/deep.py"
printf 'def f():\n  x = 1\n    y = 2\n' > "$TMP/indent.py"
check "-c runs code"               0 '^2$'                                "$VM" -c 'print(1 + 1)'
check "script arguments"           0 "\['a', 'b c'\]"                     "$VM" "$TMP/argv.py" a "b c"
check "syntax error line"          1 'line 2'                             "$VM" "$TMP/bad_syntax.py"
check "syntax error caret"         1 '^ +\^+$'                            "$VM" "$TMP/bad_syntax.py"
check "syntax error kind"          1 "SyntaxError: invalid syntax"        "$VM" "$TMP/bad_syntax.py"
check "indentation error"          1 'IndentationError: unexpected indent' "$VM" "$TMP/indent.py"
check "traceback header"           1 'Traceback \(most recent call last\)' "$VM" "$TMP/raises.py"
check "traceback frame"            1 'line 4, in g'                       "$VM" "$TMP/raises.py"
check "traceback source line"      1 'raise KeyError\("missing"\)'        "$VM" "$TMP/raises.py"
check "traceback last line"        1 "^KeyError: 'missing'$"              "$VM" "$TMP/raises.py"
check "recursion error"            1 'RecursionError: maximum recursion depth exceeded' "$VM" "$TMP/deep.py"
check "recursion repeats folded"   1 'Previous line repeated'             "$VM" "$TMP/deep.py"
check "sys.exit code"              3 ''                                   "$VM" "$TMP/exit3.py"
check "sys.exit message"           1 '^bye$'                              "$VM" "$TMP/exitmsg.py"
check "missing script"             2 "can't open file"                    "$VM" "$TMP/nope.py"
check "bad -X gil value"           2 'gil'                                "$VM" -X gil=7 -c 'pass'
check "unknown option"             2 'unknown option'                     "$VM" --bogus
check "unknown -X option"          2 'unknown -X option'                  "$VM" -X nonsense -c pass
check "-c without argument"        2 'Argument expected'                  "$VM" -c
check "version"                    0 '^minivm [0-9]'                      "$VM" --version
check "help"                       0 'usage: minivm'                      "$VM" -h
check "stdin script"               0 '^hi$'                               sh -c "echo 'print(\"hi\")' | '$VM' -"
check "stdin without dash"         0 '^hi$'                               sh -c "echo 'print(\"hi\")' | '$VM'"
check "disassembler"               0 'LOAD_CONST'                         "$VM" --dis -c 'x = 1'
check "disassembler nested code"   0 'Disassembly of <code object f'      "$VM" --dis -c 'def f(): return 1'
check "disassembler float repr"     0 'LOAD_CONST +[0-9]+ \(0\.0\)$'        "$VM" --dis -c 'x = 0.0'
check "MINIVM_GIL bad value"       2 'MINIVM_GIL'                         env MINIVM_GIL=x "$VM" -c pass
if "$VM" -c 'import sysconfig; print(sysconfig.get_config_var("Py_GIL_DISABLED"))' 2>/dev/null | grep -q '^1$'; then
  check "gil=0 accepted"           0 '^ok$'                               "$VM" -X gil=0 -c 'print("ok")'
else
  check "gil=0 refused"            2 'without free-threading'             "$VM" -X gil=0 -c 'pass'
fi
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
