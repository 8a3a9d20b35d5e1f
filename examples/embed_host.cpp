// A host application embedding minivm: it registers a native C++ function, runs a script
// that uses it, calls a script function back, and handles a script error.
#include <cstdio>

#include "minivm/minivm.h"

int main() {
  minivm::Interpreter vm;

  // A native function scripts can call: clamp(x, lo, hi).
  vm.def("clamp", [](minivm::Args args) {
    int64_t x = args[0].as_int(), lo = args[1].as_int(), hi = args[2].as_int();
    return args.vm().integer(x < lo ? lo : x > hi ? hi : x);
  });

  vm.exec(R"(
def score(values):
    return sum(clamp(v, 0, 10) for v in values)

greeting = "hello from the script"
)");

  minivm::Object score = vm.global("score");
  minivm::Object values = vm.eval("[3, -4, 12, 7]");
  std::printf("%s\n", vm.global("greeting").as_string().c_str());
  std::printf("score = %lld\n", static_cast<long long>(score(values).as_int()));

  try {
    vm.exec("int('not a number')");
  } catch (const minivm::Error& e) {
    std::printf("caught %s: %s\n", e.type().c_str(), e.message().c_str());
  }
  bool ok = score(vm.eval("[1, 2]")).as_int() == 3;
  std::printf("%s\n", ok ? "embedding works" : "embedding is broken");
  return ok ? 0 : 1;
}
