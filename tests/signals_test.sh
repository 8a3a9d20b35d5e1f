#!/usr/bin/env bash
# Ctrl-C: SIGINT reaches the main thread as KeyboardInterrupt, in a busy loop, in
# time.sleep, in a blocking lock acquire, while other threads run, and while it waits for
# a subinterpreter (which is interrupted too). Every wait is
# bounded; a child that does not stop in time fails the test.
set -u
# Job control: background children then keep SIGINT at its default instead of ignoring it,
# which non-interactive shells otherwise do (and minivm, like python, respects).
set -m
VM=$1
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
pass=0; fail=0

run_interrupted() { # name, script
  local name=$1 script=$2
  printf '%s\n' "$script" > "$TMP/s.py"
  "$VM" "$TMP/s.py" > "$TMP/out" 2> "$TMP/err" &
  local pid=$!
  # Wait until the script says it is ready, then interrupt it.
  for _ in $(seq 100); do grep -q ready "$TMP/out" 2>/dev/null && break; sleep 0.05; done
  sleep 0.2
  kill -INT $pid 2>/dev/null
  local waited=0
  while kill -0 $pid 2>/dev/null && [ $waited -lt 100 ]; do sleep 0.05; waited=$((waited+1)); done
  if kill -0 $pid 2>/dev/null; then
    kill -9 $pid; fail=$((fail+1)); echo "FAIL $name: did not stop after SIGINT"; return
  fi
  wait $pid; local rc=$?
  if [ $rc -eq 1 ] && grep -q '^KeyboardInterrupt' "$TMP/err" && grep -q 'caught' "$TMP/out" ; then
    pass=$((pass+1))
  else
    fail=$((fail+1)); echo "FAIL $name (exit $rc)"; sed 's/^/    /' "$TMP/err" | tail -5; sed 's/^/    /' "$TMP/out" | tail -3
  fi
}

run_interrupted "busy loop" 'import sys
print("ready", flush=True)
try:
    while True:
        pass
except KeyboardInterrupt:
    print("caught", flush=True)
    raise'

run_interrupted "time.sleep" 'import time
print("ready", flush=True)
try:
    time.sleep(30)
except KeyboardInterrupt:
    print("caught", flush=True)
    raise'

run_interrupted "subinterpreter" 'from concurrent import interpreters
interp = interpreters.create()
print("ready", flush=True)
try:
    interp.exec("while True: pass")
except KeyboardInterrupt:
    print("caught", flush=True)
    raise'

run_interrupted "sleep in a subinterpreter" 'from concurrent import interpreters
interp = interpreters.create()
print("ready", flush=True)
try:
    interp.exec("import time; time.sleep(30)")
except KeyboardInterrupt:
    print("caught", flush=True)
    raise'

run_interrupted "lock acquire" 'import _thread
lock = _thread.allocate_lock()
lock.acquire()
print("ready", flush=True)
try:
    lock.acquire()
except KeyboardInterrupt:
    print("caught", flush=True)
    raise'

run_interrupted "with other threads running" 'import _thread, time
def spin():
    n = 0
    while True:
        n += 1
for _ in range(2):
    _thread.start_new_thread(spin, ())
print("ready", flush=True)
try:
    while True:
        time.sleep(0.01)
except KeyboardInterrupt:
    print("caught", flush=True)
    raise'

echo "signals: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
