# Measures how CPU-bound work scales to two threads under minivm -X gil=0, -X gil=1 and python3.
"""Usage: python3 bench/scaling.py [--minivm PATH] [--repeat N] [--markdown]

For each workload a driver script times two calls one after the other in one thread
(sequential), then one call in each of two threads at once (threaded). The ratio
threaded / sequential is about 0.5 when the threads really run in parallel and about 1.0
when a GIL serialises them. The last column is the single-thread cost of free-threading:
the sequential time under -X gil=0 divided by that under -X gil=1. Each driver runs N
times per interpreter, alternately; the best (minimum) of each time counts. A minivm built
without free-threading refuses -X gil=0 (exit status 2): its cells say n/a.
"""

import os
import platform
import subprocess
import sys
import tempfile

import table    # bench/table.py, beside this script
import threads  # bench/threads.py: best_times runs a driver under several interpreters

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Every driver defines work() and then runs this: it prints "sequential threaded".
TIMING = """
import threading
import time

start = time.perf_counter()
work()
work()
sequential = time.perf_counter() - start

start = time.perf_counter()
workers = [threading.Thread(target=work) for _ in range(2)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
threaded = time.perf_counter() - start
print(sequential, threaded)
"""

# Workload name -> the source defining work(): each call takes 0.1-0.3 s under minivm, so
# that starting two threads is noise.
WORKLOADS = {
    "fib(32)": """
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def work():
    fib(32)
""",
    "loop": """
def work():
    total = 0
    for i in range(10_000_000):
        total += i * i
""",
    "allocation": """
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

def work():
    for i in range(1_000_000):
        pair = (i, i + 1)
        items = [i, pair, None]
        point = Point(i, items)
""",
    # Lock contention: the threads do little but take and release one threading.Lock.
    "locked counter": """
import threading

counter = 0
lock = threading.Lock()

def work():
    global counter
    for _ in range(300_000):
        with lock:
            counter += 1
""",
}


def gil_can_be_disabled(minivm_path):
    """False when this minivm refuses -X gil=0 (exit status 2: built without free-threading)."""
    try:
        proc = subprocess.run([minivm_path, "-X", "gil=0", "-c", "pass"], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=threads.TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return True  # not refused: the measurement will report the hang itself
    return proc.returncode != 2


def best_times_everywhere(minivm_path, source, count, repeat, workdir):
    """Runs a driver printing `count` times under minivm -X gil=0, minivm -X gil=1 and
    python3, in that order; returns per interpreter the best times or an error text,
    "n/a" for -X gil=0 when this minivm refuses it."""
    commands = [[minivm_path, "-X", "gil=1"], [sys.executable]]
    if not gil_can_be_disabled(minivm_path):
        return ["n/a"] + threads.best_times(commands, source, count, repeat, workdir)
    return threads.best_times([[minivm_path, "-X", "gil=0"]] + commands, source, count, repeat, workdir)


def measure(minivm_path, repeat):
    """Returns the table rows: [workload, gil=0 ratio, gil=1 ratio, python3 ratio, gil=0/gil=1],
    and a sentence on the locked counter's two-thread time under -X gil=0 over -X gil=1."""
    rows = []
    contention = ""
    with tempfile.TemporaryDirectory() as workdir:
        for name, source in WORKLOADS.items():
            results = best_times_everywhere(minivm_path, source + TIMING, 2, repeat, workdir)
            cells = [r if isinstance(r, str) else f"{r[1] / r[0]:.2f} ({r[1]:.3f} s / {r[0]:.3f} s)"
                     for r in results]
            gil0, gil1 = results[0], results[1]
            if isinstance(gil0, str) or isinstance(gil1, str):
                cost = "n/a" if gil0 == "n/a" else "-"
            else:
                cost = f"{gil0[0] / gil1[0]:.2f}"
            rows.append([name, *cells, cost])
            if name == "locked counter" and cost not in ("n/a", "-"):
                contention = (f"Locked counter, two threads: -X gil=0 takes {gil0[1] / gil1[1]:.2f}x "
                              f"the -X gil=1 time ({gil0[1]:.3f} s / {gil1[1]:.3f} s).")
    return rows, contention


parse_options = threads.parse_options


def print_report(args, minivm_path, header, rows, note):
    """Prints the machine, then the table as plain text or markdown; returns the exit
    status: 1 if a run failed or timed out (slow results are only reported)."""
    shown_path = minivm_path
    if minivm_path.startswith(REPO_ROOT + os.sep):
        shown_path = os.path.relpath(minivm_path, REPO_ROOT)
    description = (f"{platform.machine()}, {os.cpu_count()} CPUs, python3 {platform.python_version()}, "
                   f"minivm {shown_path}, best of {args.repeat}")
    if args.markdown:
        print(f"Measured on {description}. {note}\n")
        table.print_markdown(header, rows, ["---"] + ["---:"] * (len(header) - 1))
    else:
        print(description)
        table.print_plain(header, rows)
        print(note)
    failed = any(cell == "TIMEOUT" or cell.startswith("FAIL") for row in rows for cell in row[1:])
    return 1 if failed else 0


HEADER = ["workload", "minivm -X gil=0", "minivm -X gil=1", "python3", "single-thread gil=0 / gil=1"]
NOTE = ("Cells are threaded / sequential (threaded time / sequential time); ideal 0.5 with two "
        "parallel threads, 1.0 under a GIL. The last column is the sequential time under "
        "-X gil=0 over that under -X gil=1.")


def main():
    args, minivm_path = parse_options(__doc__, "scaling.py")
    rows, contention = measure(minivm_path, args.repeat)
    sys.exit(print_report(args, minivm_path, HEADER, rows, f"{NOTE} {contention}".strip()))


if __name__ == "__main__":
    main()
