# Helper for racing_imports.py: a submodule whose body runs long enough for other threads
# to ask their package for it meanwhile.
import time

import stress_import_log

stress_import_log.executions.append(__name__)
time.sleep(0.02)
VALUE = object()
