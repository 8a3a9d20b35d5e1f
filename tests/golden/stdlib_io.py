# Files from open() (text and binary, all modes) and io.StringIO.
import io
import os

path = f"/tmp/minivm_golden_io_{os.getpid()}.txt"

with open(path, "w") as f:
    print(f.write("first line\n"), f.write("second\n"), f.writable(), f.readable(), f.closed)
    f.writelines(["third\n", "fourth"])
    print(f.name == path, f.mode, f.encoding, type(f).__name__)
print(f.closed)

with open(path) as f:
    print(repr(f.read()))
with open(path) as f:
    print(repr(f.readline()), repr(f.readline(3)), repr(f.readline()), f.readlines())
    print(repr(f.readline()), repr(f.read()))
with open(path) as f:
    print([line.rstrip("\n") for line in f])
with open(path, "r") as f:
    print(repr(f.read(5)), f.tell(), repr(f.read(3)), f.seek(0), repr(f.read(5)))

with open(path, "a") as f:
    f.write("\nappended")
with open(path) as f:
    print(f.read().splitlines())

with open(path, "w", encoding="utf-8") as f:
    f.write("héllo wörld ☃\n")
with open(path, encoding="utf-8") as f:
    text = f.read()
    print(text, len(text))
with open(path, "rb") as f:
    data = f.read()
    print(data, len(data), type(f).__name__, f.mode)
with open(path) as f:
    print(repr(f.read(2)), repr(f.read(3)))

with open(path, "wb") as f:
    print(f.write(b"line1\r\nline2\rline3\n"), type(f).__name__)
with open(path) as f:
    print(f.readlines())
with open(path, newline="") as f:
    print(repr(f.read()))
with open(path, "rb") as f:
    print(f.readline(), f.read(3), f.read())

with open(path, "w+") as f:
    f.write("read after write")
    f.seek(0)
    print(repr(f.read()))
with open(path, "r+") as f:
    f.write("READ")
    f.seek(0)
    print(repr(f.read()))

f = open(path)
f.close()
f.close()
for call in [lambda: f.read(), lambda: f.readline(), lambda: iter(f), lambda: f.write("x")]:
    try:
        call()
    except ValueError as e:
        print("ValueError:", e)
with open(path, "w") as f:
    try:
        f.read()
    except io.UnsupportedOperation as e:
        print("UnsupportedOperation:", e, isinstance(e, OSError))
    try:
        f.write(b"bytes")
    except TypeError as e:
        print("TypeError:", e)
with open(path, "rb") as f:
    try:
        f.write(b"x")
    except io.UnsupportedOperation as e:
        print("UnsupportedOperation:", e)

for args in [("/nonexistent/dir/file.txt",), (path, "rw"), (path, "rbt"), (path, "rb", -1, "utf-8"),
             ("/tmp", "r")]:
    try:
        open(*args)
    except (OSError, ValueError) as e:
        print(type(e).__name__ + ":", e)
try:
    open(path, "x")
except FileExistsError as e:
    print("FileExistsError:", e.errno, e.strerror, e.filename == path)
try:
    open(path, newline="x")
except ValueError as e:
    print("ValueError:", e)
try:
    open(path, encoding="klingon")
except LookupError as e:
    print("LookupError:", e)
os.remove(path)

s = io.StringIO()
print(s.write("hello\n"), s.write("wörld\n"), s.tell())
print(repr(s.getvalue()), repr(s.read()), s.seek(0), repr(s.readline()), repr(s.read()))
s = io.StringIO("a\nb\nc")
print(list(s), s.readlines(), s.seek(2), s.readlines())
s.seek(0)
s.write("X")
print(repr(s.getvalue()), s.truncate(2), repr(s.getvalue()))
with io.StringIO("ctx") as s:
    print(s.read(), s.closed)
print(s.closed)
try:
    s.getvalue()
except ValueError as e:
    print("ValueError:", e)
buffer = io.StringIO()
print("via", "print", sep="-", file=buffer)
print(repr(buffer.getvalue()), io.StringIO("ab").read(1))
