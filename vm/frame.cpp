// Frame set-up and tear-down, and binding call arguments to parameters with Python's rules
// (positional, keyword, defaults, *args, **kwargs) and its error messages.
#include "vm/frame.h"

#include <cstring>
#include <string>
#include <vector>

#include "runtime/alloc.h"
#include "runtime/code.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/function.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "vm/thread_state.h"

namespace mvm {

size_t frame_size(const Code* code) {
  return offsetof(Frame, localsplus) + sizeof(Value) * size_t(code->nlocalsplus() + code->stacksize) +
         sizeof(Block) * size_t(code->maxblocks);
}

void frame_init(Frame* f, Code* code, Function* func, Dict* globals, Dict* builtins, Dict* locals) {
  f->code = code;
  f->func = func;
  f->globals = globals;
  f->builtins = builtins;
  f->locals = locals;
  f->previous = nullptr;
  f->generator = nullptr;
  f->nlocalsplus = code->nlocalsplus();
  f->stack_pointer = f->localsplus + f->nlocalsplus;
  f->blocks = reinterpret_cast<Block*>(f->localsplus + f->nlocalsplus + code->stacksize);
  f->instr_index = 0;
  f->nblocks = 0;
  f->is_entry = false;
  std::memset(f->localsplus, 0, sizeof(Value) * size_t(f->nlocalsplus));
}

void frame_clear(Frame* f) {
  for (Value* p = f->localsplus; p < f->stack_pointer; p++) {
    Value v = *p;
    *p = Value();
    decref(v);
  }
  f->stack_pointer = f->stack_base();
}

void frame_init_cells(ThreadState& ts, Frame* f, Function* func) {
  Code* code = f->code;
  for (int i = 0; i < code->ncells; i++) {
    int arg = code->cell2arg ? code->cell2arg[i] : -1;
    Value initial = arg >= 0 ? f->localsplus[arg] : Value();
    f->localsplus[code->nlocals + i] = Value::from_obj(cell_new(ts, initial));
  }
  if (code->nfrees && func && func->closure) {
    for (int i = 0; i < code->nfrees; i++)
      f->localsplus[code->nlocals + code->ncells + i] = newref(func->closure->items[i]);
  }
}

// "'a', 'b' and 'c'" as CPython lists missing parameters.
static std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); i++) {
    if (i > 0) out += names.size() == 2 ? " and " : (i + 1 == names.size() ? ", and " : ", ");
    out += "'" + names[i] + "'";
  }
  return out;
}

static std::string fname(Function* func) { return std::string(str_view(func->qualname)) + "()"; }

static bool missing_arguments(ThreadState& ts, Function* func, Frame* f, int start, int end, bool kwonly) {
  std::vector<std::string> missing;
  for (int i = start; i < end; i++)
    if (!f->localsplus[i]) missing.push_back(std::string(str_view(f->code->varnames->items[i])));
  raise_fmt(ts, &TypeError_type, "%s missing %zu required %s argument%s: %s", fname(func).c_str(),
            missing.size(), kwonly ? "keyword-only" : "positional", missing.size() == 1 ? "" : "s",
            name_list(missing).c_str());
  return false;
}

