# PEP 380: throw() and close() on a generator suspended in `yield from` go to the
# sub-iterator first; so do exceptions thrown into coroutines suspended in `await`.

def inner():
    try:
        yield 1
    except ValueError as e:
        print("inner caught", e)
        yield 2
    finally:
        print("inner finally")
    return "inner result"


def outer():
    result = yield from inner()
    print("outer got", result)
    yield 3


g = outer()
print(next(g))
print(g.throw(ValueError("x")))
print(next(g))
g.close()

# An exception the sub-generator does not handle comes out of the yield from.
def rethrows():
    try:
        yield from inner()
    except KeyError as e:
        print("outer caught", repr(e))
        yield "recovered"

g = rethrows()
next(g)
print(g.throw(KeyError("k")))

# close() closes the sub-generator first, running its finally block.
def layers(name):
    try:
        yield name
    finally:
        print("closing", name)

def nested():
    yield from layers("a")

g = nested()
next(g)
g.close()
print("closed")

# A sub-generator that returns while handling the exception ends the yield from.
def returns_on_error():
    try:
        yield 1
    except ValueError:
        return "handled"

def caller():
    value = yield from returns_on_error()
    print("value", value)
    yield "after"

g = caller()
next(g)
print(g.throw(ValueError))

# A sub-iterator without throw(): the exception is raised at the yield from.
class Plain:
    def __init__(self):
        self.n = 0
    def __iter__(self):
        return self
    def __next__(self):
        self.n += 1
        return self.n

def over_plain():
    try:
        yield from Plain()
    except ValueError as e:
        print("raised at yield from:", e)

g = over_plain()
next(g)
try:
    g.throw(ValueError("plain"))
except StopIteration:
    print("finished")

# A sub-iterator with throw() and close() methods of its own.
class WithThrow(Plain):
    def throw(self, exc):
        print("WithThrow.throw", repr(exc))
        return 100
    def close(self):
        print("WithThrow.close")

def over_with_throw():
    yield from WithThrow()

g = over_with_throw()
next(g)
print(g.throw(ValueError("v")))
g.close()

# Coroutines: an exception thrown into the outer coroutine reaches the innermost await.
class Suspend:
    def __await__(self):
        yield "suspended"
        return "resumed"

async def leaf():
    try:
        return await Suspend()
    except ValueError as e:
        return f"leaf handled {e}"

async def middle():
    return await leaf()

async def top():
    return await middle()

c = top()
print(c.send(None))
try:
    c.throw(ValueError("deep"))
except StopIteration as stop:
    print("top returned:", stop.value)

c = top()
c.send(None)
c.close()
print("coroutine closed")

# The value of StopIteration ends a yield from over any iterator, not only generators.
class Returns:
    def __iter__(self):
        return self
    def __next__(self):
        raise StopIteration("the value")

def takes_value():
    value = yield from Returns()
    print("yield from gave", value)

list(takes_value())
