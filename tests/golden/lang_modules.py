# Imports: a module beside the script, aliases, from-import, star-import, packages with
# relative imports, caching in sys.modules, and import errors.
import sys
import lang_modules_helper
import lang_modules_helper as helper
from lang_modules_helper import twice as double
from lang_modules_helper import *
import pkg_demo
from pkg_demo.shapes import area
import pkg_demo.shapes as shapes

print(lang_modules_helper.twice(4), helper.LOADS, double(5), twice(6), LOADS)
print(helper is sys.modules["lang_modules_helper"], "_private" in globals())
print(pkg_demo.NAME, pkg_demo.area(2, 3), area(3, 4), shapes.area(1, 1), pkg_demo.shapes is shapes)
print(__name__, lang_modules_helper.__name__, pkg_demo.shapes.__name__, pkg_demo.__package__)
try:
    import does_not_exist
except ModuleNotFoundError as e:
    print(type(e).__name__, e)
try:
    from lang_modules_helper import nothing_here
except ImportError as e:
    print("ImportError", str(e).split(" (")[0])
import math, os.path
print(math.sqrt(16), os.path.join("a", "b"))
