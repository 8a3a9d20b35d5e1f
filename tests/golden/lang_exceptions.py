# Exceptions: handlers, else/finally, chaining, re-raise, custom hierarchies, context managers.
class AppError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code

def risky(kind):
    if kind == "value":
        raise ValueError("bad value")
    if kind == "app":
        raise AppError(42, "app failed")
    if kind == "key":
        return {}["nope"]
    return "ok"

for kind in ["value", "app", "key", "none"]:
    try:
        result = risky(kind)
    except ValueError as e:
        print("value:", e, e.args)
    except AppError as e:
        print("app:", e.code, e, repr(e))
    except LookupError as e:
        print("lookup:", type(e).__name__, e)
    else:
        print("else:", result)
    finally:
        print("finally", kind)

def nested():
    try:
        try:
            1 / 0
        except ZeroDivisionError:
            raise KeyError("while handling")
    except KeyError as e:
        return (type(e.__context__).__name__, e.__cause__, e.__suppress_context__)
print(nested())

try:
    try:
        int("x")
    except ValueError as e:
        raise RuntimeError("wrapped") from e
except RuntimeError as e:
    print(e, "<-", repr(e.__cause__), e.__suppress_context__)

def reraiser():
    try:
        raise IndexError("inner")
    except IndexError:
        raise
try:
    reraiser()
except IndexError as e:
    print("reraised", e)

def finally_return():
    try:
        return "try"
    finally:
        print("finally runs before return")
print(finally_return())

def loop_with_finally():
    out = []
    for i in range(4):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append("f%d" % i)
    return out
print(loop_with_finally())

class Tracker:
    def __init__(self, name, swallow=False):
        self.name, self.swallow = name, swallow
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, et, ev, tb):
        print("exit", self.name, et.__name__ if et else None)
        return self.swallow

with Tracker("a") as a, Tracker("b", swallow=True) as b:
    print("inside", a, b)
    raise ValueError("swallowed by b")
print("after with")

try:
    with Tracker("c"):
        raise TypeError("escapes")
except TypeError as e:
    print("escaped:", e)

def gen_with():
    with Tracker("in-function"):
        return "returned from with"
print(gen_with())

try:
    raise StopIteration
except Exception as e:
    print(type(e).__name__, isinstance(e, Exception), e.args)

e = ValueError("a", 1)
print(str(e), repr(e), e.args, str(ValueError()), repr(KeyError("k")), str(KeyError("k")))
try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("assert:", e)
try:
    raise TypeError
except TypeError as e:
    print(repr(e))
print(issubclass(ZeroDivisionError, ArithmeticError), issubclass(KeyError, LookupError),
      issubclass(RecursionError, RuntimeError), issubclass(KeyboardInterrupt, Exception))
try:
    x = undefined_name
except NameError as e:
    print(e)
def uses_local():
    print(y)
    y = 1
try:
    uses_local()
except UnboundLocalError as e:
    print(e)
