# Stress: threads of the main interpreter create, use and close subinterpreters at once;
# producers in several subinterpreters fill one cross-interpreter queue that the main
# interpreter drains; calls run in parallel in a pool of interpreters.
from concurrent import interpreters
from concurrent.futures import InterpreterPoolExecutor

from stress_util import SCALE, check, run_threads

ROUNDS = 4 * SCALE
PRODUCERS = 3
ITEMS = 200 * SCALE


def churn(worker):
    # Each thread makes its own interpreters, runs code there and closes them.
    totals = []
    for round_number in range(ROUNDS):
        interp = interpreters.create()
        interp.prepare_main(base=worker * 1000 + round_number)
        interp.exec("total = sum(range(base))")
        interp.exec("import sys; assert 'stress_util' not in sys.modules")
        totals.append(interp.call(read_total))
        interp.close()
    return totals


def read_total():
    return total


results = run_threads([lambda w=w: churn(w) for w in range(3)])
check("every round saw its own globals",
      results == [[sum(range(w * 1000 + r)) for r in range(ROUNDS)] for w in range(3)])

queue = interpreters.create_queue(maxsize=16)
producers = [interpreters.create() for _ in range(PRODUCERS)]
for index, interp in enumerate(producers):
    interp.prepare_main(queue=queue, index=index, items=ITEMS)


def start_producer(interp):
    interp.exec("for i in range(items): queue.put((index, i, 'x' * (i % 7), i * 2.5))")
    return True


received = []


def consume():
    for _ in range(PRODUCERS * ITEMS):
        received.append(queue.get(timeout=60))
    return True


outcome = run_threads([consume] + [lambda p=p: start_producer(p) for p in producers])
check("producers and consumer finished", outcome == [True] * (PRODUCERS + 1))
check("every item arrived once, in order per producer",
      all([i for p, i, _, _ in received if p == index] == list(range(ITEMS)) for index in range(PRODUCERS)))
check("values crossed intact", all(text == "x" * (i % 7) and number == i * 2.5 for _, i, text, number in received))
for interp in producers:
    interp.close()


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


with InterpreterPoolExecutor(max_workers=3) as pool:
    steps = list(pool.map(collatz_steps, range(1, 300 * SCALE)))
check("pool results", steps == [collatz_steps(n) for n in range(1, 300 * SCALE)])
check("only the main interpreter is left", len(interpreters.list_all()) == 1)
