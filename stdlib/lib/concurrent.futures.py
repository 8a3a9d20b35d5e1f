"""concurrent.futures: Future objects and a thread pool that runs calls asynchronously.

Locking: a Future's state, result, waiters and callbacks are guarded by its _condition.
wait() and as_completed() install a _Waiter on every future they watch; a future that
finishes reports itself to its waiters while holding its condition. Code that needs the
conditions of several futures takes them in id() order (_AcquireFutures), so two such
callers cannot deadlock.

minivm differences from CPython: there is no ProcessPoolExecutor, and worker threads of
an executor that is dropped without shutdown() stay idle until the interpreter exits
(CPython notices the lost executor through a weak reference).
"""

import os
import queue
import sys
import threading
import time
import _thread
from collections import namedtuple

__all__ = ("FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED", "CancelledError",
           "TimeoutError", "BrokenExecutor", "Future", "Executor", "wait", "as_completed",
           "ThreadPoolExecutor", "InterpreterPoolExecutor")

FIRST_COMPLETED = "FIRST_COMPLETED"
FIRST_EXCEPTION = "FIRST_EXCEPTION"
ALL_COMPLETED = "ALL_COMPLETED"
_AS_COMPLETED = "_AS_COMPLETED"

# Future states. CANCELLED_AND_NOTIFIED: cancelled, and the executor has told the waiters.
PENDING = "PENDING"
RUNNING = "RUNNING"
CANCELLED = "CANCELLED"
CANCELLED_AND_NOTIFIED = "CANCELLED_AND_NOTIFIED"
FINISHED = "FINISHED"

_DONE_STATES = (CANCELLED_AND_NOTIFIED, FINISHED)
_CANCELLED_STATES = (CANCELLED, CANCELLED_AND_NOTIFIED)

_STATE_TO_DESCRIPTION_MAP = {
    PENDING: "pending",
    RUNNING: "running",
    CANCELLED: "cancelled",
    CANCELLED_AND_NOTIFIED: "cancelled",
    FINISHED: "finished",
}


def _log_exception(message, exc):
    # What CPython's "concurrent.futures" logger prints with no logging configured.
    text = _thread._format_exception(exc)
    if not text.endswith("\n"):
        text += "\n"
    sys.stderr.write(message + "\n" + text)
    sys.stderr.flush()


class Error(Exception):
    """Base class for all future-related exceptions."""
    __module__ = "concurrent.futures._base"


class CancelledError(Error):
    """The Future was cancelled."""
    __module__ = "concurrent.futures._base"


TimeoutError = TimeoutError


class InvalidStateError(Error):
    """The operation is not allowed in this state."""
    __module__ = "concurrent.futures._base"


class BrokenExecutor(RuntimeError):
    """Raised when an executor has become non-functional after a severe failure."""
    __module__ = "concurrent.futures._base"


class BrokenThreadPool(BrokenExecutor):
    """Raised when a worker thread in a ThreadPoolExecutor failed initializing."""
    __module__ = "concurrent.futures.thread"


################################################################################
### Waiters: how wait() and as_completed() learn that futures finished
################################################################################

class _Waiter:
    """Collects the futures that finish and sets event when its caller should wake up."""

    def __init__(self):
        self.event = threading.Event()
        self.finished_futures = []

    def add_result(self, future):
        self.finished_futures.append(future)

    def add_exception(self, future):
        self.finished_futures.append(future)

    def add_cancelled(self, future):
        self.finished_futures.append(future)


class _AsCompletedWaiter(_Waiter):
    # Wakes as_completed() on every finished future. The lock guards finished_futures,
    # which as_completed() swaps out while futures keep finishing.

    def __init__(self):
        _Waiter.__init__(self)
        self.lock = threading.Lock()

    def add_result(self, future):
        with self.lock:
            _Waiter.add_result(self, future)
            self.event.set()

    def add_exception(self, future):
        with self.lock:
            _Waiter.add_exception(self, future)
            self.event.set()

    def add_cancelled(self, future):
        with self.lock:
            _Waiter.add_cancelled(self, future)
            self.event.set()


class _FirstCompletedWaiter(_Waiter):
    # Wakes wait(return_when=FIRST_COMPLETED) on the first finished future.

    def add_result(self, future):
        _Waiter.add_result(self, future)
        self.event.set()

    def add_exception(self, future):
        _Waiter.add_exception(self, future)
        self.event.set()

    def add_cancelled(self, future):
        _Waiter.add_cancelled(self, future)
        self.event.set()


