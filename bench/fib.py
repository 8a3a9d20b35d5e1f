# Measures function-call overhead: naive doubly-recursive Fibonacci, fib(32).


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print("fib(32) =", fib(32))
