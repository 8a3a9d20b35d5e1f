# Measures nested loops, float arithmetic and small function calls: spectral norm of an infinite matrix.

import math

N = 250
ITERATIONS = 10


def matrix_entry(i, j):
    # Entry (i, j) of the infinite matrix A = 1/1, 1/2, 1/4, ... enumerated along diagonals.
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def times_vector(v):
    """Returns A * v."""
    n = len(v)
    result = []
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += matrix_entry(i, j) * v[j]
        result.append(total)
    return result


def transpose_times_vector(v):
    """Returns transpose(A) * v."""
    n = len(v)
    result = []
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += matrix_entry(j, i) * v[j]
        result.append(total)
    return result


def normal_times_vector(v):
    """Returns transpose(A) * A * v, a symmetric operator whose largest eigenvalue we want."""
    return transpose_times_vector(times_vector(v))


def dot(a, b):
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total


def spectral_norm(n):
    # Power iteration: u and v converge towards the dominant eigenvector of A'A.
    u = [1.0] * n
    v = u
    for _ in range(ITERATIONS):
        v = normal_times_vector(u)
        u = normal_times_vector(v)
    return math.sqrt(dot(u, v) / dot(v, v))


print(f"spectral norm (n={N}): {spectral_norm(N):.9f}")