class _AllCompletedWaiter(_Waiter):
    # Wakes wait() when every pending future has finished, or (FIRST_EXCEPTION) when
    # one has raised.

    def __init__(self, num_pending_calls, stop_on_exception):
        _Waiter.__init__(self)
        self.num_pending_calls = num_pending_calls
        self.stop_on_exception = stop_on_exception
        self.lock = threading.Lock()

    def _decrement_pending_calls(self):
        with self.lock:
            self.num_pending_calls -= 1
            if not self.num_pending_calls:
                self.event.set()

    def add_result(self, future):
        _Waiter.add_result(self, future)
        self._decrement_pending_calls()

    def add_exception(self, future):
        _Waiter.add_exception(self, future)
        if self.stop_on_exception:
            self.event.set()
        else:
            self._decrement_pending_calls()

    def add_cancelled(self, future):
        _Waiter.add_cancelled(self, future)
        self._decrement_pending_calls()


class _AcquireFutures:
    """Holds the conditions of several futures, taken in a fixed (id) order."""

    def __init__(self, futures):
        self.futures = sorted(futures, key=id)

    def __enter__(self):
        for future in self.futures:
            future._condition.acquire()

    def __exit__(self, *args):
        for future in self.futures:
            future._condition.release()


def _create_and_install_waiters(fs, return_when):
    # Called with the conditions of all of fs held.
    if return_when == _AS_COMPLETED:
        waiter = _AsCompletedWaiter()
    elif return_when == FIRST_COMPLETED:
        waiter = _FirstCompletedWaiter()
    else:
        pending_count = sum(f._state not in _DONE_STATES for f in fs)
        if return_when == FIRST_EXCEPTION:
            waiter = _AllCompletedWaiter(pending_count, stop_on_exception=True)
        elif return_when == ALL_COMPLETED:
            waiter = _AllCompletedWaiter(pending_count, stop_on_exception=False)
        else:
            raise ValueError("Invalid return condition: %r" % return_when)
    for f in fs:
        f._waiters.append(waiter)
    return waiter


def _yield_finished_futures(fs, waiter, ref_collect):
    # Yields the futures of the list fs from its end, first detaching each from the
    # waiter and from every set in ref_collect.
    while fs:
        f = fs[-1]
        for futures_set in ref_collect:
            futures_set.remove(f)
        with f._condition:
            f._waiters.remove(waiter)
        yield fs.pop()


def as_completed(fs, timeout=None):
    """Yield the given futures as they complete (finished or cancelled), each once.

    Raises TimeoutError if they have not all completed after timeout seconds.
    """
    if timeout is not None:
        end_time = timeout + time.monotonic()
    fs = set(fs)
    total_futures = len(fs)
    with _AcquireFutures(fs):
        finished = set(f for f in fs if f._state in _DONE_STATES)
        pending = fs - finished
        waiter = _create_and_install_waiters(fs, _AS_COMPLETED)
    finished = list(finished)
    try:
        yield from _yield_finished_futures(finished, waiter, ref_collect=(fs,))
        while pending:
            if timeout is None:
                wait_timeout = None
            else:
                wait_timeout = end_time - time.monotonic()
                if wait_timeout < 0:
                    raise TimeoutError("%d (of %d) futures unfinished" % (
                        len(pending), total_futures))
            waiter.event.wait(wait_timeout)
            with waiter.lock:
                finished = waiter.finished_futures
                waiter.finished_futures = []
                waiter.event.clear()
            # Reversed, because _yield_finished_futures takes them from the end.
            finished.reverse()
            yield from _yield_finished_futures(finished, waiter, ref_collect=(fs, pending))
    finally:
        # The futures not yielded still carry the waiter.
        for f in fs:
            with f._condition:
                f._waiters.remove(waiter)


DoneAndNotDoneFutures = namedtuple("DoneAndNotDoneFutures", "done not_done")


