# asyncio: cooperative tasks on one thread, written in the subset. Coroutines are the
# VM's own (vm/generator.h); this module is the event loop that drives them.
"""Asynchronous I/O in the style of CPython's asyncio: an event loop per thread, futures,
tasks, sleep, gather, wait_for, queues, events and locks, and to_thread for blocking calls.

How it works (docs/asyncio.md tells it at length): a Task steps its coroutine with send().
When the coroutine awaits a Future that is not done, the future's __await__ yields the
future itself, the coroutine suspends, and the task asks the future to call it back when
it is done. The loop runs ready callbacks in order, then sleeps until the earliest timer
or until another thread hands it a callback (call_soon_threadsafe).
"""

import collections
import heapq
import sys
import threading
import time

__all__ = [
    "CancelledError", "InvalidStateError", "TimeoutError", "QueueEmpty", "QueueFull",
    "Future", "Task", "Handle", "TimerHandle", "AbstractEventLoop", "EventLoop",
    "run", "get_running_loop", "get_event_loop", "new_event_loop", "set_event_loop",
    "create_task", "ensure_future", "sleep", "gather", "wait_for", "wait", "as_completed",
    "shield", "current_task", "all_tasks", "to_thread", "iscoroutine",
    "iscoroutinefunction", "isfuture", "Queue", "Event", "Lock", "Semaphore",
    "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED",
]

FIRST_COMPLETED = "FIRST_COMPLETED"
FIRST_EXCEPTION = "FIRST_EXCEPTION"
ALL_COMPLETED = "ALL_COMPLETED"


class CancelledError(BaseException):
    """The task or future was cancelled. A BaseException, as in CPython 3.8 and later, so
    that `except Exception` does not swallow a cancellation."""


class InvalidStateError(Exception):
    """The operation is not allowed in this state (a result read too early, set twice)."""


# asyncio.TimeoutError is the built-in TimeoutError since CPython 3.11.
TimeoutError = TimeoutError


# The futures' states, as CPython names them in reprs.
_PENDING = "PENDING"
_CANCELLED = "CANCELLED"
_FINISHED = "FINISHED"

_CO_COROUTINE = 0x80   # the code flag of an `async def`


def iscoroutine(obj):
    """True for the coroutine object an `async def` call returns."""
    return type(obj).__name__ == "coroutine"


def iscoroutinefunction(func):
    """True for a function defined with `async def`."""
    code = getattr(func, "__code__", None)
    return code is not None and bool(code.co_flags & _CO_COROUTINE)


def isfuture(obj):
    """True for a Future or Task of this module, or an object that behaves as one."""
    return getattr(obj, "_asyncio_future_blocking", None) is not None


# ---------------------------------------------------------------------------------------
# Futures and tasks

