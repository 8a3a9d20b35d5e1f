# Stress: four threads append, pop, index, slice, sort, extend, iterate and search one
# shared list at once. Whatever the interleaving, no item may be lost or invented.
from stress_util import SCALE, check, run_threads

THREADS = 4
ROUNDS = 1500 * SCALE
INITIAL = list(range(100))
OWNER_STRIDE = 10**9
shared = list(INITIAL)


def item_is_valid(item):
    # Initial items are 0..99; thread t appends t * OWNER_STRIDE + n for its n-th append.
    if item < 100:
        return item >= 0
    owner, n = divmod(item, OWNER_STRIDE)
    return 1 <= owner <= THREADS and n < 3 * ROUNDS


def worker(owner):
    appended, popped, bad = [], [], 0
    next_n = 0
    for round_number in range(ROUNDS):
        step = round_number % 8
        if step == 0 or step == 4:
            item = owner * OWNER_STRIDE + next_n
            next_n += 1
            shared.append(item)
            appended.append(item)
        elif step == 1:
            try:
                popped.append(shared.pop())
            except IndexError:
                pass
        elif step == 2:
            try:
                if not item_is_valid(shared[round_number % 50]) or not item_is_valid(shared[-1]):
                    bad += 1
            except IndexError:
                pass
            if len(shared) > len(INITIAL) + THREADS * 3 * ROUNDS:
                bad += 1  # more than could ever have been appended
        elif step == 3:
            bad += sum(1 for item in shared[10:40] if not item_is_valid(item))
        elif step == 5 and round_number % 40 == 5:
            try:
                shared.sort()
            except ValueError:  # "list modified during sort" is allowed
                pass
        elif step == 5:
            items = [owner * OWNER_STRIDE + next_n, owner * OWNER_STRIDE + next_n + 1]
            next_n += 2
            shared.extend(items)
            appended.extend(items)
        elif step == 6:
            for item in shared:
                if not item_is_valid(item):
                    bad += 1
        else:
            if (owner * OWNER_STRIDE + OWNER_STRIDE - 1) in shared:
                bad += 1
            _ = 50 in shared
    return appended, popped, bad


results = run_threads([lambda owner=owner: worker(owner) for owner in range(1, THREADS + 1)])
all_appended = [item for appended, _, _ in results for item in appended]
all_popped = [item for _, popped, _ in results for item in popped]
check("length is initial + appended - popped",
      len(shared) == len(INITIAL) + len(all_appended) - len(all_popped))
check("every item seen was put there", sum(bad for _, _, bad in results) == 0)
check("no item lost or duplicated", sorted(shared + all_popped) == sorted(INITIAL + all_appended))
