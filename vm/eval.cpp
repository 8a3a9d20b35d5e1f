// The eval loop: executes bytecode with computed-goto dispatch. Python-to-Python calls do
// not recurse in C++: CALL pushes a frame and continues in the same loop, RETURN_VALUE
// pops it. The one poll point (calls and backward jumps) handles signals and, later, GIL
// hand-off. The loop is compiled once per refcount policy (see the end of this file).
#include "vm/eval.h"

#include <cstring>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/code.h"
#include "runtime/critical_section.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/fast_path_lock.h"
#include "runtime/float.h"
#include "runtime/function.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/qsbr.h"
#include "runtime/range.h"
#include "runtime/set.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/eval_breaker.h"
#include "vm/frame.h"
#include "vm/generator.h"
#include "vm/import.h"
#include "vm/interpreter.h"
#include "vm/opcodes.h"
#include "vm/thread_state.h"
#include "vm/traceback.h"

namespace mvm {

namespace {

// ---------------------------------------------------------------------------------------
// Helpers for instructions too large to inline in the loop.

Value load_global_slow(ThreadState& ts, Frame* frame, Str* name) {
  Value v = dict_get_str(frame->globals, name);
  if (!v) v = dict_get_str(frame->builtins, name);
  if (!v)
    return raise_fmt(ts, &NameError_type, "name '%.*s' is not defined", int(name->size), name->data);
  return newref(v);
}

Value load_name(ThreadState& ts, Frame* frame, Str* name) {
  if (frame->locals) {
    Value v;
    if (frame->locals->ob_type == &dict_type) {
      v = dict_get_str(frame->locals, name);
      if (v) return newref(v);
    } else {
      v = object_getitem(ts, Value::from_obj(frame->locals), Value::from_obj(name));
      if (v) return v;
      if (!error_matches(ts, &KeyError_type)) return Value();
      clear_error(ts);
    }
  }
  return load_global_slow(ts, frame, name);
}

Value unbound_local(ThreadState& ts, Code* code, uint32_t index) {
  Str* name = code->varnames->items[index].as<Str>();
  return raise_fmt(ts, &UnboundLocalError_type,
                   "cannot access local variable '%.*s' where it is not associated with a value",
                   int(name->size), name->data);
}

Value unbound_deref(ThreadState& ts, Code* code, uint32_t index) {
  Str* name = index < uint32_t(code->ncells) ? code->cellvars->items[index].as<Str>()
                                             : code->freevars->items[index - code->ncells].as<Str>();
  return raise_fmt(ts, &NameError_type,
                   "cannot access free variable '%.*s' where it is not associated with a value in enclosing scope",
                   int(name->size), name->data);
}

Str* deref_name(Code* code, uint32_t index) {
  return index < uint32_t(code->ncells) ? code->cellvars->items[index].as<Str>()
                                        : code->freevars->items[index - code->ncells].as<Str>();
}

// Sets an inline cache's value. Threads running the same code share its caches: writing a
// value that is already there would make every such thread write one cache line.
inline void update_cache_value(InlineCache& cache, uint64_t value) {
  if (cache.value.load(std::memory_order_relaxed) != value) cache.value.store(value, std::memory_order_relaxed);
}

// The attribute cache of LOAD_ATTR and STORE_ATTR, two slots (kOpWideCache). Their keys
// hold the version tags of up to four classes that have no attribute of the instruction's
// name, so that for their instances the attribute is an entry of the instance __dict__:
// four, so that a base-class method reading `self.x`, or a loop reading `task.link` over
// the instances of several subclasses, stays cached. The first slot's value is the entry
// number where the name was last found in an instance dict, tried first: instances of a
// class usually get their attributes in the same order, so the entry is the same. Each
// 32-bit version and the entry number are checked when used, so threads racing to update
// the cache cannot make it wrong.
inline bool attr_cache_has_class(const InlineCache* cache, uint32_t version) {
  uint64_t newer = cache[0].key.load(std::memory_order_relaxed);
  uint64_t older = cache[1].key.load(std::memory_order_relaxed);
  return version && (uint32_t(newer) == version || uint32_t(newer >> 32) == version || uint32_t(older) == version ||
                     uint32_t(older >> 32) == version);
}
// Whether the attribute `name` of an instance of `type` (whose version tag is `version`,
// and which uses the generic getattr or setattr) is an entry of its instance __dict__: the
// class has no attribute of that name. Asks the type on a miss (a per-thread cache lookup,
// runtime/type.cpp) and remembers the class: every version moves up one place, the newest
// into the low half of the first key, and the oldest drops out.
inline bool attr_cache_has_plain_attr(InlineCache* cache, Type* type, uint32_t version, Str* name) {
  if (attr_cache_has_class(cache, version)) return true;
  if (!version || type_lookup(type, name)) return false;
  uint64_t newer = cache[0].key.load(std::memory_order_relaxed);
  uint64_t older = cache[1].key.load(std::memory_order_relaxed);
  cache[1].key.store((older << 32) | (newer >> 32), std::memory_order_relaxed);
  cache[0].key.store((newer << 32) | version, std::memory_order_relaxed);
  return true;
}

// Ends an except handler: `previous` (what the handler's entry pushed, None for nothing)
// becomes the exception being handled again. Takes the reference to `previous`.
static void restore_handled_exception(ThreadState& ts, Value previous) {
  Value old = ts.handled_exception;
  ts.handled_exception = is_none(previous) ? Value() : previous;
  if (is_none(previous)) decref(previous);
  decref(old);
}

// The enter and exit methods of a (`kind` "asynchronous ") context manager, as new
// references; false with TypeError, in CPython's words, when either is missing.
static bool context_manager_methods(ThreadState& ts, Value mgr, Str* enter_name, Str* exit_name,
                                    const char* kind, Value* enter, Value* exit) {
  *enter = object_lookup_attr(ts, mgr, enter_name);
  *exit = *enter ? object_lookup_attr(ts, mgr, exit_name) : Value();
  if (*enter && *exit) return true;
  decref(*enter);
  if (!ts.has_error())
    raise_fmt(ts, &TypeError_type, "'%s' object does not support the %scontext manager protocol",
              type_name(mgr), kind);
  return false;
}

// Unpacks exactly n of `have` items onto the stack (last item deepest-first, as CPython).
static bool unpack_items(ThreadState& ts, const Value* items, size_t have, size_t n, Value* out_top) {
  if (have == n) {
    for (size_t i = 0; i < n; i++) out_top[n - 1 - i] = newref(items[i]);
    return true;
  }
  if (have < n)
    raise_fmt(ts, &ValueError_type, "not enough values to unpack (expected %zu, got %zu)", n, have);
  else
    raise_fmt(ts, &ValueError_type, "too many values to unpack (expected %zu)", n);
  return false;
}

// Unpacks exactly n items of `seq` onto the stack.
bool unpack_sequence(ThreadState& ts, Value seq, size_t n, Value* out_top) {
  if (is_tuple(seq)) return unpack_items(ts, seq.as<Tuple>()->items, seq.as<Tuple>()->size, n, out_top);
  if (is_list(seq)) {
    CriticalSection cs(ts, seq.obj());
    return unpack_items(ts, seq.as<List>()->items, seq.as<List>()->size, n, out_top);
  }
  Ref it(object_iter(ts, seq));
  if (!it) {
    if (error_matches(ts, &TypeError_type)) {
      clear_error(ts);
      raise_fmt(ts, &TypeError_type, "cannot unpack non-iterable %s object", type_name(seq));
    }
    return false;
  }
  size_t i = 0;
  for (; i < n; i++) {
    Value item = iter_next(ts, it.get());
    if (!item) {
      for (size_t j = 0; j < i; j++) decref(out_top[n - 1 - j]);
      if (!ts.has_error())
        raise_fmt(ts, &ValueError_type, "not enough values to unpack (expected %zu, got %zu)", n, i);
      return false;
    }
    out_top[n - 1 - i] = item;
  }
  Value extra = iter_next(ts, it.get());
  if (extra || ts.has_error()) {
    decref(extra);
    for (size_t j = 0; j < n; j++) decref(out_top[j]);
    if (!ts.has_error()) raise_fmt(ts, &ValueError_type, "too many values to unpack (expected %zu)", n);
    return false;
  }
  return true;
}

// a, *b, c = seq
bool unpack_ex(ThreadState& ts, Value seq, size_t before, size_t after, Value* out_top) {
  Ref list(list_from_iterable(ts, seq));
  if (!list) {
    if (error_matches(ts, &TypeError_type) && !is_list(seq)) {
      clear_error(ts);
      raise_fmt(ts, &TypeError_type, "cannot unpack non-iterable %s object", type_name(seq));
    }
    return false;
  }
  List* l = list.as<List>();
  if (l->size < before + after) {
    raise_fmt(ts, &ValueError_type, "not enough values to unpack (expected at least %zu, got %zu)",
              before + after, l->size);
    return false;
  }
  size_t total = before + 1 + after;
  size_t k = 0;
  for (size_t i = 0; i < before; i++) out_top[total - 1 - k++] = newref(l->items[i]);
  size_t middle = l->size - before - after;
  List* star = list_new(ts, middle);
  if (!star) return false;
  for (size_t i = 0; i < middle; i++) list_append(ts, star, l->items[before + i]);
  out_top[total - 1 - k++] = Value::from_obj(star);
  for (size_t i = 0; i < after; i++) out_top[total - 1 - k++] = newref(l->items[before + middle + i]);
  return true;
}

Value format_with_conversion(ThreadState& ts, Value v, uint32_t flags, Value spec) {
  Ref converted;
  switch (flags & 3) {
    case 1: converted.reset(object_str(ts, v)); break;
    case 2: converted.reset(object_repr(ts, v)); break;
    case 3: converted.reset(object_repr(ts, v)); break;   // ascii(): repr is close enough for now
    default: break;
  }
  if ((flags & 3) && !converted) return Value();
  Value subject = converted ? converted.get() : v;
  if (!spec && is_exact_str(subject)) return newref(subject);
  return format_value(ts, subject, spec ? spec.as<Str>() : intern(""));
}

Value build_string(ThreadState& ts, Value* items, size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) total += items[i].as<Str>()->size;
  std::string buffer;
  buffer.reserve(total);
  for (size_t i = 0; i < n; i++) buffer.append(str_view(items[i]));
  Str* s = str_new_checked(ts, buffer);
  return s ? Value::from_obj(s) : Value();
}

int dict_merge_keywords(ThreadState& ts, Dict* target, Value source, Value func) {
  if (!is_dict(source)) {
    Ref keys(call_method(ts, source, "keys", {}));
    if (!keys) {
      if (error_matches(ts, &AttributeError_type)) {
        clear_error(ts);
        raise_fmt(ts, &TypeError_type, "%s argument after ** must be a mapping, not %s",
                  repr_string(ts, func).c_str(), type_name(source));
      }
      return -1;
    }
    Ref it(object_iter(ts, keys.get()));
    if (!it) return -1;
    while (Value k = iter_next(ts, it.get())) {
      Ref key(k);
      if (dict_get(ts, target, k)) {
        raise_fmt(ts, &TypeError_type, "got multiple values for keyword argument '%s'", str_string(ts, k).c_str());
        return -1;
      }
      Ref v(object_getitem(ts, source, k));
      if (!v || dict_set(ts, target, k, v.get()) < 0) return -1;
    }
    return ts.has_error() ? -1 : 0;
  }
  size_t pos = 0;
  Value k, v;
  while (dict_next(source.as<Dict>(), &pos, &k, &v)) {
    if (!is_str(k)) {
      raise(ts, &TypeError_type, "keywords must be strings");
      return -1;
    }
    if (dict_get_str(target, k.as<Str>())) {
      raise_fmt(ts, &TypeError_type, "%s got multiple values for keyword argument '%.*s'",
                repr_string(ts, func).c_str(), int(k.as<Str>()->size), k.as<Str>()->data);
      return -1;
    }
    if (dict_set(ts, target, k, v) < 0) return -1;
  }
  return 0;
}

Value make_function(ThreadState& ts, Frame* frame, Code* code, uint32_t flags, Value* parts) {
  Value fv = function_new(ts, code, frame->globals, frame->builtins, code->qualname);
  if (!fv) return fv;
  Function* f = fv.as<Function>();
  // Module-level functions and methods are called from every thread.
  if (!(code->flags & kCodeNested)) make_immortal_if_free_threaded(f);
  int i = 0;
  if (flags & 1) f->defaults = static_cast<Tuple*>(parts[i++].obj());
  if (flags & 2) f->kwdefaults = static_cast<Dict*>(parts[i++].obj());
  if (flags & 4) f->closure = static_cast<Tuple*>(parts[i++].obj());
  if ((code->flags & kCodeHasDocstring) && code->consts->size > 0) {
    decref(f->doc);
    f->doc = newref(code->consts->items[0]);
  }
  return fv;
}

// sys.displayhook for the REPL: print repr(value) unless it is None, and keep it in `_`.
bool print_expr(ThreadState& ts, Value v) {
  Value hook = ts.interp->sys ? module_get(ts.interp->sys, "displayhook") : Value();
  if (hook) {
    Value r = object_call(ts, hook, &v, 1);
    decref(r);
    return bool(r);
  }
  if (is_none(v)) return true;
  Ref text(object_repr(ts, v));
  if (!text) return false;
  Value out = ts.interp->sys ? module_get(ts.interp->sys, "stdout") : Value();
  std::string line = std::string(str_view(text.get())) + "\n";
  if (out) {
    Ref s(str_value(line));
    Ref r(call_method(ts, out, "write", {s.get()}));
    if (!r) return false;
  } else {
    fwrite(line.data(), 1, line.size(), stdout);
  }
  return dict_set_str(ts, ts.interp->builtins_dict, intern("_"), v) == 0;
}

bool check_exc_match(ThreadState& ts, Value exc, Value type, int* matched) {
  auto valid = [](Value t) { return is_exception_type(t); };
  if (is_tuple(type)) {
    Tuple* t = type.as<Tuple>();
    for (size_t i = 0; i < t->size; i++)
      if (!valid(t->items[i])) {
        raise(ts, &TypeError_type, "catching classes that do not inherit from BaseException is not allowed");
        return false;
      }
  } else if (!valid(type)) {
    raise(ts, &TypeError_type, "catching classes that do not inherit from BaseException is not allowed");
    return false;
  }
  int r = object_isinstance(ts, exc, type);
  if (r < 0) return false;
  *matched = r;
  return true;
}

// RAISE_VARARGS: raise, raise exc, raise exc from cause.
void do_raise(ThreadState& ts, Value exc, Value cause) {
  if (!exc) {
    Value handled = ts.handled_exception;
    if (!handled || is_none(handled)) {
      raise(ts, &RuntimeError_type, "No active exception to reraise");
      return;
    }
    restore_error(ts, newref(handled));
    return;
  }
  raise_value(ts, exc);
  if (!cause) return;
  Value pending = ts.current_exception;
  if (!pending || !is_exception_instance(pending)) return;
  ExceptionObject* e = pending.as<ExceptionObject>();
  Value cause_value;
  if (is_none(cause)) {
    cause_value = Value();
  } else if (is_exception_type(cause)) {
    Value saved = fetch_error(ts);
    cause_value = object_call(ts, cause, nullptr, 0);
    if (!cause_value) {
      decref(saved);
      return;
    }
    restore_error(ts, saved);
  } else if (is_exception_instance(cause)) {
    cause_value = newref(cause);
  } else {
    raise(ts, &TypeError_type, "exception causes must derive from BaseException");
    return;
  }
  Value old = e->cause;
  e->cause = cause_value;
  e->suppress_context = true;
  decref(old);
}

// a <op> b for two numbers of one C++ type that compare like Python's (no NaN among them).
template <class Number>
[[gnu::always_inline]] inline bool compare_ordered(Number a, Number b, CompareOp op) {
  switch (op) {
    case CompareOp::Lt: return a < b;
    case CompareOp::Le: return a <= b;
    case CompareOp::Eq: return a == b;
    case CompareOp::Ne: return a != b;
    case CompareOp::Gt: return a > b;
    default: return a >= b;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// The loop

template <class RC>
static Value run_frame(ThreadState* tstate, Frame* entry) {
  // The dispatch table lists a label per opcode, in opcode order.
  static void* const dispatch_table[256] = {
#define MINIVM_OPCODE_LABEL(name, pops, pushes, flags) &&L_##name,
      MINIVM_OPCODES(MINIVM_OPCODE_LABEL)
#undef MINIVM_OPCODE_LABEL
  };

  Frame* frame = entry;
  Code* code;
  // Only these stay live across the whole loop, so that the compiler can keep pc and sp
  // in callee-saved registers; everything else is derived from them when needed.
  const uint32_t* pc;
  Value* sp;
  uint32_t oparg;

  auto incref = [](Value v) {
    if (v.is_obj()) RC::incref(v.obj());
  };
  auto decref = [](Value v) {
    if (v.is_obj()) RC::decref(v.obj());
  };
  // The same, forced inline, for the hottest instructions (local and attribute loads, list
  // and tuple subscripts, unpacking). Left to GCC's inlining budget,
  // which this function exhausts, they may become calls; forcing all of them inline makes
  // the function so large that the register allocator spills pc and sp in the hottest paths.
  auto incref_inline = [](Value v) __attribute__((always_inline)) {
    if (v.is_obj()) RC::incref(v.obj());
  };
  auto decref_inline = [](Value v) __attribute__((always_inline)) {
    if (v.is_obj()) RC::decref(v.obj());
  };
#define LOAD_FRAME_REGISTERS()                         \
  do {                                                 \
    code = frame->code;                                \
    pc = code->instructions + frame->instr_index;      \
    sp = frame->stack_pointer;                         \
  } while (0)
#define SAVE_PC() (frame->instr_index = uint32_t(pc - first_instr - 1))
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define PEEK(n) (sp[-static_cast<ptrdiff_t>(n)])
#define DISPATCH()                                \
  do {                                            \
    uint32_t instr = *pc++;                       \
    oparg = instr >> 8;                           \
    goto* dispatch_table[instr & 0xff];           \
  } while (0)
#define first_instr (code->instructions)
#define LOCALS (frame->localsplus)
#define TARGET(op) L_##op:
#define NAME(i) (code->names->items[i].as<Str>())
#define ERROR_IF(cond) \
  do {                 \
    if (cond) goto error; \
  } while (0)

  tstate->frame = frame;
  LOAD_FRAME_REGISTERS();
  DISPATCH();

  // --- stack manipulation ---
  TARGET(NOP) { DISPATCH(); }
  TARGET(POP_TOP) {
    decref(POP());
    DISPATCH();
  }
  TARGET(PUSH_NULL) {
    PUSH(Value());
    DISPATCH();
  }
  TARGET(COPY) {
    Value v = PEEK(oparg);
    incref(v);
    PUSH(v);
    DISPATCH();
  }
  TARGET(SWAP) {
    Value v = TOP();
    TOP() = PEEK(oparg);
    PEEK(oparg) = v;
    DISPATCH();
  }

  // --- variables ---
  TARGET(LOAD_CONST) {
    PUSH(code->consts->items[oparg]);   // constants are immortal
    DISPATCH();
  }
  TARGET(LOAD_FAST) {
    Value v = LOCALS[oparg];
    if (!v) {
      unbound_local(*tstate, code, oparg);
      goto error;
    }
    incref_inline(v);
    PUSH(v);
    DISPATCH();
  }
  TARGET(STORE_FAST) {
    Value old = LOCALS[oparg];
    LOCALS[oparg] = POP();
    decref(old);
    DISPATCH();
  }
  TARGET(DELETE_FAST) {
    Value old = LOCALS[oparg];
    if (!old) {
      unbound_local(*tstate, code, oparg);
      goto error;
    }
    LOCALS[oparg] = Value();
    decref(old);
    DISPATCH();
  }
  TARGET(LOAD_DEREF) {
    // Cells are shared by closures that may run on several threads: their value is read
    // and written atomically, and a replaced value is released after a grace period.
    Value v = std::atomic_ref<Value>(LOCALS[code->nlocals + oparg].as<Cell>()->value).load(std::memory_order_acquire);
    if (!v) {
      unbound_deref(*tstate, code, oparg);
      goto error;
    }
    incref(v);
    PUSH(v);
    DISPATCH();
  }
  TARGET(STORE_DEREF) {
    Cell* cell = LOCALS[code->nlocals + oparg].as<Cell>();
    Value old = std::atomic_ref<Value>(cell->value).exchange(POP(), std::memory_order_acq_rel);
    if constexpr (RC::kFreeThreaded) qsbr_decref_later(old);
    else decref(old);
    DISPATCH();
  }
  TARGET(DELETE_DEREF) {
    Cell* cell = LOCALS[code->nlocals + oparg].as<Cell>();
    Value old = std::atomic_ref<Value>(cell->value).load(std::memory_order_acquire);
    if (!old) {
      unbound_deref(*tstate, code, oparg);
      goto error;
    }
    cell->value = Value();
    decref(old);
    DISPATCH();
  }
  TARGET(LOAD_CLASSDEREF) {
    Str* name = deref_name(code, oparg);
    Value v = frame->locals ? dict_get_str(frame->locals, name) : Value();
    if (!v) {
      v = LOCALS[code->nlocals + oparg].as<Cell>()->value;
      if (!v) {
        unbound_deref(*tstate, code, oparg);
        goto error;
      }
    }
    incref(v);
    PUSH(v);
    DISPATCH();
  }
  TARGET(LOAD_CLOSURE) {
    Value cell = LOCALS[code->nlocals + oparg];
    incref(cell);
    PUSH(cell);
    DISPATCH();
  }
  TARGET(LOAD_GLOBAL) {
    // Inline cache: (keys version, entry index) of the dict that holds the name. Keys
    // versions are unique across dicts and change when keys are added or removed, so a
    // match means the name is still at that index; the key check guards against torn
    // cache reads from other threads.
    Str* name = NAME(oparg);
    InlineCache& cache = code->caches[code->cache_index[pc - first_instr - 1]];
    Dict* globals = frame->globals;
    uint64_t cached = cache.value.load(std::memory_order_relaxed);
    bool in_builtins = cached >> 63;
    Dict* holder = in_builtins ? frame->builtins : globals;
    uint64_t expected = in_builtins ? dict_keys_version(globals) ^ (dict_keys_version(frame->builtins) * 0x9E3779B97F4A7C15ull)
                                    : dict_keys_version(globals);
    Value v;
    if (cache.key.load(std::memory_order_relaxed) == expected) v = dict_cached_str_value(holder, uint32_t(cached), name);
    if (!v) {
      uint64_t globals_version = dict_keys_version(globals);
      int64_t gi = dict_index_of_str(globals, name);
      if (gi >= 0) {
        v = dict_get_str(globals, name);
        cache.value.store(uint64_t(gi), std::memory_order_relaxed);
        cache.key.store(globals_version, std::memory_order_relaxed);
      } else {
        uint64_t builtins_version = dict_keys_version(frame->builtins);
        int64_t bi = dict_index_of_str(frame->builtins, name);
        if (bi < 0) {
          raise_fmt(*tstate, &NameError_type, "name '%.*s' is not defined", int(name->size), name->data);
          goto error;
        }
        v = dict_get_str(frame->builtins, name);
        cache.value.store(uint64_t(bi) | (1ull << 63), std::memory_order_relaxed);
        cache.key.store(globals_version ^ (builtins_version * 0x9E3779B97F4A7C15ull), std::memory_order_relaxed);
      }
      if (!v) {   // removed by another thread meanwhile
        raise_fmt(*tstate, &NameError_type, "name '%.*s' is not defined", int(name->size), name->data);
        goto error;
      }
    }
    incref(v);
    PUSH(v);
    DISPATCH();
  }
  TARGET(STORE_GLOBAL) {
    Value v = POP();
    int rc = dict_set_str(*tstate, frame->globals, NAME(oparg), v);
    decref(v);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(DELETE_GLOBAL) {
    Str* name = NAME(oparg);
    int rc = dict_discard(*tstate, frame->globals, Value::from_obj(name));
    ERROR_IF(rc < 0);
    if (rc == 0) {
      raise_fmt(*tstate, &NameError_type, "name '%.*s' is not defined", int(name->size), name->data);
      goto error;
    }
    DISPATCH();
  }
  TARGET(LOAD_NAME) {
    Value v = load_name(*tstate, frame, NAME(oparg));
    ERROR_IF(!v);
    PUSH(v);
    DISPATCH();
  }
  TARGET(STORE_NAME) {
    Value v = POP();
    int rc = frame->locals ? object_setitem(*tstate, Value::from_obj(frame->locals), Value::from_obj(NAME(oparg)), v)
                           : dict_set_str(*tstate, frame->globals, NAME(oparg), v);
    decref(v);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(DELETE_NAME) {
    Str* name = NAME(oparg);
    Dict* ns = frame->locals ? frame->locals : frame->globals;
    int rc = dict_discard(*tstate, ns, Value::from_obj(name));
    ERROR_IF(rc < 0);
    if (rc == 0) {
      raise_fmt(*tstate, &NameError_type, "name '%.*s' is not defined", int(name->size), name->data);
      goto error;
    }
    DISPATCH();
  }

  // --- attributes ---
  TARGET(LOAD_ATTR) {
    Value obj = TOP();
    Str* name = NAME(oparg);
    InlineCache& cache = code->caches[code->cache_index[pc - first_instr - 1]];
    Type* type = type_of(obj);
    uint32_t version = type->version_tag.load(std::memory_order_relaxed);
    if (type->getattr == generic_getattr && attr_cache_has_plain_attr(&cache, type, version, name)) {
      Dict** slot = instance_dict_slot(obj);
      if (Dict* dict = slot ? *slot : nullptr) {
        Value v = dict_cached_str_value(dict, uint32_t(cache.value.load(std::memory_order_relaxed)), name);
        uint32_t index;
        if (!v && (v = dict_get_str_at(dict, name, &index))) update_cache_value(cache, index);
        if (v) {
          incref_inline(v);
          decref_inline(obj);
          TOP() = v;
          DISPATCH();
        }
      }
    }
    Value v = object_getattr(*tstate, obj, name);
    decref(obj);
    if (!v) {
      sp--;
      goto error;
    }
    TOP() = v;
    DISPATCH();
  }
  TARGET(STORE_ATTR) {
    // Same cache as LOAD_ATTR: a class without this attribute means a plain __dict__ store.
    Value obj = POP();
    Value v = POP();
    Str* name = NAME(oparg);
    InlineCache& cache = code->caches[code->cache_index[pc - first_instr - 1]];
    Type* type = type_of(obj);
    uint32_t version = type->version_tag.load(std::memory_order_relaxed);
    int rc;
    Dict** slot;
    if (type->setattr == generic_setattr && (slot = instance_dict_slot(obj)) && *slot &&
        attr_cache_has_plain_attr(&cache, type, version, name)) {
      // The dict takes the stack's reference to v when the cached entry holds the name.
      uint32_t index = uint32_t(cache.value.load(std::memory_order_relaxed));
      if (Value old = dict_exchange_cached_str_value<RC::kFreeThreaded>(*slot, index, name, v)) {
        if constexpr (RC::kFreeThreaded) qsbr_decref_later(old);
        else decref_inline(old);
        decref_inline(obj);
        DISPATCH();
      }
      rc = dict_set_str(*tstate, *slot, name, v, &index);
      update_cache_value(cache, index);
    } else {
      rc = object_setattr(*tstate, obj, name, v);   // e.g. the first store to a fresh instance
    }
    decref(obj);
    decref(v);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(DELETE_ATTR) {
    Value obj = POP();
    int rc = object_delattr(*tstate, obj, NAME(oparg));
    decref(obj);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(LOAD_METHOD) {
    // Push [function, self] when the attribute is a plain method found on the type, so
    // CALL needs no bound-method object; otherwise [null, attribute].
    Value obj = TOP();
    Str* name = NAME(oparg);
    Type* type = type_of(obj);
    if (type->getattr == generic_getattr) {
      // Inline cache: (class version tag, the method found on the class). Written value
      // first, then key; issue 4's free-threaded mode will need these read as a pair.
      // The pair is read like a seqlock: the key before and after the value, and a writer
      // clears the key while it changes the value, so a torn pair never matches.
      InlineCache& cache = code->caches[code->cache_index[pc - first_instr - 1]];
      uint32_t version = type->version_tag.load(std::memory_order_relaxed);
      Value attr;
      uint64_t key_before = cache.key.load(std::memory_order_acquire);
      if (version && key_before == version) {
        attr = Value::from_raw(uintptr_t(cache.value.load(std::memory_order_relaxed)));
        std::atomic_thread_fence(std::memory_order_acquire);
        if (cache.key.load(std::memory_order_relaxed) != key_before) attr = type_lookup(type, name);
      } else {
        attr = type_lookup(type, name);
        if (attr && version && (type_of(attr) == &function_type || type_of(attr) == &method_descriptor_type)) {
          cache.key.store(0, std::memory_order_relaxed);
          std::atomic_thread_fence(std::memory_order_release);
          cache.value.store(uint64_t(attr.raw()), std::memory_order_relaxed);
          cache.key.store(version, std::memory_order_release);
        }
      }
      if (attr) {
        Type* at = type_of(attr);
        if (at == &function_type || at == &method_descriptor_type) {
          Dict** dslot = instance_dict_slot(obj);
          if (!dslot || !*dslot || !dict_has_str(*dslot, name)) {
            incref(attr);
            TOP() = attr;
            PUSH(obj);
            DISPATCH();
          }
        }
      }
    }
    Value v = object_getattr(*tstate, obj, name);
    decref(obj);
    if (!v) {
      sp--;
      goto error;
    }
    TOP() = Value();
    PUSH(v);
    DISPATCH();
  }

  // --- operators ---
  TARGET(BINARY_OP) {
    // Every operator, and + - * / on anything but two small ints or two floats (the
    // specialised instructions below come here for those).
    Value b = POP();
    Value a = TOP();
    Value r;
    if (a.is_small_int() && b.is_small_int()) {
      int64_t x = a.as_small_int(), y = b.as_small_int(), z;
      switch (BinaryOp(oparg & 0x0f)) {
        case BinaryOp::FloorDiv:
          if (y != 0) {
            z = x / y;
            if ((x % y != 0) && ((x < 0) != (y < 0))) z--;
            if (Value::fits_small(z)) {   // kSmallMin // -1 does not fit
              TOP() = Value::small_int(z);
              DISPATCH();
            }
          }
          break;
        case BinaryOp::Mod:
          if (y != 0) {
            z = x % y;
            if (z != 0 && ((z < 0) != (y < 0))) z += y;
            TOP() = Value::small_int(z);
            DISPATCH();
          }
          break;
        case BinaryOp::And:
          TOP() = Value::small_int(x & y);
          DISPATCH();
        case BinaryOp::Or:
          TOP() = Value::small_int(x | y);
          DISPATCH();
        case BinaryOp::Xor:
          TOP() = Value::small_int(x ^ y);
          DISPATCH();
        default:
          break;
      }
    }
    r = binary_op(*tstate, a, b, BinaryOp(oparg));
    decref(a);
    decref(b);
    if (!r) {
      sp--;
      goto error;
    }
    TOP() = r;
    DISPATCH();
  }
  // BINARY_OP specialised by operator (vm/opcodes.h). INT_FAST_PATH sets z from the small
  // ints x and y and says whether it fits a small int; FLOAT_RESULT is the result for the
  // doubles x and y, used when both operands are immediate numbers and one is a float
  // (runtime/float.h): neither then needs a refcount. Anything else goes to BINARY_OP,
  // with the operands still on the stack.
#define BINARY_ARITHMETIC(NAME, INT_FAST_PATH, FLOAT_RESULT)        \
  TARGET(NAME) {                                                    \
    Value b = TOP(), a = PEEK(2);                                   \
    if (a.is_small_int() && b.is_small_int()) {                     \
      int64_t x = a.as_small_int(), y = b.as_small_int(), z;        \
      if (INT_FAST_PATH) {                                          \
        sp--;                                                       \
        TOP() = Value::small_int(z);                                \
        DISPATCH();                                                 \
      }                                                             \
    } else if (a.is_immediate() && b.is_immediate()) {              \
      double x = immediate_number_value(a), y = immediate_number_value(b); \
      sp--;                                                         \
      TOP() = float_new(FLOAT_RESULT);                              \
      DISPATCH();                                                   \
    }                                                               \
    goto L_BINARY_OP;                                               \
  }
  BINARY_ARITHMETIC(BINARY_OP_ADD, (z = x + y, Value::fits_small(z)), x + y)
  BINARY_ARITHMETIC(BINARY_OP_SUBTRACT, (z = x - y, Value::fits_small(z)), x - y)
  BINARY_ARITHMETIC(BINARY_OP_MULTIPLY, !__builtin_mul_overflow(x, y, &z) && Value::fits_small(z), x * y)
#undef BINARY_ARITHMETIC
  TARGET(BINARY_OP_TRUE_DIVIDE) {
    // Division by zero raises in BINARY_OP. Small ints up to 2**53 are exact doubles, so
    // one division rounds correctly, as Python's int / int must.
    Value b = TOP(), a = PEEK(2);
    constexpr int64_t kExact = int64_t(1) << 53;
    if (a.is_small_int() && b.is_small_int()) {
      int64_t x = a.as_small_int(), y = b.as_small_int();
      if (y != 0 && x >= -kExact && x <= kExact && y >= -kExact && y <= kExact) {
        sp--;
        TOP() = float_new(double(x) / double(y));
        DISPATCH();
      }
    } else if (a.is_immediate() && b.is_immediate()) {
      double x = immediate_number_value(a), y = immediate_number_value(b);
      if (y != 0) {
        sp--;
        TOP() = float_new(x / y);
        DISPATCH();
      }
    }
    goto L_BINARY_OP;
  }
  TARGET(UNARY_NEGATIVE) {
    Value v = TOP();
    if (v.is_small_int() && Value::fits_small(-v.as_small_int())) {
      TOP() = Value::small_int(-v.as_small_int());
      DISPATCH();
    }
    if (v.is_immediate_float()) {
      TOP() = immediate_float_negated(v);
      DISPATCH();
    }
    Value r = unary_op(*tstate, v, UnaryOp::Neg);
    decref(v);
    if (!r) {
      sp--;
      goto error;
    }
    TOP() = r;
    DISPATCH();
  }
  TARGET(UNARY_POSITIVE) {
    Value v = TOP();
    Value r = unary_op(*tstate, v, UnaryOp::Pos);
    decref(v);
    if (!r) {
      sp--;
      goto error;
    }
    TOP() = r;
    DISPATCH();
  }
  TARGET(UNARY_INVERT) {
    Value v = TOP();
    Value r = unary_op(*tstate, v, UnaryOp::Invert);
    decref(v);
    if (!r) {
      sp--;
      goto error;
    }
    TOP() = r;
    DISPATCH();
  }
  TARGET(UNARY_NOT) {
    Value v = TOP();
    int truth = object_truth(*tstate, v);
    decref(v);
    if (truth < 0) {
      sp--;
      goto error;
    }
    TOP() = bool_value(!truth);
    DISPATCH();
  }
  TARGET(COMPARE_OP) {
    Value b = POP();
    Value a = TOP();
    bool r;
    // Two small ints, or two immediate floats (never NaN), compare without a call. An int
    // against a float takes the generic path, which compares them exactly.
    if (a.is_small_int() && b.is_small_int()) {
      r = compare_ordered(a.as_small_int(), b.as_small_int(), CompareOp(oparg));
    } else if (a.is_immediate_float() && b.is_immediate_float()) {
      r = compare_ordered(immediate_float_value(a), immediate_float_value(b), CompareOp(oparg));
    } else {
      Value result = object_compare(*tstate, a, b, CompareOp(oparg));
      decref(a);
      decref(b);
      if (!result) {
        sp--;
        goto error;
      }
      TOP() = result;
      DISPATCH();
    }
    // `if a < b:` compiles to COMPARE_OP, POP_JUMP_IF_FALSE: branch here directly instead
    // of making the bool and dispatching once more.
    uint32_t next = *pc;
    if (opcode_of(next) == Opcode::POP_JUMP_IF_FALSE) {
      sp--;
      pc = r ? pc + 1 : first_instr + arg_of(next);
      DISPATCH();
    }
    TOP() = bool_value(r);
    DISPATCH();
  }
  TARGET(IS_OP) {
    Value b = POP();
    Value a = TOP();
    bool r = (a == b) != (oparg == 1);
    decref(a);
    decref(b);
    TOP() = bool_value(r);
    DISPATCH();
  }
  TARGET(CONTAINS_OP) {
    Value container = POP();
    Value item = TOP();
    int r = object_contains(*tstate, container, item);
    decref(container);
    decref(item);
    if (r < 0) {
      sp--;
      goto error;
    }
    TOP() = bool_value((r == 1) != (oparg == 1));
    DISPATCH();
  }
  TARGET(BINARY_SUBSCR) {
    Value key = POP();
    Value container = TOP();
    Value r;
    if (key.is_small_int() && type_of(container) == &list_type) {
      List* l = container.as<List>();
      int64_t i = key.as_small_int();
      if (i < 0) i += int64_t(list_size(l));
      if (i >= 0 && (r = list_item_ref(l, size_t(i)))) {
        decref_inline(container);
        TOP() = r;
        DISPATCH();
      }
    } else if (key.is_small_int() && type_of(container) == &tuple_type) {
      Tuple* t = container.as<Tuple>();
      int64_t i = key.as_small_int();
      if (i < 0) i += int64_t(t->size);
      if (uint64_t(i) < t->size) {
        r = t->items[i];
        incref_inline(r);
        decref_inline(container);
        TOP() = r;
        DISPATCH();
      }
    }
    r = object_getitem(*tstate, container, key);
    decref(container);
    decref(key);
    if (!r) {
      sp--;
      goto error;
    }
    TOP() = r;
    DISPATCH();
  }
  TARGET(STORE_SUBSCR) {
    // Argument 1: the value is on top, as an augmented assignment `a[i] += x` leaves it,
    // which saves the two SWAPs that would restore the usual order.
    Value v = oparg ? POP() : Value();
    Value key = POP();
    Value container = POP();
    if (!oparg) v = POP();
    if (key.is_small_int() && type_of(container) == &list_type) {
      // The list takes the stack's reference to v.
      if (Value old = list_exchange_item_fast<RC::kFreeThreaded>(container.as<List>(), key.as_small_int(), v)) {
        if constexpr (RC::kFreeThreaded) qsbr_decref_later(old);
        else decref_inline(old);
        decref_inline(container);
        DISPATCH();
      }
    }
    int rc = object_setitem(*tstate, container, key, v);
    decref(key);
    decref(container);
    decref(v);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(DELETE_SUBSCR) {
    Value key = POP();
    Value container = POP();
    int rc = object_delitem(*tstate, container, key);
    decref(key);
    decref(container);
    ERROR_IF(rc < 0);
    DISPATCH();
  }

  // --- building values ---
  TARGET(BUILD_SLICE) {
    Value step = oparg == 3 ? POP() : Value();
    Value stop = POP();
    Value start = TOP();
    Value r = slice_new(*tstate, start, stop, step);
    decref(start);
    decref(stop);
    decref(step);
    if (!r) {
      sp--;
      goto error;
    }
    TOP() = r;
    DISPATCH();
  }
  TARGET(BUILD_TUPLE) {
    Tuple* t = tuple_new(*tstate, oparg);
    ERROR_IF(!t);
    for (uint32_t i = oparg; i > 0; i--) t->items[i - 1] = POP();
    PUSH(Value::from_obj(t));
    DISPATCH();
  }
  TARGET(BUILD_LIST) {
    List* l = list_new(*tstate, oparg);
    ERROR_IF(!l);
    l->size = oparg;
    for (uint32_t i = oparg; i > 0; i--) l->items[i - 1] = POP();
    PUSH(Value::from_obj(l));
    DISPATCH();
  }
  TARGET(BUILD_SET) {
    Set* s = set_new(*tstate);
    ERROR_IF(!s);
    int rc = 0;
    for (uint32_t i = oparg; i > 0; i--)
      if (rc == 0) rc = set_add(*tstate, s, PEEK(i));
    for (uint32_t i = 0; i < oparg; i++) decref(POP());
    if (rc < 0) {
      decref(Value::from_obj(s));
      goto error;
    }
    PUSH(Value::from_obj(s));
    DISPATCH();
  }
  TARGET(BUILD_MAP) {
    Dict* d = dict_new(*tstate);
    ERROR_IF(!d);
    int rc = 0;
    for (uint32_t i = oparg; i > 0; i--)
      if (rc == 0) rc = dict_set(*tstate, d, PEEK(2 * i), PEEK(2 * i - 1));
    for (uint32_t i = 0; i < 2 * oparg; i++) decref(POP());
    if (rc < 0) {
      decref(Value::from_obj(d));
      goto error;
    }
    PUSH(Value::from_obj(d));
    DISPATCH();
  }
  TARGET(BUILD_STRING) {
    Value r = build_string(*tstate, sp - oparg, oparg);
    for (uint32_t i = 0; i < oparg; i++) decref(POP());
    ERROR_IF(!r);
    PUSH(r);
    DISPATCH();
  }
  TARGET(LIST_APPEND) {
    Value v = POP();
    int rc = list_append(*tstate, PEEK(oparg).as<List>(), v);
    decref(v);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(SET_ADD) {
    Value v = POP();
    int rc = set_add(*tstate, PEEK(oparg).as<Set>(), v);
    decref(v);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(MAP_ADD) {
    Value v = POP();
    Value k = POP();
    int rc = dict_set(*tstate, PEEK(oparg).as<Dict>(), k, v);
    decref(k);
    decref(v);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(LIST_EXTEND) {
    Value iterable = POP();
    int rc = list_extend(*tstate, PEEK(oparg).as<List>(), iterable);
    if (rc < 0 && error_matches(*tstate, &TypeError_type) && !type_of(iterable)->iter && !type_of(iterable)->getitem) {
      clear_error(*tstate);
      raise_fmt(*tstate, &TypeError_type, "Value after * must be an iterable, not %s", type_name(iterable));
    }
    decref(iterable);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(SET_UPDATE) {
    Value iterable = POP();
    int rc = set_update(*tstate, PEEK(oparg).as<Set>(), iterable);
    decref(iterable);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(DICT_UPDATE) {
    Value m = POP();
    int rc = dict_update(*tstate, PEEK(oparg).as<Dict>(), m);
    if (rc < 0 && error_matches(*tstate, &AttributeError_type)) {
      clear_error(*tstate);
      raise_fmt(*tstate, &TypeError_type, "'%s' object is not a mapping", type_name(m));
    }
    decref(m);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(DICT_MERGE) {
    Value m = POP();
    // The callable sits under the positional tuple and the dict being built.
    int rc = dict_merge_keywords(*tstate, PEEK(oparg).as<Dict>(), m, PEEK(oparg + 2));
    decref(m);
    ERROR_IF(rc < 0);
    DISPATCH();
  }
  TARGET(LIST_TO_TUPLE) {
    Value l = TOP();
    Value t = list_as_tuple(*tstate, l.as<List>());
    decref(l);
    if (!t) {
      sp--;
      goto error;
    }
    TOP() = t;
    DISPATCH();
  }
  TARGET(FORMAT_VALUE) {
    Value spec = (oparg & 4) ? POP() : Value();
    Value v = TOP();
    Value r = format_with_conversion(*tstate, v, oparg, spec);
    decref(spec);
    decref(v);
    if (!r) {
      sp--;
      goto error;
    }
    TOP() = r;
    DISPATCH();
  }
  TARGET(UNPACK_SEQUENCE) {
    Value seq = POP();
    // `for a, b in pairs:` and `x, y, z = point`: an exact tuple or list of the right size,
    // inline. Items go on the stack last first.
    if (type_of(seq) == &tuple_type && seq.as<Tuple>()->size == oparg) {
      const Value* items = seq.as<Tuple>()->items;
      for (uint32_t i = oparg; i > 0; i--) PUSH(items[i - 1]);
      for (uint32_t i = 0; i < oparg; i++) incref_inline(items[i]);
      decref_inline(seq);
      DISPATCH();
    }
    if (type_of(seq) == &list_type) {
      // Free-threaded, the list's lock keeps its size and items consistent.
      List* l = seq.as<List>();
      FastPathLock lock;
      if (!RC::kFreeThreaded || lock.acquire(l)) {
        bool fits = l->size == oparg;
        if (fits) {
          for (uint32_t i = oparg; i > 0; i--) PUSH(l->items[i - 1]);
          for (uint32_t i = 0; i < oparg; i++) incref_inline(l->items[i]);
        }
        lock.release();
        if (fits) {
          decref_inline(seq);
          DISPATCH();
        }
      }
    }
    bool ok = unpack_sequence(*tstate, seq, oparg, sp);
    decref(seq);
    ERROR_IF(!ok);
    sp += oparg;
    DISPATCH();
  }
  TARGET(UNPACK_EX) {
    Value seq = POP();
    size_t before = oparg & 0xff, after = oparg >> 8;
    bool ok = unpack_ex(*tstate, seq, before, after, sp);
    decref(seq);
    ERROR_IF(!ok);
    sp += before + after + 1;
    DISPATCH();
  }

  // --- control flow ---
  TARGET(JUMP) {
    pc = first_instr + oparg;
    DISPATCH();
  }
  TARGET(JUMP_BACKWARD) {
    pc = first_instr + oparg;
    if (tstate->eval_breaker.load(std::memory_order_relaxed)) {
      SAVE_PC();
      frame->stack_pointer = sp;
      ERROR_IF(!handle_eval_breaker(*tstate));
    }
    DISPATCH();
  }
  TARGET(POP_JUMP_IF_FALSE) {
    Value v = POP();
    if (v == false_value()) {
      pc = first_instr + oparg;
    } else if (v != true_value()) {
      int truth = object_truth(*tstate, v);
      decref(v);
      ERROR_IF(truth < 0);
      if (!truth) pc = first_instr + oparg;
    }
    DISPATCH();
  }
  TARGET(POP_JUMP_IF_TRUE) {
    Value v = POP();
    if (v == true_value()) {
      pc = first_instr + oparg;
    } else if (v != false_value()) {
      int truth = object_truth(*tstate, v);
      decref(v);
      ERROR_IF(truth < 0);
      if (truth) pc = first_instr + oparg;
    }
    DISPATCH();
  }
  TARGET(JUMP_IF_FALSE_OR_POP) {
    Value v = TOP();
    int truth = object_truth(*tstate, v);
    ERROR_IF(truth < 0);
    if (!truth) {
      pc = first_instr + oparg;
    } else {
      sp--;
      decref(v);
    }
    DISPATCH();
  }
  TARGET(JUMP_IF_TRUE_OR_POP) {
    Value v = TOP();
    int truth = object_truth(*tstate, v);
    ERROR_IF(truth < 0);
    if (truth) {
      pc = first_instr + oparg;
    } else {
      sp--;
      decref(v);
    }
    DISPATCH();
  }
  TARGET(GET_ITER) {
    Value v = TOP();
    Value it = object_iter(*tstate, v);
    decref(v);
    if (!it) {
      sp--;
      goto error;
    }
    TOP() = it;
    DISPATCH();
  }
  TARGET(FOR_ITER) {
    Value it = TOP();
    Value next = type_of(it)->iternext(*tstate, it);
    if (next) {
      PUSH(next);
      DISPATCH();
    }
    if (tstate->has_error()) {
      if (!error_matches(*tstate, &StopIteration_type)) goto error;
      clear_error(*tstate);
    }
    sp--;
    decref(it);
    pc = first_instr + oparg;
    DISPATCH();
  }
  TARGET(RETURN_VALUE) {
    Value retval = POP();
    // Release the locals (the value stack is empty at a return).
    for (Value* p = LOCALS; p < sp; p++) decref(*p);
    frame->stack_pointer = frame->localsplus;   // nothing left for frame_clear to release
    if (frame->is_entry) {
      tstate->frame = frame->previous;
      return retval;
    }
    Frame* caller = frame->previous;
    datastack_pop(*tstate, frame);
    tstate->recursion_depth--;
    frame = caller;
    tstate->frame = frame;
    LOAD_FRAME_REGISTERS();
    pc++;   // past the CALL that made the returning frame
    decref(POP());
    decref(POP());
    PUSH(retval);
    DISPATCH();
  }

  // --- calls ---
  TARGET(CALL) {
    uint32_t nargs = oparg;
    Value* args = sp - nargs;
    Value callable = sp[-int(nargs) - 1];
    // The hint only chooses which case falls through: with the inlined reference counts
    // GCC otherwise moved plain calls (fib's) behind a jump; a method call pays that jump.
    if (Value method = sp[-int(nargs) - 2]) [[unlikely]] {
      callable = method;
      args--;
      nargs++;
    }
    SAVE_PC();
    if (type_of(callable) == &function_type) {
      Function* func = callable.as<Function>();
      Code* callee = func->code;
      if (!(callee->flags & kCodeGeneratorLike)) {
        // The poll point of a Python call is its entry. (A native call polls after it
        // returns instead: a thread must not be switched out between `with lock:`'s
        // acquire and the code it protects, or every thread queues on the lock.)
        if (tstate->eval_breaker.load(std::memory_order_relaxed)) {
          frame->stack_pointer = sp;
          ERROR_IF(!handle_eval_breaker(*tstate));
        }
        if (tstate->recursion_depth >= tstate->interp->recursion_limit) {
          raise(*tstate, &RecursionError_type, "maximum recursion depth exceeded");
          goto error;
        }
        auto* nf = static_cast<Frame*>(datastack_push(*tstate, callee->frame_bytes));
        if (!nf) {
          raise_memory_error(*tstate);
          goto error;
        }
        constexpr uint32_t kSimple = kCodeVarargs | kCodeVarkeywords;
        if (nargs == uint32_t(callee->argcount) && !(callee->flags & kSimple) && callee->kwonlyargcount == 0) {
          // The common case, inlined: fill the frame header and move the arguments into
          // the new frame's locals.
          nf->code = callee;
          nf->func = func;
          nf->globals = func->globals;
          nf->builtins = func->builtins;
          nf->locals = nullptr;
          nf->generator = nullptr;
          int nlocalsplus = callee->nlocalsplus();
          nf->nlocalsplus = nlocalsplus;
          nf->stack_pointer = nf->localsplus + nlocalsplus;
          nf->blocks = reinterpret_cast<Block*>(nf->localsplus + nlocalsplus + callee->stacksize);
          nf->instr_index = 0;
          nf->nblocks = 0;
          nf->is_entry = false;
          for (uint32_t i = 0; i < nargs; i++) {
            nf->localsplus[i] = args[i];
            args[i] = Value();
          }
          for (int i = int(nargs); i < nlocalsplus; i++) nf->localsplus[i] = Value();
          if (callee->ncells || callee->nfrees) frame_init_cells(*tstate, nf, func);
        } else {
          frame_init(nf, callee, func, func->globals, func->builtins, nullptr);
          if (!frame_bind_arguments(*tstate, nf, func, args, nargs, nullptr)) {
            frame_clear(nf);
            datastack_pop(*tstate, nf);
            goto error;
          }
          for (uint32_t i = 0; i < nargs; i++) {
            decref(args[i]);
            args[i] = Value();
          }
        }
        // Keep [method or null, callable or moved-out self] until the callee returns.
        sp -= oparg;
        frame->stack_pointer = sp;
        nf->previous = frame;
        tstate->recursion_depth++;
        frame = nf;
        tstate->frame = frame;
        LOAD_FRAME_REGISTERS();
        DISPATCH();
      }
    }
    Value r;
    if (type_of(callable) == &builtin_function_type && !callable.as<BuiltinFunction>()->self) {
      r = callable.as<BuiltinFunction>()->def->fn(*tstate, args, nargs, nullptr);
    } else {
      frame->stack_pointer = sp;
      r = object_call(*tstate, callable, args, nargs, nullptr);
    }
    for (uint32_t i = 0; i < oparg + 2; i++) decref(POP());
    ERROR_IF(!r);
    PUSH(r);
    if (tstate->eval_breaker.load(std::memory_order_relaxed)) {
      frame->stack_pointer = sp;
      ERROR_IF(!handle_eval_breaker(*tstate));
    }
    DISPATCH();
  }
  TARGET(CALL_KW) {
    Value kwnames = POP();   // a constant tuple
    uint32_t nargs = oparg - uint32_t(kwnames.as<Tuple>()->size);
    Value* args = sp - oparg;
    Value callable = sp[-int(oparg) - 1];
    if (Value method = sp[-int(oparg) - 2]) {
      callable = method;
      args--;
      nargs++;
    }
    SAVE_PC();
    frame->stack_pointer = sp;
    Value r = object_call(*tstate, callable, args, nargs, kwnames.as<Tuple>());
    for (uint32_t i = 0; i < oparg + 2; i++) decref(POP());
    ERROR_IF(!r);
    PUSH(r);
    DISPATCH();
  }
  TARGET(CALL_EX) {
    Value kwargs = (oparg & 1) ? POP() : Value();
    Value args = POP();
    Value callable = POP();
    decref(POP());   // the null under the callable
    SAVE_PC();
    frame->stack_pointer = sp;
    Value r = call_with_tuple(*tstate, callable, args.as<Tuple>(), kwargs ? kwargs.as<Dict>() : nullptr);
    decref(kwargs);
    decref(args);
    decref(callable);
    ERROR_IF(!r);
    PUSH(r);
    DISPATCH();
  }
  TARGET(MAKE_FUNCTION) {
    Value code_value = POP();
    int nparts = __builtin_popcount(oparg & 7);
    Value* parts = sp - nparts;
    Value f = make_function(*tstate, frame, code_value.as<Code>(), oparg, parts);
    ERROR_IF(!f);   // parts stay on the stack and are released by the unwinder
    sp -= nparts;   // their references moved into the function
    PUSH(f);
    DISPATCH();
  }
  TARGET(LOAD_BUILD_CLASS) {
    Value v = dict_get_str(frame->builtins, intern("__build_class__"));
    if (!v) {
      raise(*tstate, &NameError_type, "__build_class__ not found");
      goto error;
    }
    incref(v);
    PUSH(v);
    DISPATCH();
  }
  TARGET(LOAD_ASSERTION_ERROR) {
    PUSH(Value::from_obj(&AssertionError_type));
    DISPATCH();
  }
  TARGET(PRINT_EXPR) {
    Value v = POP();
    SAVE_PC();
    frame->stack_pointer = sp;
    bool ok = print_expr(*tstate, v);
    decref(v);
    ERROR_IF(!ok);
    DISPATCH();
  }

  // --- modules ---
  TARGET(IMPORT_NAME) {
    Value fromlist = POP();
    Value level = TOP();
    SAVE_PC();
    frame->stack_pointer = sp;
    Value m = import_name(*tstate, frame->globals, NAME(oparg), fromlist, int(level.as_small_int()));
    decref(fromlist);
    if (!m) {
      sp--;
      goto error;
    }
    TOP() = m;
    DISPATCH();
  }
  TARGET(IMPORT_FROM) {
    Value v = import_from(*tstate, TOP(), NAME(oparg));
    ERROR_IF(!v);
    PUSH(v);
    DISPATCH();
  }
  TARGET(IMPORT_STAR) {
    Value m = POP();
    int rc = import_star(*tstate, frame, m);
    decref(m);
    ERROR_IF(rc < 0);
    DISPATCH();
  }

  // --- exceptions ---
  TARGET(RAISE_VARARGS) {
    Value cause = oparg == 2 ? POP() : Value();
    Value exc = oparg >= 1 ? POP() : Value();
    do_raise(*tstate, exc, cause);
    decref(exc);
    decref(cause);
    tstate->reraising = oparg == 0;
    goto error;
  }
  TARGET(SETUP_FINALLY) {
    frame->blocks[frame->nblocks++] = Block{Block::kFinally, int32_t(oparg), int32_t(sp - frame->stack_base())};
    DISPATCH();
  }
  TARGET(SETUP_WITH) {
    Value mgr = TOP();
    SAVE_PC();
    frame->stack_pointer = sp;
    // Interned once: interned strings live as long as the process (runtime/intern.cpp).
    static Str* const enter_name = intern("__enter__");
    static Str* const exit_name = intern("__exit__");
    Value enter, exit;
    ERROR_IF(!context_manager_methods(*tstate, mgr, enter_name, exit_name, "", &enter, &exit));
    TOP() = exit;
    Value r = object_call(*tstate, enter, nullptr, 0);
    decref(enter);
    decref(mgr);
    ERROR_IF(!r);
    frame->blocks[frame->nblocks++] = Block{Block::kFinally, int32_t(oparg), int32_t(sp - frame->stack_base())};
    PUSH(r);
    DISPATCH();
  }
  TARGET(POP_BLOCK) {
    frame->nblocks--;
    DISPATCH();
  }
  TARGET(POP_EXCEPT) {
    frame->nblocks--;
    restore_handled_exception(*tstate, POP());
    DISPATCH();
  }
  TARGET(RERAISE) {
    Value exc = POP();
    restore_error(*tstate, exc);
    tstate->reraising = true;
    goto error;
  }
  TARGET(CHECK_EXC_MATCH) {
    Value type = TOP();
    int matched = 0;
    bool ok = check_exc_match(*tstate, PEEK(2), type, &matched);
    decref(type);
    if (!ok) {
      sp--;
      goto error;
    }
    TOP() = bool_value(matched);
    DISPATCH();
  }
  TARGET(WITH_EXCEPT_START) {
    Value exc = TOP();
    Value exit = PEEK(3);
    Value args[3] = {Value::from_obj(type_of(exc)), exc, none()};
    if (is_exception_instance(exc) && exc.as<ExceptionObject>()->traceback)
      args[2] = exc.as<ExceptionObject>()->traceback;
    SAVE_PC();
    frame->stack_pointer = sp;
    Value r = object_call(*tstate, exit, args, 3);
    ERROR_IF(!r);
    PUSH(r);
    DISPATCH();
  }

  // --- generators ---
  TARGET(ASYNC_GEN_WRAP) {
    // An async generator's `yield v`: marks v as a value for the consumer, as opposed to
    // what an `await` inside the generator passes out to the event loop.
    Value wrapped = async_gen_wrap(*tstate, TOP());
    if (!wrapped) goto error;   // MemoryError; TOP() is still owned by the stack
    TOP() = wrapped;
    DISPATCH();
  }
  TARGET(YIELD_VALUE) {
    Value v = TOP();
    SAVE_PC();
    frame->stack_pointer = sp;
    Value sent = generator_yield(*tstate, v);
    tstate = current_thread_state();   // a generator may be resumed by another thread
    decref(v);
    if (!sent) {
      sp--;
      goto error;
    }
    TOP() = sent;
    DISPATCH();
  }
  TARGET(GET_YIELD_FROM_ITER) {
    Value v = TOP();
    if (!is_generator_like(v)) {
      Value it = object_iter(*tstate, v);
      decref(v);
      if (!it) {
        sp--;
        goto error;
      }
      TOP() = it;
    }
    DISPATCH();
  }
  TARGET(YIELD_FROM) {
    // Delegate to the sub-iterator until it finishes, passing sent values through.
    Value sent = POP();
    Value sub = TOP();
    SAVE_PC();
    frame->stack_pointer = sp;
    Value result;
    Value thrown;   // an exception thrown into this generator, for the sub-iterator
    for (;;) {
      Value out;
      bool done = false;
      if (thrown) {
        out = yield_from_throw(*tstate, sub, thrown, &done);   // `sent` is null here
        thrown = Value();
      } else if (is_generator_like(sub)) {
        out = generator_send(*tstate, sub, sent, &done);
      } else if (is_none(sent)) {
        // The slot itself, not iter_next, which would drop StopIteration's value: the
        // result of the yield from (or of the await, for an async generator's steps).
        Type* sub_type = type_of(sub);
        out = sub_type->iternext ? sub_type->iternext(*tstate, sub) : iter_next(*tstate, sub);
        if (!out && !tstate->has_error()) {
          out = newref(none());
          done = true;
        } else if (!out && (out = take_stop_iteration_value(*tstate))) {
          done = true;
        }
      } else {
        out = call_method(*tstate, sub, "send", {sent});
        if (!out && (out = take_stop_iteration_value(*tstate))) done = true;
      }
      decref(sent);
      if (!out) break;
      if (done) {
        result = out;
        break;
      }
      sent = generator_yield(*tstate, out);
      tstate = current_thread_state();
      decref(out);
      if (!sent) {
        // Thrown in (throw() or close()): PEP 380 hands it to the sub-iterator first.
        thrown = fetch_error(*tstate);
        sent = Value();
      }
    }
    ERROR_IF(!result);
    decref(sub);
    TOP() = result;
    DISPATCH();
  }
  TARGET(GET_AWAITABLE) {
    Value v = TOP();
    if (!is_generator_like(v)) {
      SAVE_PC();
      frame->stack_pointer = sp;
      Value it = get_awaitable_iterator(*tstate, v);
      decref(v);
      if (!it) {
        sp--;
        goto error;
      }
      TOP() = it;
    }
    DISPATCH();
  }
  TARGET(GET_AITER) {
    Value obj = TOP();
    SAVE_PC();
    frame->stack_pointer = sp;
    Value aiter = get_async_iterator(*tstate, obj);
    decref(obj);
    if (!aiter) {
      sp--;
      goto error;
    }
    TOP() = aiter;
    DISPATCH();
  }
  TARGET(GET_ANEXT) {
    SAVE_PC();
    frame->stack_pointer = sp;
    Value awaitable = async_iterator_next(*tstate, TOP());
    ERROR_IF(!awaitable);
    PUSH(awaitable);
    DISPATCH();
  }
  TARGET(END_ASYNC_FOR) {
    // [aiter, prev, exc] at the handler of an async for step.
    Value exc = POP();
    if (!is_instance_of(exc, &StopAsyncIteration_type)) {
      restore_error(*tstate, exc);
      tstate->reraising = true;
      goto error;
    }
    decref(exc);
    // The loop is over: leave the handler as POP_EXCEPT does, then drop the iterator.
    frame->nblocks--;
    restore_handled_exception(*tstate, POP());
    decref(POP());
    DISPATCH();
  }
  TARGET(BEFORE_ASYNC_WITH) {
    Value mgr = TOP();
    SAVE_PC();
    frame->stack_pointer = sp;
    static Str* const aenter_name = intern("__aenter__");
    static Str* const aexit_name = intern("__aexit__");
    Value aenter, aexit;
    ERROR_IF(!context_manager_methods(*tstate, mgr, aenter_name, aexit_name, "asynchronous ", &aenter, &aexit));
    TOP() = aexit;
    decref(mgr);
    Value awaitable = object_call(*tstate, aenter, nullptr, 0);
    decref(aenter);
    ERROR_IF(!awaitable);
    PUSH(awaitable);
    DISPATCH();
  }
  TARGET(SETUP_ASYNC_WITH) {
    // [aexit, value]: the block protects everything above __aexit__, as SETUP_WITH's does.
    frame->blocks[frame->nblocks++] = Block{Block::kFinally, int32_t(oparg), int32_t(sp - 1 - frame->stack_base())};
    DISPATCH();
  }

error:
  // An exception is pending. Record this frame in its traceback (unless it is being
  // re-raised here), then look for a handler in this frame or pop frames until one is found.
  {
    uint32_t index = uint32_t(pc - first_instr - 1);
    frame->instr_index = index;
    if (!tstate->reraising) traceback_add(*tstate, frame, index);
    tstate->reraising = false;
  }
exception_unwind:
  while (frame->nblocks > 0) {
    Block b = frame->blocks[--frame->nblocks];
    Value* level = frame->stack_base() + b.level;
    if (b.kind == Block::kExceptHandler) {
      // Leaving an except clause: restore the exception it had replaced.
      while (sp > level + 1) decref(POP());
      Value previous = POP();
      Value old = tstate->handled_exception;
      tstate->handled_exception = is_none(previous) ? Value() : previous;
      if (is_none(previous)) decref(previous);
      decref(old);
      continue;
    }
    while (sp > level) decref(POP());
    Value exc = fetch_error(*tstate);
    Value previous = tstate->handled_exception;
    PUSH(previous ? previous : none());
    PUSH(exc);
    incref(exc);
    tstate->handled_exception = exc;
    frame->blocks[frame->nblocks++] = Block{Block::kExceptHandler, -1, b.level};
    pc = first_instr + b.handler;
    DISPATCH();
  }
  // No handler here: the frame is finished.
  frame->stack_pointer = sp;
  frame_clear(frame);
  if (frame->is_entry) {
    tstate->frame = frame->previous;
    return Value();
  }
  {
    Frame* caller = frame->previous;
    datastack_pop(*tstate, frame);
    tstate->recursion_depth--;
    frame = caller;
    tstate->frame = frame;
    LOAD_FRAME_REGISTERS();
    traceback_add(*tstate, frame, frame->instr_index);
    goto exception_unwind;
  }
#undef LOAD_FRAME_REGISTERS
#undef SAVE_PC
#undef PUSH
#undef POP
#undef TOP
#undef PEEK
#undef DISPATCH
#undef TARGET
#undef NAME
#undef ERROR_IF
#undef first_instr
#undef LOCALS
}

// ---------------------------------------------------------------------------------------
// Entry points

// Runs a frame that is fully set up, choosing the loop compiled for the refcount mode.
static Value run_entry_frame(ThreadState& ts, Frame* f) {
  f->is_entry = true;
  f->previous = ts.frame;
#if MINIVM_FREE_THREADING
  if (RefcountMode::free_threaded) return run_frame<BiasedRefcount>(&ts, f);
#endif
  return run_frame<GilRefcount>(&ts, f);
}

Value run_generator_frame(ThreadState& ts, Frame* f) { return run_entry_frame(ts, f); }

static Value call_python(ThreadState& ts, Function* func, Value self, const Value* args, size_t nargs,
                         Tuple* kwnames) {
  Code* code = func->code;
  if (!enter_recursive_call(ts, "")) return Value();
  bool is_generator = code->flags & kCodeGeneratorLike;
  size_t size = frame_size(code);
  auto* f = static_cast<Frame*>(is_generator ? object_malloc(size) : datastack_push(ts, size));
  if (!f) {
    leave_recursive_call(ts);
    return raise_memory_error(ts);
  }
  frame_init(f, code, func, func->globals, func->builtins, nullptr);
  bool bound;
  if (self) {
    // Bound-method call: bind [self, *args] without building a new array when small.
    size_t total = nargs + (kwnames ? kwnames->size : 0);
    Value small[8];
    std::vector<Value> big;
    Value* all = total + 1 <= 8 ? small : (big.resize(total + 1), big.data());
    all[0] = self;
    for (size_t i = 0; i < total; i++) all[i + 1] = args[i];
    bound = frame_bind_arguments(ts, f, func, all, nargs + 1, kwnames);
  } else {
    bound = frame_bind_arguments(ts, f, func, args, nargs, kwnames);
  }
  if (!bound) {
    frame_clear(f);
    if (is_generator) object_free(f);
    else datastack_pop(ts, f);
    leave_recursive_call(ts);
    return Value();
  }
  Value result;
  if (is_generator) {
    result = generator_new(ts, func, f);
  } else {
    result = run_entry_frame(ts, f);
    datastack_pop(ts, f);
  }
  leave_recursive_call(ts);
  return result;
}

Value call_python_function(ThreadState& ts, Function* func, const Value* args, size_t nargs, Tuple* kwnames) {
  return call_python(ts, func, Value(), args, nargs, kwnames);
}

Value call_python_function_with_self(ThreadState& ts, Function* func, Value self, const Value* args,
                                     size_t nargs, Tuple* kwnames) {
  return call_python(ts, func, self, args, nargs, kwnames);
}

Value eval_code(ThreadState& ts, Code* code, Dict* globals, Dict* locals) {
  Value builtins_value = dict_get_str(globals, intern("__builtins__"));
  Dict* builtins = ts.interp->builtins_dict;
  if (builtins_value && is_dict(builtins_value)) builtins = builtins_value.as<Dict>();
  else if (builtins_value && is_instance_of(builtins_value, &module_type)) builtins = builtins_value.as<Module>()->dict;
  if (!enter_recursive_call(ts, "")) return Value();
  auto* f = static_cast<Frame*>(datastack_push(ts, frame_size(code)));
  if (!f) {
    leave_recursive_call(ts);
    return raise_memory_error(ts);
  }
  frame_init(f, code, nullptr, globals, builtins, locals);
  Value result = run_entry_frame(ts, f);
  datastack_pop(ts, f);
  leave_recursive_call(ts);
  return result;
}

// eval_code for a class body: like a function call (closure cells) with a namespace dict.
Value eval_class_body(ThreadState& ts, Function* func, Dict* ns) {
  Code* code = func->code;
  if (!enter_recursive_call(ts, "")) return Value();
  auto* f = static_cast<Frame*>(datastack_push(ts, frame_size(code)));
  if (!f) {
    leave_recursive_call(ts);
    return raise_memory_error(ts);
  }
  frame_init(f, code, func, func->globals, func->builtins, ns);
  frame_init_cells(ts, f, func);
  Value result = run_entry_frame(ts, f);
  datastack_pop(ts, f);
  leave_recursive_call(ts);
  return result;
}

}  // namespace mvm
