# Stress: several threads import the same slow module at once, round after round; its
# body must run once a round and every thread must get the whole module.
#
# The modules are forgotten between rounds, so each round races a fresh import.
import sys

import stress_import_log
from stress_util import SCALE, check, run_threads

THREADS = 6
ROUNDS = 5 * SCALE
SLOW_MODULES = ("stress_mod_slow", "stress_mod_slow_inner")


def import_slow_module():
    import stress_mod_slow
    from stress_mod_slow import VALUE
    return stress_mod_slow, VALUE, stress_mod_slow.INNER.VALUE


all_same = True
for _ in range(ROUNDS):
    for name in SLOW_MODULES:
        sys.modules.pop(name, None)
    seen = run_threads([import_slow_module] * THREADS)
    module = sys.modules["stress_mod_slow"]
    expected = (module, module.VALUE, sys.modules["stress_mod_slow_inner"].VALUE)
    all_same = all_same and all(result[0] is expected[0] and result[1] is expected[1] and
                                result[2] is expected[2] for result in seen)
check("every thread got the same, fully initialised module", all_same)
for name in SLOW_MODULES:
    check(f"{name} ran once a round", stress_import_log.executions.count(name) == ROUNDS)


# `from package import submodule` races too: a thread must not get the submodule from
# sys.modules while another thread is still running its body.
def import_submodule():
    from stress_pkg import slow
    return slow, slow.VALUE


import stress_pkg

all_same = True
for _ in range(ROUNDS):
    sys.modules.pop("stress_pkg.slow", None)
    if hasattr(stress_pkg, "slow"):
        del stress_pkg.slow
    seen = run_threads([import_submodule] * THREADS)
    module = sys.modules["stress_pkg.slow"]
    all_same = all_same and all(result[0] is module and result[1] is module.VALUE for result in seen)
check("every thread got the whole submodule", all_same)
check("stress_pkg.slow ran once a round", stress_import_log.executions.count("stress_pkg.slow") == ROUNDS)
