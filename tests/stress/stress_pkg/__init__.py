# Helper package for racing_imports.py: its submodule `slow` is imported by several
# threads at once with `from stress_pkg import slow`.
