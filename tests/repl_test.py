# The REPL on a real terminal (a pseudo-terminal): prompts, multi-line blocks that end on a
# blank line, expression echo, an error that leaves the session usable, and exit on EOF.
# Usage: python3 tests/repl_test.py path/to/minivm
import os
import pty
import select
import sys
import time

vm = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execv(vm, [vm])

def read_until(marker, timeout=10.0):
    out = b""
    deadline = time.time() + timeout
    while marker.encode() not in out and time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return out.decode(errors="replace")

def send(line):
    os.write(fd, (line + "\n").encode())

failures = []
def expect(text, marker, what):
    if marker not in text:
        failures.append(f"{what}: expected {marker!r} in {text!r}")

expect(read_until(">>> "), "minivm", "banner")
send("1 + 2")
expect(read_until(">>> "), "3", "expression echo")
send("def sq(x):")
expect(read_until("... "), "... ", "continuation prompt")
send("    return x * x")
read_until("... ")
send("")
read_until(">>> ")
send("sq(12)")
expect(read_until(">>> "), "144", "function defined over several lines")
send("1 / 0")
expect(read_until(">>> "), "ZeroDivisionError: division by zero", "error reported")
send("'still alive'")
expect(read_until(">>> "), "'still alive'", "session usable after an error")
send("x = [1,")
read_until("... ")
send("2]")
read_until(">>> ")
send("x")
expect(read_until(">>> "), "[1, 2]", "open bracket continues")
os.write(fd, b"\x04")   # Ctrl-D: end of input
_, status = os.waitpid(pid, 0)
if os.WEXITSTATUS(status) != 0:
    failures.append(f"exit status {os.WEXITSTATUS(status)} after Ctrl-D")
for f in failures:
    print("FAIL", f)
print(f"repl: {9 - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
