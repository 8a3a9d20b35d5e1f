#!/usr/bin/env bash
# Runs one stress script under every GIL mode this minivm supports (-X gil=1 always, and
# -X gil=0 when built with free-threading) and compares its stdout with NAME.out.
# STRESS_SCALE from the environment, if set, makes the script do more work.
set -u
vm=$1
script=$2
dir=$(dirname "$script")
name=$(basename "$script" .py)
cd "$dir" || exit 1

modes=(1)
gil_disabled=$(timeout 30 "$vm" -c 'import sysconfig; print(sysconfig.get_config_var("Py_GIL_DISABLED"))')
[ "$gil_disabled" = "1" ] && modes+=(0)

out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
status=0
for mode in "${modes[@]}"; do
  timeout 120 "$vm" -X gil="$mode" "$name.py" > "$out" 2> "$err"
  rc=$?
  if ! diff -u "$name.out" "$out" || [ $rc -ne 0 ]; then
    echo "FAILED under -X gil=$mode (exit status $rc; 124 means it timed out); stderr:"
    head -30 "$err"
    status=1
  fi
done
exit $status
