// Unicode character classes for source text: identifier characters (PEP 3131) and
// printability, as CPython's tokenizer and str.isidentifier()/str.isprintable() see them.
#pragma once

namespace mvm {

// Whether c may begin an identifier (XID_Start, or '_').
bool is_identifier_start(char32_t c);
// Whether c may appear after the first character of an identifier (XID_Continue).
bool is_identifier_continue(char32_t c);
// Whether c is printable in CPython's sense (not a control, format, surrogate, private-use,
// unassigned or separator character, except the ASCII space).
bool is_printable(char32_t c);

}  // namespace mvm
