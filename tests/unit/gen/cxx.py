# Shared by the generators of tests/unit/test_str.cpp and test_format.cpp: renders Python
# values as C++ expressions and outcomes as the text str_test::outcome() produces.
def cxx_string(text):
    out = []
    for ch in text:
        o = ord(ch)
        if ch in '"\\':
            out.append('\\' + ch)
        elif 32 <= o < 127:
            out.append(ch)
        elif o < 128:
            out.append('\\%03o' % o)
        else:
            out.append(ch)
    return '"' + ''.join(out) + '"'


def cxx_value(v):
    if v is None:
        return 'none()'
    if isinstance(v, bool):
        return 'bool_value(%s)' % ('true' if v else 'false')
    if isinstance(v, int):
        if -2**62 <= v < 2**62:
            return 'Value::small_int(%d)' % v
        return 'big("%d")' % v
    if isinstance(v, float):
        if v != v:
            return 'num(NAN)'
        if v in (float('inf'), float('-inf')):
            return 'num(%sINFINITY)' % ('-' if v < 0 else '')
        return 'num(%r)' % v
    if isinstance(v, str):
        return 'arg(%s)' % cxx_string(v)
    if isinstance(v, tuple):
        return 'tuple(ts, {%s})' % ', '.join(cxx_value(x) for x in v)
    if isinstance(v, dict):
        return 'mapping(ts, {%s})' % ', '.join('{%s, %s}' % (cxx_value(k), cxx_value(x)) for k, x in v.items())
    raise TypeError(v)


def outcome(fn):
    try:
        r = fn()
    except Exception as e:
        return '%s: %s' % (type(e).__name__, e)
    return r if isinstance(r, str) else repr(r)
