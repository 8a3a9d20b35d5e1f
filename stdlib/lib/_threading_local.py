"""Thread-local data in the Python subset: threading.local when _thread has no native _local.

Each thread's attributes of a local object live in a dict stored on that thread's Thread
object (keyed by a number unique to the local object), so they disappear with the thread
and a new thread never sees a dead thread's values even if the OS reuses its ident.
"""

from _thread import allocate_lock

__all__ = ["local"]

_key_lock = allocate_lock()
_next_key = 0


def _new_key():
    global _next_key
    with _key_lock:
        _next_key += 1
        return _next_key


def _find_data_descriptor(cls, name):
    # A property (or other data descriptor) of the class takes precedence over the
    # per-thread attributes, as it would over an instance __dict__.
    for klass in cls.__mro__:
        if name in klass.__dict__:
            attr = klass.__dict__[name]
            if hasattr(type(attr), "__set__"):
                return attr
            return None
    return None


def _thread_dict(self):
    # Returns the calling thread's attribute dict of self, creating it (and running
    # __init__ again with the original arguments) on the thread's first access.
    key = object.__getattribute__(self, "_local__key")
    thread = threading.current_thread()
    try:
        dicts = thread.__dict__["_local_dicts"]
    except KeyError:
        dicts = thread.__dict__.setdefault("_local_dicts", {})
    try:
        return dicts[key]
    except KeyError:
        pass
    d = {}
    dicts[key] = d
    args, kwargs = object.__getattribute__(self, "_local__args")
    cls = type(self)
    if cls.__init__ is not object.__init__:
        cls.__init__(self, *args, **kwargs)
    return d


class local:
    """Attributes of a local object are separate for each thread."""

    def __new__(cls, *args, **kwargs):
        if (args or kwargs) and cls.__init__ is object.__init__:
            raise TypeError("Initialization arguments are not supported")
        self = object.__new__(cls)
        object.__setattr__(self, "_local__key", _new_key())
        object.__setattr__(self, "_local__args", (args, kwargs))
        # The creating thread's dict exists from the start; __init__ then runs normally.
        thread = threading.current_thread()
        thread.__dict__.setdefault("_local_dicts", {})[self._local__key] = {}
        return self

    def __getattribute__(self, name):
        if name.startswith("_local__"):
            return object.__getattribute__(self, name)
        d = _thread_dict(self)
        if name == "__dict__":
            return d
        if name in d and _find_data_descriptor(type(self), name) is None:
            return d[name]
        return object.__getattribute__(self, name)

    def __setattr__(self, name, value):
        if name == "__dict__":
            raise AttributeError(f"{type(self).__name__!r} object attribute '__dict__' is read-only")
        d = _thread_dict(self)
        descriptor = _find_data_descriptor(type(self), name)
        if descriptor is not None:
            descriptor.__set__(self, value)
        else:
            d[name] = value

    def __delattr__(self, name):
        if name == "__dict__":
            raise AttributeError(f"{type(self).__name__!r} object attribute '__dict__' is read-only")
        d = _thread_dict(self)
        descriptor = _find_data_descriptor(type(self), name)
        if descriptor is not None:
            descriptor.__delete__(self)
            return
        try:
            del d[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}") from None


# Imported last: threading itself imports this module while it is being initialised.
import threading
