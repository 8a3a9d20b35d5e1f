// Unit tests for the recursion guards (vm/thread_state.cpp): the Python call depth and the
// end of the C stack.
#include <doctest/doctest.h>

#include "minivm/minivm.h"
#include "vm/thread_state.h"

namespace {
// Under ThreadSanitizer, whose instrumentation enlarges every frame and records each call,
// this recursion crashes before the C stack check stops it (about 93 000 frames deep): the
// check is tested in the other builds.
#if defined(__SANITIZE_THREAD__)
constexpr bool kThreadSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kThreadSanitizer = true;
#else
constexpr bool kThreadSanitizer = false;
#endif
#else
constexpr bool kThreadSanitizer = false;
#endif

// The API's Interpreter makes the calling thread its own; the unit-test runner's
// interpreter is restored afterwards.
struct RestoreThread {
  mvm::ThreadState* saved = mvm::current_thread_state();
  ~RestoreThread() { mvm::set_current_thread_state(saved); }
};

// Whether running code ends in RecursionError.
bool raises_recursion_error(minivm::Interpreter& vm, const char* code) {
  try {
    vm.exec(code);
  } catch (const minivm::Error& e) {
    return e.type() == "RecursionError" &&
           e.message().rfind("maximum recursion depth exceeded", 0) == 0;
  }
  return false;
}
}  // namespace

TEST_CASE("recursion: the depth limit stops Python recursion") {
  RestoreThread restore;
  minivm::Interpreter vm;
  CHECK(raises_recursion_error(vm, "def f(n):\n    return f(n + 1)\nf(0)\n"));
}

TEST_CASE("recursion: the C stack check stops recursion through C++ when the depth limit is out of reach" *
          doctest::skip(kThreadSanitizer)) {
  RestoreThread restore;
  minivm::Interpreter vm;
  // Each level runs repr() in C++ and __repr__ in a new eval loop. The main thread's stack
  // bounds are looked up only once calls get deep, so this also checks that lookup.
  CHECK(raises_recursion_error(vm,
                               "import sys\n"
                               "sys.setrecursionlimit(10 ** 6)\n"
                               "class R:\n"
                               "    def __repr__(self):\n"
                               "        return repr(self)\n"
                               "repr(R())\n"));
}
