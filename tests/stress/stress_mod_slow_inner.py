# Helper for racing_imports.py: the slow module's own slow import.
import time

import stress_import_log

stress_import_log.executions.append(__name__)
time.sleep(0.01)
VALUE = object()