class Future:
    """A result that will be set later, by a callback or another task. Awaiting it
    suspends the awaiting task until then."""

    # Set to True by __await__ just before it yields the future: that is how a Task knows
    # the yielded object is a future to wait for, not a stray value.
    _asyncio_future_blocking = False

    def __init__(self, *, loop=None):
        self._loop = loop if loop is not None else get_event_loop()
        self._state = _PENDING
        self._result = None
        self._exception = None
        self._callbacks = []
        self._cancel_message = None

    def __repr__(self):
        return f"<{type(self).__name__} {self._state_text()}>"

    def _state_text(self):
        """'pending', 'cancelled', or 'finished' with the result or exception."""
        state = self._state.lower()
        if self._state == _FINISHED:
            if self._exception is not None:
                state += f" exception={self._exception!r}"
            else:
                state += f" result={self._result!r}"
        return state

    def get_loop(self):
        return self._loop

    def done(self):
        return self._state != _PENDING

    def cancelled(self):
        return self._state == _CANCELLED

    def cancel(self, msg=None):
        """Cancels the future and schedules its callbacks; False if it was already done."""
        if self._state != _PENDING:
            return False
        self._state = _CANCELLED
        self._cancel_message = msg
        self._schedule_callbacks()
        return True

    def _make_cancelled_error(self):
        if self._cancel_message is None:
            return CancelledError()
        return CancelledError(self._cancel_message)

    def result(self):
        """The result; raises the future's exception, CancelledError, or
        InvalidStateError while it is pending."""
        if self._state == _CANCELLED:
            raise self._make_cancelled_error()
        if self._state != _FINISHED:
            raise InvalidStateError("Result is not set.")
        if self._exception is not None:
            raise self._exception
        return self._result

    def exception(self):
        """The exception the future finished with, or None."""
        if self._state == _CANCELLED:
            raise self._make_cancelled_error()
        if self._state != _FINISHED:
            raise InvalidStateError("Exception is not set.")
        return self._exception

    def set_result(self, result):
        if self._state != _PENDING:
            raise InvalidStateError(f"{self._state}: {self!r}")
        self._result = result
        self._state = _FINISHED
        self._schedule_callbacks()

    def set_exception(self, exception):
        if self._state != _PENDING:
            raise InvalidStateError(f"{self._state}: {self!r}")
        if isinstance(exception, type):
            exception = exception()
        if type(exception) is StopIteration:
            raise TypeError("StopIteration interacts badly with generators "
                            "and cannot be raised into a Future")
        self._exception = exception
        self._state = _FINISHED
        self._schedule_callbacks()

    def add_done_callback(self, fn, *, context=None):
        """Calls fn(future) once the future is done: soon, if it is done already."""
        if self._state != _PENDING:
            self._loop.call_soon(fn, self)
        else:
            self._callbacks.append(fn)

    def remove_done_callback(self, fn):
        """Removes every registration of fn; returns how many there were."""
        kept = [cb for cb in self._callbacks if cb != fn]
        removed = len(self._callbacks) - len(kept)
        self._callbacks = kept
        return removed

    def _schedule_callbacks(self):
        callbacks = self._callbacks
        self._callbacks = []
        for callback in callbacks:
            self._loop.call_soon(callback, self)

    def __await__(self):
        if not self.done():
            self._asyncio_future_blocking = True
            yield self   # the task suspends here until the future is done
        if not self.done():
            raise RuntimeError("await wasn't used with future")
        return self.result()

    __iter__ = __await__


class _Yield:
    """Awaiting it gives the loop one turn: what `await asyncio.sleep(0)` does."""

    def __await__(self):
        yield


_task_counter = 0


def _next_task_name():
    global _task_counter
    _task_counter += 1
    return f"Task-{_task_counter}"


