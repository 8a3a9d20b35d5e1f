// Generators and coroutines: each runs its frame on a stack of its own (a Boost.Context
// fiber), so `yield` is a switch back to whoever resumed it. Stacks are pooled per thread.
// See docs/architecture.md.
#pragma once

#include "runtime/object.h"

namespace mvm {

struct Frame;
struct Function;

extern Type generator_type;
extern Type coroutine_type;

// A new generator (or coroutine, for async def) that will run `frame`, which the generator
// now owns (heap-allocated, arguments already bound). func is kept alive by the generator.
Value generator_new(ThreadState& ts, Function* func, Frame* frame);

// Called by YIELD_VALUE on the generator's own stack: hands `value` (borrowed) to the
// resumer and suspends. Returns the value sent in (a new reference), or null when an
// exception was thrown in (it is then pending).
Value generator_yield(ThreadState& ts, Value value);

// gen.send(value) / next(gen): runs the generator until it yields (returns the yielded
// value, *done = false) or finishes (returns its return value, *done = true). Null with an
// exception set on error.
Value generator_send(ThreadState& ts, Value gen, Value value, bool* done);

bool is_generator_like(Value v);

// YIELD_FROM's answer to an exception thrown into the delegating generator (PEP 380): a
// GeneratorExit closes the sub-iterator and is then raised here; anything else is thrown
// into the sub-iterator, if it has a throw method. Returns what the sub-iterator yields
// next (*done = false) or its return value (*done = true); null with an error set when the
// exception (or a new one) propagates. Takes the reference to `exc`.
Value yield_from_throw(ThreadState& ts, Value sub, Value exc, bool* done);

}  // namespace mvm
