# Helper for racing_imports.py: a module whose body runs long enough for other threads
# to try importing it meanwhile, and which imports a second slow module.
import time

import stress_import_log

stress_import_log.executions.append(__name__)
time.sleep(0.02)
import stress_mod_slow_inner

VALUE = object()
INNER = stress_mod_slow_inner
