# Shared by the stress scripts: the size factor STRESS_SCALE and a runner that starts
# worker threads together and joins them with a bound, so no script can hang.
import os
import sys
import threading

SCALE = int(os.environ.get("STRESS_SCALE", "1"))
JOIN_TIMEOUT_SECONDS = 60

# A short switch interval makes GIL builds (minivm -X gil=1, python3) hand the lock
# over often, so operations interleave far more than with the default 5 ms.
sys.setswitchinterval(0.0001)


def run_threads(targets):
    """Runs each callable in `targets` in its own thread, all released at once by a
    barrier, and returns their results in order. A worker that raises makes this
    raise too, naming the exception, so unexpected errors change the script's output."""
    results = [None] * len(targets)
    errors = []
    start = threading.Barrier(len(targets))

    def worker(index):
        try:
            start.wait(JOIN_TIMEOUT_SECONDS)
            results[index] = targets[index]()
        except BaseException as error:
            errors.append(f"thread {index}: {type(error).__name__}: {error} (raised at line {innermost_line(error)})")

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_SECONDS)
        if thread.is_alive():
            raise RuntimeError("a stress thread did not finish in time")
    if errors:
        raise RuntimeError("; ".join(sorted(errors)))
    return results


def innermost_line(error):
    """The line number where `error` was raised, to tell which operation of a worker failed."""
    traceback = error.__traceback__
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    return traceback.tb_lineno


def check(label, condition):
    """Prints `label: ok`, or `label: FAILED` so the output no longer matches."""
    print(f"{label}: {'ok' if condition else 'FAILED'}")


def note(text):
    """Reports a nondeterministic count on stderr, which the expected output leaves out."""
    print(text, file=sys.stderr)
