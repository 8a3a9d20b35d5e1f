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
extern Type async_generator_type;   // vm/async_generator.cpp

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

// gen.throw(exc) for vm/async_generator.cpp: the same results as generator_send. `exc` is
// borrowed.
Value generator_throw(ThreadState& ts, Value gen, Value exc, bool* done);

// The exception that gen.throw(type[, value[, traceback]]) throws, from those arguments;
// null with TypeError when they name no exception.
Value generator_thrown_exception(ThreadState& ts, const Value* args, size_t nargs);

// True for generators and coroutines, the objects YIELD_FROM drives directly. Async
// generators are not: they are iterated through the awaitables their methods return.
bool is_generator_like(Value v);

// Sets what the three generator types share: size, deallocation (closing a suspended one),
// repr, and the name attributes.
void generator_type_common(Type& t);

// ASYNC_GEN_WRAP: a new object that carries `value` (the reference moves in) out of an async
// generator as a yielded value; null with MemoryError, `value` not consumed, when out of
// memory.
Value async_gen_wrap(ThreadState& ts, Value value);

// What `await v` iterates: v.__await__(), which must return an iterator. TypeError, as in
// CPython, when v is not awaitable. Coroutines and generators are their own iterators and
// do not come here.
Value get_awaitable_iterator(ThreadState& ts, Value v);
// `async for`: obj.__aiter__(), and one step's awaitable, aiter.__anext__(). New references,
// or null with TypeError when the protocol is not followed.
Value get_async_iterator(ThreadState& ts, Value obj);
Value async_iterator_next(ThreadState& ts, Value aiter);

// YIELD_FROM's answer to an exception thrown into the delegating generator (PEP 380): a
// GeneratorExit closes the sub-iterator and is then raised here; anything else is thrown
// into the sub-iterator, if it has a throw method. Returns what the sub-iterator yields
// next (*done = false) or its return value (*done = true); null with an error set when the
// exception (or a new one) propagates. Takes the reference to `exc`.
Value yield_from_throw(ThreadState& ts, Value sub, Value exc, bool* done);

}  // namespace mvm
