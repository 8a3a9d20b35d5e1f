// SHA-512 (FIPS 180-4), which random.seed() needs to turn a str or bytes seed into an int
// the way CPython does.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace mvm {

std::array<uint8_t, 64> sha512(std::string_view data);

}  // namespace mvm