class Task(Future):
    """Runs a coroutine on the loop: steps it until it awaits a pending future, then
    again when that future is done. The task's own result is the coroutine's."""

    def __init__(self, coro, *, loop=None, name=None):
        super().__init__(loop=loop)
        if not iscoroutine(coro):
            raise TypeError(f"a coroutine was expected, got {coro!r}")
        self._coro = coro
        self._name = str(name) if name is not None else _next_task_name()
        self._fut_waiter = None      # the future the coroutine waits for
        self._must_cancel = False    # cancel() came while no future was awaited
        self._loop.call_soon(self._step)
        self._loop._tasks.add(self)

    def __repr__(self):
        return f"<Task {self._state_text()} name='{self._name}' coro={self._coro!r}>"

    def get_name(self):
        return self._name

    def set_name(self, value):
        self._name = str(value)

    def get_coro(self):
        return self._coro

    def cancel(self, msg=None):
        """Asks the coroutine to stop: CancelledError is raised inside it at the await it
        is suspended in. False if the task is already done."""
        if self.done():
            return False
        self._cancel_message = msg
        if self._fut_waiter is not None and self._fut_waiter.cancel(msg):
            # The waiter's callback steps this task, which then raises CancelledError.
            return True
        self._must_cancel = True
        return True

    def _step(self, exc=None):
        if self.done():
            return
        if self._must_cancel:
            if not isinstance(exc, CancelledError):
                exc = self._make_cancelled_error()
            self._must_cancel = False
        self._fut_waiter = None
        loop = self._loop
        previous = loop._current_task
        loop._current_task = self
        try:
            if exc is None:
                result = self._coro.send(None)
            else:
                result = self._coro.throw(exc)
        except StopIteration as stop:
            if self._must_cancel:
                self._must_cancel = False
                Future.cancel(self, self._cancel_message)
            else:
                Future.set_result(self, stop.value)
        except CancelledError as error:
            self._cancel_message = error.args[0] if error.args else None
            Future.cancel(self, self._cancel_message)
        except (KeyboardInterrupt, SystemExit) as error:
            Future.set_exception(self, error)
            raise
        except BaseException as error:
            Future.set_exception(self, error)
        else:
            self._wait_for(result)
        finally:
            loop._current_task = previous
            if self.done():
                loop._tasks.discard(self)

    def _wait_for(self, result):
        """The coroutine yielded `result`: a future to wait for, or None for one turn."""
        if result is None:
            self._loop.call_soon(self._step)
        elif getattr(result, "_asyncio_future_blocking", False):
            if result is self:
                error = RuntimeError(f"Task cannot await on itself: {self!r}")
                self._loop.call_soon(self._step, error)
                return
            result._asyncio_future_blocking = False
            result.add_done_callback(self._wakeup)
            self._fut_waiter = result
            if self._must_cancel and self._fut_waiter.cancel(self._cancel_message):
                self._must_cancel = False
        else:
            error = RuntimeError(f"Task got bad yield: {result!r}")
            self._loop.call_soon(self._step, error)

    def _wakeup(self, future):
        try:
            future.result()
        except BaseException as error:
            # The awaited future failed or was cancelled: raise that inside the coroutine.
            self._step(error)
        else:
            self._step()


# ---------------------------------------------------------------------------------------
# The event loop

class Handle:
    """A callback that the loop will run; cancel() stops it from running."""

    def __init__(self, callback, args, loop):
        self._callback = callback
        self._args = args
        self._loop = loop
        self._cancelled = False

    def __repr__(self):
        state = " cancelled" if self._cancelled else ""
        return f"<{type(self).__name__}{state} {self._callback!r}>"

    def cancel(self):
        self._cancelled = True

    def cancelled(self):
        return self._cancelled

    def _run(self):
        try:
            self._callback(*self._args)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:
            self._loop.call_exception_handler({
                "message": f"Exception in callback {self._callback!r}",
                "exception": error,
                "handle": self,
            })


class TimerHandle(Handle):
    """A callback due at a time of the loop's clock (time.monotonic)."""

    def __init__(self, when, callback, args, loop):
        super().__init__(callback, args, loop)
        self._when = when

    def when(self):
        return self._when



class AbstractEventLoop:
    """The base class that user code checks against; EventLoop is the only loop."""


