// The code object type: what scripts see of compiled code (co_name, co_varnames, ...).
#include "runtime/code.h"

#include <cstdio>

#include "runtime/alloc.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"

namespace mvm {

static void code_dealloc(Object* o) {
  Code* c = static_cast<Code*>(o);
  delete[] c->instructions;
  delete[] c->lines;
  delete[] c->caches;
  delete[] c->cache_index;
  delete[] c->cell2arg;
  decref(Value::from_obj(c->consts));
  decref(Value::from_obj(c->names));
  decref(Value::from_obj(c->varnames));
  decref(Value::from_obj(c->cellvars));
  decref(Value::from_obj(c->freevars));
  decref(Value::from_obj(c->name));
  decref(Value::from_obj(c->qualname));
  decref(Value::from_obj(c->filename));
  c->~Code();
  free_object(o);
}

static Value code_repr(ThreadState&, Value self) {
  Code* c = self.as<Code>();
  char buf[512];
  std::snprintf(buf, sizeof buf, "<code object %.*s at %p, file \"%.*s\", line %d>", int(c->name->size),
                c->name->data, static_cast<void*>(c), int(c->filename->size), c->filename->data,
                c->firstlineno);
  return str_value(buf);
}

#define CODE_GETTER(getter, expr)                 \
  static Value getter(ThreadState&, Value self) { \
    Code* c = self.as<Code>();                    \
    return (expr);                                \
  }
CODE_GETTER(code_name, newref(Value::from_obj(c->name)))
CODE_GETTER(code_qualname, newref(Value::from_obj(c->qualname)))
CODE_GETTER(code_filename, newref(Value::from_obj(c->filename)))
CODE_GETTER(code_firstlineno, int_from_int64(c->firstlineno))
CODE_GETTER(code_argcount, int_from_int64(c->argcount))
CODE_GETTER(code_posonlyargcount, int_from_int64(c->posonlyargcount))
CODE_GETTER(code_kwonlyargcount, int_from_int64(c->kwonlyargcount))
CODE_GETTER(code_nlocals, int_from_int64(c->nlocals))
CODE_GETTER(code_flags, int_from_int64(c->flags))
CODE_GETTER(code_varnames, newref(Value::from_obj(c->varnames)))
CODE_GETTER(code_cellvars, newref(Value::from_obj(c->cellvars)))
CODE_GETTER(code_freevars, newref(Value::from_obj(c->freevars)))
CODE_GETTER(code_consts, newref(Value::from_obj(c->consts)))
CODE_GETTER(code_names, newref(Value::from_obj(c->names)))
#undef CODE_GETTER

static const GetSetDef code_getsets[] = {
    {"co_name", code_name},
    {"co_qualname", code_qualname},
    {"co_filename", code_filename},
    {"co_firstlineno", code_firstlineno},
    {"co_argcount", code_argcount},
    {"co_posonlyargcount", code_posonlyargcount},
    {"co_kwonlyargcount", code_kwonlyargcount},
    {"co_nlocals", code_nlocals},
    {"co_flags", code_flags},
    {"co_varnames", code_varnames},
    {"co_cellvars", code_cellvars},
    {"co_freevars", code_freevars},
    {"co_consts", code_consts},
    {"co_names", code_names},
    {nullptr, nullptr},
};

Type code_type;
MINIVM_TYPE_SETUP(code_type) {
  t.name = "code";
  t.basic_size = sizeof(Code);
  t.flags = kTypeImmutable;
  t.dealloc = code_dealloc;
  t.repr = code_repr;
  t.getsets = code_getsets;
}

}  // namespace mvm
