# Runs the benchmark suite under minivm and python3 on the same machine and prints a comparison table.
"""Usage: python3 bench/run.py [--minivm PATH] [--repeat N] [--only NAME...] [--markdown] [-- MINIVM_ARGS...]

Each benchmark runs alternately under minivm and under the python3 running this script,
N times each; the best (minimum) wall time counts. Both interpreters must print the same
stdout, otherwise the row says MISMATCH. Timings are reported, never asserted.

Start-up is timed the way hyperfine times a command: each interpreter's runs back to back,
after one warm-up run, so that one interpreter's start does not run on caches the other
just evicted. The time of /bin/true, spawned the same way, is printed beside the table: it
is the part of every start-up figure that no interpreter can save.
"""

import argparse
import os
import platform
import subprocess
import sys
import time

import table  # bench/table.py, beside this script

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
TIMEOUT_SECONDS = 120
STARTUP_REPEATS = 20

# Benchmark name -> target for minivm: a ratio minivm/python3, or for startup an absolute time.
RATIO_TARGETS = {
    "fib": 0.6,
    "loop_squares": 0.6,
    "nbody": 0.8,
    "richards": 0.8,
    "spectral_norm": 0.8,
}
STARTUP_TARGET_MS = 5.0
BENCHMARKS = list(RATIO_TARGETS) + ["startup"]


class Result:
    """The outcome of running one benchmark under one interpreter."""

    def __init__(self):
        self.best = None      # best wall time in seconds, None if no run succeeded
        self.stdout = None    # stdout of the first successful run
        self.error = None     # "TIMEOUT", or "FAIL: ..." with the tail of stderr

    def record(self, command):
        if self.error is not None:
            return  # a failed or hung interpreter is not run again for this benchmark
        start = time.perf_counter()
        try:
            proc = subprocess.run(command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, errors="replace",
                                  timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.error = "TIMEOUT"  # subprocess.run has already killed the child
            return
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            lines = proc.stderr.strip().splitlines()
            self.error = f"FAIL (exit {proc.returncode}): " + (lines[-1] if lines else "no stderr")
            return
        if self.stdout is None:
            self.stdout = proc.stdout
        elif proc.stdout != self.stdout:
            self.error = "FAIL: output differs between runs"
            return
        self.best = elapsed if self.best is None else min(self.best, elapsed)


def run_benchmark(name, minivm_command, repeat):
    script = os.path.join(BENCH_DIR, name + ".py")
    minivm, python = Result(), Result()
    if name == "startup":
        for result, command in ((minivm, minivm_command + [script]), (python, [sys.executable, script])):
            Result().record(command)   # warm-up, not counted
            for _ in range(max(repeat, STARTUP_REPEATS)):
                result.record(command)
        return minivm, python
    # Alternating the interpreters spreads slow phases of a busy machine over both columns.
    for _ in range(repeat):
        minivm.record(minivm_command + [script])
        python.record([sys.executable, script])
    return minivm, python


def process_creation_ms():
    """The best time to spawn /bin/true, measured like start-up; None without /bin/true."""
    if not os.access("/bin/true", os.X_OK):
        return None
    result = Result()
    for _ in range(STARTUP_REPEATS + 1):
        result.record(["/bin/true"])
    return None if result.best is None else result.best * 1000.0


def status_of(minivm, python):
    if python.error is not None:
        return "python3 " + python.error
    if minivm.error is not None:
        return minivm.error
    if minivm.stdout != python.stdout:
        return "MISMATCH"
    return "ok"


def make_row(name, minivm, python):
    """Returns the table cells for one benchmark."""
    status = status_of(minivm, python)
    startup = name == "startup"

    def show(seconds):
        if seconds is None:
            return "-"
        return f"{seconds * 1000.0:.1f} ms" if startup else f"{seconds:.3f} s"

    ratio = None
    if minivm.best is not None and python.best is not None:
        ratio = minivm.best / python.best
    if startup:
        target = f"< {STARTUP_TARGET_MS:g} ms"
        met = None if minivm.best is None else minivm.best * 1000.0 < STARTUP_TARGET_MS
    else:
        target = f"{RATIO_TARGETS[name]:g}"
        met = None if ratio is None else ratio <= RATIO_TARGETS[name]
    if status != "ok":
        met = False  # a wrong or failed run never meets its target
    return [name, show(minivm.best), show(python.best),
            "-" if ratio is None else f"{ratio:.2f}", target,
            "-" if met is None else "yes" if met else "no", status]


HEADER = ["benchmark", "minivm", "python3", "ratio", "target", "met", "status"]


def print_plain(rows):
    table.print_plain(HEADER, rows)


def print_markdown(rows):
    table.print_markdown(HEADER, rows, ["---"] + ["---:"] * 5 + ["---"])


def parse_args(argv):
    # Everything after a bare "--" is passed to minivm untouched, e.g. "-- -X gil=1".
    extra = []
    if "--" in argv:
        split = argv.index("--")
        argv, extra = argv[:split], argv[split + 1:]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minivm", default=os.path.join(REPO_ROOT, "build", "minivm"),
                        help="path to the minivm binary (default: build/minivm in the repo)")
    parser.add_argument("--repeat", type=int, default=3,
                        help=f"runs per interpreter, best counts (default 3; startup uses at least {STARTUP_REPEATS})")
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=BENCHMARKS,
                        help="run only these benchmarks: " + ", ".join(BENCHMARKS))
    parser.add_argument("--markdown", action="store_true",
                        help="print a GitHub-flavoured markdown table")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args, extra


def main():
    args, extra = parse_args(sys.argv[1:])
    minivm_path = os.path.abspath(args.minivm)
    if not os.access(minivm_path, os.X_OK):
        sys.exit(f"run.py: minivm binary not found or not executable: {minivm_path}")
    names = [name for name in BENCHMARKS if args.only is None or name in args.only]
    minivm_command = [minivm_path] + extra

    rows = []
    for name in names:
        if not args.markdown:
            print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.append(make_row(name, *run_benchmark(name, minivm_command, args.repeat)))

    shown_path = minivm_path
    if minivm_path.startswith(REPO_ROOT + os.sep):
        shown_path = os.path.relpath(minivm_path, REPO_ROOT)
    description = (f"{platform.machine()}, {os.cpu_count()} CPUs, python3 {platform.python_version()}, "
                   f"minivm {' '.join([shown_path] + extra)}, "
                   f"best of {args.repeat} (startup: {max(args.repeat, STARTUP_REPEATS)}), "
                   "ratio = minivm time / python3 time")
    if "startup" in names:
        baseline = process_creation_ms()
        if baseline is not None:
            description += f"; spawning /bin/true the same way takes {baseline:.1f} ms"
    if args.markdown:
        print(f"Measured on {description}.\n")
        print_markdown(rows)
    else:
        print(description)
        print_plain(rows)
    # A wrong answer is a failure; a slow one is only reported.
    sys.exit(0 if all(row[-1] == "ok" for row in rows) else 1)


if __name__ == "__main__":
    main()