class EventLoop(AbstractEventLoop):
    """Runs callbacks and tasks on the thread that runs it."""

    def __init__(self):
        self._ready = collections.deque()
        self._scheduled = []                 # heap of (when, sequence, TimerHandle)
        self._timers_made = 0                # the sequence: timers due at once run in order
        self._stopping = False
        self._closed = False
        self._thread_id = None               # the running thread, while running
        self._tasks = set()
        self._current_task = None
        self._exception_handler = None
        # Another thread hands callbacks over through this list and wakes the loop.
        self._wakeup = threading.Condition()
        self._threadsafe = []
        self._executor = None

    def __repr__(self):
        return (f"<{type(self).__name__} running={self.is_running()} "
                f"closed={self._closed} debug=False>")

    def time(self):
        return time.monotonic()

    def _check_closed(self):
        if self._closed:
            raise RuntimeError("Event loop is closed")

    def call_soon(self, callback, *args, context=None):
        self._check_closed()
        handle = Handle(callback, args, self)
        self._ready.append(handle)
        return handle

    def call_later(self, delay, callback, *args, context=None):
        return self.call_at(self.time() + delay, callback, *args)

    def call_at(self, when, callback, *args, context=None):
        self._check_closed()
        handle = TimerHandle(when, callback, args, self)
        self._timers_made += 1
        heapq.heappush(self._scheduled, (when, self._timers_made, handle))
        return handle

    def call_soon_threadsafe(self, callback, *args, context=None):
        """The one method other threads may call: the loop runs callback(*args) soon."""
        self._check_closed()
        handle = Handle(callback, args, self)
        with self._wakeup:
            self._threadsafe.append(handle)
            self._wakeup.notify()
        return handle

    def create_future(self):
        return Future(loop=self)

    def create_task(self, coro, *, name=None, context=None):
        self._check_closed()
        return Task(coro, loop=self, name=name)

    def is_running(self):
        return self._thread_id is not None

    def is_closed(self):
        return self._closed

    def stop(self):
        """Stops run_forever after the callbacks that are ready now have run."""
        self._stopping = True

    def close(self):
        if self.is_running():
            raise RuntimeError("Cannot close a running event loop")
        if self._closed:
            return
        self._closed = True
        self._ready.clear()
        self._scheduled = []
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

    def run_forever(self):
        self._check_closed()
        if self.is_running():
            raise RuntimeError("This event loop is already running")
        if _get_running_loop() is not None:
            raise RuntimeError("Cannot run the event loop while another loop is running")
        self._thread_id = threading.get_ident()
        _set_running_loop(self)
        try:
            while True:
                self._run_once()
                if self._stopping:
                    break
        finally:
            self._stopping = False
            self._thread_id = None
            _set_running_loop(None)

    def run_until_complete(self, future):
        """Runs the loop until `future` (a coroutine is wrapped in a task) is done;
        returns its result or raises its exception."""
        self._check_closed()
        future = ensure_future(future, loop=self)
        future.add_done_callback(_stop_loop_when_done)
        try:
            self.run_forever()
        finally:
            future.remove_done_callback(_stop_loop_when_done)
        if not future.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        return future.result()

    def _run_once(self):
        """One turn: move due timers to the ready queue, sleeping until the first is due
        if nothing is ready, then run what was ready when the turn began."""
        self._collect_threadsafe(self._sleep_time())
        now = self.time()
        while self._scheduled and self._scheduled[0][0] <= now:
            handle = heapq.heappop(self._scheduled)[2]
            if not handle._cancelled:
                self._ready.append(handle)
        # Callbacks scheduled by these run in the next turn.
        for _ in range(len(self._ready)):
            handle = self._ready.popleft()
            if not handle._cancelled:
                handle._run()

    def _sleep_time(self):
        """How long the loop may wait for other threads: 0 with work ready, until the first
        timer, or without limit (None) when it has nothing to do but wait for them."""
        if self._ready or self._stopping:
            return 0
        while self._scheduled and self._scheduled[0][2]._cancelled:
            heapq.heappop(self._scheduled)
        if self._scheduled:
            return max(0, self._scheduled[0][0] - self.time())
        return None

    def _collect_threadsafe(self, timeout):
        with self._wakeup:
            if not self._threadsafe and timeout != 0:
                self._wakeup.wait(timeout)
            handed_over = self._threadsafe
            self._threadsafe = []
        self._ready.extend(handed_over)

    def run_in_executor(self, executor, func, *args):
        """Runs func(*args) on a thread pool; returns a future of its result."""
        self._check_closed()
        if executor is None:
            if self._executor is None:
                import concurrent.futures
                self._executor = concurrent.futures.ThreadPoolExecutor()
            executor = self._executor
        return wrap_future(executor.submit(func, *args), loop=self)

    def set_exception_handler(self, handler):
        self._exception_handler = handler

    def get_exception_handler(self):
        return self._exception_handler

    def default_exception_handler(self, context):
        message = context.get("message") or "Unhandled exception in event loop"
        print(message, file=sys.stderr)
        error = context.get("exception")
        if error is not None:
            print(f"{type(error).__name__}: {error}", file=sys.stderr)

    def call_exception_handler(self, context):
        if self._exception_handler is None:
            self.default_exception_handler(context)
        else:
            self._exception_handler(self, context)

    async def shutdown_asyncgens(self):
        pass

    async def shutdown_default_executor(self):
        if self._executor is not None:
            executor = self._executor
            self._executor = None
            await to_thread(executor.shutdown, True)


