#!/usr/bin/env python3
# Generates tests/unit/test_str_cases.inc: str method calls with the results CPython gives.
# Usage: python3 tests/unit/gen/gen_str_cases.py > tests/unit/test_str_cases.inc
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from cxx import cxx_string, cxx_value, outcome

CASES = [
    # split / rsplit
    ('  a  b\tc\n', 'split', ()), ('a,b,,c', 'split', (',',)), ('a,b,,c', 'split', (',', 1)),
    ('a b c d', 'split', (None, 2)), ('  a b c  ', 'rsplit', (None, 1)), ('a,b,c', 'rsplit', (',', 1)),
    ('', 'split', ()), ('', 'split', (',',)), ('abc', 'split', ('',)), ('a\u3000b\xa0c\x1cd', 'split', ()),
    ('aXXbXXc', 'split', ('XX',)), ('aXXXb', 'rsplit', ('XX',)), ('a b', 'split', (1,)),
    ('héllo wörld', 'split', ('ö',)), ('x  y ', 'split', (None, 0)), ('  x  y ', 'rsplit', (None, 0)),
    # splitlines
    ('a\nb\r\nc\rd\x0be\x0cf\x1cg\u2028h', 'splitlines', ()), ('a\n\nb\n', 'splitlines', (True,)),
    ('', 'splitlines', ()), ('abc', 'splitlines', ()),
    # join
    ('-', 'join', (('a', 'b', 'c'),)), (', ', 'join', ((),)), ('é', 'join', (('x', 'y'),)),
    ('-', 'join', (('a', 1),)), ('-', 'join', ((1,),)), ('-', 'join', (5,)), ('', 'join', ('abc',)),
    # strip
    ('  hi \t\n', 'strip', ()), ('xxhixx', 'strip', ('x',)), ('abcba', 'lstrip', ('ab',)),
    ('abcba', 'rstrip', ('ab',)), ('\xa0é\u2003', 'strip', ()), ('ééaéé', 'strip', ('é',)),
    ('a', 'strip', (1,)), ('   ', 'strip', ()), ('hi', 'strip', (None,)),
    # replace
    ('aaaa', 'replace', ('a', 'b')), ('aaaa', 'replace', ('a', 'b', 2)), ('abc', 'replace', ('', '-')),
    ('abc', 'replace', ('', '-', 2)), ('', 'replace', ('', 'x')), ('héllo', 'replace', ('é', 'e')),
    ('abc', 'replace', ('x', 'y')), ('abab', 'replace', ('ab', '')), ('a', 'replace', (1, 'b')),
    ('abc', 'replace', ('b', 'XYZ', -1)), ('abc', 'replace', ('', '', 0)),
    # find / index / count
    ('héllo', 'find', ('l',)), ('héllo', 'rfind', ('l',)), ('héllo', 'find', ('z',)),
    ('héllo', 'index', ('z',)), ('héllo', 'rindex', ('é',)), ('abcabc', 'find', ('c', 3)),
    ('abcabc', 'find', ('c', -2)), ('abcabc', 'find', ('c', 0, 2)), ('abc', 'find', ('', 3)),
    ('abc', 'find', ('', 4)), ('abc', 'rfind', ('',)), ('abc', 'find', ('a', None, None)),
    ('abc', 'find', (1,)), ('abc', 'find', ('a', 'x')), ('aaaa', 'count', ('aa',)), ('abc', 'count', ('',)),
    ('abc', 'count', ('', 1)), ('abc', 'count', ('', 5)), ('ééé', 'count', ('é', 1)),
    ('abc', 'index', ('c', 0, 2)),
    # startswith / endswith
    ('héllo', 'startswith', ('hé',)), ('héllo', 'endswith', ('lo',)), ('hello', 'startswith', (('x', 'he'),)),
    ('hello', 'startswith', ('ell', 1)), ('hello', 'endswith', ('ell', 0, 4)), ('abc', 'startswith', ('', 3)),
    ('abc', 'startswith', ('', 4)), ('abc', 'endswith', ('',)), ('abc', 'startswith', (1,)),
    ('abc', 'startswith', (('a', 1),)), ('hello', 'endswith', ('lo', -2)),
    # partition
    ('a=b=c', 'partition', ('=',)), ('a=b=c', 'rpartition', ('=',)), ('abc', 'partition', ('x',)),
    ('abc', 'rpartition', ('x',)), ('abc', 'partition', ('',)), ('héllo', 'partition', ('l',)),
    # case
    ('Hello World', 'upper', ()), ('Hello World', 'lower', ()), ('Hello World', 'swapcase', ()),
    ('straße', 'upper', ()), ('Straße', 'casefold', ()), ('hello wORLD', 'title', ()),
    ("they're bill's", 'title', ()), ('hELLO', 'capitalize', ()), ('éCOLE', 'capitalize', ()),
    ('ǆemal', 'title', ()), ('ΣΑΣ ΟΔΟΣ', 'lower', ()), ('ﬁne', 'upper', ()), ('İ', 'lower', ()),
    ('àéîõü', 'upper', ()), ('123abc', 'title', ()), ('a1b2', 'swapcase', ()),
    # predicates
    ('123', 'isdigit', ()), ('²', 'isdigit', ()), ('²', 'isdecimal', ()), ('½', 'isnumeric', ()),
    ('٣', 'isdecimal', ()), ('', 'isdigit', ()), ('abcé', 'isalpha', ()), ('ab1', 'isalnum', ()),
    (' \t\n\x0b\x0c\r\x1c', 'isspace', ()), ('\u200b', 'isspace', ()), ('ABC', 'isupper', ()),
    ('AbC', 'isupper', ()), ('abc1', 'islower', ()), ('123', 'islower', ()), ('Hello World', 'istitle', ()),
    ('Hello world', 'istitle', ()), ('ǅ', 'istitle', ()), ('_a1', 'isidentifier', ()),
    ('1a', 'isidentifier', ()), ('héllo', 'isidentifier', ()), ('', 'isidentifier', ()),
    ('abc', 'isascii', ()), ('é', 'isascii', ()), ('', 'isascii', ()), ('a\tb', 'isprintable', ()),
    ('é ', 'isprintable', ()), ('', 'isprintable', ()), ('\xad', 'isprintable', ()),
    # padding
    ('abc', 'center', (9,)), ('abc', 'center', (8, '*')), ('ab', 'center', (5,)), ('abc', 'center', (2,)),
    ('é', 'ljust', (3, 'ü')), ('é', 'rjust', (3,)), ('a', 'center', (4, 'xy')), ('a', 'ljust', (4, 1)),
    ('42', 'zfill', (5,)), ('-42', 'zfill', (5,)), ('+4', 'zfill', (4,)), ('', 'zfill', (2,)),
    ('abc', 'zfill', (1,)),
    ('a\tbc\td', 'expandtabs', ()), ('a\tb\nc\td', 'expandtabs', (4,)), ('\té', 'expandtabs', (2,)),
    ('a\tb', 'expandtabs', (0,)),
    # prefixes
    ('prefix_body', 'removeprefix', ('prefix_',)), ('body', 'removeprefix', ('x',)),
    ('file.py', 'removesuffix', ('.py',)), ('file.py', 'removesuffix', ('',)), ('a', 'removeprefix', (1,)),
    # translate
    ('hello', 'translate', ({104: 'J', 101: None, 108: 'L'},)),
    ('abc', 'translate', ({97: 120},)), ('abc', 'translate', ({97: 1.5},)),
    # encode
    ('héllo', 'encode', ()), ('héllo', 'encode', ('ascii',)), ('héllo', 'encode', ('ascii', 'replace')),
    ('h€llo', 'encode', ('latin-1', 'backslashreplace')), ('abc', 'encode', ('nope',)),
    ('éé', 'encode', ('ascii',)), ('é', 'encode', ('latin-1',)), ('a€', 'encode', ('ascii', 'ignore')),
]


def main():
    print('// Generated by tests/unit/gen/gen_str_cases.py from CPython %s; do not edit.'
          % sys.version.split()[0])
    print('// Each line calls a str method and compares with CPython\'s result (or exception).')
    for self, method, args in CASES:
        expected = outcome(lambda: getattr(self, method)(*args))
        arg_list = ', '.join(cxx_value(a) for a in args)
        print('CHECK(call(%s, "%s", {%s}) == %s);' % (cxx_string(self), method, arg_list,
                                                     cxx_string(expected)))


main()
