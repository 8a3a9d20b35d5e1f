#!/usr/bin/env bash
# Runs one golden script test: NAME.py must print exactly NAME.out on stdout. Optional
# NAME.err holds the expected stderr, NAME.rc the expected exit status (default 0), and
# NAME.args extra command-line arguments.
set -u
vm=$1
script=$2
dir=$(dirname "$script")
name=$(basename "$script" .py)
cd "$dir" || exit 1
args=()
[ -f "$name.args" ] && read -r -a args < "$name.args"
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout 100 "$vm" "${args[@]}" "$name.py" > "$out" 2> "$err"
rc=$?
want_rc=0
[ -f "$name.rc" ] && want_rc=$(cat "$name.rc")
status=0
if ! diff -u "$name.out" "$out"; then status=1; fi
if [ -f "$name.err" ] && ! diff -u "$name.err" "$err"; then status=1; fi
if [ "$rc" != "$want_rc" ]; then
  echo "exit status $rc, expected $want_rc"
  status=1
fi
if [ $status -ne 0 ]; then
  echo "--- stderr:"
  head -30 "$err"
fi
exit $status