def _stop_loop_when_done(future):
    future.get_loop().stop()


def wrap_future(concurrent_future, *, loop=None):
    """A Future of `loop` that follows a concurrent.futures.Future from another thread."""
    if isfuture(concurrent_future):
        return concurrent_future
    loop = loop if loop is not None else get_event_loop()
    future = loop.create_future()

    def copy_state(done):
        if future.done():
            return
        if done.cancelled():
            future.cancel()
        elif done.exception() is not None:
            future.set_exception(done.exception())
        else:
            future.set_result(done.result())

    concurrent_future.add_done_callback(lambda done: loop.call_soon_threadsafe(copy_state, done))
    return future


# ---------------------------------------------------------------------------------------
# The running loop of each thread

_thread_loops = threading.local()


def _get_running_loop():
    return getattr(_thread_loops, "running", None)


def _set_running_loop(loop):
    _thread_loops.running = loop


def get_running_loop():
    """The loop running in this thread; RuntimeError outside a coroutine or callback."""
    loop = _get_running_loop()
    if loop is None:
        raise RuntimeError("no running event loop")
    return loop


def get_event_loop():
    """The running loop, or this thread's current one (created on first use)."""
    loop = _get_running_loop()
    if loop is not None:
        return loop
    loop = getattr(_thread_loops, "current", None)
    if loop is None or loop.is_closed():
        loop = new_event_loop()
        _thread_loops.current = loop
    return loop


def set_event_loop(loop):
    _thread_loops.current = loop


def new_event_loop():
    return EventLoop()


def run(main, *, debug=None):
    """Runs the coroutine `main` on a new event loop and returns its result. Tasks still
    pending when it returns are cancelled; the loop is closed."""
    if _get_running_loop() is not None:
        raise RuntimeError("asyncio.run() cannot be called from a running event loop")
    if not iscoroutine(main):
        raise ValueError(f"a coroutine was expected, got {main!r}")
    loop = new_event_loop()
    try:
        set_event_loop(loop)
        return loop.run_until_complete(main)
    finally:
        try:
            _cancel_all_tasks(loop)
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            set_event_loop(None)
            loop.close()


def _cancel_all_tasks(loop):
    pending = [task for task in loop._tasks if not task.done()]
    if not pending:
        return
    for task in pending:
        task.cancel()
    loop.run_until_complete(gather(*pending, return_exceptions=True))
    for task in pending:
        if not task.cancelled() and task.exception() is not None:
            loop.call_exception_handler({
                "message": "unhandled exception during asyncio.run() shutdown",
                "exception": task.exception(),
                "task": task,
            })


def current_task(loop=None):
    """The task running now, or None in a plain callback."""
    loop = loop if loop is not None else get_running_loop()
    return loop._current_task


def all_tasks(loop=None):
    """The loop's tasks that are not done yet."""
    loop = loop if loop is not None else get_running_loop()
    return {task for task in loop._tasks if not task.done()}


def create_task(coro, *, name=None, context=None):
    """Schedules the coroutine on the running loop; returns its Task."""
    return get_running_loop().create_task(coro, name=name)


