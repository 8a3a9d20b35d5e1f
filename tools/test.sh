#!/usr/bin/env bash
# The whole test suite: builds the release preset (free-threading support, the default),
# runs the acceptance demos in ../shared/acceptance (when present), builds and tests the
# GIL-only preset, then every ctest test (unit, golden, stress, cli, embedding).
# With MINIVM_SANITIZE=1 it also builds and tests the AddressSanitizer+UBSan and the
# ThreadSanitizer presets.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release > /dev/null
cmake --build --preset release
if [ -x ../shared/acceptance/run.sh ]; then
  echo "== acceptance demos (../shared/acceptance)"
  # Every demo must pass, in every mode the build offers.
  status=0
  ../shared/acceptance/run.sh build/minivm > build/acceptance.log 2>&1 || status=$?
  grep -E '^(PASS|FAIL)|passed' build/acceptance.log
  if [ "$status" -ne 0 ]; then
    echo "acceptance demos failed"
    exit 1
  fi
fi
echo "== GIL-only build (no free-threading support)"
# The unit tests are the same code in both builds: the GIL-only build runs the scripts.
cmake --preset gil-only > /dev/null
cmake --build --preset gil-only --target minivm embed_host
ctest --preset gil-only -E '^unit$'
if [ "${MINIVM_SANITIZE:-0}" = 1 ]; then
  echo "== AddressSanitizer + UBSan"
  cmake --preset asan > /dev/null
  cmake --build --preset asan
  ctest --preset asan
  echo "== ThreadSanitizer"
  cmake --preset tsan > /dev/null
  cmake --build --preset tsan
  ctest --preset tsan
fi
echo "== ctest"
ctest --preset release
