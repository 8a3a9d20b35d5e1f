# Measures how CPU-bound work scales to two threads under minivm -X gil=0, -X gil=1 and python3.
"""Usage: python3 bench/scaling.py [--minivm PATH] [--repeat N] [--markdown]

For each workload a driver script times two calls one after the other in one thread
(sequential), then one call in each of two threads at once (threaded). The ratio
threaded / sequential is about 0.5 when the threads really run in parallel and about 1.0
when a GIL serialises them. The last column is the single-thread cost of free-threading:
the sequential time under -X gil=0 divided by that under -X gil=1. Each driver runs N
times per interpreter, alternately; the best (minimum) of each time counts. Beside the
threads, two minivm processes each make one call at the same moment: the machine's floor
for the threaded ratio, which threads sharing one process cannot beat. A minivm built
without free-threading refuses -X gil=0 (exit status 2): its cells say n/a.
"""

import os
import platform
import signal
import subprocess
import sys
import tempfile
import time

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

# The machine's own floor: two processes, each calling work() once, started together. Each
# waits for a line on stdin, so that both have finished starting up when the clocks start.
PROCESS_TIMING = """
import sys
import time

sys.stdin.readline()
start = time.perf_counter()
work()
print(time.perf_counter() - start)
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


def two_processes_time(command, source, repeat, workdir):
    """Runs two copies of a PROCESS_TIMING driver at once, repeat times; returns the best
    time of the slower copy, or an error text. Threads cannot beat this: it is what the
    machine gives two programs that share nothing."""
    script = os.path.join(workdir, "processes.py")
    with open(script, "w") as f:
        f.write(source)
    best = None
    for _ in range(repeat):
        procs = [subprocess.Popen(command + [script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, start_new_session=True)
                 for _ in range(2)]
        try:
            time.sleep(0.3)  # both start up and wait for their line
            for proc in procs:
                proc.stdin.write("go\n")
                proc.stdin.flush()
            outputs = [proc.communicate(timeout=threads.TIMEOUT_SECONDS) for proc in procs]
        except subprocess.TimeoutExpired:
            return "TIMEOUT"
        finally:
            for proc in procs:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.communicate()
        try:
            slower = max(float(stdout) for stdout, _ in outputs)
        except ValueError:
            return "FAIL"
        if any(proc.returncode != 0 for proc in procs):
            return "FAIL"
        best = slower if best is None else min(best, slower)
    return best


def process_floor(minivm_path, source, results, repeat, workdir):
    """The 'two processes' cell: the two-process time over the sequential time, in the mode
    whose threads it bounds (gil=0 when the build has it)."""
    mode, sequential = ("gil=0", results[0]) if not isinstance(results[0], str) else ("gil=1", results[1])
    processes = two_processes_time([minivm_path, "-X", mode], source + PROCESS_TIMING, repeat, workdir)
    if isinstance(processes, str):
        return processes
    return "-" if isinstance(sequential, str) else f"{processes / sequential[0]:.2f}"


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
            # Two processes share no lock, so the locked counter has no floor.
            floor = "-" if name == "locked counter" else process_floor(minivm_path, source, results, repeat, workdir)
            rows.append([name, *cells, floor, cost])
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


HEADER = ["workload", "minivm -X gil=0", "minivm -X gil=1", "python3", "two processes",
          "single-thread gil=0 / gil=1"]
NOTE = ("Cells are threaded / sequential (threaded time / sequential time); ideal 0.5 with two "
        "parallel threads, 1.0 under a GIL. 'two processes' is the machine's floor for the "
        "first column: two minivm processes each making one call at once, the slower one's "
        "time over the sequential time. The last column is the sequential time under "
        "-X gil=0 over that under -X gil=1.")


def main():
    args, minivm_path = parse_options(__doc__, "scaling.py")
    rows, contention = measure(minivm_path, args.repeat)
    sys.exit(print_report(args, minivm_path, HEADER, rows, f"{NOTE} {contention}".strip()))


if __name__ == "__main__":
    main()
