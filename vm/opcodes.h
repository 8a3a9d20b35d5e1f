// The instruction set, declared once. MINIVM_OPCODES drives the Opcode enum, the names the
// disassembler prints, the stack effects the compiler uses to size frames, and the eval
// loop's dispatch table. docs/bytecode.md describes each instruction at length.
//
// An instruction is one 32-bit word: the opcode in the low 8 bits, the argument in the high
// 24. Jump arguments are absolute instruction indices. The stack effect of an instruction is
// pushes - pops, written in terms of its argument `arg`; for jumps the effect when the jump
// is taken can differ (JUMP_EFFECT below).
#pragma once

#include <cstdint>

namespace mvm {

// Flags describing an opcode's argument and behaviour.
enum OpFlags : uint32_t {
  kOpNoArg = 0,
  kOpArg = 1 << 0,        // uses its argument
  kOpConst = 1 << 1,      // argument indexes co_consts
  kOpName = 1 << 2,       // argument indexes co_names
  kOpLocal = 1 << 3,      // argument indexes the local variables
  kOpFree = 1 << 4,       // argument indexes cells then free variables
  kOpJump = 1 << 5,       // argument is a jump target
  kOpCache = 1 << 6,      // has an inline cache slot
  kOpPoll = 1 << 7,       // a poll point: GIL hand-off, signals, pending work (calls, back-edges)
  kOpTerminal = 1 << 8,   // control never falls through to the next instruction
  kOpBinary = 1 << 9,     // argument is a BinaryOp, maybe | kInplaceFlag
  kOpWideCache = 1 << 10, // with kOpCache: two consecutive slots (the attribute caches)
};

// X(NAME, pops, pushes, flags)
#define MINIVM_OPCODES(X)                                                                   \
  /* Stack manipulation */                                                                  \
  X(NOP, 0, 0, kOpNoArg)                                                                    \
  X(POP_TOP, 1, 0, kOpNoArg)                                                                \
  X(PUSH_NULL, 0, 1, kOpNoArg)            /* a null under a callable: "not a method call" */ \
  X(COPY, arg, arg + 1, kOpArg)           /* push the item arg deep (1 = top) */            \
  X(SWAP, arg, arg, kOpArg)               /* swap the top with the item arg deep */         \
  /* Variables */                                                                           \
  X(LOAD_CONST, 0, 1, kOpArg | kOpConst)                                                    \
  X(LOAD_FAST, 0, 1, kOpArg | kOpLocal)   /* UnboundLocalError if unset */                  \
  X(STORE_FAST, 1, 0, kOpArg | kOpLocal)                                                    \
  X(DELETE_FAST, 0, 0, kOpArg | kOpLocal)                                                   \
  X(LOAD_DEREF, 0, 1, kOpArg | kOpFree)   /* the value in a cell */                         \
  X(STORE_DEREF, 1, 0, kOpArg | kOpFree)                                                    \
  X(DELETE_DEREF, 0, 0, kOpArg | kOpFree)                                                   \
  X(LOAD_CLASSDEREF, 0, 1, kOpArg | kOpFree) /* class body: locals dict, then the cell */   \
  X(LOAD_CLOSURE, 0, 1, kOpArg | kOpFree) /* the cell itself, for MAKE_FUNCTION */          \
  X(LOAD_GLOBAL, 0, 1, kOpArg | kOpName | kOpCache)                                         \
  X(STORE_GLOBAL, 1, 0, kOpArg | kOpName)                                                   \
  X(DELETE_GLOBAL, 0, 0, kOpArg | kOpName)                                                  \
  X(LOAD_NAME, 0, 1, kOpArg | kOpName)    /* module and class bodies */                     \
  X(STORE_NAME, 1, 0, kOpArg | kOpName)                                                     \
  X(DELETE_NAME, 0, 0, kOpArg | kOpName)                                                    \
  /* Attributes: STORE_ATTR pops the object (top) and the value under it */                 \
  X(LOAD_ATTR, 1, 1, kOpArg | kOpName | kOpCache | kOpWideCache)                            \
  X(STORE_ATTR, 2, 0, kOpArg | kOpName | kOpCache | kOpWideCache)                           \
  X(DELETE_ATTR, 1, 0, kOpArg | kOpName)                                                    \
  X(LOAD_METHOD, 1, 2, kOpArg | kOpName | kOpCache) /* [meth, self] or [null, attr] */      \
  /* Operators */                                                                           \
  X(BINARY_OP, 2, 1, kOpArg | kOpBinary)  /* arg: BinaryOp, maybe | kInplaceFlag */         \
  /* BINARY_OP specialised by operator when compiled (codegen's emit): fast paths for two */ \
  /* small ints or two floats, anything else as BINARY_OP */                                 \
  X(BINARY_OP_ADD, 2, 1, kOpArg | kOpBinary)                                                \
  X(BINARY_OP_SUBTRACT, 2, 1, kOpArg | kOpBinary)                                           \
  X(BINARY_OP_MULTIPLY, 2, 1, kOpArg | kOpBinary)                                           \
  X(BINARY_OP_TRUE_DIVIDE, 2, 1, kOpArg | kOpBinary)                                        \
  X(UNARY_NEGATIVE, 1, 1, kOpNoArg)                                                         \
  X(UNARY_POSITIVE, 1, 1, kOpNoArg)                                                         \
  X(UNARY_INVERT, 1, 1, kOpNoArg)                                                           \
  X(UNARY_NOT, 1, 1, kOpNoArg)                                                              \
  X(COMPARE_OP, 2, 1, kOpArg)             /* arg: CompareOp */                              \
  X(IS_OP, 2, 1, kOpArg)                  /* arg 1: is not */                               \
  X(CONTAINS_OP, 2, 1, kOpArg)            /* arg 1: not in */                               \
  X(BINARY_SUBSCR, 2, 1, kOpNoArg)                                                          \
  X(STORE_SUBSCR, 3, 0, kOpArg)           /* arg 0: [value, container, key]; 1: [c, k, v] */ \
  X(DELETE_SUBSCR, 2, 0, kOpNoArg)                                                          \
  /* Building values */                                                                     \
  X(BUILD_SLICE, arg, 1, kOpArg)          /* 2 or 3 parts */                                \
  X(BUILD_TUPLE, arg, 1, kOpArg)                                                            \
  X(BUILD_LIST, arg, 1, kOpArg)                                                             \
  X(BUILD_SET, arg, 1, kOpArg)                                                              \
  X(BUILD_MAP, 2 * arg, 1, kOpArg)        /* arg key/value pairs */                         \
  X(BUILD_STRING, arg, 1, kOpArg)         /* concatenate arg strings */                     \
  X(LIST_APPEND, 1, 0, kOpArg)            /* append top to the list arg deep (after pop) */ \
  X(SET_ADD, 1, 0, kOpArg)                                                                  \
  X(MAP_ADD, 2, 0, kOpArg)                /* [.., key, value] */                            \
  X(LIST_EXTEND, 1, 0, kOpArg)                                                              \
  X(SET_UPDATE, 1, 0, kOpArg)                                                               \
  X(DICT_UPDATE, 1, 0, kOpArg)            /* {**m} */                                       \
  X(DICT_MERGE, 1, 0, kOpArg)             /* f(**m): repeated keywords are an error */      \
  X(LIST_TO_TUPLE, 1, 1, kOpNoArg)                                                          \
  X(FORMAT_VALUE, 1 + ((arg & 4) >> 2), 1, kOpArg) /* arg&3: !s !r !a; arg&4: spec */       \
  X(UNPACK_SEQUENCE, 1, arg, kOpArg)                                                        \
  X(UNPACK_EX, 1, (arg & 0xff) + (arg >> 8) + 1, kOpArg) /* before | after << 8 */         \
  /* Control flow */                                                                        \
  X(JUMP, 0, 0, kOpArg | kOpJump | kOpTerminal)                                             \
  X(JUMP_BACKWARD, 0, 0, kOpArg | kOpJump | kOpPoll | kOpTerminal)                          \
  X(POP_JUMP_IF_FALSE, 1, 0, kOpArg | kOpJump)                                              \
  X(POP_JUMP_IF_TRUE, 1, 0, kOpArg | kOpJump)                                               \
  X(JUMP_IF_FALSE_OR_POP, 1, 0, kOpArg | kOpJump) /* keeps the value when jumping */        \
  X(JUMP_IF_TRUE_OR_POP, 1, 0, kOpArg | kOpJump)                                            \
  X(GET_ITER, 1, 1, kOpNoArg)                                                               \
  X(FOR_ITER, 1, 2, kOpArg | kOpJump)     /* exhausted: pop the iterator and jump */        \
  X(RETURN_VALUE, 1, 0, kOpNoArg | kOpTerminal)                                             \
  /* Calls: [null or method, callable or self, args...] */                                  \
  X(CALL, arg + 2, 1, kOpArg | kOpPoll)                                                     \
  X(CALL_KW, arg + 3, 1, kOpArg | kOpPoll) /* arg counts keyword values; kwnames on top */  \
  X(CALL_EX, 3 + (arg & 1), 1, kOpArg | kOpPoll) /* [null, f, args tuple, kwargs?] */       \
  X(MAKE_FUNCTION, 1 + __builtin_popcount(arg & 7), 1, kOpArg) /* defaults|kwdefaults|closure */ \
  X(LOAD_BUILD_CLASS, 0, 1, kOpNoArg)                                                       \
  X(LOAD_ASSERTION_ERROR, 0, 1, kOpNoArg)                                                   \
  X(PRINT_EXPR, 1, 0, kOpNoArg)           /* REPL echo through sys.displayhook */           \
  /* Modules */                                                                             \
  X(IMPORT_NAME, 2, 1, kOpArg | kOpName)  /* [level, fromlist] -> module */                 \
  X(IMPORT_FROM, 1, 2, kOpArg | kOpName)  /* [module] -> [module, attr] */                  \
  X(IMPORT_STAR, 1, 0, kOpNoArg)                                                            \
  /* Exceptions. At a handler the VM has pushed [previous handled exception, exception]. */ \
  X(RAISE_VARARGS, arg, 0, kOpArg | kOpTerminal) /* 0: re-raise, 1: raise x, 2: from */    \
  X(SETUP_FINALLY, 0, 0, kOpArg | kOpJump) /* push a handler block */                       \
  X(SETUP_WITH, 1, 2, kOpArg | kOpJump)   /* [ctx] -> [__exit__, __enter__()] + block */    \
  X(POP_BLOCK, 0, 0, kOpNoArg)                                                              \
  X(POP_EXCEPT, 1, 0, kOpNoArg)           /* end a handler: restore the previous exception */ \
  X(RERAISE, 1, 0, kOpNoArg | kOpTerminal)                                                  \
  X(CHECK_EXC_MATCH, 2, 2, kOpNoArg)      /* [exc, type] -> [exc, bool] */                  \
  X(WITH_EXCEPT_START, 3, 4, kOpNoArg)    /* [exit, prev, exc] -> [.., exit(type, exc, tb)] */ \
  /* Generators and coroutines */                                                           \
  X(YIELD_VALUE, 1, 1, kOpNoArg)          /* the sent value replaces the yielded one */     \
  X(ASYNC_GEN_WRAP, 1, 1, kOpNoArg)       /* an async generator's yielded value, wrapped */ \
  X(GET_YIELD_FROM_ITER, 1, 1, kOpNoArg)                                                    \
  X(YIELD_FROM, 2, 1, kOpNoArg | kOpPoll) /* [subiter, None] -> [result] */                 \
  X(GET_AWAITABLE, 1, 1, kOpNoArg)                                                          \
  X(GET_AITER, 1, 1, kOpNoArg)            /* [obj] -> [obj.__aiter__()] */                  \
  X(GET_ANEXT, 1, 2, kOpNoArg)            /* [aiter] -> [aiter, aiter.__anext__()] */       \
  X(END_ASYNC_FOR, 3, 0, kOpNoArg)        /* [aiter, prev, exc]: StopAsyncIteration ends */ \
  X(BEFORE_ASYNC_WITH, 1, 2, kOpNoArg)    /* [ctx] -> [__aexit__, __aenter__()] */          \
  X(SETUP_ASYNC_WITH, 1, 1, kOpArg | kOpJump) /* [aexit, value]: the block under value */

enum class Opcode : uint8_t {
#define MINIVM_OPCODE_ENUM(name, pops, pushes, flags) name,
  MINIVM_OPCODES(MINIVM_OPCODE_ENUM)
#undef MINIVM_OPCODE_ENUM
  COUNT
};

inline constexpr int kNumOpcodes = int(Opcode::COUNT);

inline constexpr const char* kOpcodeNames[] = {
#define MINIVM_OPCODE_NAME(name, pops, pushes, flags) #name,
    MINIVM_OPCODES(MINIVM_OPCODE_NAME)
#undef MINIVM_OPCODE_NAME
};

inline constexpr uint32_t kOpcodeFlags[] = {
#define MINIVM_OPCODE_FLAGS(name, pops, pushes, flags) uint32_t(flags),
    MINIVM_OPCODES(MINIVM_OPCODE_FLAGS)
#undef MINIVM_OPCODE_FLAGS
};

// The net stack effect of an instruction when it falls through.
inline int stack_effect(Opcode op, int arg) {
  switch (op) {
#define MINIVM_OPCODE_EFFECT(name, pops, pushes, flags) \
  case Opcode::name:                                    \
    return int(pushes) - int(pops);
    MINIVM_OPCODES(MINIVM_OPCODE_EFFECT)
#undef MINIVM_OPCODE_EFFECT
    case Opcode::COUNT:
      break;
  }
  return 0;
}

// The net stack effect at the target when a jump instruction jumps.
inline int jump_stack_effect(Opcode op, int arg) {
  switch (op) {
    case Opcode::FOR_ITER: return -1;              // the iterator is popped
    case Opcode::JUMP_IF_FALSE_OR_POP:
    case Opcode::JUMP_IF_TRUE_OR_POP: return 0;    // the value stays
    case Opcode::SETUP_FINALLY: return 2;          // previous exception, exception
    case Opcode::SETUP_WITH: return 2;             // __exit__ stays; then the two above
    case Opcode::SETUP_ASYNC_WITH: return 1;       // [__aexit__, prev, exc] for [__aexit__, value]
    default: return stack_effect(op, arg);
  }
}

inline constexpr uint32_t encode(Opcode op, uint32_t arg = 0) { return uint32_t(op) | (arg << 8); }
inline constexpr Opcode opcode_of(uint32_t instr) { return Opcode(instr & 0xff); }
inline constexpr uint32_t arg_of(uint32_t instr) { return instr >> 8; }
inline constexpr uint32_t kMaxArg = (1u << 24) - 1;

}  // namespace mvm
