# asyncio: tasks, futures, sleep, gather, cancellation, timeouts, queues, events, locks,
# semaphores and to_thread. Orders depend on the loop's rules, not on timing races.
import asyncio
import threading

log = []


async def worker(name, delay, result=None):
    log.append(f"{name} start")
    await asyncio.sleep(delay)
    log.append(f"{name} end")
    return result if result is not None else name


async def fails(message):
    await asyncio.sleep(0)
    raise ValueError(message)


async def basics():
    # Tasks start in creation order at the next turn; sleep(0) lets the others run.
    t1 = asyncio.create_task(worker("one", 0.02))
    t2 = asyncio.create_task(worker("two", 0))
    print("created, done:", t1.done(), t2.done())
    await asyncio.sleep(0)
    print("after one turn:", log)
    print("results:", await t1, await t2)
    print("names:", t1.get_name().startswith("Task-"), asyncio.current_task().get_name() != t1.get_name())
    log.clear()

    # gather keeps argument order, whatever the finishing order.
    print("gather:", await asyncio.gather(worker("a", 0.03), worker("b", 0), worker("c", 0.01)))
    print("gather empty:", await asyncio.gather())
    print("gather errors:", await asyncio.gather(fails("bad"), worker("d", 0), return_exceptions=True))
    try:
        await asyncio.gather(fails("first"), worker("e", 0))
    except ValueError as e:
        print("gather raised:", e)
    log.clear()


async def cancellation():
    started = asyncio.Event()

    async def sleeper():
        started.set()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            print("sleeper saw CancelledError")
            raise

    task = asyncio.create_task(sleeper())
    await started.wait()
    print("cancel:", task.cancel())
    try:
        await task
    except asyncio.CancelledError:
        print("awaiting raised CancelledError")
    print("cancelled:", task.cancelled(), "done:", task.done(), "cancel again:", task.cancel())
    print("is BaseException:", issubclass(asyncio.CancelledError, BaseException),
          issubclass(asyncio.CancelledError, Exception))

    # A task cancelled before it ever ran.
    task = asyncio.create_task(worker("never", 0))
    task.cancel()
    await asyncio.sleep(0)
    print("cancelled before start:", task.cancelled(), log)

    # wait_for cancels what it waited for.
    slow = asyncio.create_task(asyncio.sleep(10))
    try:
        await asyncio.wait_for(slow, 0.01)
    except asyncio.TimeoutError:
        print("wait_for timed out; inner cancelled:", slow.cancelled())
    print("wait_for in time:", await asyncio.wait_for(worker("quick", 0), 5))
    print("TimeoutError is builtin:", asyncio.TimeoutError is TimeoutError)
    log.clear()

    # shield: cancelling the outer future leaves the inner task running.
    inner = asyncio.create_task(worker("shielded", 0.01))
    outer = asyncio.shield(inner)
    outer.cancel()
    print("shield inner result:", await inner, "outer cancelled:", outer.cancelled())
    log.clear()


async def waiting():
    fast = asyncio.create_task(worker("fast", 0))
    slow = asyncio.create_task(worker("slow", 10))
    done, pending = await asyncio.wait([fast, slow], return_when=asyncio.FIRST_COMPLETED)
    print("wait first:", [t.result() for t in done], len(pending))
    slow.cancel()
    done, pending = await asyncio.wait([slow])
    print("wait all:", len(done), len(pending), slow.cancelled())
    order = []
    for next_done in asyncio.as_completed([worker("x", 0.1), worker("y", 0), worker("z", 0.01)]):
        order.append(await next_done)
    print("as_completed:", order)
    log.clear()


