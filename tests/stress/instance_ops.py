# Stress: threads add and read attributes of shared instances, call methods of a shared
# object, and replace a class attribute and a method while the others call them.
from stress_util import SCALE, check, run_threads

THREADS = 4
ROUNDS = 6000 * SCALE


def kind_first(self):
    return "first"


def kind_second(self):
    return "second"


class Shared:
    factor = 1
    kind = kind_first

    def __init__(self):
        self.counts = [0] * (THREADS + 1)  # one slot per thread: no lost updates

    def bump(self, owner):
        self.counts[owner] += 1
        return self.factor


shared = Shared()
others = [Shared() for _ in range(8)]


def worker(owner):
    bad = 0
    for n in range(ROUNDS):
        name = f"attr_{owner}_{n}"
        setattr(shared, name, n)
        if getattr(shared, name) != n:
            bad += 1
        neighbour = f"attr_{owner % THREADS + 1}_{n}"
        if getattr(shared, neighbour, n) != n:
            bad += 1
        if n % 2 == 0:
            delattr(shared, name)
        target = others[n % len(others)]
        target.last = owner
        if target.last not in range(1, THREADS + 1):
            bad += 1
        if shared.bump(owner) not in (1, 2):
            bad += 1
        if shared.kind() not in ("first", "second"):
            bad += 1
        if owner == 1 and n % 50 == 0:
            # Replaced while the other threads call them: they see the old or the new one.
            Shared.factor = 2 if Shared.factor == 1 else 1
            Shared.kind = kind_second if n % 100 == 0 else kind_first
    return bad


results = run_threads([lambda owner=owner: worker(owner) for owner in range(1, THREADS + 1)])
check("every attribute read returned a value written", sum(results) == 0)
check("method calls counted exactly", shared.counts[1:] == [ROUNDS] * THREADS)
expected_names = {f"attr_{owner}_{n}" for owner in range(1, THREADS + 1) for n in range(1, ROUNDS, 2)}
check("the instance holds exactly the attributes not deleted",
      set(vars(shared)) == expected_names | {"counts"})
check("every instance's last writer is a thread", all(other.last in range(1, THREADS + 1) for other in others))
