# Stress: four threads set, get, delete, update, setdefault, pop and iterate over one
# shared dict, whose table resizes many times meanwhile.
#
# Each thread owns its own keys, so the final contents are known whatever the
# interleaving; the values of all keys always follow one rule, so every read is checked.
from stress_util import SCALE, check, note, run_threads

THREADS = 4
KEYS_PER_THREAD = 2500 * SCALE
# Keys are owner * OWNER_STRIDE + kind * KIND_STRIDE + n: distinct for any sane scale.
OWNER_STRIDE = 10**9
KIND_STRIDE = 10**8
shared = {"hot": 0}


def value_is_valid(key, value):
    # Thread-owned keys are ints whose value is always 2 * key or 3 * key.
    if key == "hot":
        return value in range(THREADS + 1)
    return value == 2 * key or value == 3 * key


def own_operations(mapping, owner, n):
    """Step n of thread `owner`'s writes, which touch only its own keys. Returns False
    if a key this step inserted itself was missing when popped."""
    key = owner * OWNER_STRIDE + n
    mapping[key] = 2 * key
    if n % 3 == 0:
        mapping.update({key: 3 * key, key + KIND_STRIDE: 2 * (key + KIND_STRIDE)})
    if n % 5 == 0:
        mapping.setdefault(key + 2 * KIND_STRIDE, 2 * (key + 2 * KIND_STRIDE))
    if n % 2 == 1:
        del mapping[key - 1]
    if n % 7 == 0:
        popped = mapping.pop(key + KIND_STRIDE, None)
        return popped is not None or n % 3 != 0
    return True


def worker(owner):
    bad = changed_size_errors = 0
    for n in range(KEYS_PER_THREAD):
        if not own_operations(shared, owner, n):
            bad += 1
        if n % 11 == 0:
            shared["hot"] = owner
        key = owner * OWNER_STRIDE + n
        value = shared.get(key)
        if value is None or not value_is_valid(key, value):
            bad += 1
        other = (owner % THREADS + 1) * OWNER_STRIDE + n  # a key of another thread
        value = shared.get(other)
        if value is not None and not value_is_valid(other, value):
            bad += 1
        if n % 100 == 0:
            try:
                for seen in shared:
                    if seen != "hot" and seen // OWNER_STRIDE not in range(1, THREADS + 1):
                        bad += 1
            except RuntimeError:  # "dictionary changed size during iteration" is allowed
                changed_size_errors += 1
            for seen, value in list(shared.items()):
                if not value_is_valid(seen, value):
                    bad += 1
    return bad, changed_size_errors


results = run_threads([lambda owner=owner: worker(owner) for owner in range(1, THREADS + 1)])
check("every key and value seen was valid", sum(bad for bad, _ in results) == 0)
note(f"dict_ops: {sum(errors for _, errors in results)} iterations saw the dict change size")
hot = shared.pop("hot")
check("the contended key holds a value some thread wrote", hot in range(THREADS + 1))
expected = {}
for owner in range(1, THREADS + 1):
    for n in range(KEYS_PER_THREAD):
        own_operations(expected, owner, n)
check("final contents equal the same operations replayed in one thread", shared == expected)
