// Code objects: the compiled, immutable form of a function body, module or class body.
// The compiler (compiler/codegen.h) produces a CodeUnit; vm/code_loader.cpp turns it into
// a Code, making every constant immortal so that threads can share it without counting.
#pragma once

#include <atomic>
#include <cstdint>

#include "runtime/object.h"

namespace mvm {

extern Type code_type;

enum CodeFlags : uint32_t {
  kCodeOptimized = 1 << 0,    // locals live in fast slots (functions, not module/class bodies)
  kCodeNewLocals = 1 << 1,
  kCodeVarargs = 1 << 2,      // has *args
  kCodeVarkeywords = 1 << 3,  // has **kwargs
  kCodeNested = 1 << 4,
  kCodeGenerator = 1 << 5,
  kCodeCoroutine = 1 << 7,    // async def
  kCodeHasFreeVars = 1 << 8,
  kCodeHasDocstring = 1 << 9,  // consts[0] is the docstring
  kCodeAsyncGenerator = 1 << 10,  // async def that yields (vm/async_generator.cpp)
  // A call makes a generator, coroutine or async generator instead of running the body.
  kCodeGeneratorLike = kCodeGenerator | kCodeCoroutine | kCodeAsyncGenerator,
};

// One inline cache slot per instruction that declares a cache in the opcode table
// (LOAD_GLOBAL, LOAD_ATTR, ...). Written by the thread that executes the instruction;
// validated by its key before use (see vm/inline_cache.h).
struct InlineCache {
  std::atomic<uint64_t> key{0};     // e.g. dict keys version or type version tag
  std::atomic<uint64_t> value{0};   // e.g. entry index or a borrowed object pointer
};

struct Code : Object {
  uint32_t* instructions = nullptr;   // opcode in the low 8 bits, argument in the high 24
  size_t ninstructions = 0;
  int32_t* lines = nullptr;           // source line of each instruction
  InlineCache* caches = nullptr;      // indexed by the instruction's cache number
  uint32_t* cache_index = nullptr;    // instruction -> cache number (only for cached ops)
  size_t ncaches = 0;

  Tuple* consts = nullptr;            // immortal constants, including nested Code objects
  Tuple* names = nullptr;             // interned names used by global/attribute/import ops
  Tuple* varnames = nullptr;          // local variable names, parameters first
  Tuple* cellvars = nullptr;          // locals captured by inner functions
  Tuple* freevars = nullptr;          // variables captured from enclosing functions
  int32_t* cell2arg = nullptr;        // for each cellvar: the parameter it starts as, or -1

  int argcount = 0;                   // positional parameters (including positional-only)
  int posonlyargcount = 0;
  int kwonlyargcount = 0;
  int nlocals = 0;                    // len(varnames)
  int ncells = 0;
  int nfrees = 0;
  int stacksize = 0;                  // maximum value-stack depth
  uint32_t frame_bytes = 0;           // size of a Frame running this code (vm/frame.h)
  int maxblocks = 0;                  // maximum nesting of try/with blocks
  uint32_t flags = 0;                 // CodeFlags

  Str* name = nullptr;
  Str* qualname = nullptr;
  Str* filename = nullptr;
  int firstlineno = 1;

  // Slots in a frame: locals, then cells, then free variables.
  int nlocalsplus() const { return nlocals + ncells + nfrees; }
  int line_of(size_t instr_index) const {
    return instr_index < ninstructions ? lines[instr_index] : firstlineno;
  }
};

}  // namespace mvm