def ensure_future(obj, *, loop=None):
    """A future for obj: obj itself if it is one, else a Task running the coroutine."""
    if isfuture(obj):
        return obj
    if iscoroutine(obj):
        loop = loop if loop is not None else get_event_loop()
        return loop.create_task(obj)
    if hasattr(obj, "__await__"):
        return ensure_future(_await_any(obj), loop=loop)
    raise TypeError("An asyncio.Future, a coroutine or an awaitable is required")


async def _await_any(awaitable):
    return await awaitable


# ---------------------------------------------------------------------------------------
# Waiting

async def sleep(delay, result=None):
    """Suspends the calling task for `delay` seconds; returns `result`."""
    if delay <= 0:
        await _Yield()
        return result
    loop = get_running_loop()
    future = loop.create_future()
    handle = loop.call_later(delay, _set_result_unless_cancelled, future, result)
    try:
        return await future
    finally:
        handle.cancel()


def _set_result_unless_cancelled(future, result):
    if not future.cancelled():
        future.set_result(result)


def _release_waiter(waiter):
    """Wakes a task waiting on `waiter` for whichever of several events comes first."""
    if not waiter.done():
        waiter.set_result(None)


class _GatheringFuture(Future):
    """gather()'s future: cancelling it cancels the children."""

    def __init__(self, children, *, loop):
        super().__init__(loop=loop)
        self._children = children

    def cancel(self, msg=None):
        if self.done():
            return False
        cancelled_any = False
        for child in self._children:
            if child.cancel(msg):
                cancelled_any = True
        return cancelled_any


def gather(*aws, return_exceptions=False):
    """A future of the results of all awaitables, in order. The first exception is
    passed on at once, unless return_exceptions puts exceptions among the results."""
    if not aws:
        future = get_event_loop().create_future()
        future.set_result([])
        return future
    loop = None
    children = []
    unique = {}
    for aw in aws:
        key = id(aw)
        if key not in unique:
            unique[key] = ensure_future(aw, loop=loop)
            loop = unique[key].get_loop()
        children.append(unique[key])
    outer = _GatheringFuture(children, loop=loop)
    finished = [0]

    def child_done(child):
        finished[0] += 1
        if outer.done():
            return
        if not return_exceptions:
            if child.cancelled():
                outer.set_exception(child._make_cancelled_error())
                return
            if child.exception() is not None:
                outer.set_exception(child.exception())
                return
        if finished[0] < len(unique):
            return
        results = []
        for fut in children:
            if fut.cancelled():
                if not return_exceptions:
                    outer.set_exception(fut._make_cancelled_error())
                    return
                results.append(fut._make_cancelled_error())
            elif fut.exception() is not None:
                results.append(fut.exception())
            else:
                results.append(fut.result())
        outer.set_result(results)

    for child in unique.values():
        child.add_done_callback(child_done)
    return outer


async def wait_for(aw, timeout):
    """Awaits aw for at most `timeout` seconds (None: no limit); on timeout cancels it and
    raises TimeoutError."""
    loop = get_running_loop()
    if timeout is None:
        return await aw
    inner = ensure_future(aw, loop=loop)
    if timeout <= 0:
        if inner.done():
            return inner.result()
        inner.cancel()
        await _wait_quietly(inner)
        raise TimeoutError()
    waiter = loop.create_future()
    timer = loop.call_later(timeout, _release_waiter, waiter)
    inner.add_done_callback(lambda _: _release_waiter(waiter))
    try:
        await waiter
    except CancelledError:
        # wait_for itself was cancelled: cancel what it waits for too.
        inner.cancel()
        raise
    finally:
        timer.cancel()
    if inner.done():
        return inner.result()
    inner.cancel()
    await _wait_quietly(inner)
    raise TimeoutError()


