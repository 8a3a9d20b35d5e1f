// The unit-test runner: starts one interpreter (so built-in types and a ThreadState exist
// for tests that call runtime functions directly), then runs every doctest case.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "vm/interpreter.h"

int main(int argc, char** argv) {
  mvm::InterpreterConfig config;
  config.argv = {""};
  // GIL mode, so that the runner's thread is not a QSBR reader that never reaches a
  // quiescent point; tests of the free-threaded machinery switch the mode themselves.
  config.gil = 1;
  mvm::Interpreter* interp = mvm::create_interpreter(config);
  doctest::Context context(argc, argv);
  int result = context.run();
  mvm::destroy_interpreter(interp);
  return result;
}
