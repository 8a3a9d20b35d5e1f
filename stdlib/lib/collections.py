"""Container datatypes: deque (native), namedtuple, defaultdict, Counter, OrderedDict.

minivm differences from CPython: namedtuple builds an ordinary class (not a tuple
subclass) whose instances hold their values in a tuple, so isinstance(p, tuple) is False;
everything else a script normally does with a named tuple works the same.
"""

from _collections import deque

__all__ = ["deque", "namedtuple", "defaultdict", "Counter", "OrderedDict"]

_keywords = frozenset([
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield"])


################################################################################
### namedtuple
################################################################################

def _field_getter(index, doc):
    def getter(self):
        return self._values[index]
    return property(getter, doc=doc)


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    """Returns a new class with named fields, like CPython's collections.namedtuple."""
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    field_names = list(map(str, field_names))
    typename = str(typename)
    if rename:
        seen = set()
        for index, name in enumerate(field_names):
            if (not name.isidentifier() or name in _keywords or name.startswith("_")
                    or name in seen):
                field_names[index] = f"_{index}"
            seen.add(name)
    for name in [typename] + field_names:
        if type(name) is not str:
            raise TypeError("Type names and field names must be strings")
        if not name.isidentifier():
            raise ValueError("Type names and field names must be valid "
                             f"identifiers: {name!r}")
        if name in _keywords:
            raise ValueError("Type names and field names cannot be a "
                             f"keyword: {name!r}")
    seen = set()
    for name in field_names:
        if name.startswith("_") and not rename:
            raise ValueError("Field names cannot start with an underscore: "
                             f"{name!r}")
        if name in seen:
            raise ValueError(f"Encountered duplicate field name: {name!r}")
        seen.add(name)

    fields = tuple(field_names)
    nfields = len(fields)
    field_defaults = {}
    if defaults is not None:
        defaults = tuple(defaults)
        if len(defaults) > nfields:
            raise TypeError("Got more default values than field names")
        field_defaults = dict(zip(fields[nfields - len(defaults):], defaults))

    def __init__(self, *args, **kwargs):
        if len(args) > nfields:
            raise TypeError(f"{typename}.__new__() takes {nfields + 1} positional "
                            f"arguments but {len(args) + 1} were given")
        values = list(args)
        for name in fields[len(args):]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in field_defaults:
                values.append(field_defaults[name])
            else:
                missing = [n for n in fields[len(values):]
                           if n not in kwargs and n not in field_defaults]
                names = " and ".join(repr(n) for n in missing) if len(missing) <= 2 else \
                    ", ".join(repr(n) for n in missing[:-1]) + ", and " + repr(missing[-1])
                plural = "s" if len(missing) > 1 else ""
                raise TypeError(f"{typename}.__new__() missing {len(missing)} required "
                                f"positional argument{plural}: {names}")
        for name in kwargs:
            if name in fields:
                raise TypeError(f"{typename}.__new__() got multiple values for argument {name!r}")
            raise TypeError(f"{typename}.__new__() got an unexpected keyword argument {name!r}")
        self._values = tuple(values)

    def __repr__(self):
        body = ", ".join(f"{name}={value!r}" for name, value in zip(fields, self._values))
        return f"{type(self).__name__}({body})"

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return nfields

    def __getitem__(self, index):
        return self._values[index]

    def __contains__(self, value):
        return value in self._values

    def __hash__(self):
        return hash(self._values)

    def _as_tuple(other):
        if isinstance(other, tuple):
            return other
        values = getattr(other, "_values", None)
        if isinstance(values, tuple) and hasattr(type(other), "_fields"):
            return values
        return None

    def __eq__(self, other):
        t = _as_tuple(other)
        return NotImplemented if t is None else self._values == t

    def __ne__(self, other):
        t = _as_tuple(other)
        return NotImplemented if t is None else self._values != t

    def __lt__(self, other):
        t = _as_tuple(other)
        return NotImplemented if t is None else self._values < t

    def __le__(self, other):
        t = _as_tuple(other)
        return NotImplemented if t is None else self._values <= t

    def __gt__(self, other):
        t = _as_tuple(other)
        return NotImplemented if t is None else self._values > t

    def __ge__(self, other):
        t = _as_tuple(other)
        return NotImplemented if t is None else self._values >= t

    def __add__(self, other):
        return self._values + tuple(other)

    def _asdict(self):
        return dict(zip(fields, self._values))

    def _replace(self, **kwargs):
        values = [kwargs.pop(name, value) for name, value in zip(fields, self._values)]
        if kwargs:
            raise ValueError(f"Got unexpected field names: {list(kwargs)!r}")
        return type(self)(*values)

    def count(self, value):
        return self._values.count(value)

    def index(self, value, *args):
        return self._values.index(value, *args)

    def __getnewargs__(self):
        return self._values

    namespace = {
        "__doc__": f"{typename}({', '.join(fields)})",
        "__init__": __init__,
        "__repr__": __repr__,
        "__iter__": __iter__,
        "__len__": __len__,
        "__getitem__": __getitem__,
        "__contains__": __contains__,
        "__hash__": __hash__,
        "__eq__": __eq__,
        "__ne__": __ne__,
        "__lt__": __lt__,
        "__le__": __le__,
        "__gt__": __gt__,
        "__ge__": __ge__,
        "__add__": __add__,
        "_asdict": _asdict,
        "_replace": _replace,
        "count": count,
        "index": index,
        "__getnewargs__": __getnewargs__,
        "_fields": fields,
        "_field_defaults": field_defaults,
        "__module__": module if module is not None else "__main__",
        "__qualname__": typename,
    }
    for index, name in enumerate(fields):
        namespace[name] = _field_getter(index, f"Alias for field number {index}")
    cls = type(typename, (), namespace)

    def _make(iterable):
        return cls(*iterable)
    cls._make = staticmethod(_make)
    return cls


################################################################################
### defaultdict
################################################################################

class defaultdict(dict):
    """dict subclass that calls a factory function to supply missing values."""

    def __init__(self, default_factory=None, *args, **kwargs):
        if default_factory is not None and not callable(default_factory):
            raise TypeError("first argument must be callable or None")
        dict.__init__(self, *args, **kwargs)
        self.default_factory = default_factory

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        value = self.default_factory()
        self[key] = value
        return value

    def __repr__(self):
        return f"{type(self).__name__}({self.default_factory!r}, {dict.__repr__(self)})"

    def copy(self):
        return type(self)(self.default_factory, self)

    __copy__ = copy

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        new = self.copy()
        new.update(other)
        return new


################################################################################
### Counter
################################################################################

def _count_elements(mapping, iterable):
    mapping_get = mapping.get
    for elem in iterable:
        mapping[elem] = mapping_get(elem, 0) + 1


class Counter(dict):
    """Dict subclass for counting hashable items (a bag or multiset)."""

    def __init__(self, iterable=None, **kwds):
        dict.__init__(self)
        self.update(iterable, **kwds)

    def __missing__(self, key):
        return 0

    def total(self):
        return sum(self.values())

    def most_common(self, n=None):
        items = sorted(self.items(), key=lambda item: item[1], reverse=True)
        if n is None:
            return items
        return items[:max(n, 0)]

    def elements(self):
        for elem, count in self.items():
            for _ in range(count):
                yield elem

    @classmethod
    def fromkeys(cls, iterable, v=None):
        raise NotImplementedError(
            "Counter.fromkeys() is undefined.  Use Counter(iterable) instead.")

    def update(self, iterable=None, **kwds):
        if iterable is not None:
            if isinstance(iterable, dict) or hasattr(iterable, "keys"):
                if self:
                    self_get = self.get
                    for elem in iterable.keys():
                        self[elem] = iterable[elem] + self_get(elem, 0)
                else:
                    dict.update(self, iterable)
            else:
                _count_elements(self, iterable)
        if kwds:
            self.update(kwds)

    def subtract(self, iterable=None, **kwds):
        if iterable is not None:
            self_get = self.get
            if isinstance(iterable, dict) or hasattr(iterable, "keys"):
                for elem in iterable.keys():
                    self[elem] = self_get(elem, 0) - iterable[elem]
            else:
                for elem in iterable:
                    self[elem] = self_get(elem, 0) - 1
        if kwds:
            self.subtract(kwds)

    def copy(self):
        return type(self)(self)

    __copy__ = copy

    def __delitem__(self, elem):
        if elem in self:
            dict.__delitem__(self, elem)

    def __repr__(self):
        if not self:
            return f"{type(self).__name__}()"
        try:
            d = dict(self.most_common())
        except TypeError:
            d = dict(self)
        return f"{type(self).__name__}({d!r})"

    def __eq__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] == other[e] for c in (self, other) for e in c)

    def __ne__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return not self == other

    __hash__ = None

    def __add__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count + other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __sub__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count - other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count < 0:
                result[elem] = 0 - count
        return result

    def __or__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = other_count if count < other_count else count
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __and__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = count if count < other_count else other_count
            if newcount > 0:
                result[elem] = newcount
        return result

    def __pos__(self):
        result = Counter()
        for elem, count in self.items():
            if count > 0:
                result[elem] = count
        return result

    def __neg__(self):
        result = Counter()
        for elem, count in self.items():
            if count < 0:
                result[elem] = 0 - count
        return result

    def _keep_positive(self):
        nonpositive = [elem for elem, count in self.items() if not count > 0]
        for elem in nonpositive:
            del self[elem]
        return self

    def __iadd__(self, other):
        for elem, count in other.items():
            self[elem] += count
        return self._keep_positive()

    def __isub__(self, other):
        for elem, count in other.items():
            self[elem] -= count
        return self._keep_positive()


################################################################################
### OrderedDict
################################################################################

class OrderedDict(dict):
    """Dictionary that remembers insertion order, with move_to_end and popitem(last=)."""

    def move_to_end(self, key, last=True):
        value = self.pop(key)
        if last:
            self[key] = value
        else:
            rest = list(self.items())
            dict.clear(self)
            self[key] = value
            for k, v in rest:
                self[k] = v

    def popitem(self, last=True):
        if not self:
            raise KeyError("dictionary is empty")
        key = next(reversed(self)) if last else next(iter(self))
        value = self.pop(key)
        return key, value

    def __repr__(self):
        if not self:
            return f"{type(self).__name__}()"
        return f"{type(self).__name__}({dict.__repr__(self)})"

    def __eq__(self, other):
        if isinstance(other, OrderedDict):
            return dict.__eq__(self, other) and list(self) == list(other)
        return dict.__eq__(self, other)

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def copy(self):
        return type(self)(self)

    __copy__ = copy

    def __reversed__(self):
        return reversed(list(self))