def wait(fs, timeout=None, return_when=ALL_COMPLETED):
    """Wait for the futures to complete; return the sets (done, not_done).

    return_when is FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED.
    """
    fs = set(fs)
    with _AcquireFutures(fs):
        done = set(f for f in fs if f._state in _DONE_STATES)
        not_done = fs - done
        if return_when == FIRST_COMPLETED and done:
            return DoneAndNotDoneFutures(done, not_done)
        elif return_when == FIRST_EXCEPTION and done:
            if any(f for f in done if not f.cancelled() and f.exception() is not None):
                return DoneAndNotDoneFutures(done, not_done)
        if len(done) == len(fs):
            return DoneAndNotDoneFutures(done, not_done)
        waiter = _create_and_install_waiters(fs, return_when)
    waiter.event.wait(timeout)
    for f in fs:
        with f._condition:
            f._waiters.remove(waiter)
    done.update(waiter.finished_futures)
    return DoneAndNotDoneFutures(done, fs - done)


def _result_or_cancel(future, timeout=None):
    try:
        return future.result(timeout)
    finally:
        future.cancel()


################################################################################
### Future
################################################################################

class Future:
    """The result of an asynchronous computation."""
    __module__ = "concurrent.futures._base"

    def __init__(self):
        """Initializes the future. Should not be called by clients."""
        self._condition = threading.Condition()
        self._state = PENDING
        self._result = None
        self._exception = None
        self._waiters = []
        self._done_callbacks = []

    def _invoke_callbacks(self):
        for callback in self._done_callbacks:
            self._call_callback(callback)

    def _call_callback(self, callback):
        try:
            callback(self)
        except Exception as exc:
            _log_exception(f"exception calling callback for {self!r}", exc)

    def __repr__(self):
        with self._condition:
            description = _STATE_TO_DESCRIPTION_MAP[self._state]
            prefix = f"<{self.__class__.__name__} at {id(self):#x} state={description}"
            if self._state == FINISHED:
                if self._exception:
                    return f"{prefix} raised {self._exception.__class__.__name__}>"
                return f"{prefix} returned {self._result.__class__.__name__}>"
            return prefix + ">"

    def cancel(self):
        """Cancel the future unless it is running or done; return whether it is cancelled."""
        with self._condition:
            if self._state in (RUNNING, FINISHED):
                return False
            if self._state in _CANCELLED_STATES:
                return True
            self._state = CANCELLED
            self._condition.notify_all()
        self._invoke_callbacks()
        return True

    def cancelled(self):
        """Return True if the future was cancelled."""
        with self._condition:
            return self._state in _CANCELLED_STATES

    def running(self):
        """Return True if the future is currently executing."""
        with self._condition:
            return self._state == RUNNING

    def done(self):
        """Return True if the future was cancelled or finished executing."""
        with self._condition:
            return self._state in (CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED)

    def _get_result(self):
        if self._exception:
            raise self._exception
        return self._result

    def add_done_callback(self, fn):
        """Call fn(future) when the future completes, or now if it already has."""
        with self._condition:
            if self._state not in (CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED):
                self._done_callbacks.append(fn)
                return
        self._call_callback(fn)

    def _wait_until_done(self, timeout):
        # Called with the condition held. Raises CancelledError or TimeoutError unless
        # the future finished within timeout seconds.
        if self._state in (PENDING, RUNNING):
            self._condition.wait(timeout)
        if self._state in _CANCELLED_STATES:
            raise CancelledError()
        if self._state != FINISHED:
            raise TimeoutError()

    def result(self, timeout=None):
        """Return the call's result, waiting up to timeout seconds; re-raise its exception.

        Raises CancelledError if the future was cancelled, TimeoutError on timeout.
        """
        with self._condition:
            self._wait_until_done(timeout)
            return self._get_result()

    def exception(self, timeout=None):
        """Return the exception raised by the call (None if it returned), waiting as result()."""
        with self._condition:
            self._wait_until_done(timeout)
            return self._exception

    # The following methods should only be used by executors and in tests.

    def set_running_or_notify_cancel(self):
        """Mark the future as running (return True), or tell waiters it was cancelled (False)."""
        with self._condition:
            if self._state == CANCELLED:
                self._state = CANCELLED_AND_NOTIFIED
                for waiter in self._waiters:
                    waiter.add_cancelled(self)
                # cancel() has notified the condition already.
                return False
            elif self._state == PENDING:
                self._state = RUNNING
                return True
            else:
                raise RuntimeError("Future in unexpected state")

    def _finish(self, result, exception):
        with self._condition:
            if self._state in (CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED):
                raise InvalidStateError(f"{self._state}: {self!r}")
            self._result = result
            self._exception = exception
            self._state = FINISHED
            for waiter in self._waiters:
                if exception is None:
                    waiter.add_result(self)
                else:
                    waiter.add_exception(self)
            self._condition.notify_all()
        self._invoke_callbacks()

    def set_result(self, result):
        """Set the result of the work associated with the future."""
        self._finish(result, None)

    def set_exception(self, exception):
        """Set the exception raised by the work associated with the future."""
        self._finish(None, exception)


