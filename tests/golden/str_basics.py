# str basics: indexing and slicing by code point, repr, comparison, iteration, operators.
s = "héllo wörld"
print(len(s), s[1], s[-1], s[7])
print(s[1:4], s[::-1], s[::2], s[-3:], s[:100], s[5:2], repr(s[3:3]))
print(s[::-3], s[8:1:-2])
for c in "aé€😀":
    print(c, ord(c), len(c))
print(repr("it's"), repr('say "hi"'), repr("both ' and \""), repr("tab\there\nnew\\line"))
print(repr("\x00\x07\x1f\x7f\x80\xa0\xad"), repr("é€😀"), repr("\u200b\u2028\U000e0001"))
print(ascii("héllo €"), str(42), str(3.5), str(None), str(b"ab"))
print("abc" < "abd", "ab" < "abc", "é" > "z", "a" == "a", "a" != "b", "B" < "a")
print("ab" + "cd", "ab" * 3, 2 * "é", "x" * 0, "x" * -2)
print("ll" in "hello", "" in "abc", "z" in "abc", "é" in "café")
print(sorted(["pear", "Apple", "éclair", "banana"]))
chars = []
for ch in "naïve":
    chars.append(ch.upper())
print("".join(chars), list("ab€"))
try:
    "abc"[3]
except IndexError as e:
    print("IndexError:", e)
try:
    "abc" + 1
except TypeError as e:
    print("TypeError:", e)
try:
    "abc" * 1.5
except TypeError as e:
    print("TypeError:", e)
try:
    1 in "abc"
except TypeError as e:
    print("TypeError:", e)
try:
    key = "x"
    "abc"[key]
except TypeError as e:
    print("TypeError:", e)
d = {}
for word in "the cat and the hat and the bat".split():
    d[word] = d.get(word, 0) + 1
print(d)
print(hash("abc") == hash("ab" + "c"), str(), str("x"))
b = "héllo".encode()
print(b, len(b), b[1], b[:2], list(b[:3]), b.decode(), b.hex())
print(bytes(3), bytes([104, 105]), bytes("é", "utf-8"), b"ab" + b"cd", b"ab" * 2, 98 in b"abc")
print(b"a,b".split(b","), b"  x ".strip(), b"abc".upper(), b"-".join([b"a", b"b"]), b"abc".find(b"c"))
print(repr(b"it's"), repr(b'\x00\n\\\xff'), b"abc" == b"abc", b"abc" < b"abd")
try:
    b"\xff".decode()
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e)
print(b"\xffab".decode("utf-8", "replace"), b"\xffab".decode("utf-8", "ignore"), str(b"\xe9", "latin-1"))
try:
    "é".encode("ascii")
except UnicodeEncodeError as e:
    print("UnicodeEncodeError:", e)
