# threading.local (per-thread attributes) and threading.excepthook.
import io
import sys
import threading


def in_thread(fn, *args):
    out = []
    t = threading.Thread(target=lambda: out.append(fn(*args)))
    t.start()
    t.join(5)
    return out[0] if out else None


data = threading.local()
data.x = "main"


def read_x():
    try:
        return data.x
    except AttributeError:
        return "no x here"


def set_and_read():
    data.x = threading.current_thread().name
    data.y = 1
    return data.x, sorted(data.__dict__)


print(in_thread(read_x))
print(in_thread(set_and_read))
print(data.x, hasattr(data, "y"), sorted(data.__dict__))


class Config(threading.local):
    initialised = 0

    def __init__(self, colour):
        self.colour = colour
        self.calls = [threading.current_thread().name]

    def describe(self):
        return f"{self.colour} {self.calls}"


config = Config("red")
config.colour = "blue"


def show_config():
    first = config.describe()
    config.colour = "green"
    return first, config.describe()


print(in_thread(show_config))
print(config.describe())
try:
    config.missing
except AttributeError as e:
    print("AttributeError:", e)


def delete_attr():
    config.extra = 1
    del config.extra
    try:
        del config.extra
    except AttributeError:
        return "deleted twice"


print(in_thread(delete_attr))

results = []
lock = threading.Lock()
counter = threading.local()


def count_up(n):
    counter.value = 0
    for _ in range(n):
        counter.value += 1
    with lock:
        results.append(counter.value)


threads = [threading.Thread(target=count_up, args=(n,)) for n in (100, 200, 300)]
for t in threads:
    t.start()
for t in threads:
    t.join(5)
print(sorted(results))

# The default excepthook prints the thread's name and the traceback to sys.stderr.
def fail():
    raise KeyError("missing key")


saved_stderr = sys.stderr
sys.stderr = io.StringIO()
t = threading.Thread(target=fail, name="Failer")
t.start()
t.join(5)
report = sys.stderr.getvalue()
sys.stderr = saved_stderr
lines = report.splitlines()
print(lines[0])
print(lines[1])
print(lines[-1])
print("still going, alive:", t.is_alive())

# A custom hook receives ExceptHookArgs; SystemExit is passed to the hook too.
seen = []


def hook(args):
    seen.append((args.exc_type.__name__, str(args.exc_value), args.thread.name,
                 args.exc_traceback is not None))


threading.excepthook = hook
for target, name in ((fail, "one"), (lambda: sys.exit(3), "two")):
    t = threading.Thread(target=target, name=name)
    t.start()
    t.join(5)
threading.excepthook = threading.__excepthook__
print(seen)

# With the default hook, SystemExit in a thread is silent.
sys.stderr = io.StringIO()
t = threading.Thread(target=sys.exit, args=(1,))
t.start()
t.join(5)
silent = sys.stderr.getvalue()
sys.stderr = saved_stderr
print("SystemExit report:", repr(silent))
