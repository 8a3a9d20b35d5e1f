# Generators: yield, send, return values, yield from, close/finally, generator expressions.
def countdown(n):
    while n > 0:
        yield n
        n -= 1
    return "liftoff"

print(list(countdown(3)))
g = countdown(2)
print(next(g), next(g))
try:
    next(g)
except StopIteration as e:
    print("StopIteration value:", e.value)

def accumulator():
    total = 0
    while True:
        value = yield total
        if value is None:
            break
        total += value
    return total

acc = accumulator()
next(acc)
print(acc.send(5), acc.send(10))
try:
    acc.send(None)
except StopIteration as e:
    print("final", e.value)

def inner():
    yield 1
    yield 2
    return "inner done"

def outer():
    result = yield from inner()
    yield result
    yield from [10, 20]

print(list(outer()))

def with_cleanup():
    try:
        yield "a"
        yield "b"
    finally:
        print("cleanup ran")

gen = with_cleanup()
print(next(gen))
gen.close()

def catcher():
    while True:
        try:
            yield "waiting"
        except ValueError as e:
            yield f"caught {e}"

c = catcher()
next(c)
print(c.throw(ValueError("boom")))

squares = (x * x for x in range(5))
print(sum(squares), list(squares))
print(sorted(x for x in "banana"), max(len(w) for w in ["a", "abc", "ab"]))
pairs = [(x, y) for x in range(3) for y in range(x) if (x + y) % 2]
print(pairs, {x % 3 for x in range(10)}, {x: x * x for x in range(4)})

def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
it = fib()
print([next(it) for _ in range(12)])

def gen_exception():
    yield 1
    raise KeyError("from generator")
try:
    for v in gen_exception():
        print("got", v)
except KeyError as e:
    print("KeyError", e)

def bad():
    yield 1
    raise StopIteration("oops")
try:
    list(bad())
except RuntimeError as e:
    print("RuntimeError:", e)
print(type(countdown(1)).__name__, countdown.__name__)
