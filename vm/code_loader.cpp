// From compiler output to runtime code: constants become immortal objects shared by every
// thread, names become interned strings, and each cached instruction gets a cache slot.
#include "vm/code_loader.h"

#include <cstring>

#include "compiler/compiler.h"
#include "runtime/alloc.h"
#include "runtime/bytes.h"
#include "runtime/code.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/set.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/frame.h"
#include "vm/opcodes.h"
#include "vm/thread_state.h"
#include "vm/traceback.h"

namespace mvm {

static Value load_constant(ThreadState& ts, const ConstValue& c) {
  Value v;
  switch (c.kind) {
    case ConstValue::Kind::None: return none();
    case ConstValue::Kind::True: return true_value();
    case ConstValue::Kind::False: return false_value();
    case ConstValue::Kind::Ellipsis: return ellipsis();
    case ConstValue::Kind::Int: v = int_from_int64(c.int_value); break;
    case ConstValue::Kind::BigInt: v = int_from_string(ts, c.text, 10); break;
    case ConstValue::Kind::Float: v = float_new(c.float_value); break;
    case ConstValue::Kind::Str: return Value::from_obj(intern(c.text));
    case ConstValue::Kind::Bytes: v = Value::from_obj(bytes_new(c.text)); break;
    case ConstValue::Kind::Tuple: {
      Tuple* t = tuple_new(ts, c.items.size());
      if (!t) return Value();
      for (size_t i = 0; i < c.items.size(); i++) {
        Value item = load_constant(ts, c.items[i]);
        if (!item) return Value();
        t->items[i] = item;
      }
      v = Value::from_obj(t);
      break;
    }
    case ConstValue::Kind::FrozenSet: {
      ConstValue as_tuple = c;
      as_tuple.kind = ConstValue::Kind::Tuple;
      Value items = load_constant(ts, as_tuple);
      if (!items) return Value();
      v = set_from_iterable(ts, items, &frozenset_type);
      if (!v) return Value();
      break;
    }
    case ConstValue::Kind::Code: {
      Code* code = load_code(ts, *c.code);
      return code ? Value::from_obj(code) : Value();
    }
  }
  // Constants are shared by every thread that runs the code: make them immortal.
  if (v.is_obj()) make_immortal(v.obj());
  return v;
}

static Tuple* name_tuple(ThreadState& ts, const std::vector<std::string>& names) {
  Tuple* t = tuple_new(ts, names.size());
  for (size_t i = 0; i < names.size(); i++) t->items[i] = Value::from_obj(intern(names[i]));
  make_immortal(t);
  return t;
}

Code* load_code(ThreadState& ts, const CodeUnit& unit) {
  Code* code = new_object<Code>(&code_type);
  make_immortal(code);
  size_t n = unit.instructions.size();
  code->instructions = new uint32_t[n];
  std::memcpy(code->instructions, unit.instructions.data(), n * sizeof(uint32_t));
  code->ninstructions = n;
  code->lines = new int32_t[n];
  std::memcpy(code->lines, unit.lines.data(), n * sizeof(int32_t));
  code->cache_index = new uint32_t[n];
  size_t ncaches = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t flags = kOpcodeFlags[int(opcode_of(unit.instructions[i]))];
    code->cache_index[i] = (flags & kOpCache) ? uint32_t(ncaches) : 0;
    if (flags & kOpCache) ncaches += (flags & kOpWideCache) ? 2 : 1;
  }
  code->ncaches = ncaches;
  code->caches = new InlineCache[ncaches ? ncaches : 1];

