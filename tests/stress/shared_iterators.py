# Stress: four threads call next() on one shared iterator until it is exhausted: items
# may be seen twice or missed, but each must come from the source.
#
# Covers iterators over a list, a range, a dict, a tuple and a str, enumerate, zip and map
# objects, and a generator, which raises "ValueError: generator already executing" in one
# thread while another runs it; that is counted, not printed.
from stress_util import SCALE, check, note, run_threads

THREADS = 4
ITEMS = 20000 * SCALE
numbers = list(range(ITEMS))


def numbers_generator():
    for number in numbers:
        yield number


def drain(iterator, is_valid, may_be_busy):
    bad = busy = 0
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return bad, busy
        except ValueError:
            if not may_be_busy:
                raise
            busy += 1
            continue
        if not is_valid(item):
            bad += 1


def is_number(item):
    return type(item) is int and 0 <= item < ITEMS


def is_pair_of_numbers(item):
    return type(item) is tuple and len(item) == 2 and is_number(item[0]) and is_number(item[1])


letters = "abcdefghij" * (ITEMS // 10)
cases = [
    ("list", lambda: iter(numbers), is_number),
    ("range", lambda: iter(range(ITEMS)), is_number),
    ("dict", lambda: iter(dict.fromkeys(numbers)), is_number),
    ("tuple", lambda: iter(tuple(numbers)), is_number),
    ("str", lambda: iter(letters), lambda item: item in "abcdefghij" and len(item) == 1),
    ("enumerate", lambda: enumerate(numbers), is_pair_of_numbers),
    ("zip", lambda: zip(numbers, range(ITEMS)), is_pair_of_numbers),
    ("map", lambda: map(abs, numbers), is_number),
    ("generator", numbers_generator, is_number),
]
for name, make, is_valid in cases:
    iterator = make()
    may_be_busy = name == "generator"
    results = run_threads([lambda: drain(iterator, is_valid, may_be_busy)] * THREADS)
    check(f"{name}: every item came from the source", sum(bad for bad, _ in results) == 0)
    check(f"{name}: stays exhausted", next(iterator, "end") == "end")
    if may_be_busy:
        note(f"shared_iterators: generator already executing {sum(busy for _, busy in results)} times")
