// Unit tests for the object model: tagged values, refcounts, immortals, type slots and
// classes made at run time.
#include <doctest/doctest.h>

#include "runtime/abstract.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/tuple.h"
#include "runtime/str.h"
#include "runtime/type.h"
#include "vm/interpreter.h"

using namespace mvm;

namespace {
ThreadState& ts() { return *current_thread_state(); }
}  // namespace

TEST_CASE("small ints are tagged values, not objects") {
  Value v = Value::small_int(42);
  CHECK(v.is_small_int());
  CHECK_FALSE(v.is_obj());
  CHECK(v.as_small_int() == 42);
  CHECK(Value::small_int(-7).as_small_int() == -7);
  CHECK(Value::fits_small(Value::kSmallMax));
  CHECK_FALSE(Value::fits_small(Value::kSmallMax + 1));
  CHECK(type_of(v) == &int_type);
  // Refcount operations on small ints and null are no-ops.
  incref(v);
  decref(v);
  decref(Value());
}

TEST_CASE("refcounts: new objects start at one, Ref releases") {
  List* l = list_new(ts());
  CHECK(l->ob_ref_local == 1);
  incref(l);
  CHECK(l->ob_ref_local == 2);
  {
    Ref r(Value::from_obj(l));   // steals one reference
  }
  CHECK(l->ob_ref_local == 1);
  decref(l);
}

TEST_CASE("immortal objects skip counting") {
  Value n = none();
  uint32_t before = n.obj()->ob_ref_local;
  CHECK(before == kImmortalRefcount);
  incref(n);
  decref(n);
  CHECK(n.obj()->ob_ref_local == kImmortalRefcount);
  Str* s = intern("interned_for_test");
  CHECK(s->is_immortal());
  CHECK(intern("interned_for_test") == s);
  CHECK(int_type.is_immortal());
}

TEST_CASE("built-in types have slot wrappers and readied MROs") {
  CHECK(int_type.mro->size == 2);   // int, object
  CHECK(type_lookup(&int_type, intern("__add__")));
  CHECK(type_lookup(&list_type, intern("append")));
  CHECK(type_is_subtype(&bool_type, &int_type));
  CHECK(type_is_subtype(&KeyError_type, &LookupError_type));
  CHECK_FALSE(type_is_subtype(&int_type, &str_type));
}

TEST_CASE("generic protocol: repr, hash, compare, binary ops") {
  Ref a(int_from_int64(6)), b(int_from_int64(7));
  Ref product(binary_op(ts(), a.get(), b.get(), BinaryOp::Mul));
  REQUIRE(product);
  CHECK(product.get().as_small_int() == 42);
  Ref text(object_repr(ts(), product.get()));
  CHECK(str_view(text.get()) == "42");
  CHECK(object_compare_bool(ts(), a.get(), b.get(), CompareOp::Lt) == 1);
  Ref s(str_value("x"));
  Value bad = binary_op(ts(), a.get(), s.get(), BinaryOp::Add);
  CHECK_FALSE(bad);
  CHECK(error_matches(ts(), &TypeError_type));
  Ref exc(fetch_error(ts()));
  CHECK(str_string(ts(), exc.get()) == "unsupported operand type(s) for +: 'int' and 'str'");
}

TEST_CASE("classes made at run time get slots from their dunder methods") {
  Interpreter* interp = ts().interp;
  Value r = run_source(ts(),
                       "class V:\n"
                       "    def __init__(self, x): self.x = x\n"
                       "    def __add__(self, o): return V(self.x + o.x)\n"
                       "    def __len__(self): return self.x\n"
                       "    def __repr__(self): return 'V(%d)' % self.x\n"
                       "v = V(2) + V(3)\n",
                       "<test>", interp->main_module, ParseMode::File);
  REQUIRE(r);
  decref(r);
  Value v = dict_get_str(interp->main_module->dict, intern("v"));
  REQUIRE(v);
  Type* t = type_of(v);
  CHECK((t->flags & kTypeHeap) != 0);
  CHECK(bool(t->binary));
  CHECK(object_length(ts(), v) == 5);
  CHECK(repr_string(ts(), v) == "V(5)");
  CHECK(t->dict_offset != 0);
}

TEST_CASE("two interpreters share nothing mutable") {
  InterpreterConfig config;
  config.argv = {""};
  ThreadState* first = current_thread_state();
  Interpreter* second = create_interpreter(config);
  ThreadState* second_ts = current_thread_state();
  Value r = run_source(*second_ts, "shared = 1\nimport sys\nsys.marker = 'second'\n", "<test>", second->main_module,
                       ParseMode::File);
  REQUIRE(r);
  decref(r);
  CHECK(dict_get_str(second->main_module->dict, intern("shared")));
  CHECK(second->modules != first->interp->modules);
  CHECK(second->sys != first->interp->sys);
  CHECK(second->builtins_dict != first->interp->builtins_dict);
  CHECK_FALSE(dict_get_str(first->interp->main_module->dict, intern("shared")));
  CHECK_FALSE(dict_get_str(first->interp->sys->dict, intern("marker")));
  destroy_interpreter(second);
  set_current_thread_state(first);
}
