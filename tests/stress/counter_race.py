# Stress: `counter += 1` on a shared global from four threads without a lock.
# The read-add-write is not atomic: updates may be lost, but never invented.
#
# The total can never exceed the number of increments, nor be zero.
from stress_util import SCALE, check, run_threads

THREADS = 4
INCREMENTS = 50000 * SCALE
counter = 0


def increment():
    global counter
    for _ in range(INCREMENTS):
        counter += 1


run_threads([increment] * THREADS)
check("0 < total <= expected", 0 < counter <= THREADS * INCREMENTS)
