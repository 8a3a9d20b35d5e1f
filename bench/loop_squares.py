# Measures a tight for-range loop with integer arithmetic that overflows 64 bits.

N = 10_000_000


def main():
    total = 0
    for i in range(N):
        total += i * i
    # The sum is about N**3 / 3 > 2**63, so the last additions need big integers.
    print("sum of squares below", N, "=", total, "exceeds 2**63:", total > 2**63)


main()