async def _wait_quietly(future):
    """Waits until a cancelled future is really done, ignoring how it ended."""
    if future.done():
        return
    waiter = future.get_loop().create_future()
    future.add_done_callback(lambda _: _release_waiter(waiter))
    await waiter


async def wait(aws, *, timeout=None, return_when=ALL_COMPLETED):
    """Waits for the futures and tasks in `aws`; returns the sets (done, pending)."""
    if isfuture(aws) or iscoroutine(aws):
        raise TypeError("expect a list of futures, not " + type(aws).__name__)
    aws = set(aws)
    if not aws:
        raise ValueError("Set of Tasks/Futures is empty.")
    if return_when not in (FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED):
        raise ValueError(f"Invalid return_when value: {return_when}")
    loop = get_running_loop()
    futures = {ensure_future(aw, loop=loop) for aw in aws}
    waiter = loop.create_future()
    timer = None
    if timeout is not None:
        timer = loop.call_later(timeout, _release_waiter, waiter)

    def satisfied():
        done = [f for f in futures if f.done()]
        if len(done) == len(futures):
            return True
        if return_when == FIRST_COMPLETED:
            return bool(done)
        if return_when == FIRST_EXCEPTION:
            return any(not f.cancelled() and f.exception() is not None for f in done)
        return False

    def on_done(future):
        if satisfied():
            _release_waiter(waiter)

    for future in futures:
        future.add_done_callback(on_done)
    try:
        if not satisfied():
            await waiter
    finally:
        if timer is not None:
            timer.cancel()
        for future in futures:
            future.remove_done_callback(on_done)
    done = {f for f in futures if f.done()}
    return done, futures - done


def as_completed(aws, *, timeout=None):
    """An iterator of coroutines that return the results in the order they finish."""
    loop = get_event_loop()
    todo = {ensure_future(aw, loop=loop) for aw in set(aws)}
    finished = Queue()
    timer = [None]

    def on_done(future):
        if future in todo:
            todo.discard(future)
            finished.put_nowait(future)
            if not todo and timer[0] is not None:
                timer[0].cancel()

    def on_timeout():
        for future in list(todo):
            future.remove_done_callback(on_done)
            finished.put_nowait(None)
        todo.clear()

    for future in todo:
        future.add_done_callback(on_done)
    if todo and timeout is not None:
        timer[0] = loop.call_later(timeout, on_timeout)

    async def next_result():
        future = await finished.get()
        if future is None:
            raise TimeoutError()
        return future.result()

    for _ in range(len(todo)):
        yield next_result()


def shield(aw):
    """A future that follows aw but whose cancellation does not cancel aw."""
    inner = ensure_future(aw)
    if inner.done():
        return inner
    outer = inner.get_loop().create_future()

    def copy_state(done):
        if outer.cancelled():
            return
        if done.cancelled():
            outer.cancel()
        elif done.exception() is not None:
            outer.set_exception(done.exception())
        else:
            outer.set_result(done.result())

    inner.add_done_callback(copy_state)
    return outer


async def to_thread(func, *args, **kwargs):
    """Runs func(*args, **kwargs) on another thread and awaits its result, so a blocking
    call does not stop the loop. Free-threaded, the call runs in parallel with the loop."""
    loop = get_running_loop()
    return await loop.run_in_executor(None, lambda: func(*args, **kwargs))


# ---------------------------------------------------------------------------------------
# Synchronisation between tasks of one loop (not thread-safe, as in CPython)

class QueueEmpty(Exception):
    """get_nowait() on an empty queue."""


class QueueFull(Exception):
    """put_nowait() on a full queue."""


def _wake_first(waiters):
    """Wakes the first waiter still waiting, if any."""
    while waiters:
        waiter = waiters.popleft()
        if not waiter.done():
            waiter.set_result(None)
            return


