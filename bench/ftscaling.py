# Finds scaling bottlenecks of free-threading: small workloads that should run as fast in
# each of two threads as in one, under minivm -X gil=0, -X gil=1 and python3.
"""Usage: python3 bench/ftscaling.py [--minivm PATH] [--repeat N] [--markdown]

Modelled on CPython's Tools/ftscalingbench. Two worker threads are started once; each
workload does the same work W times on one of them, then W times on each at once; speedup = 2 * single / two
threads, ideally 2.0 with free threading and about 1.0 under a GIL. A workload that stays
near 1.0 under -X gil=0 contends on something shared: a reference count, a lock, an
allocator. One driver script runs every workload; it runs N times per interpreter,
alternately, and the best (minimum) of each time counts. A minivm built without
free-threading refuses -X gil=0 (exit status 2): its column says n/a.
"""

import sys
import tempfile

import scaling  # bench/scaling.py: runs drivers under all three interpreters, prints the report

# The driver: every workload is a function of a repetition count, listed in WORKLOADS in
# the order the parent reports them. For each it prints "single two_threads" on one line.
DRIVER = """
import sys
import threading
import time

module = sys.modules[__name__]


def double(x):
    return x + x


def module_function(n):
    total = 0
    for i in range(n):
        total += module.double(i)


class Counter:
    def __init__(self):
        self.count = 0
        self.step = 1

    def next_number(self):
        self.count += 1
        return self.count

    def get_step(self):
        return self.step


def method_own_instance(n):
    counter = Counter()
    for _ in range(n):
        counter.next_number()


shared_counter = Counter()


def method_shared_instance(n):
    counter = shared_counter
    total = 0
    for _ in range(n):
        total += counter.get_step()


class Empty:
    pass


def create_objects(n):
    for _ in range(n):
        Empty()


def create_closures(n):
    for i in range(n):
        def identity(x):
            return x
        identity(i)


shared_dict = {"a": 1, "b": 2, "c": 3, "d": 4}


def dict_read(n):
    d = shared_dict
    total = 0
    for _ in range(n):
        total += d["a"] + d["b"] + d["c"]


shared_list = list(range(8))


def list_read(n):
    lst = shared_list
    total = 0
    for i in range(n):
        total += lst[i & 7]


def ten_numbers():
    for i in range(10):
        yield i


def generator(n):
    total = 0
    for _ in range(n // 10):
        for value in ten_numbers():
            total += value


local_data = threading.local()


def thread_local(n):
    data = local_data
    data.x = 0
    for i in range(n // 5):
        data.x = i
        _ = data.x + data.x + data.x


shared_point = Counter()


def attribute_read(n):
    point = shared_point
    total = 0
    for _ in range(n):
        total += point.count + point.step


def builtin_calls(n):
    lst = shared_list
    total = 0
    for i in range(n):
        total += len(lst)
        if isinstance(i, int):
            total += 1


# Each workload with its repetition count W: about 50 ms in one thread under minivm.
WORKLOADS = [(module_function, 1_500_000), (method_own_instance, 1_000_000),
             (method_shared_instance, 2_000_000), (create_objects, 2_000_000),
             (create_closures, 1_000_000), (dict_read, 1_200_000), (list_read, 3_000_000),
             (generator, 600_000), (thread_local, 2_000_000), (attribute_read, 2_000_000),
             (builtin_calls, 1_000_000)]

# As in CPython's harness, the workloads run on worker threads started once, so that no
# time includes starting a thread; both measurements run with both workers alive.
import queue

requests = [queue.Queue(), queue.Queue()]
replies = [queue.Queue(), queue.Queue()]


def serve(index):
    while True:
        job = requests[index].get()
        if job is None:
            return
        workload, repetitions = job
        workload(repetitions)
        replies[index].put(True)


def run_on(workers, job):
    # Times job on the given workers at once: from handing it out to the last reply.
    start = time.perf_counter()
    for index in workers:
        requests[index].put(job)
    for index in workers:
        replies[index].get(timeout=120)
    return time.perf_counter() - start


servers = [threading.Thread(target=serve, args=(i,), daemon=True) for i in range(2)]
for server in servers:
    server.start()
for job in WORKLOADS:
    print(run_on([0], job), run_on([0, 1], job))
for index in range(2):
    requests[index].put(None)
for server in servers:
    server.join()
"""

# The driver's WORKLOADS, in the same order.
WORKLOAD_NAMES = ["module function", "method, own instance", "method, shared instance",
                  "create objects", "create closures", "shared dict read", "shared list read",
                  "generator", "threading.local", "shared attribute read", "len/isinstance"]


def measure(minivm_path, repeat):
    """Returns the table rows: [workload, gil=0 speedup, gil=1 speedup, python3 speedup]."""
    with tempfile.TemporaryDirectory() as workdir:
        results = scaling.best_times_everywhere(minivm_path, DRIVER, 2 * len(WORKLOAD_NAMES), repeat, workdir)
    rows = []
    for index, name in enumerate(WORKLOAD_NAMES):
        cells = []
        for result in results:
            if isinstance(result, str):
                cells.append(result)
            else:
                single, two_threads = result[2 * index], result[2 * index + 1]
                cells.append(f"{2 * single / two_threads:.2f}")
        rows.append([name, *cells])
    return rows


HEADER = ["workload", "minivm -X gil=0", "minivm -X gil=1", "python3"]
NOTE = "Cells are speedups, 2 * single-thread time / two-thread time: ideal 2.0, 1.0 under a GIL."


def main():
    args, minivm_path = scaling.parse_options(__doc__, "ftscaling.py")
    sys.exit(scaling.print_report(args, minivm_path, HEADER, measure(minivm_path, args.repeat), NOTE))


if __name__ == "__main__":
    main()
