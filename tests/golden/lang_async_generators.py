# Async generators (PEP 525): async for, asend, athrow, aclose, async generator
# expressions and their errors; checked against CPython.
import asyncio

async def ticker(n, delay=0):
    try:
        for i in range(n):
            await asyncio.sleep(delay)
            yield i
    finally:
        print("ticker finally")

async def echo():
    received = yield "ready"
    while True:
        try:
            received = yield f"got {received}"
        except ValueError as e:
            received = yield f"caught {e}"

async def main():
    async for x in ticker(3):
        print("x", x)
    print([x async for x in ticker(4) if x % 2])
    g = ticker(5)
    print(type(g).__name__, g.__name__)
    print(await g.__anext__(), await g.__anext__())
    await g.aclose()
    print("closed")
    try:
        await g.__anext__()
    except StopAsyncIteration:
        print("exhausted after close")
    e = echo()
    print(await e.asend(None))
    print(await e.asend(1))
    print(await e.athrow(ValueError("v")))
    print(await e.asend(2))
    await e.aclose()
    async def raises_stop():
        yield 1
        raise StopAsyncIteration
    try:
        async for _ in raises_stop():
            pass
    except RuntimeError as err:
        print("RuntimeError:", err)
    async def ignores_exit():
        try:
            yield 1
        except GeneratorExit:
            pass
        yield 2
    ig = ignores_exit()
    await ig.__anext__()
    try:
        await ig.aclose()
    except RuntimeError as err:
        print("RuntimeError:", err)
    gen = (x * 2 async for x in ticker(3))
    print(type(gen).__name__, [y async for y in gen])
    anext_obj = ticker(1).__anext__()
    print(type(anext_obj).__name__)
    try:
        for _ in ticker(1):
            pass
    except TypeError as err:
        print("TypeError:", err)
    async def early_return():
        yield 1
        return
    print([v async for v in early_return()])
    async def stop_iter():
        yield 1
        raise StopIteration
    try:
        async for _ in stop_iter():
            pass
    except RuntimeError as err:
        print("RuntimeError:", err)

asyncio.run(main())