async def futures():
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    print("future:", future.done(), repr(future))
    loop.call_soon(future.set_result, 42)
    print("awaited future:", await future, repr(future))
    try:
        future.set_result(1)
    except asyncio.InvalidStateError:
        print("set twice: InvalidStateError")
    pending = loop.create_future()
    try:
        pending.result()
    except asyncio.InvalidStateError as e:
        print("early result:", e)
    failed = loop.create_future()
    failed.set_exception(KeyError("k"))
    try:
        await failed
    except KeyError as e:
        print("future exception:", repr(e), repr(failed.exception()))
    calls = []
    loop.call_later(0.02, calls.append, "later")
    loop.call_soon(calls.append, "soon")
    handle = loop.call_soon(calls.append, "cancelled")
    handle.cancel()
    done = loop.create_future()
    done.add_done_callback(lambda f: calls.append(f"callback {f.result()}"))
    done.set_result("ok")
    await asyncio.sleep(0.05)
    print("callbacks:", calls)
    print("isfuture:", asyncio.isfuture(done), asyncio.isfuture(42),
          "iscoroutinefunction:", asyncio.iscoroutinefunction(worker), asyncio.iscoroutinefunction(print))
    coro = worker("w", 0)
    print("iscoroutine:", asyncio.iscoroutine(coro))
    print("ensure_future:", await asyncio.ensure_future(coro))
    log.clear()


async def synchronisation():
    queue = asyncio.Queue(maxsize=2)
    consumed = []

    async def producer():
        for i in range(5):
            await queue.put(i)
        await queue.put(None)

    async def consumer():
        while True:
            item = await queue.get()
            queue.task_done()
            if item is None:
                return
            consumed.append(item)

    await asyncio.gather(producer(), consumer())
    await queue.join()
    print("queue:", consumed, queue.empty(), queue.qsize())
    try:
        queue.get_nowait()
    except asyncio.QueueEmpty:
        print("get_nowait: QueueEmpty")
    queue.put_nowait(1)
    queue.put_nowait(2)
    try:
        queue.put_nowait(3)
    except asyncio.QueueFull:
        print("put_nowait: QueueFull", queue.full())

    lock = asyncio.Lock()
    inside = []

    async def critical(name):
        await lock.acquire()
        try:
            inside.append(f"{name} in")
            await asyncio.sleep(0)
            inside.append(f"{name} out")
        finally:
            lock.release()

    await asyncio.gather(critical("p"), critical("q"))
    print("lock:", inside, lock.locked())

    semaphore = asyncio.Semaphore(2)
    active = [0, 0]

    async def limited():
        await semaphore.acquire()
        try:
            active[0] += 1
            active[1] = max(active[1], active[0])
            await asyncio.sleep(0.01)
            active[0] -= 1
        finally:
            semaphore.release()

    await asyncio.gather(*[limited() for _ in range(5)])
    print("semaphore peak:", active[1])

    event = asyncio.Event()

    async def waiter(name):
        await event.wait()
        return name

    waiters = [asyncio.create_task(waiter(n)) for n in ("w1", "w2")]
    await asyncio.sleep(0)
    print("event:", event.is_set(), [w.done() for w in waiters])
    event.set()
    print("event results:", await asyncio.gather(*waiters))


def blocking(x):
    return x * 2, threading.current_thread() is not threading.main_thread()


async def threads():
    print("to_thread:", await asyncio.to_thread(blocking, 21))
    loop = asyncio.get_running_loop()
    print("run_in_executor:", await loop.run_in_executor(None, blocking, 5))
    future = loop.create_future()
    threading.Thread(target=lambda: loop.call_soon_threadsafe(future.set_result, "from thread")).start()
    print("call_soon_threadsafe:", await future)


async def main():
    await basics()
    await cancellation()
    await waiting()
    await futures()
    await synchronisation()
    await threads()
    return "main done"


print(asyncio.run(main()))

try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print("outside:", e)
try:
    asyncio.run(42)
except ValueError as e:
    print("run(42):", e)


async def nested():
    coro = main()
    try:
        asyncio.run(coro)
    except RuntimeError as e:
        print("nested run:", e)
    coro.close()

asyncio.run(nested())


async def raises():
    await asyncio.sleep(0)
    raise KeyError("boom")

try:
    asyncio.run(raises())
except KeyError as e:
    print("run raised:", repr(e))


async def leaves_task():
    async def forever():
        try:
            await asyncio.sleep(10)
        finally:
            print("leftover task cancelled at shutdown")
    asyncio.create_task(forever())
    await asyncio.sleep(0)
    return "returned"

print(asyncio.run(leaves_task()))

loop = asyncio.new_event_loop()
print("run_until_complete:", loop.run_until_complete(worker("loop", 0)))
loop.close()
print("closed:", loop.is_closed())
