# concurrent.interpreters: isolated interpreters in one process (PEP 734, CPython 3.14),
# written on the native _interpreters module (stdlib/interpreters_module.cpp).
"""Multiple interpreters in one process.

Each interpreter has its own modules, globals and, with -X gil=1, its own GIL, so code in
different interpreters runs in parallel even with the GIL on. Nothing is shared between
them: values cross by copy (None, bool, int, float, str, bytes, tuples of those, plain
functions and Queues). docs/subinterpreters.md explains how minivm does it.
"""

import _interpreters
import queue as _queue

__all__ = [
    "Interpreter", "InterpreterError", "InterpreterNotFoundError", "ExecutionFailed",
    "NotShareableError", "Queue", "QueueEmpty", "QueueFull", "create", "create_queue",
    "get_current", "get_main", "is_shareable", "list_all",
]


class InterpreterError(Exception):
    """An interpreter cannot do what was asked."""


class InterpreterNotFoundError(InterpreterError):
    """The interpreter was closed, or never existed."""


class NotShareableError(ValueError):
    """The object cannot be passed to another interpreter."""


class ExecutionFailed(InterpreterError):
    """The code run in another interpreter raised. `excinfo` describes that exception:
    its type's name (`excinfo.type.__name__`), message (`msg`), the "Type: message" line
    (`formatted`) and its traceback (`errdisplay`)."""

    def __init__(self, excinfo):
        super().__init__(excinfo.formatted)
        self.excinfo = excinfo


class _ExceptionType:
    def __init__(self, name):
        self.__name__ = name
        self.__qualname__ = name

    def __repr__(self):
        return f"<exception type {self.__name__!r}>"


class _ExceptionInfo:
    def __init__(self, info):
        name, self.msg, self.formatted, self.errdisplay = info
        self.type = _ExceptionType(name)

    def __repr__(self):
        return f"ExceptionInfo(type={self.type.__name__}, msg={self.msg!r})"


QueueEmpty = _queue.Empty
QueueFull = _queue.Full
Queue = _interpreters.Queue


def _not_shareable(error):
    return NotShareableError(str(error))


class Interpreter:
    """A handle on one interpreter; handles with the same id are equal."""

    def __init__(self, id):
        self._id = id

    @property
    def id(self):
        return self._id

    def __repr__(self):
        return f"Interpreter({self._id})"

    def __eq__(self, other):
        return isinstance(other, Interpreter) and other._id == self._id

    def __hash__(self):
        return hash(self._id)

    def _check(self):
        if self._id not in _interpreters.list_all():
            raise InterpreterNotFoundError(f"interpreter {self._id} does not exist")

    def is_running(self):
        """True while code runs in this interpreter."""
        self._check()
        return _interpreters.is_running(self._id)

    def close(self):
        """Ends the interpreter, after its non-daemon threads have finished."""
        self._check()
        _interpreters.destroy(self._id)

    def prepare_main(self, ns=None, /, **kwargs):
        """Binds shareable values as globals of the interpreter's __main__."""
        self._check()
        values = dict(ns or {})
        values.update(kwargs)
        try:
            _interpreters.set___main___attrs(self._id, values)
        except ValueError as e:
            raise _not_shareable(e) from None

    def exec(self, code, /):
        """Runs source code in the interpreter's __main__ and waits for it. An exception
        there comes back as ExecutionFailed; the interpreter stays usable."""
        self._check()
        info = _interpreters.exec(self._id, code)
        if info is not None:
            raise ExecutionFailed(_ExceptionInfo(info))

    def call(self, callable, /, *args, **kwargs):
        """Calls a plain function in the interpreter (its globals are that interpreter's
        __main__) and returns the result, copied back."""
        self._check()
        try:
            result, info = _interpreters.call(self._id, callable, args, kwargs or None)
        except ValueError as e:
            raise _not_shareable(e) from None
        if info is not None:
            raise ExecutionFailed(_ExceptionInfo(info))
        return result

    def call_in_thread(self, callable, /, *args, **kwargs):
        """call() on a new thread; returns the thread, already started."""
        import threading
        thread = threading.Thread(target=self.call, args=(callable,) + args, kwargs=kwargs)
        thread.start()
        return thread


def create():
    """A new interpreter, with its own modules and, with -X gil=1, its own GIL."""
    return Interpreter(_interpreters.create())


def list_all():
    """Every live interpreter, the main one first."""
    return [Interpreter(id) for id in _interpreters.list_all()]


def get_current():
    """The interpreter running the caller."""
    return Interpreter(_interpreters.get_current())


def get_main():
    """The interpreter the process started with."""
    return Interpreter(_interpreters.get_main())


def create_queue(maxsize=0):
    """A queue whose items (shareable values) any interpreter can put and get."""
    return Queue(maxsize)


def is_shareable(obj):
    """True when obj can be passed to another interpreter."""
    return _interpreters.is_shareable(obj)
