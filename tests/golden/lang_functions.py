# Functions: defaults, keywords, *args/**kwargs, keyword-only, closures, nonlocal, lambdas.
def f(a, b=2, *args, c, d=4, **kwargs):
    return (a, b, args, c, d, sorted(kwargs.items()))

print(f(1, c=3))
print(f(1, 5, 6, 7, c=8, e=9, z=0))
print(f(*[1, 2, 3], **{"c": 10, "x": 11}))

def pos_only(a, b, /, c):
    return a + b + c
print(pos_only(1, 2, c=3))

def counter():
    n = 0
    def inc(by=1):
        nonlocal n
        n += by
        return n
    return inc

c = counter()
c(); c(5)
print(c())

def make_adders():
    return [lambda x, i=i: x + i for i in range(3)]
print([add(10) for add in make_adders()])

def outer():
    x = "outer"
    def middle():
        def inner():
            return x
        return inner()
    return middle()
print(outer())

g = 100
def read_global():
    return g
def write_global():
    global g
    g = 200
write_global()
print(read_global())

def docs():
    "A docstring."
    return 1
print(docs.__doc__, docs.__name__, docs.__qualname__)

def rec(n):
    return 1 if n <= 1 else n * rec(n - 1)
print(rec(20), rec(25))

for bad in ["f()", "f(1, 2, c=3, a=4)", "pos_only(a=1, b=2, c=3)", "f(1)", "(lambda: 0)(1)"]:
    try:
        eval(bad)
    except TypeError as e:
        print("TypeError:", e)
