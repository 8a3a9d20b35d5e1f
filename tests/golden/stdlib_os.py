# os and os.path: path arithmetic, the file system, the environment, OSError details.
import os
import os.path
from os import path as p

print(os.name, os.sep, os.linesep == "\n", os.curdir, os.pardir, os.pathsep, os.extsep, os.altsep, os.devnull)
print(p.join("a", "b", "c"), p.join("a/", "b"), p.join("a", "/abs", "c"), p.join("", "x"), p.join("a", ""))
print(p.split("/usr/lib/file.txt"), p.split("file"), p.split("/"), p.split("a/b/"), p.split("//x"))
print(p.basename("/a/b.txt"), p.basename("/a/b/"), p.dirname("/a/b.txt"), p.dirname("b.txt"), p.dirname("/"))
print(p.splitext("archive.tar.gz"), p.splitext(".bashrc"), p.splitext("dir.d/file"), p.splitext("a..b"), p.splitext("..."))
print(p.normpath("a//b/./c/../d"), p.normpath("/../x"), p.normpath(""), p.normpath("../../x/.."), p.normpath("//a/b"))
print(p.isabs("/x"), p.isabs("x"), p.abspath("/a/b/../c"), p.abspath("x") == p.join(os.getcwd(), "x"))
print(p.relpath("/a/b/c", "/a/d"), p.relpath("/a", "/a"), p.commonprefix(["interval", "internet", "inter"]))
print(p.expanduser("~") == os.environ.get("HOME", p.expanduser("~")), p.expanduser("no/tilde"))

base = f"/tmp/minivm_golden_os_{os.getpid()}"
os.mkdir(base)
print(p.exists(base), p.isdir(base), p.isfile(base), p.exists(base + "/none"))
os.makedirs(base + "/sub/deeper")
os.makedirs(base + "/sub/deeper", exist_ok=True)
with open(p.join(base, "f.txt"), "w") as f:
    f.write("12345")
print(sorted(os.listdir(base)), p.getsize(p.join(base, "f.txt")), p.isfile(p.join(base, "f.txt")))
st = os.stat(p.join(base, "f.txt"))
print(st.st_size, st[6], len(st) >= 10, type(st.st_mtime).__name__, st.st_mtime > 1e9)
os.rename(p.join(base, "f.txt"), p.join(base, "g.txt"))
print(sorted(os.listdir(base)))
cwd = os.getcwd()
os.chdir(base)
print(os.getcwd() == p.realpath(base), sorted(os.listdir()), p.exists("g.txt"))
os.chdir(cwd)

def show_error(call):
    try:
        call()
    except OSError as e:
        name = e.filename.replace(base, "BASE") if isinstance(e.filename, str) else e.filename
        print(type(e).__name__, e.errno, e.strerror, name, isinstance(e, OSError))

show_error(lambda: os.mkdir(base))
show_error(lambda: os.rmdir(base))
show_error(lambda: os.remove(base + "/missing"))
show_error(lambda: os.listdir(base + "/g.txt"))
show_error(lambda: os.makedirs(base + "/sub"))
show_error(lambda: p.getsize(base + "/missing"))
try:
    os.listdir("/definitely/not/here")
except FileNotFoundError as e:
    print(e)

os.remove(p.join(base, "g.txt"))
os.rmdir(base + "/sub/deeper")
os.rmdir(base + "/sub")
os.rmdir(base)
print(p.exists(base))

print("PATH" in os.environ, os.getenv("MINIVM_SURELY_UNSET"), os.getenv("MINIVM_SURELY_UNSET", "dflt"))
print(type(os.getpid()).__name__, os.getpid() > 0, os.cpu_count() >= 1, len(os.urandom(8)), os.fspath("x"))
print(os.strerror(2), os.access("/", os.F_OK))
try:
    os.getenv(1)
except TypeError as e:
    print("TypeError:", e)
try:
    p.join("a", 1)
except TypeError as e:
    print("TypeError:", e)