################################################################################
### Executors
################################################################################

class Executor:
    """Abstract base class for executors: objects that run calls asynchronously."""
    __module__ = "concurrent.futures._base"

    def submit(self, fn, /, *args, **kwargs):
        """Schedule fn(*args, **kwargs) and return a Future for its result."""
        raise NotImplementedError()

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        """Like map(fn, *iterables), but the calls run concurrently.

        All calls are submitted at once; the results come back in order. An exception
        raised by a call is re-raised when its result is reached.
        """
        if timeout is not None:
            end_time = timeout + time.monotonic()
        fs = [self.submit(fn, *args) for args in zip(*iterables)]

        # A nested generator, so that the calls are submitted before the first next().
        def result_iterator():
            try:
                fs.reverse()
                while fs:
                    if timeout is None:
                        yield _result_or_cancel(fs.pop())
                    else:
                        yield _result_or_cancel(fs.pop(), end_time - time.monotonic())
            finally:
                for future in fs:
                    future.cancel()
        return result_iterator()

    def shutdown(self, wait=True, *, cancel_futures=False):
        """Free the executor's resources; wait=True waits for pending calls to finish."""
        pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.shutdown(wait=True)
        return False


# Worker threads of every ThreadPoolExecutor with their work queues, so that they can be
# stopped at interpreter exit. _global_shutdown_lock guards both globals.
_threads_queues = {}
_shutdown = False
_global_shutdown_lock = threading.Lock()


def _python_exit():
    # Runs from threading._shutdown(), before the non-daemon threads are joined.
    global _shutdown
    with _global_shutdown_lock:
        _shutdown = True
        items = list(_threads_queues.items())
    for t, q in items:
        q.put(None)
    for t, q in items:
        t.join()


threading._register_atexit(_python_exit)

# Numbers the pools whose threads get the default names ThreadPoolExecutor-N_M.
_pool_counter_lock = threading.Lock()
_pool_counter = 0


def _next_pool_number():
    global _pool_counter
    with _pool_counter_lock:
        number = _pool_counter
        _pool_counter += 1
        return number


class _WorkItem:
    # One submitted call and its future.

    def __init__(self, future, fn, args, kwargs):
        self.future = future
        self.fn = fn
        self.args = args
        self.kwargs = kwargs

    def run(self):
        if not self.future.set_running_or_notify_cancel():
            return
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:
            self.future.set_exception(exc)
        else:
            self.future.set_result(result)


def _worker(executor, work_queue, initializer, initargs):
    # A worker thread's loop: runs work items until it takes the None that shutdown()
    # puts in the queue, and passes that None on to the next worker.
    if initializer is not None:
        try:
            initializer(*initargs)
        except BaseException as exc:
            _log_exception("Exception in initializer:", exc)
            executor._initializer_failed()
            return
    try:
        while True:
            work_item = work_queue.get(block=True)
            if work_item is None:
                work_queue.put(None)
                return
            work_item.run()
            work_item = None
            executor._idle_semaphore.release()
    except BaseException as exc:
        _log_exception("Exception in worker", exc)


