# Measures how minivm's GIL behaves with threads, next to python3, and prints a table.
"""Usage: python3 bench/threads.py [--minivm PATH] [--repeat N] [--markdown]

Each measurement is a small driver script that times itself with time.perf_counter and
prints its times on one line. The drivers run alternately under minivm and under the
python3 running this script, N times each; the best (minimum) of each time counts. A
child that runs longer than 120 s is killed and reported as TIMEOUT.
"""

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile

import table  # bench/table.py, beside this script

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT_SECONDS = 120

# Times fib(30) twice in one thread: the `sequential` of the two fib drivers below.
FIB_SEQUENTIAL = """
import time

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

start = time.perf_counter()
fib(30)
fib(30)
sequential = time.perf_counter() - start
"""

# Prints "sequential threaded": then fib(30) once in each of two threads.
FIB_DRIVER = FIB_SEQUENTIAL + """
import threading

start = time.perf_counter()
threads = [threading.Thread(target=fib, args=(30,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
threaded = time.perf_counter() - start
print(sequential, threaded)
"""

# Prints "sequential parallel": then fib(30) once in each of two subinterpreters (their
# own GILs) of an InterpreterPoolExecutor whose two workers and interpreters a warm-up has
# already started. minivm only: python3 3.11 has no such pool.
SUBINTERPRETERS_DRIVER = FIB_SEQUENTIAL + """
from concurrent.futures import InterpreterPoolExecutor

with InterpreterPoolExecutor(max_workers=2) as pool:
    # Two calls at once start both workers and their interpreters; then each runs fib
    # once, so the timed calls find their code copied and their memory in place.
    list(pool.map(time.sleep, [0.1, 0.1]))
    list(pool.map(fib, [25, 25]))
    start = time.perf_counter()
    list(pool.map(fib, [30, 30]))
    parallel = time.perf_counter() - start
print(sequential, parallel)
"""

# Prints the time for 4 threads that each increment a shared counter 100_000 times under a lock.
COUNTER_DRIVER = """
import threading
import time

counter = 0
lock = threading.Lock()

def work():
    global counter
    for _ in range(100_000):
        with lock:
            counter += 1

start = time.perf_counter()
threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
assert counter == 400_000, counter
print(elapsed)
"""

# Prints the time for five threads that each sleep 0.2 s: they overlap if sleep drops the GIL.
SLEEPERS_DRIVER = """
import threading
import time


start = time.perf_counter()
threads = [threading.Thread(target=time.sleep, args=(0.2,)) for _ in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(time.perf_counter() - start)
"""


def run_driver(command, script, count):
    """Runs one driver that prints `count` times; returns (times, None) or (None, error text)."""
    # A session of its own lets a timeout kill the child and anything it started.
    proc = subprocess.Popen(command + [script], cwd=REPO_ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            errors="replace", start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=TIMEOUT_SECONDS)
    except BaseException as error:  # a timeout or Ctrl-C: nothing the child started survives
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        if not isinstance(error, subprocess.TimeoutExpired):
            raise
        return None, "TIMEOUT"
    try:
        times = [float(word) for word in stdout.split()]
        if proc.returncode == 0 and len(times) == count:
            return times, None
    except ValueError:
        pass
    lines = (stderr.strip() or stdout.strip() or "no output").splitlines()
    return None, f"FAIL (exit {proc.returncode}): {lines[-1]}"


def best_times(commands, source, count, repeat, workdir):
    """Runs a driver under every command, alternately, repeat times; returns per command
    the element-wise minimum of the `count` printed times, or an error text."""
    script = os.path.join(workdir, "driver.py")
    with open(script, "w") as f:
        f.write(source)
    best = [None] * len(commands)
    for _ in range(repeat):
        for i, command in enumerate(commands):
            if isinstance(best[i], str):
                continue  # a failed or hung interpreter is not run again
            times, error = run_driver(command, script, count)
            if error is not None:
                best[i] = error
            else:
                best[i] = times if best[i] is None else [min(a, b) for a, b in zip(best[i], times)]
    return best