  Tuple* consts = tuple_new(ts, unit.consts.size());
  make_immortal(consts);
  code->consts = consts;
  for (size_t i = 0; i < unit.consts.size(); i++) {
    Value c = load_constant(ts, unit.consts[i]);
    if (!c) return nullptr;
    consts->items[i] = c;
  }
  code->names = name_tuple(ts, unit.names);
  code->varnames = name_tuple(ts, unit.varnames);
  code->cellvars = name_tuple(ts, unit.cellvars);
  code->freevars = name_tuple(ts, unit.freevars);
  if (!unit.cell2arg.empty()) {
    code->cell2arg = new int32_t[unit.cell2arg.size()];
    std::memcpy(code->cell2arg, unit.cell2arg.data(), unit.cell2arg.size() * sizeof(int32_t));
  }
  code->argcount = unit.argcount;
  code->posonlyargcount = unit.posonlyargcount;
  code->kwonlyargcount = unit.kwonlyargcount;
  code->nlocals = int(unit.varnames.size());
  code->ncells = int(unit.cellvars.size());
  code->nfrees = int(unit.freevars.size());
  code->stacksize = unit.stacksize;
  code->maxblocks = unit.maxblocks;
  code->flags = unit.flags;
  code->name = intern(unit.name);
  code->qualname = intern(unit.qualname);
  code->filename = intern(unit.filename);
  code->firstlineno = unit.firstlineno;
  code->frame_bytes = uint32_t((frame_size(code) + 15) & ~size_t(15));
  return code;
}

Code* copy_code_with_own_caches(ThreadState& ts, Code* original) {
  Tuple* consts = original->consts;
  bool has_nested_code = false;
  for (size_t i = 0; i < consts->size; i++)
    has_nested_code = has_nested_code || (consts->items[i].is_obj() && type_of(consts->items[i]) == &code_type);
  if (has_nested_code) {
    Tuple* copied = tuple_new(ts, consts->size);
    if (!copied) return nullptr;
    make_immortal(copied);
    for (size_t i = 0; i < consts->size; i++) {
      Value c = consts->items[i];
      if (c.is_obj() && type_of(c) == &code_type) {
        Code* nested = copy_code_with_own_caches(ts, c.as<Code>());
        if (!nested) return nullptr;
        c = Value::from_obj(nested);
      }
      copied->items[i] = c;   // immortal either way: no reference to count
    }
    consts = copied;
  }
  Code* code = new_object<Code>(&code_type);
  make_immortal(code);
  // The arrays are shared: they never change, and the original is never freed.
  code->instructions = original->instructions;
  code->ninstructions = original->ninstructions;
  code->lines = original->lines;
  code->cache_index = original->cache_index;
  code->ncaches = original->ncaches;
  code->caches = new InlineCache[original->ncaches ? original->ncaches : 1];
  code->consts = consts;
  code->names = original->names;
  code->varnames = original->varnames;
  code->cellvars = original->cellvars;
  code->freevars = original->freevars;
  code->cell2arg = original->cell2arg;
  code->argcount = original->argcount;
  code->posonlyargcount = original->posonlyargcount;
  code->kwonlyargcount = original->kwonlyargcount;
  code->nlocals = original->nlocals;
  code->ncells = original->ncells;
  code->nfrees = original->nfrees;
  code->stacksize = original->stacksize;
  code->frame_bytes = original->frame_bytes;
  code->maxblocks = original->maxblocks;
  code->flags = original->flags;
  code->name = original->name;
  code->qualname = original->qualname;
  code->filename = original->filename;
  code->firstlineno = original->firstlineno;
  return code;
}

void raise_syntax_error(ThreadState& ts, const SyntaxErrorInfo& info) {
  Type* type = info.kind == SyntaxErrorInfo::Kind::Indentation ? &IndentationError_type
               : info.kind == SyntaxErrorInfo::Kind::Tab       ? &TabError_type
                                                               : &SyntaxError_type;
  Ref msg(str_value(info.message));
  Ref filename(str_value(info.filename));
  Ref text(info.text.empty() && info.line == 0 ? newref(none()) : str_value(info.text + "\n"));
  Ref details(Value::from_obj(tuple_pack(ts, {filename.get(), int_from_int64(info.line), int_from_int64(info.col),
                                              text.get(), int_from_int64(info.end_line ? info.end_line : info.line),
                                              int_from_int64(info.end_col ? info.end_col : info.col)})));
  Value args[2] = {msg.get(), details.get()};
  raise_with_args(ts, type, args, 2);
}

Code* compile_to_code(ThreadState& ts, std::string_view source, const std::string& filename, ParseMode mode) {
  remember_source(ts, filename, source);
  CompileResult result = compile_source(source, filename, mode);
  if (!result.code) {
    raise_syntax_error(ts, result.error);
    return nullptr;
  }
  return load_code(ts, *result.code);
}

}  // namespace mvm