class Queue:
    """A first-in first-out queue for tasks; maxsize 0 means unbounded."""

    def __init__(self, maxsize=0):
        self._maxsize = maxsize
        self._items = collections.deque()
        self._getters = collections.deque()
        self._putters = collections.deque()
        self._unfinished_tasks = 0
        self._finished = Event()
        self._finished.set()

    def __repr__(self):
        return f"<Queue maxsize={self._maxsize} qsize={len(self._items)}>"

    @property
    def maxsize(self):
        return self._maxsize

    def qsize(self):
        return len(self._items)

    def empty(self):
        return not self._items

    def full(self):
        return 0 < self._maxsize <= len(self._items)

    async def put(self, item):
        while self.full():
            putter = get_running_loop().create_future()
            self._putters.append(putter)
            try:
                await putter
            except BaseException:
                putter.cancel()
                if not self.full() and not putter.cancelled():
                    _wake_first(self._putters)
                raise
        self.put_nowait(item)

    def put_nowait(self, item):
        if self.full():
            raise QueueFull
        self._items.append(item)
        self._unfinished_tasks += 1
        self._finished.clear()
        _wake_first(self._getters)

    async def get(self):
        while self.empty():
            getter = get_running_loop().create_future()
            self._getters.append(getter)
            try:
                await getter
            except BaseException:
                getter.cancel()
                if not self.empty() and not getter.cancelled():
                    _wake_first(self._getters)
                raise
        return self.get_nowait()

    def get_nowait(self):
        if self.empty():
            raise QueueEmpty
        item = self._items.popleft()
        _wake_first(self._putters)
        return item

    def task_done(self):
        if self._unfinished_tasks <= 0:
            raise ValueError("task_done() called too many times")
        self._unfinished_tasks -= 1
        if self._unfinished_tasks == 0:
            self._finished.set()

    async def join(self):
        if self._unfinished_tasks > 0:
            await self._finished.wait()


class Event:
    """A flag that tasks can wait for."""

    def __init__(self):
        self._waiters = collections.deque()
        self._value = False

    def __repr__(self):
        return f"<Event [{'set' if self._value else 'unset'}]>"

    def is_set(self):
        return self._value

    def set(self):
        if not self._value:
            self._value = True
            for waiter in self._waiters:
                if not waiter.done():
                    waiter.set_result(True)

    def clear(self):
        self._value = False

    async def wait(self):
        if self._value:
            return True
        waiter = get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
            return True
        finally:
            self._waiters.remove(waiter)


class Lock:
    """A lock for tasks: `async with lock:` holds it across awaits."""

    def __init__(self):
        self._waiters = collections.deque()
        self._locked = False

    def __repr__(self):
        return f"<Lock [{'locked' if self._locked else 'unlocked'}]>"

    def locked(self):
        return self._locked

    async def acquire(self):
        if not self._locked and not any(not w.cancelled() for w in self._waiters):
            self._locked = True
            return True
        waiter = get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            try:
                await waiter
            finally:
                self._waiters.remove(waiter)
        except CancelledError:
            if not self._locked:
                _wake_first(self._waiters)
            raise
        self._locked = True
        return True

    def release(self):
        if not self._locked:
            raise RuntimeError("Lock is not acquired.")
        self._locked = False
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(True)
                break

    async def __aenter__(self):
        await self.acquire()
        return None

    async def __aexit__(self, exc_type, exc, tb):
        self.release()


class Semaphore:
    """Lets at most `value` tasks in at once."""

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("Semaphore initial value must be >= 0")
        self._value = value
        self._waiters = collections.deque()

    def __repr__(self):
        return f"<Semaphore [value={self._value}]>"

    def locked(self):
        return self._value == 0

    async def acquire(self):
        while self._value <= 0:
            waiter = get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
        self._value -= 1
        return True

    def release(self):
        self._value += 1
        _wake_first(self._waiters)

    async def __aenter__(self):
        await self.acquire()
        return None

    async def __aexit__(self, exc_type, exc, tb):
        self.release()
