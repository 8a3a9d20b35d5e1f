"""Shallow and deep copying (CPython's copy module, without the pickle protocol).

Instances of classes are copied through their __dict__ (or __copy__/__deepcopy__ if they
define them); built-in containers are rebuilt item by item.
"""

from _collections import deque as _deque


class Error(Exception):
    pass


error = Error

# Values that are never copied: immutable and holding nothing mutable.
_atomic_types = {type(None), type(Ellipsis), type(NotImplemented), int, float, bool, str,
                 bytes, range, type, type(len), type(lambda: None), property}


def _is_atomic(x):
    cls = type(x)
    return cls in _atomic_types or isinstance(x, type)


def _new_empty(cls):
    # An instance made without running __init__, as CPython's copy does via __reduce_ex__.
    return cls.__new__(cls)


def copy(x):
    """Shallow copy: a new container holding the same items."""
    cls = type(x)
    if _is_atomic(x) or cls is tuple or cls is frozenset:
        return x
    if cls is list:
        return list(x)
    if cls is dict:
        return dict(x)
    if cls is set:
        return set(x)
    copier = getattr(cls, "__copy__", None)
    if copier is not None:
        return copier(x)
    if isinstance(x, (list, dict, set)):
        y = _new_empty(cls)
        y.__dict__.update(x.__dict__)
        if isinstance(x, dict):
            dict.update(y, x)
        elif isinstance(x, list):
            list.extend(y, x)
        else:
            set.update(y, x)
        return y
    state = getattr(x, "__dict__", None)
    if state is None:
        raise Error(f"un(shallow)copyable object of type {cls}")
    y = _new_empty(cls)
    y.__dict__.update(state)
    return y


def deepcopy(x, memo=None):
    """Deep copy: containers and instances are copied recursively; shared objects and
    cycles are copied once (memo maps id() of originals to their copies)."""
    if memo is None:
        memo = {}
    key = id(x)
    if key in memo:
        return memo[key]
    cls = type(x)
    if _is_atomic(x):
        return x
    if cls is list:
        y = []
        memo[key] = y
        for item in x:
            y.append(deepcopy(item, memo))
    elif cls is tuple:
        items = [deepcopy(item, memo) for item in x]
        if key in memo:   # the tuple was reached again through a cycle
            return memo[key]
        y = x if all(a is b for a, b in zip(items, x)) else tuple(items)
    elif cls is dict:
        y = {}
        memo[key] = y
        for k, v in x.items():
            y[deepcopy(k, memo)] = deepcopy(v, memo)
    elif cls is set or cls is frozenset:
        y = cls(deepcopy(item, memo) for item in x)
    elif cls is _deque:
        y = _deque(maxlen=x.maxlen)
        memo[key] = y
        for item in x:
            y.append(deepcopy(item, memo))
    else:
        copier = getattr(x, "__deepcopy__", None)
        if copier is not None:
            y = copier(memo)
        else:
            y = _deepcopy_instance(x, cls, memo)
    memo[key] = y
    # Keep the original alive while the memo is in use, so its id() is not reused.
    memo.setdefault(id(memo), []).append(x)
    return y


def _deepcopy_instance(x, cls, memo):
    y = _new_empty(cls)
    memo[id(x)] = y
    state = getattr(x, "__dict__", None)
    if state is not None:
        y.__dict__.update(deepcopy(state, memo))
    if isinstance(x, dict):
        for k, v in x.items():
            dict.__setitem__(y, deepcopy(k, memo), deepcopy(v, memo))
    elif isinstance(x, list):
        for item in x:
            list.append(y, deepcopy(item, memo))
    elif isinstance(x, set):
        for item in x:
            set.add(y, deepcopy(item, memo))
    elif state is None:
        raise Error(f"un(deep)copyable object of type {cls}")
    return y
