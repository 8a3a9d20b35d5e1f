// The math module. The exact summation behind math.fsum is exposed for unit tests.
#pragma once

#include <vector>

namespace mvm {

// Shewchuk's exact summation with CPython's final half-even correction (math.fsum).
enum class FsumStatus { Ok, Overflow, InfMinusInf };
class FsumAccumulator {
 public:
  // Adds one value; returns Overflow if a finite partial sum overflowed.
  FsumStatus add(double x);
  // The correctly rounded total, or InfMinusInf when both infinities were added.
  FsumStatus result(double* out) const;

 private:
  std::vector<double> partials_;   // non-overlapping, increasing in magnitude
  double special_sum_ = 0.0;   // the sum of the infinities and NaNs seen
  double inf_sum_ = 0.0;       // the sum of the infinities alone (NaN: +inf and -inf met)
};

}  // namespace mvm
