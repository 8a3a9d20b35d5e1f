# async with, async for, async comprehensions and awaits inside comprehensions, with
# their error messages; checked against CPython.
import asyncio

class CM:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    async def __aenter__(self):
        await asyncio.sleep(0)
        print("enter", self.name)
        return self.name.upper()
    async def __aexit__(self, exc_type, exc, tb):
        await asyncio.sleep(0)
        print("exit", self.name, exc_type.__name__ if exc_type else None)
        return self.suppress

class Ticker:
    def __init__(self, n):
        self.n = n
        self.i = 0
    def __aiter__(self):
        return self
    async def __anext__(self):
        await asyncio.sleep(0)
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        return self.i

async def fetch(x):
    await asyncio.sleep(0)
    return x * 10

async def main():
    async with CM("a") as a, CM("b") as b:
        print("body", a, b)
    async with CM("s", suppress=True):
        raise ValueError("suppressed")
    try:
        async with CM("r"):
            raise KeyError("k")
    except KeyError as e:
        print("propagated", repr(e))
    for i in range(3):
        async with CM(f"loop{i}"):
            if i == 1:
                continue
            if i == 2:
                break
    async def returns():
        async with CM("ret"):
            return "returned"
    print(await returns())
    async for n in Ticker(3):
        print("tick", n)
    else:
        print("for else")
    async for n in Ticker(5):
        if n == 2:
            continue
        if n == 4:
            break
        print("tick2", n)
    print([n async for n in Ticker(4) if n % 2 == 0])
    print({n: n * n async for n in Ticker(3)})
    print({n async for n in Ticker(3)})
    print([await fetch(x) for x in range(3)])
    print([(a, b) async for a in Ticker(2) for b in range(2)])
    print([(a, b) for a in range(2) async for b in Ticker(2)])
    try:
        async for x in 5:
            pass
    except TypeError as e:
        print("TypeError:", e)
    try:
        async with 5:
            pass
    except TypeError as e:
        print("TypeError:", e)
    try:
        await 5
    except TypeError as e:
        print("TypeError:", e)
    class BadNext:
        def __aiter__(self): return self
        async def __anext__(self): raise IndexError("from anext")
    try:
        async for x in BadNext():
            pass
    except IndexError as e:
        print("IndexError:", e)
    lock = asyncio.Lock()
    async def critical(name, log):
        async with lock:
            log.append(name + " in")
            await asyncio.sleep(0)
            log.append(name + " out")
    log = []
    await asyncio.gather(critical("p", log), critical("q", log))
    print(log)

asyncio.run(main())
