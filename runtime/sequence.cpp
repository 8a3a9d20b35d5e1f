// The non-template parts of the algorithms shared by list and tuple (see sequence.h).
#include "runtime/sequence.h"

#include "runtime/int.h"
#include "runtime/range.h"

namespace mvm {

bool append_repr(ThreadState& ts, std::string& out, Value v) {
  Ref item(newref(v));   // the container may drop v while its repr runs
  Ref text(object_repr(ts, item.get()));
  if (!text) return false;
  out += str_view(text.get());
  return true;
}

bool sequence_index_bounds(ThreadState& ts, Value start_arg, Value stop_arg, size_t length,
                           int64_t* start, int64_t* stop) {
  *start = 0;
  *stop = INT64_MAX;
  if (start_arg && !slice_index_value(ts, start_arg, start)) return false;
  if (stop_arg && !slice_index_value(ts, stop_arg, stop)) return false;
  // Negative bounds count from the end, as in a slice.
  for (int64_t* bound : {start, stop}) {
    if (*bound < 0) {
      *bound += int64_t(length);
      if (*bound < 0) *bound = 0;
    }
  }
  return true;
}

// A heap class may define the reflected method (__radd__, __rmul__) that handles the
// operation; built-in types never do for a list or tuple operand.
static bool may_reflect(Value other) { return type_of(other)->flags & kTypeHeap; }

Value sequence_concat_error(ThreadState& ts, const char* seq_name, Value other) {
  if (may_reflect(other)) return newref(not_implemented());
  return raise_fmt(ts, &TypeError_type, "can only concatenate %s (not \"%s\") to %s", seq_name,
                   type_name(other), seq_name);
}

int sequence_repeat_count(ThreadState& ts, Value count, int64_t* out) {
  if (count.is_small_int()) {
    *out = count.as_small_int() < 0 ? 0 : count.as_small_int();
    return 1;
  }
  if (!has_index(count)) {
    if (may_reflect(count)) return 0;
    raise_fmt(ts, &TypeError_type, "can't multiply sequence by non-int of type '%s'", type_name(count));
    return -1;
  }
  Ref n(number_index(ts, count));
  if (!n) return -1;
  Mpz scratch;
  mpz_srcptr z = int_as_mpz(n.get(), scratch);
  if (mpz_sgn(z) >= 0 && !mpz_fits_slong_p(z)) {
    raise_fmt(ts, &OverflowError_type, "cannot fit '%s' into an index-sized integer", type_name(count));
    return -1;
  }
  *out = mpz_sgn(z) < 0 ? 0 : mpz_get_si(z);
  return 1;
}

}  // namespace mvm
