// Unit tests for the public embedding API (include/minivm/minivm.h).
#include <doctest/doctest.h>

#include "minivm/minivm.h"
#include "vm/thread_state.h"

namespace {
// The API's Interpreter makes the calling thread its own; the unit-test runner's
// interpreter is restored afterwards.
struct RestoreThread {
  mvm::ThreadState* saved = mvm::current_thread_state();
  ~RestoreThread() { mvm::set_current_thread_state(saved); }
};
}  // namespace

TEST_CASE("embedding: run code, read globals, call script functions") {
  RestoreThread restore;
  minivm::Interpreter vm;
  vm.exec("def add(a, b):\n    return a + b\ntotal = add(2, 3)\n");
  CHECK(vm.global("total").as_int() == 5);
  CHECK(vm.global("add")(vm.integer(40), vm.integer(2)).as_int() == 42);
  CHECK(vm.eval("'abc'.upper()").as_string() == "ABC");
  CHECK(vm.eval("[1, 2]").repr() == "[1, 2]");
  CHECK(vm.eval("None").is_none());
}

TEST_CASE("embedding: native functions and errors both ways") {
  RestoreThread restore;
  minivm::Interpreter vm;
  vm.def("twice", [](minivm::Args args) { return args.vm().integer(2 * args[0].as_int()); });
  CHECK(vm.eval("twice(21)").as_int() == 42);
  vm.def("fail", [](minivm::Args) -> minivm::Object { throw minivm::Error("ValueError", "from C++", ""); });
  CHECK(vm.eval("(lambda: (fail() if False else 1))()").as_int() == 1);
  vm.exec("def catch():\n    try:\n        fail()\n    except ValueError as e:\n        return str(e)\n");
  CHECK(vm.global("catch")().as_string() == "from C++");
  try {
    vm.exec("raise KeyError('k')");
    FAIL("expected an exception");
  } catch (const minivm::Error& e) {
    CHECK(e.type() == "KeyError");
    CHECK(e.message() == "'k'");
    CHECK(e.traceback().find("Traceback (most recent call last):") != std::string::npos);
  }
}

TEST_CASE("embedding: handles keep values alive and copy refcounts") {
  RestoreThread restore;
  minivm::Interpreter vm;
  minivm::Object list = vm.eval("[1, 2, 3]");
  minivm::Object copy = list;
  vm.exec("del __builtins__");   // unrelated work in between
  CHECK(copy.attr("count")(vm.integer(2)).as_int() == 1);
  minivm::Object moved = std::move(list);
  CHECK(moved.repr() == "[1, 2, 3]");
}
