# print(): separators, end, file objects and flush; repr/str/ascii/format.
import io
import sys

print("a", "b", "c")
print("a", "b", sep="-", end="!\n")
print()
print(1, 2.5, None, True, [1, "x"], {"k": (1,)}, sep=" | ")
print("no newline", end="")
print(" ... continued")
print("x", "y", sep=None, end=None)

buf = io.StringIO()
print("to", "buffer", file=buf, sep="_")
print(42, file=buf, end="")
print(repr(buf.getvalue()))

class Writer:
    def __init__(self):
        self.parts = []
    def write(self, s):
        self.parts.append(s)
        return len(s)
    def flush(self):
        self.parts.append("<flush>")

w = Writer()
print("p", "q", file=w, flush=True)
print(w.parts)

for bad in [dict(sep=3), dict(end=[])]:
    try:
        print("x", **bad)
    except TypeError as e:
        print("TypeError:", e)
try:
    print("x", colour="red")
except TypeError as e:
    print("TypeError:", e)

print(repr("it's"), repr('say "hi"'), str(3.0), ascii("naïve ☃ 😀"), ascii([1, "é"]))
print(format(3.14159, ".2f"), format(42, "08b"), format("x", "^5"), format(1234567, ","))
print(sys.stdout.write("written directly\n"))
sys.stdout.flush()
print("done")
