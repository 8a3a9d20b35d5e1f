// Call frames: one per running function, module or class body. A frame holds its locals,
// cells, free variables and value stack in one block, allocated from the thread's data
// stack (or owned by a generator). See docs/architecture.md.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/object.h"

namespace mvm {

struct Code;
struct Function;
struct Generator;

// A try/with handler or an active except clause (see SETUP_FINALLY in vm/opcodes.h).
struct Block {
  enum Kind : uint8_t {
    kFinally,        // jump to `handler` when an exception arrives
    kExceptHandler,  // an except/finally clause is running; stack[level] is the previous exception
  };
  Kind kind;
  int32_t handler;   // instruction index
  int32_t level;     // stack depth when the block was pushed
};

struct Frame {
  Code* code = nullptr;
  Function* func = nullptr;        // borrowed: the caller keeps it alive (null for eval_code)
  Dict* globals = nullptr;         // borrowed
  Dict* builtins = nullptr;        // borrowed
  Dict* locals = nullptr;          // module and class bodies only; borrowed
  Frame* previous = nullptr;       // the caller
  Generator* generator = nullptr;  // the generator that owns this frame, if any
  Value* stack_pointer = nullptr;  // the value stack top while the frame is not running
  Block* blocks = nullptr;
  uint32_t instr_index = 0;        // the instruction being executed (resume point)
  int nblocks = 0;
  bool is_entry = false;           // returning from it leaves the C++ eval call
  int nlocalsplus = 0;             // code->nlocalsplus(), cached
  Value localsplus[1];             // locals, cells, frees, then the value stack (sized to fit)

  Value* stack_base() { return localsplus + nlocalsplus; }
};

// Bytes needed for a frame running `code`.
size_t frame_size(const Code* code);

// Fills a fresh frame's header for `code`; localsplus is zeroed.
void frame_init(Frame* f, Code* code, Function* func, Dict* globals, Dict* builtins, Dict* locals);
// Drops every reference the frame holds (locals, cells, stack values).
void frame_clear(Frame* f);

// Binds call arguments to the frame's parameters (borrowed args are increfed): positional,
// keywords, defaults, *args, **kwargs, and creates cells and free variables. Raises
// TypeError with CPython's messages and returns false on a bad call.
bool frame_bind_arguments(ThreadState& ts, Frame* f, Function* func, const Value* args, size_t nargs,
                          Tuple* kwnames);
// Creates the frame's cells (for captured parameters and locals) and copies in the
// closure's cells; part of frame_bind_arguments, exposed for the eval loop's fast path.
void frame_init_cells(ThreadState& ts, Frame* f, Function* func);

// The line being executed in a frame.
int frame_line(const Frame* f);

}  // namespace mvm
