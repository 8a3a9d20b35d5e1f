# concurrent.interpreters and InterpreterPoolExecutor (PEP 734, CPython 3.14): isolation,
# exec and call, shareable values, errors, queues, threads and nested interpreters.
import sys
from concurrent import interpreters
from concurrent.futures import InterpreterPoolExecutor

interp = interpreters.create()
print("new id differs from main:", interp.id != interpreters.get_main().id)
print("current is main:", interpreters.get_current() == interpreters.get_main())

# Modules belong to one interpreter: sys in the subinterpreter is another module.
sys.marker = "main"
interp.exec("import sys; print('sub sees the marker:', hasattr(sys, 'marker'))")
interp.exec("import sys; sys.marker = 'sub'")
print("main's marker:", sys.marker)

# The subinterpreter's __main__ keeps its globals from one exec to the next.
interp.exec("counter = 1")
interp.exec("counter += 1; print('counter:', counter)")
interp.exec("from concurrent import interpreters as i; print('sub is main:', i.get_current() == i.get_main())")

# prepare_main binds copies of shareable values.
data = (1, 2.5, "three", b"four", None, True, 2 ** 100, ("nested", -1))
interp.prepare_main(data=data, name="x")
interp.exec("print('data:', data, name)")


# call: plain functions with defaults and keyword arguments; the result is copied back.
def power(base, exponent=2):
    return base ** exponent


print("call:", interp.call(power, 3), interp.call(power, 2, exponent=10))

# A function called there reads that interpreter's globals.
interp.exec("scale = 100")


def scaled(x):
    return x * scale


print("scaled:", interp.call(scaled, 3))

# Built-in functions cross by module and name, as pickle sends them.
import math
print("built-ins:", interp.call(len, "abc"), interp.call(math.sqrt, 16.0))

# A function brings the module globals it uses (functions, modules, shareable values),
# bound in the receiving __main__ unless taken; so recursion and helpers work.
LIMIT = 10


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def helper(x):
    return math.floor(math.sqrt(x)) + LIMIT


def uses_helper(x):
    return [helper(v) for v in range(x)]


print("recursive:", interp.call(fib, 15), "helpers:", interp.call(uses_helper, 5))

# Arguments and results of call() cross as copies, containers included.
def describe(items, table):
    return {"count": len(items), "keys": sorted(table), "set": {1, 2}}


print("containers:", interp.call(describe, [1, 2, 3], {"b": 1, "a": 2}))

# Errors come back as ExecutionFailed, and the interpreter stays usable.
try:
    interp.exec("raise KeyError('missing')")
except interpreters.ExecutionFailed as e:
    print("ExecutionFailed:", e, "|", e.excinfo.type.__name__)
try:
    interp.call(power, "a", "b")
except interpreters.ExecutionFailed as e:
    print("call failed:", e.excinfo.type.__name__)
interp.exec("print('still alive')")

# Only copies cross: lists, dicts and closures do not.
print("is_shareable:", interpreters.is_shareable((1, "a", None)), interpreters.is_shareable([1]),
      interpreters.is_shareable({}))
try:
    interp.prepare_main(items=[1, 2])
except interpreters.NotShareableError as e:
    print("prepare_main:", type(e).__name__, isinstance(e, ValueError))


def make_adder(n):
    def add(x):
        return x + n
    return add


try:
    interp.call(make_adder(1), 1)
except interpreters.NotShareableError as e:
    print("closure:", type(e).__name__)

# Queues carry shareable values between interpreters, both ways.
q = interpreters.create_queue()
interp.prepare_main(q=q)
interp.exec("for i in range(3): q.put(i * i)")
print("queue:", [q.get() for _ in range(3)], q.empty(), q.qsize())
q.put(("to", "sub"))
interp.exec("print('sub got:', q.get())")
try:
    q.get(timeout=0.01)
except interpreters.QueueEmpty:
    print("QueueEmpty")
small = interpreters.create_queue(maxsize=1)
small.put(1)
try:
    small.put_nowait(2)
except interpreters.QueueFull:
    print("QueueFull", small.full(), small.maxsize)
try:
    q.put([1])
except ValueError:
    print("a list cannot be put")

# A subinterpreter has threads of its own.
interp.exec("""
import threading
results = []
threads = [threading.Thread(target=results.append, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print('sub threads:', sorted(results))
""")

# Interpreters can create interpreters.
interp.exec("""
from concurrent import interpreters
inner = interpreters.create()
inner.exec("print('hello from a nested interpreter')")
inner.close()
""")

print("count:", len(interpreters.list_all()))
interp.close()
print("count after close:", len(interpreters.list_all()))
try:
    interp.exec("pass")
except interpreters.InterpreterNotFoundError:
    print("closed: InterpreterNotFoundError")

with InterpreterPoolExecutor(max_workers=2) as pool:
    print("pool map:", list(pool.map(power, range(6))))
    print("pool submit:", pool.submit(power, 2, exponent=5).result())
    failed = pool.submit(power, "x", "y")
    try:
        failed.result()
    except interpreters.ExecutionFailed as e:
        print("pool error:", e.excinfo.type.__name__)
print("after the pool:", len(interpreters.list_all()))