def measure(minivm_path, repeat):
    """Returns the table rows: [benchmark, minivm, python3, ratio, target, met]."""
    minivm, python = [minivm_path, "-X", "gil=1"], [sys.executable]
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        # a. Two CPU-bound threads should take as long as the same work in one thread.
        fib = best_times([minivm, python], FIB_DRIVER, 2, repeat, workdir)
        cells = [r if isinstance(r, str) else f"{r[1]:.3f} s / {r[0]:.3f} s" for r in fib]
        ratios = [None if isinstance(r, str) else r[1] / r[0] for r in fib]
        shown = "-" if ratios[0] is None else f"{ratios[0]:.2f}"
        if ratios[1] is not None:
            shown += f" (python3 {ratios[1]:.2f})"
        rows.append(["fib: 2 threads vs sequential", *cells, shown, "<= 1.05",
                     met(ratios[0], lambda r: r <= 1.05)])

        # b. Lock hand-offs between four threads: total time, minivm / python3.
        counter = best_times([minivm, python], COUNTER_DRIVER, 1, repeat, workdir)
        cells = [r if isinstance(r, str) else f"{r[0]:.3f} s" for r in counter]
        ratio = None if any(isinstance(r, str) for r in counter) else counter[0][0] / counter[1][0]
        rows.append(["locked counter", *cells, "-" if ratio is None else f"{ratio:.2f}", "<= 1.0",
                     met(ratio, lambda r: r <= 1.0)])

        # c. Subinterpreters have a GIL each: two of them run fib in parallel.
        sub = best_times([minivm], SUBINTERPRETERS_DRIVER, 2, repeat, workdir)[0]
        cell = sub if isinstance(sub, str) else f"{sub[1]:.3f} s / {sub[0]:.3f} s"
        ratio = None if isinstance(sub, str) else sub[1] / sub[0]
        rows.append(["fib: 2 subinterpreters vs sequential", cell, "n/a",
                     "-" if ratio is None else f"{ratio:.2f}", "<= 0.6", met(ratio, lambda r: r <= 0.6)])

        # d. Sleeping threads overlap: an absolute time, for both interpreters.
        sleepers = best_times([minivm, python], SLEEPERS_DRIVER, 1, repeat, workdir)
        cells = [r if isinstance(r, str) else f"{r[0]:.3f} s" for r in sleepers]
        slowest = None if any(isinstance(r, str) for r in sleepers) else max(r[0] for r in sleepers)
        rows.append(["sleepers", *cells, "-", "< 0.3 s (both)", met(slowest, lambda t: t < 0.3)])
    return rows


def met(value, test):
    return "-" if value is None else "yes" if test(value) else "no"


HEADER = ["benchmark", "minivm", "python3", "ratio", "target", "met"]
NOTE = ("fib cells are 'threaded / sequential' (or 'subinterpreters / sequential') and their "
        "ratio is that quotient; locked counter's ratio is minivm / python3.")


def print_plain(rows):
    table.print_plain(HEADER, rows)


def print_markdown(rows):
    table.print_markdown(HEADER, rows, ["---", "---:", "---:", "---:", "---", "---"])


def parse_options(usage, program):
    """The options of this script and ftscaling.py; returns them and minivm's absolute path."""
    parser = argparse.ArgumentParser(description=usage.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minivm", default=os.path.join(REPO_ROOT, "build", "minivm"),
                        help="path to the minivm binary (default: build/minivm in the repo)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per interpreter, best counts (default 3)")
    parser.add_argument("--markdown", action="store_true", help="print a GitHub-flavoured markdown table")
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so the child being waited for is still killed.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    minivm_path = os.path.abspath(args.minivm)
    if not os.access(minivm_path, os.X_OK):
        sys.exit(f"{program}: minivm binary not found or not executable: {minivm_path}")
    return args, minivm_path


def main():
    args, minivm_path = parse_options(__doc__, "threads.py")

    rows = measure(minivm_path, args.repeat)
    shown_path = minivm_path
    if minivm_path.startswith(REPO_ROOT + os.sep):
        shown_path = os.path.relpath(minivm_path, REPO_ROOT)
    description = (f"{platform.machine()}, {os.cpu_count()} CPUs, python3 {platform.python_version()}, "
                   f"minivm {shown_path} -X gil=1, best of {args.repeat}")
    if args.markdown:
        print(f"Measured on {description}. {NOTE}\n")
        print_markdown(rows)
    else:
        print(description)
        print_plain(rows)
        print(NOTE)
    # Failures and timeouts are errors; a missed target is only reported.
    failed = any(cell == "TIMEOUT" or cell.startswith("FAIL") for row in rows for cell in row[1:3])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
