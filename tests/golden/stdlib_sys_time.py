# sys and time: interpreter facts, limits, exit, exc_info, clocks and time formatting.
import sys
import time

print(sys.version_info[0], sys.version_info >= (3, 11), sys.version_info.major, len(sys.version_info))
print(type(sys.version).__name__, sys.version[:2], type(sys.hexversion).__name__, sys.hexversion > 0x030B0000)
print(sys.platform, sys.byteorder, sys.maxsize, sys.maxsize == 2**63 - 1, sys.maxunicode)
print(type(sys.argv).__name__, sys.argv[0].endswith("stdlib_sys_time.py"), type(sys.path).__name__)
print(sys.modules["sys"] is sys, "time" in sys.modules, type(sys.implementation.name).__name__)
print(sys.float_info.max, sys.float_info.epsilon, sys.float_info.dig, sys.float_info.mant_dig)
print(sys.flags.optimize, sys.getdefaultencoding(), sys.stdout is sys.__stdout__, sys.stdin.readable())
print(sys.stdout.writable(), sys.stderr.writable(), sys.stdout.name, sys.stderr.name, sys.stdin.name)

old = sys.getrecursionlimit()
sys.setrecursionlimit(500)
print(sys.getrecursionlimit())
sys.setrecursionlimit(old)
for bad in [0, -5]:
    try:
        sys.setrecursionlimit(bad)
    except ValueError as e:
        print("ValueError:", e)

print(sys.exc_info())
try:
    raise KeyError("k")
except KeyError:
    info = sys.exc_info()
    print(info[0].__name__, repr(info[1]), sys.exception() is info[1])
print(sys.exc_info(), sys.exception())

for code in [None, 0, 3, "message"]:
    try:
        if code is None:
            sys.exit()
        sys.exit(code)
    except SystemExit as e:
        print("SystemExit", repr(e.code), e.args)

print(sys.intern("hello") == "hello", sys.getsizeof(1) > 0, sys.getrefcount(None) > 1)
try:
    sys.intern(5)
except TypeError as e:
    print("TypeError:", e)

t0 = time.monotonic()
p0 = time.perf_counter()
time.sleep(0.01)
time.sleep(0)
print(time.monotonic() > t0, time.perf_counter() - p0 >= 0.009, type(time.time()).__name__, time.time() > 1.6e9)
print(type(time.time_ns()).__name__, time.monotonic_ns() > 0, time.process_time() >= 0, type(time.perf_counter_ns()).__name__)
for bad in [-1, float("nan"), "1"]:
    try:
        time.sleep(bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__ + ":", e)

epoch = time.gmtime(0)
print(epoch)
print(epoch.tm_year, epoch[0], epoch.tm_wday, epoch.tm_yday, len(epoch), tuple(epoch)[:3])
t = time.gmtime(1700000000)
print(time.strftime("%Y-%m-%d %H:%M:%S", t), time.strftime("%a %b %d %j", t), time.asctime(t))
print(time.strftime("%%", t), time.strftime("", t), time.strftime("%Y", (2020, 1, 1, 0, 0, 0, 0, 1, 0)))
local = time.localtime()
print(type(local).__name__, local.tm_year >= 2024, isinstance(local, tuple))
roundtrip = time.mktime(time.localtime(1700000000))
print(roundtrip)
print(time.ctime(0) == time.asctime(time.localtime(0)))
try:
    time.strftime("%Y", (1, 2))
except TypeError as e:
    print("TypeError:", e)
