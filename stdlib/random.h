// The random module's generator: the Mersenne Twister MT19937 exactly as CPython seeds and
// uses it, so that a seeded script draws the same numbers under minivm and CPython.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mvm {

class MersenneTwister {
 public:
  static constexpr int kStateSize = 624;

  // init_genrand: the reference seeding from one 32-bit word.
  void seed(uint32_t s);
  // init_by_array: CPython seeds from the absolute value of an int split into 32-bit
  // words, least significant first.
  void seed_by_array(const uint32_t* key, size_t length);
  // The next 32 random bits.
  uint32_t next();
  // A float in [0, 1) with 53 random bits: (a >> 5, b >> 6) combined as CPython does.
  double random();

  uint32_t state[kStateSize] = {};
  int index = kStateSize + 1;   // next word to use; kStateSize means "regenerate"
};

}  // namespace mvm
