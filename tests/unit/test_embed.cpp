// Unit tests for the public embedding API (include/minivm/minivm.h).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "minivm/minivm.h"
#include "runtime/qsbr.h"
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

TEST_CASE("embedding: script threads run while the host thread runs host code") {
  // Between API calls the host thread has let go of the interpreter (no GIL, offline for
  // QSBR), so a thread the script started keeps calling back into the host.
  std::vector<int> modes{1};
  if (minivm::build_supports_free_threading()) modes.push_back(0);
  for (int gil : modes) {
    CAPTURE(gil);
    RestoreThread restore;
    minivm::Config config;
    config.gil = gil;
    minivm::Interpreter vm(config);
    std::atomic<int> ticks{0};
    vm.def("tick", [&ticks](minivm::Args args) {
      ticks++;
      return args.vm().none();
    });
    vm.exec("import threading\n"
            "stop = False\n"
            "def spin():\n"
            "    while not stop:\n"
            "        tick()\n"
            "worker = threading.Thread(target=spin)\n"
            "worker.start()\n");
    // Counted from here: the worker may have run during exec, while start() waited.
    int after_exec = ticks.load();
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (ticks.load() < after_exec + 1000 && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    CHECK(ticks.load() >= after_exec + 1000);
    minivm::Object list = vm.eval("[1, 2]");   // handles work while the worker runs
    CHECK(list.repr() == "[1, 2]");
    vm.exec("stop = True\nworker.join()\n");
  }
}

TEST_CASE("embedding: an interpreter waits at its end for the threads it has joined") {
  // A joined thread may still be tearing down when join() returns; the interpreter must
  // wait for it rather than leave itself in place as it does for daemon threads. In
  // free-threaded mode a thread left behind would stay registered with QSBR.
  std::vector<int> modes{1};
  if (minivm::build_supports_free_threading()) modes.push_back(0);
  for (int gil : modes) {
    CAPTURE(gil);
    for (int round = 0; round < 20; round++) {
      CAPTURE(round);
      RestoreThread restore;
#if MINIVM_FREE_THREADING
      int registered_before = mvm::qsbr_registered_threads.load();
#endif
      {
        minivm::Config config;
        config.gil = gil;
        minivm::Interpreter vm(config);
        vm.exec("import threading\n"
                "threads = [threading.Thread(target=lambda: None) for _ in range(3)]\n"
                "for t in threads: t.start()\n"
                "for t in threads: t.join()\n");
      }
#if MINIVM_FREE_THREADING
      CHECK(mvm::qsbr_registered_threads.load() == registered_before);
#endif
    }
  }
}
