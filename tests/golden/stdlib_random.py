# random: seeded sequences match CPython's exactly.
import random

random.seed(42)
print(random.random(), random.random(), random.random())
random.seed(1)
print([random.randint(1, 100) for _ in range(10)])
random.seed(12345)
print(random.randrange(10), random.randrange(5, 10), random.randrange(0, 100, 7), random.randrange(10, 0, -3))
print(random.getrandbits(1), random.getrandbits(32), random.getrandbits(70), random.getrandbits(0))
print(random.randint(-10**20, 10**20), random.randrange(2**100))
items = list(range(10))
random.shuffle(items)
print(items)
print(random.choice("abcdefg"), random.choice([1, 2, 3]), random.choice(range(1000)))
print(random.sample(range(100), 5), random.sample("abcdef", 3), random.sample(range(10**6), 3))
print(random.sample(["a", "b"], k=4, counts=[3, 2]))
print(random.choices("abc", k=6), random.choices("abc", weights=[1, 0, 5], k=4))
print(random.choices(range(5), cum_weights=[1, 2, 3, 4, 10], k=5))
print(random.uniform(1, 2), random.triangular(), random.triangular(0, 10, 2))
print(random.gauss(), random.gauss(10, 2), random.normalvariate(0, 1), random.expovariate(2))
print(random.randbytes(6), random.paretovariate(3), random.weibullvariate(1, 2), random.lognormvariate(0, 1))

random.seed("hello")
print(random.random())
random.seed(b"bytes seed")
print(random.random())
random.seed(3.75)
print(random.random())
random.seed(-99)
print(random.random())
random.seed(2**100 + 7)
print(random.random())

state = random.getstate()
first = [random.random() for _ in range(3)]
random.setstate(state)
print(first == [random.random() for _ in range(3)])

r1 = random.Random(7)
r2 = random.Random(7)
print(r1.random() == r2.random(), r1.randint(1, 6), r2.randint(1, 6), isinstance(r1, random.Random))
r1.seed(99)
print(r1.random())

for call in [lambda: random.choice([]), lambda: random.randrange(0),
             lambda: random.randrange(0, 10, 0), lambda: random.sample(range(3), 5),
             lambda: random.sample({1, 2}, 1), lambda: random.getrandbits(-1),
             lambda: random.seed([1]), lambda: random.choices("ab", [1, 2, 3])]:
    try:
        call()
    except (ValueError, IndexError, TypeError) as e:
        print(type(e).__name__ + ":", e)
