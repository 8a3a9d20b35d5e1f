# Helper for racing_imports.py: records each execution of a slow module's body.
executions = []
