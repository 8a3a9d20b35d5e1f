# Which operator methods the built-in types have: dir(), hasattr and the class dict agree
# with CPython's (1.5 has no __and__, a str no __radd__, a list no __rmul__'s partner __radd__).
from collections import deque

OPERATORS = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "lshift", "rshift",
             "and", "or", "xor", "matmul"]
NAMES = [f"__{op}__" for op in OPERATORS] + [f"__r{op}__" for op in OPERATORS] + [
    "__neg__", "__pos__", "__invert__"]

samples = [1, True, 1.5, "s", b"b", [1], (1,), {1}, frozenset({1}), {1: 2},
           {1: 2}.keys(), {1: 2}.items(), deque([1])]
for value in samples:
    present = [name for name in NAMES if hasattr(value, name)]
    in_dir = [name for name in NAMES if name in dir(value)]
    print(type(value).__name__, present, present == in_dir)

# The operators themselves are unchanged.
print(1.5 + 2, 7 // 2.0, -1.5, +1.5, 2 ** 0.5 > 1.4)
print([1] * 2, 2 * (1,), "%d-%s" % (1, "x"), {1, 2} & {2}, {1: 2} | {3: 4})
for expression in ["1.5 & 1", "~1.5", "'a' - 'b'", "[1] @ [2]"]:
    try:
        eval(expression)
    except TypeError as error:
        print("TypeError:", error)
