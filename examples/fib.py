# The classic: recursive Fibonacci, timed. Try it with `minivm -X gil=1 examples/fib.py`.
import time


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


start = time.perf_counter()
result = fib(27)
elapsed = time.perf_counter() - start
print(f"fib(27) = {result}")
print(f"took {elapsed:.3f} s")
