// The unit-test runner: starts one interpreter (so built-in types and a ThreadState exist
// for tests that call runtime functions directly), then runs every doctest case.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "vm/interpreter.h"

int main(int argc, char** argv) {
  mvm::InterpreterConfig config;
  config.argv = {""};
  mvm::Interpreter* interp = mvm::create_interpreter(config);
  doctest::Context context(argc, argv);
  int result = context.run();
  mvm::destroy_interpreter(interp);
  return result;
}
