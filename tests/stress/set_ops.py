# Stress: four threads add, discard, test membership, take the length of and iterate
# over one shared set.
#
# Each thread owns its own elements, so the final set is known.
from stress_util import SCALE, check, note, run_threads

THREADS = 4
ELEMENTS_PER_THREAD = 5000 * SCALE
OWNER_STRIDE = 10**9


def own_operations(target, owner, n):
    """Step n of thread `owner`'s writes: add its element n, and discard every third one
    again. Returns False if the element just added was missing."""
    element = owner * OWNER_STRIDE + n
    target.add(element)
    present = element in target
    if n % 3 == 0:
        target.discard(element)
        target.discard(element + 1)  # not added yet: discarding it is a no-op
    return present


def worker(owner):
    bad = changed_size_errors = 0
    for n in range(ELEMENTS_PER_THREAD):
        if not own_operations(shared, owner, n):
            bad += 1
        if len(shared) > THREADS * ELEMENTS_PER_THREAD:
            bad += 1  # more than could ever have been added
        if (owner * OWNER_STRIDE + n + 1) in shared:
            bad += 1  # this thread's next element cannot be there yet
        if n % 200 == 0:
            try:
                for element in shared:
                    if element // OWNER_STRIDE not in range(1, THREADS + 1):
                        bad += 1
            except RuntimeError:  # "Set changed size during iteration" is allowed
                changed_size_errors += 1
            bad += sum(1 for element in list(shared) if element // OWNER_STRIDE not in range(1, THREADS + 1))
    return bad, changed_size_errors


shared = set()
results = run_threads([lambda owner=owner: worker(owner) for owner in range(1, THREADS + 1)])
check("every element seen was valid", sum(bad for bad, _ in results) == 0)
note(f"set_ops: {sum(errors for _, errors in results)} iterations saw the set change size")
expected = set()
for owner in range(1, THREADS + 1):
    for n in range(ELEMENTS_PER_THREAD):
        own_operations(expected, owner, n)
check("final set equals the same operations replayed in one thread", shared == expected)
