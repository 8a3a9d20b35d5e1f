"""Names that scripts import for type annotations. minivm does not check types: these
objects only need to exist, be subscriptable (List[int]) and print sensibly.
"""

TYPE_CHECKING = False


class _SpecialForm:
    # List, Optional, Callable, ...: subscripting gives an alias that is itself subscriptable.
    def __init__(self, name, origin=None, args=()):
        self._name = name
        self.__origin__ = origin
        self.__args__ = args

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        return _SpecialForm(self._name, self.__origin__ or self, params)

    def __call__(self, *args, **kwargs):
        if self.__origin__ is not None and callable(self.__origin__):
            return self.__origin__(*args, **kwargs)
        raise TypeError(f"Cannot instantiate typing.{self._name}")

    def __repr__(self):
        if not self.__args__:
            return f"typing.{self._name}"
        return f"typing.{self._name}[{', '.join(_type_repr(a) for a in self.__args__)}]"

    def __or__(self, other):
        return Union[self, other]

    def __ror__(self, other):
        return Union[other, self]


def _type_repr(obj):
    if isinstance(obj, type):
        if obj.__module__ == "builtins":
            return obj.__qualname__
        return f"{obj.__module__}.{obj.__qualname__}"
    if obj is ...:
        return "..."
    if isinstance(obj, list):
        return "[" + ", ".join(_type_repr(a) for a in obj) + "]"
    return repr(obj)


Any = _SpecialForm("Any")
NoReturn = _SpecialForm("NoReturn")
Never = _SpecialForm("Never")
Self = _SpecialForm("Self")
Union = _SpecialForm("Union")
Optional = _SpecialForm("Optional")
ClassVar = _SpecialForm("ClassVar")
Final = _SpecialForm("Final")
Literal = _SpecialForm("Literal")
Annotated = _SpecialForm("Annotated")
TypeAlias = _SpecialForm("TypeAlias")
Callable = _SpecialForm("Callable")
Type = _SpecialForm("Type", type)
Tuple = _SpecialForm("Tuple", tuple)
List = _SpecialForm("List", list)
Dict = _SpecialForm("Dict", dict)
Set = _SpecialForm("Set", set)
FrozenSet = _SpecialForm("FrozenSet", frozenset)
Iterable = _SpecialForm("Iterable")
Iterator = _SpecialForm("Iterator")
Generator = _SpecialForm("Generator")
AsyncIterator = _SpecialForm("AsyncIterator")
AsyncIterable = _SpecialForm("AsyncIterable")
AsyncGenerator = _SpecialForm("AsyncGenerator")
Awaitable = _SpecialForm("Awaitable")
Coroutine = _SpecialForm("Coroutine")
Sequence = _SpecialForm("Sequence")
MutableSequence = _SpecialForm("MutableSequence")
Mapping = _SpecialForm("Mapping")
MutableMapping = _SpecialForm("MutableMapping")
AbstractSet = _SpecialForm("AbstractSet")
MutableSet = _SpecialForm("MutableSet")
Collection = _SpecialForm("Collection")
Container = _SpecialForm("Container")
Hashable = _SpecialForm("Hashable")
Sized = _SpecialForm("Sized")
Reversible = _SpecialForm("Reversible")
SupportsInt = _SpecialForm("SupportsInt")
SupportsFloat = _SpecialForm("SupportsFloat")
SupportsAbs = _SpecialForm("SupportsAbs")
SupportsIndex = _SpecialForm("SupportsIndex")
Deque = _SpecialForm("Deque")
DefaultDict = _SpecialForm("DefaultDict")
OrderedDict = _SpecialForm("OrderedDict")
Counter = _SpecialForm("Counter")
ChainMap = _SpecialForm("ChainMap")
Text = str
AnyStr = _SpecialForm("AnyStr")


class TypeVar:
    """TypeVar('T', bound=..., covariant=..., contravariant=...)."""

    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        self.__constraints__ = constraints
        self.__bound__ = bound
        self.__covariant__ = covariant
        self.__contravariant__ = contravariant

    def __repr__(self):
        prefix = "+" if self.__covariant__ else "-" if self.__contravariant__ else "~"
        return prefix + self.__name__

    def __or__(self, other):
        return Union[self, other]


class ParamSpec(TypeVar):
    pass


class Generic:
    """Base class for generic classes: class Stack(Generic[T]) derives from Generic."""

    def __class_getitem__(cls, params):
        return cls


class Protocol(Generic):
    """Base class for structural types; no checks are made."""


class NamedTuple:
    """Placeholder: class-based NamedTuple definitions are not supported by minivm."""

    def __init_subclass__(cls, **kwargs):
        raise TypeError("typing.NamedTuple classes are not supported by minivm; "
                        "use collections.namedtuple")


def cast(typ, val):
    """Return val unchanged (a hint for type checkers)."""
    return val


def overload(func):
    return func


def final(f):
    return f


def no_type_check(arg):
    return arg


def runtime_checkable(cls):
    return cls


def get_type_hints(obj, globalns=None, localns=None, include_extras=False):
    return dict(getattr(obj, "__annotations__", {}))


def NewType(name, tp):
    def new_type(x):
        return x
    new_type.__name__ = name
    new_type.__supertype__ = tp
    return new_type
