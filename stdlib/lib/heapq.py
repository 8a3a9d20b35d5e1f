"""Heap queue algorithm (a min-heap kept in a list), compatible with CPython's heapq.

The sifting follows CPython's algorithm step for step, so a list goes through exactly the
same states as under CPython.
"""

__all__ = ["heappush", "heappop", "heapify", "heapreplace", "merge", "nlargest",
           "nsmallest", "heappushpop"]


def _sift_toward_root(heap, root, pos):
    # Moves heap[pos] up while it is smaller than its parent; stops at index root.
    item = heap[pos]
    while pos > root:
        parent_pos = (pos - 1) >> 1
        parent = heap[parent_pos]
        if item < parent:
            heap[pos] = parent
            pos = parent_pos
            continue
        break
    heap[pos] = item


def _sift_toward_leaves(heap, pos):
    # Moves the smaller child up until a leaf is reached, then settles the item there
    # (fewer comparisons than stopping early, as in CPython).
    end = len(heap)
    start = pos
    item = heap[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not heap[child] < heap[right]:
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _sift_toward_root(heap, start, pos)


def heappush(heap, item):
    """Push item onto heap, maintaining the heap invariant."""
    heap.append(item)
    _sift_toward_root(heap, 0, len(heap) - 1)


def heappop(heap):
    """Pop the smallest item off the heap, maintaining the heap invariant."""
    if not heap:
        raise IndexError("index out of range")
    last = heap.pop()
    if heap:
        smallest = heap[0]
        heap[0] = last
        _sift_toward_leaves(heap, 0)
        return smallest
    return last


def heapreplace(heap, item):
    """Pop and return the smallest item, then push item (the heap must not be empty)."""
    if not heap:
        raise IndexError("index out of range")
    smallest = heap[0]
    heap[0] = item
    _sift_toward_leaves(heap, 0)
    return smallest


def heappushpop(heap, item):
    """Push item, then pop and return the smallest item, faster than the two calls."""
    if heap and heap[0] < item:
        item, heap[0] = heap[0], item
        _sift_toward_leaves(heap, 0)
    return item


def heapify(x):
    """Transform list into a heap, in place, in linear time."""
    for i in reversed(range(len(x) // 2)):
        _sift_toward_leaves(x, i)


class _MergeEntry:
    # One input of merge(): its current item and its key. Entries order by key, then by
    # input position, so that earlier inputs win ties (largest keys first when reversed).

    def __init__(self, order, iterator, key, reverse):
        self.order = order
        self.iterator = iterator
        self.key_fn = key
        self.reverse = reverse

    def advance(self):
        for value in self.iterator:
            self.value = value
            self.key = value if self.key_fn is None else self.key_fn(value)
            return True
        return False

    def __lt__(self, other):
        first, second = (other, self) if self.reverse else (self, other)
        if first.key < second.key:
            return True
        if second.key < first.key:
            return False
        return self.order < other.order


def merge(*iterables, key=None, reverse=False):
    """Merge sorted inputs into one sorted output (stable: earlier inputs win ties)."""
    entries = []
    for order, iterable in enumerate(iterables):
        entry = _MergeEntry(order, iter(iterable), key, reverse)
        if entry.advance():
            entries.append(entry)
    heapify(entries)
    while entries:
        entry = entries[0]
        yield entry.value
        if entry.advance():
            heapreplace(entries, entry)
        else:
            heappop(entries)


def nsmallest(n, iterable, key=None):
    """The n smallest elements, equivalent to sorted(iterable, key=key)[:n]."""
    if n <= 0:
        return []
    return sorted(iterable, key=key)[:n]


def nlargest(n, iterable, key=None):
    """The n largest elements, equivalent to sorted(iterable, key=key, reverse=True)[:n]."""
    if n <= 0:
        return []
    return sorted(iterable, key=key, reverse=True)[:n]
