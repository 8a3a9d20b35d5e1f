// Unit tests for the GIL: mutual exclusion, hand-over on request, and recording.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "vm/gil.h"
#include "vm/interpreter.h"

using namespace mvm;

namespace {
struct GilFixture {
  Interpreter interp;
  ThreadState a, b;
  GilFixture() {
    a.interp = &interp;
    b.interp = &interp;
  }
};
}  // namespace

TEST_CASE("the GIL excludes: one holder at a time") {
  GilFixture f;
  f.interp.gil.take(f.a);
  CHECK(f.a.holds_gil);
  std::atomic<bool> b_has_it{false};
  std::thread other([&] {
    f.interp.gil.take(f.b);
    b_has_it = true;
    f.interp.gil.drop(f.b);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  CHECK_FALSE(b_has_it.load());
  // The waiter asked the holder to drop after one switch interval.
  CHECK((f.a.eval_breaker.load() & kBreakGilDropRequest) != 0);
  f.interp.gil.drop(f.a);
  other.join();
  CHECK(b_has_it.load());
  CHECK_FALSE(f.a.holds_gil);
}

TEST_CASE("yield_to_waiter hands the GIL over before taking it back") {
  GilFixture f;
  f.interp.gil.set_switch_interval(0.001);
  f.interp.gil.take(f.a);
  std::atomic<int> order{0};
  std::atomic<int> b_turn{-1};
  std::thread other([&] {
    f.interp.gil.take(f.b);
    b_turn = order++;
    f.interp.gil.drop(f.b);
  });
  // Poll like the eval loop until the waiter has asked.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!(f.a.eval_breaker.load() & kBreakGilDropRequest) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  REQUIRE((f.a.eval_breaker.load() & kBreakGilDropRequest) != 0);
  f.interp.gil.yield_to_waiter(f.a);
  int a_turn = order++;
  CHECK(f.a.holds_gil);
  CHECK(b_turn.load() == 0);   // the waiter ran first: no convoy
  CHECK(a_turn == 1);
  f.interp.gil.drop(f.a);
  other.join();
}

TEST_CASE("GilReleased drops and retakes around a blocking call") {
  GilFixture f;
  f.interp.gil.take(f.a);
  {
    GilReleased released(f.a);
    CHECK_FALSE(f.a.holds_gil);
    std::thread other([&] {
      f.interp.gil.take(f.b);
      f.interp.gil.drop(f.b);
    });
    other.join();   // would deadlock if the GIL were still held
  }
  CHECK(f.a.holds_gil);
  f.interp.gil.drop(f.a);
}

TEST_CASE("recording counts hand-overs and forced drops") {
  GilFixture f;
  f.interp.gil.enable_recording(true);
  f.a.thread_id = 1;
  f.interp.gil.register_thread(f.a, "A");
  f.interp.gil.take(f.a);
  f.interp.gil.drop(f.a);
  f.interp.gil.take(f.a);
  auto stats = f.interp.gil.stats_snapshot();
  REQUIRE(stats.size() == 1);
  CHECK(stats[0].name == "A");
  CHECK(stats[0].acquisitions == 2);
  f.interp.gil.drop(f.a);
  CHECK(f.interp.gil.events_snapshot().size() == 2);
}
