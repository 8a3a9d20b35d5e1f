"""Abstract base classes, minimally: ABC refuses to instantiate a class that still has
abstract methods, and abstractmethod marks them. ABCMeta exists for `metaclass=ABCMeta`
but adds nothing; virtual subclasses (register) are not supported.
"""


def abstractmethod(funcobj):
    """Mark a method as abstract: ABC subclasses must override it to be instantiated."""
    funcobj.__isabstractmethod__ = True
    return funcobj


class ABCMeta(type):
    pass


# Abstract method names per class, computed on first instantiation.
_abstract_cache = {}


def _abstract_methods(cls):
    names = _abstract_cache.get(cls)
    if names is None:
        names = []
        for name in dir(cls):
            value = getattr(cls, name, None)
            if getattr(value, "__isabstractmethod__", False):
                names.append(name)
        _abstract_cache[cls] = names
    return names


class ABC:
    """Helper base class: a class deriving from ABC cannot be instantiated while it has
    abstract methods."""

    def __new__(cls, *args, **kwargs):
        missing = _abstract_methods(cls)
        if missing:
            s = "s" if len(missing) > 1 else ""
            names = ", ".join(f"'{name}'" for name in missing)
            raise TypeError(f"Can't instantiate abstract class {cls.__name__} "
                            f"without an implementation for abstract method{s} {names}")
        return object.__new__(cls)


def get_cache_token():
    return 0