class ThreadPoolExecutor(Executor):
    """An executor that runs calls in a pool of at most max_workers threads.

    Threads are started on demand, only when no idle worker is available.
    """
    __module__ = "concurrent.futures.thread"

    def __init__(self, max_workers=None, thread_name_prefix="", initializer=None,
                 initargs=()):
        if max_workers is None:
            max_workers = min(32, (os.cpu_count() or 1) + 4)
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._max_workers = max_workers
        self._work_queue = queue.SimpleQueue()
        # Counts the workers waiting for work, so that submit() starts a thread only
        # when none is idle.
        self._idle_semaphore = threading.Semaphore(0)
        self._threads = set()
        self._broken = False
        self._shutdown = False
        self._shutdown_lock = threading.Lock()
        self._thread_name_prefix = (thread_name_prefix or
                                    f"ThreadPoolExecutor-{_next_pool_number()}")
        self._initializer = initializer
        self._initargs = initargs

    def submit(self, fn, /, *args, **kwargs):
        """Schedule fn(*args, **kwargs) and return a Future for its result."""
        with self._shutdown_lock, _global_shutdown_lock:
            if self._broken:
                raise BrokenThreadPool(self._broken)
            if self._shutdown:
                raise RuntimeError("cannot schedule new futures after shutdown")
            if _shutdown:
                raise RuntimeError("cannot schedule new futures after interpreter shutdown")
            f = Future()
            self._work_queue.put(_WorkItem(f, fn, args, kwargs))
            self._adjust_thread_count()
            return f

    def _adjust_thread_count(self):
        # Called with both shutdown locks held.
        if self._idle_semaphore.acquire(timeout=0):
            return
        num_threads = len(self._threads)
        if num_threads < self._max_workers:
            thread_name = f"{self._thread_name_prefix}_{num_threads}"
            t = threading.Thread(name=thread_name, target=_worker,
                                 args=(self, self._work_queue, self._initializer,
                                       self._initargs))
            t.start()
            self._threads.add(t)
            _threads_queues[t] = self._work_queue

    def _initializer_failed(self):
        with self._shutdown_lock:
            self._broken = ("A thread initializer failed, the thread pool "
                            "is not usable anymore")
            # Fail every call still waiting in the queue.
            while True:
                try:
                    work_item = self._work_queue.get_nowait()
                except queue.Empty:
                    break
                if work_item is not None:
                    work_item.future.set_exception(BrokenThreadPool(self._broken))

    def shutdown(self, wait=True, *, cancel_futures=False):
        """Stop accepting calls; wait=True waits for the running and queued ones to finish.

        cancel_futures=True cancels the calls that have not started yet.
        """
        with self._shutdown_lock:
            self._shutdown = True
            if cancel_futures:
                while True:
                    try:
                        work_item = self._work_queue.get_nowait()
                    except queue.Empty:
                        break
                    if work_item is not None:
                        work_item.future.cancel()
            # Wakes one idle worker; each worker passes the None on before exiting.
            self._work_queue.put(None)
        if wait:
            for t in list(self._threads):
                t.join()
        with _global_shutdown_lock:
            for t in self._threads:
                if not t.is_alive():
                    _threads_queues.pop(t, None)


class InterpreterPoolExecutor(ThreadPoolExecutor):
    """A ThreadPoolExecutor whose workers each run calls in an interpreter of their own
    (concurrent.interpreters), so that even with -X gil=1 they run in parallel, as in
    CPython 3.14. Functions, arguments and results must be shareable: plain functions and
    None, bool, int, float, str, bytes and tuples of them."""
    __module__ = "concurrent.futures.interpreter"

    def __init__(self, max_workers=None, thread_name_prefix="", initializer=None,
                 initargs=()):
        if initializer is not None:
            initargs = (initializer, initargs)
            initializer = self._initialize_interpreter
        super().__init__(max_workers,
                         thread_name_prefix or f"InterpreterPoolExecutor-{_next_pool_number()}",
                         initializer, initargs)
        self._interpreters = []            # every worker's interpreter, closed at shutdown
        self._interpreters_lock = threading.Lock()
        self._worker_interpreter = threading.local()

    def _interpreter(self):
        """The calling worker thread's interpreter, created on first use."""
        interp = getattr(self._worker_interpreter, "interp", None)
        if interp is None:
            from concurrent import interpreters
            interp = interpreters.create()
            self._worker_interpreter.interp = interp
            with self._interpreters_lock:
                self._interpreters.append(interp)
        return interp

    def _initialize_interpreter(self, initializer, initargs):
        self._interpreter().call(initializer, *initargs)

    def _call_in_interpreter(self, fn, args, kwargs):
        return self._interpreter().call(fn, *args, **kwargs)

    def submit(self, fn, /, *args, **kwargs):
        """Schedule fn(*args, **kwargs) in a worker's interpreter; return its Future."""
        return super().submit(self._call_in_interpreter, fn, args, kwargs)

    def shutdown(self, wait=True, *, cancel_futures=False):
        super().shutdown(wait, cancel_futures=cancel_futures)
        if wait:
            # The workers have exited: nothing runs in their interpreters any more.
            with self._interpreters_lock:
                interpreters, self._interpreters = self._interpreters, []
            for interp in interpreters:
                interp.close()