bool frame_bind_arguments(ThreadState& ts, Frame* f, Function* func, const Value* args, size_t nargs,
                          Tuple* kwnames) {
  Code* code = f->code;
  int argcount = code->argcount;
  int total_params = argcount + code->kwonlyargcount;
  Value* locals = f->localsplus;
  size_t nkw = kwnames ? kwnames->size : 0;

  // Positional arguments, with the surplus going to *args.
  size_t npos = nargs < size_t(argcount) ? nargs : size_t(argcount);
  for (size_t i = 0; i < npos; i++) locals[i] = newref(args[i]);
  int next_slot = total_params;
  if (code->flags & kCodeVarargs) {
    Tuple* rest = tuple_from_array(ts, args + npos, nargs - npos);
    if (!rest) return false;
    locals[next_slot++] = Value::from_obj(rest);
  } else if (nargs > size_t(argcount)) {
    size_t defaults = func->defaults ? func->defaults->size : 0;
    size_t kw_given = 0;
    for (size_t k = 0; k < nkw; k++) {
      std::string_view key = str_view(kwnames->items[k]);
      for (int p = argcount; p < total_params; p++)
        if (str_view(code->varnames->items[p]) == key) kw_given++;
    }
    std::string takes = defaults ? "from " + std::to_string(argcount - int(defaults)) + " to " + std::to_string(argcount)
                                 : std::to_string(argcount);
    std::string given = std::to_string(nargs);
    if (kw_given)
      raise_fmt(ts, &TypeError_type,
                "%s takes %s positional argument%s but %zu positional argument%s (and %zu keyword-only argument%s) were given",
                fname(func).c_str(), takes.c_str(), argcount == 1 && !defaults ? "" : "s", nargs,
                nargs == 1 ? "" : "s", kw_given, kw_given == 1 ? "" : "s");
    else
      raise_fmt(ts, &TypeError_type, "%s takes %s positional argument%s but %zu %s given", fname(func).c_str(),
                takes.c_str(), argcount == 1 && !defaults ? "" : "s", nargs, nargs == 1 ? "was" : "were");
    return false;
  }

  // Keyword arguments.
  Dict* kwargs = nullptr;
  if (code->flags & kCodeVarkeywords) {
    kwargs = dict_new(ts);
    if (!kwargs) return false;
    locals[next_slot] = Value::from_obj(kwargs);
  }
  std::vector<std::string> posonly_as_kw;
  for (size_t k = 0; k < nkw; k++) {
    Value key = kwnames->items[k];
    Value value = args[nargs + k];
    int index = -1;
    for (int p = code->posonlyargcount; p < total_params; p++) {
      Value name = code->varnames->items[p];
      if (name == key || str_equal(name.as<Str>(), key.as<Str>())) {
        index = p;
        break;
      }
    }
    if (index < 0) {
      if (kwargs) {
        if (dict_set(ts, kwargs, key, value) < 0) return false;
        continue;
      }
      for (int p = 0; p < code->posonlyargcount; p++)
        if (str_equal(code->varnames->items[p].as<Str>(), key.as<Str>()))
          posonly_as_kw.push_back(std::string(str_view(key)));
      if (!posonly_as_kw.empty()) continue;
      raise_fmt(ts, &TypeError_type, "%s got an unexpected keyword argument '%.*s'", fname(func).c_str(),
                int(key.as<Str>()->size), key.as<Str>()->data);
      return false;
    }
    if (locals[index]) {
      raise_fmt(ts, &TypeError_type, "%s got multiple values for argument '%.*s'", fname(func).c_str(),
                int(key.as<Str>()->size), key.as<Str>()->data);
      return false;
    }
    locals[index] = newref(value);
  }
  if (!posonly_as_kw.empty()) {
    std::string list;
    for (size_t i = 0; i < posonly_as_kw.size(); i++) list += (i ? ", " : "") + posonly_as_kw[i];
    raise_fmt(ts, &TypeError_type, "%s got some positional-only arguments passed as keyword arguments: '%s'",
              fname(func).c_str(), list.c_str());
    return false;
  }

  // Defaults for the positional parameters that are still empty.
  if (nargs < size_t(argcount)) {
    size_t ndefaults = func->defaults ? func->defaults->size : 0;
    int first_default = argcount - int(ndefaults);
    for (int i = int(nargs); i < argcount; i++) {
      if (locals[i]) continue;
      if (i >= first_default) locals[i] = newref(func->defaults->items[i - first_default]);
    }
    for (int i = int(nargs); i < argcount; i++)
      if (!locals[i]) return missing_arguments(ts, func, f, int(nargs), first_default < argcount ? first_default : argcount, false);
  }
  // Keyword-only parameters.
  for (int i = argcount; i < total_params; i++) {
    if (locals[i]) continue;
    Value def = func->kwdefaults ? dict_get_str(func->kwdefaults, code->varnames->items[i].as<Str>()) : Value();
    if (def) locals[i] = newref(def);
  }
  for (int i = argcount; i < total_params; i++)
    if (!locals[i]) return missing_arguments(ts, func, f, argcount, total_params, true);

  frame_init_cells(ts, f, func);
  return true;
}

int frame_line(const Frame* f) { return f->code->line_of(f->instr_index); }

}  // namespace mvm
