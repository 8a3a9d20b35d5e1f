// The random module: random.Random instances over MT19937 with CPython's seeding and
// algorithms (so seeded sequences match CPython's), and module-level functions that are
// the bound methods of a hidden default instance kept in the module's dict.
#include "stdlib/random.h"

#include <gmp.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/bytes.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/range.h"
#include "runtime/refcount.h"
#include "runtime/set.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "stdlib/modules.h"
#include "stdlib/native.h"
#include "stdlib/sha512.h"

namespace mvm {

extern Type random_type;

// --- MT19937 -----------------------------------------------------------------------------------

void MersenneTwister::seed(uint32_t s) {
  state[0] = s;
  for (int i = 1; i < kStateSize; ++i)
    state[i] = 1812433253U * (state[i - 1] ^ (state[i - 1] >> 30)) + uint32_t(i);
  index = kStateSize;
}

void MersenneTwister::seed_by_array(const uint32_t* key, size_t length) {
  seed(19650218U);
  int i = 1;
  size_t j = 0;
  for (size_t k = std::max<size_t>(kStateSize, length); k > 0; --k) {
    state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) * 1664525U)) + key[j] +
               uint32_t(j);
    ++i;
    ++j;
    if (i >= kStateSize) {
      state[0] = state[kStateSize - 1];
      i = 1;
    }
    if (j >= length) j = 0;
  }
  for (int k = kStateSize - 1; k > 0; --k) {
    state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) * 1566083941U)) - uint32_t(i);
    ++i;
    if (i >= kStateSize) {
      state[0] = state[kStateSize - 1];
      i = 1;
    }
  }
  state[0] = 0x80000000U;   // a non-zero initial state is assured
}

uint32_t MersenneTwister::next() {
  constexpr int kM = 397;
  constexpr uint32_t kMatrixA = 0x9908b0dfU, kUpper = 0x80000000U, kLower = 0x7fffffffU;
  if (index >= kStateSize) {
    auto twist = [&](int k, int next_k, int far_k) {
      uint32_t y = (state[k] & kUpper) | (state[next_k] & kLower);
      state[k] = state[far_k] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
    };
    int k = 0;
    for (; k < kStateSize - kM; ++k) twist(k, k + 1, k + kM);
    for (; k < kStateSize - 1; ++k) twist(k, k + 1, k + (kM - kStateSize));
    twist(kStateSize - 1, 0, kM - 1);
    index = 0;
  }
  uint32_t y = state[index++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  return y;
}

double MersenneTwister::random() {
  uint32_t a = next() >> 5, b = next() >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

namespace {

// --- the Random object -----------------------------------------------------------------------

struct Random : Object {
  MersenneTwister mt;
  Value gauss_next;   // the second value of the last gauss() pair, or null
};

Random* as_random(Value v) { return v.as<Random>(); }

// An mpz_t that clears itself.
struct Mpz {
  mpz_t z;
  Mpz() { mpz_init(z); }
  ~Mpz() { mpz_clear(z); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
};

// Seeds from |n| split into 32-bit words, least significant first.
void seed_from_mpz(MersenneTwister& mt, const mpz_t n) {
  Mpz magnitude;
  mpz_abs(magnitude.z, n);
  size_t words = (mpz_sizeinbase(magnitude.z, 2) + 31) / 32;
  std::vector<uint32_t> key(std::max<size_t>(words, 1), 0);
  size_t count = 0;
  mpz_export(key.data(), &count, -1, sizeof(uint32_t), 0, 0, magnitude.z);
  mt.seed_by_array(key.data(), std::max<size_t>(count, 1));
}

// Seeds from the operating system's entropy (or the time and pid if it has none).
void seed_from_entropy(MersenneTwister& mt) {
  uint32_t key[MersenneTwister::kStateSize];
  if (getrandom(key, sizeof key, 0) != ssize_t(sizeof key)) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    uint32_t fallback[4] = {uint32_t(t.tv_sec), uint32_t(t.tv_nsec), uint32_t(getpid()),
                            uint32_t(uint64_t(t.tv_sec) >> 32)};
    mt.seed_by_array(fallback, 4);
    return;
  }
  mt.seed_by_array(key, MersenneTwister::kStateSize);
}

// random.seed(a): None, int, float, str, bytes (and bytearray) as CPython's version 2.
int seed_random(ThreadState& ts, Random* r, Value a) {
  decref(r->gauss_next);
  r->gauss_next = Value();
  if (a.is_null() || is_none(a)) {
    seed_from_entropy(r->mt);
    return 0;
  }
  Mpz n;
  if (is_int(a)) {
    int_to_mpz(a, n.z);
  } else if (is_float(a)) {
    // Other hashable seeds use their hash as an unsigned machine word.
    int64_t h = object_hash(ts, a);
    if (h == -1) return -1;
    mpz_import(n.z, 1, 1, sizeof(uint64_t), 0, 0, &h);
  } else if (is_str(a) || is_bytes(a)) {
    // a = int.from_bytes(a + sha512(a).digest()), big-endian.
    std::string data(is_str(a) ? str_view(a) : bytes_view(a));
    auto digest = sha512(data);
    data.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    mpz_import(n.z, data.size(), 1, 1, 0, 0, data.data());
  } else {
    raise(ts, &TypeError_type,
          "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.");
    return -1;
  }
  seed_from_mpz(r->mt, n.z);
  return 0;
}

// getrandbits(k) into z: 32-bit words, least significant first, the last one truncated.
void random_bits(MersenneTwister& mt, uint64_t k, mpz_t z) {
  if (k <= 32) {
    mpz_set_ui(z, k == 0 ? 0 : mt.next() >> (32 - k));
    return;
  }
  std::vector<uint32_t> words((k - 1) / 32 + 1);
  for (size_t i = 0; i < words.size(); ++i, k -= 32) {
    uint32_t w = mt.next();
    if (k < 32) w >>= (32 - k);
    words[i] = w;
  }
  mpz_import(z, words.size(), -1, sizeof(uint32_t), 0, 0, words.data());
}

// A uniform integer in [0, n) for n > 0, by rejection sampling on getrandbits(bit_length(n))
// exactly like CPython's _randbelow_with_getrandbits.
void rand_below(MersenneTwister& mt, const mpz_t n, mpz_t out) {
  uint64_t k = mpz_sizeinbase(n, 2);
  do {
    random_bits(mt, k, out);
  } while (mpz_cmp(out, n) >= 0);
}

// The same for a machine-size bound (the common case, without GMP).
uint64_t rand_below(MersenneTwister& mt, uint64_t n) {
  int k = 64 - __builtin_clzll(n);
  for (;;) {
    uint64_t r;
    if (k <= 32) {
      r = mt.next() >> (32 - k);
    } else {
      uint64_t low = mt.next();
      uint64_t high = mt.next() >> (64 - k);
      r = low | (high << 32);
    }
    if (r < n) return r;
  }
}

Value rand_below_value(MersenneTwister& mt, const mpz_t n) {
  if (mpz_fits_ulong_p(n)) return int_from_uint64(rand_below(mt, mpz_get_ui(n)));
  Mpz r;
  rand_below(mt, n, r.z);
  return int_from_mpz(r.z);
}

// --- construction ----------------------------------------------------------------------------

Value random_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (type == &random_type && kwnames && kwnames->size)
    return raise(ts, &TypeError_type, "Random() takes no keyword arguments");
  if (nargs > 1)
    return raise_fmt(ts, &TypeError_type, "Random() expected at most 1 argument, got %zu", nargs);
  Random* r = alloc_instance<Random>(ts, type);
  if (!r) return Value();
  Ref result(Value::from_obj(r));
  if (seed_random(ts, r, nargs ? args[0] : Value()) < 0) return Value();
  return result.release();
}

// Random.__init__(x=None) seeds again, so that subclasses calling it behave as in CPython.
int random_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs > 1) {
    raise_fmt(ts, &TypeError_type, "Random() expected at most 1 argument, got %zu", nargs);
    return -1;
  }
  if (nargs == 0 && type_of(self) == &random_type) return 0;   // already seeded by new
  return seed_random(ts, as_random(self), nargs ? args[0] : Value());
}

void random_dealloc(Object* self) {
  Random* r = static_cast<Random*>(self);
  decref(r->gauss_next);
  r->~Random();
  free_object(self);
}

// --- methods: state ----------------------------------------------------------------------------

Value random_seed(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "seed", args, nargs, kwnames, {"self", "a", "version"}, 1, a))
    return Value();
  if (seed_random(ts, as_random(a[0]), a[1]) < 0) return Value();
  return none();
}

Value random_getstate(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "getstate", nargs, 1, 1)) return Value();
  Random* r = as_random(args[0]);
  Ref words(Value::from_obj(tuple_new(ts, MersenneTwister::kStateSize + 1)));
  if (!words) return Value();
  for (int i = 0; i < MersenneTwister::kStateSize; ++i)
    words.as<Tuple>()->items[i] = int_from_uint64(r->mt.state[i]);
  words.as<Tuple>()->items[MersenneTwister::kStateSize] = Value::small_int(r->mt.index);
  return Value::from_obj(tuple_pack(
      ts, {Value::small_int(3), words.get(), r->gauss_next ? r->gauss_next : none()}));
}

Value random_setstate(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "setstate", nargs, 2, 2)) return Value();
  Random* r = as_random(args[0]);
  Value state = args[1];
  if (!is_tuple(state) || state.as<Tuple>()->size != 3)
    return raise(ts, &TypeError_type, "state vector must be a tuple");
  Tuple* t = state.as<Tuple>();
  int64_t version;
  if (!int_to_int64(ts, t->items[0], &version)) return Value();
  if (version != 3)
    return raise_fmt(ts, &ValueError_type,
                     "state with version %lld passed to Random.setstate() of version 3",
                     static_cast<long long>(version));
  Value words = t->items[1];
  if (!is_tuple(words) || words.as<Tuple>()->size != MersenneTwister::kStateSize + 1)
    return raise(ts, &ValueError_type, "state vector is the wrong size");
  MersenneTwister mt;
  for (int i = 0; i <= MersenneTwister::kStateSize; ++i) {
    int64_t w;
    if (!int_to_int64(ts, words.as<Tuple>()->items[i], &w)) return Value();
    if (i == MersenneTwister::kStateSize) {
      if (w < 0 || w > MersenneTwister::kStateSize)
        return raise(ts, &ValueError_type, "invalid state");
      mt.index = int(w);
    } else {
      mt.state[i] = uint32_t(w);
    }
  }
  r->mt = mt;
  Value gauss = t->items[2];
  decref(r->gauss_next);
  r->gauss_next = is_none(gauss) ? Value() : newref(gauss);
  return none();
}

// --- methods: integers -------------------------------------------------------------------------

Value random_random(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "random", nargs, 1, 1)) return Value();
  return float_new(as_random(args[0])->mt.random());
}

Value random_getrandbits(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "getrandbits", kwnames) ||
      !check_nargs(ts, "getrandbits", nargs, 2, 2))
    return Value();
  int64_t k;
  if (!index_to_int64(ts, args[1], &k)) return Value();
  if (k < 0) return raise(ts, &ValueError_type, "number of bits must be non-negative");
  Mpz bits;
  random_bits(as_random(args[0])->mt, uint64_t(k), bits.z);
  return int_from_mpz(bits.z);
}

Value random_randbytes(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "randbytes", kwnames) || !check_nargs(ts, "randbytes", nargs, 2, 2))
    return Value();
  int64_t n;
  if (!index_to_int64(ts, args[1], &n)) return Value();
  if (n < 0) return raise(ts, &ValueError_type, "number of bytes must be non-negative");
  // getrandbits(n * 8).to_bytes(n, 'little')
  std::string data;
  data.reserve(size_t(n));
  MersenneTwister& mt = as_random(args[0])->mt;
  for (int64_t remaining = n; remaining > 0; remaining -= 4) {
    uint32_t w = mt.next();
    if (remaining < 4) w >>= 32 - remaining * 8;
    for (int b = 0; b < 4 && b < remaining; ++b) data += char((w >> (8 * b)) & 0xff);
  }
  return bytes_value(ts, data);
}

// An integer argument as an mpz (ints and __index__ objects).
bool index_arg(ThreadState& ts, Value v, mpz_t out) {
  Ref index(to_index(ts, v));
  if (!index) return false;
  int_to_mpz(index.get(), out);
  return true;
}

Value empty_range(ThreadState& ts, Value start, Value stop, Value step) {
  std::string text = "empty range in randrange(" + repr_string(ts, start) + ", " +
                     repr_string(ts, stop);
  if (step) text += ", " + repr_string(ts, step);
  return raise(ts, &ValueError_type, text + ")");
}

// randrange(start, stop=None, step=1) with CPython 3.12's arithmetic and messages.
Value randrange(ThreadState& ts, Random* r, Value start, Value stop, Value step) {
  Mpz istart, istop, istep, width, n, pick;
  if (!index_arg(ts, start, istart.z)) return Value();
  if (!stop || is_none(stop)) {
    if (step) return raise(ts, &TypeError_type, "Missing a non-None stop argument");
    if (mpz_sgn(istart.z) > 0) return rand_below_value(r->mt, istart.z);
    return raise(ts, &ValueError_type, "empty range for randrange()");
  }
  if (!index_arg(ts, stop, istop.z)) return Value();
  mpz_sub(width.z, istop.z, istart.z);
  mpz_set_ui(istep.z, 1);
  if (step && !index_arg(ts, step, istep.z)) return Value();
  if (mpz_cmp_ui(istep.z, 1) == 0) {
    if (mpz_sgn(width.z) <= 0) return empty_range(ts, start, stop, Value());
    Ref offset(rand_below_value(r->mt, width.z));
    int_to_mpz(offset.get(), pick.z);
    mpz_add(pick.z, pick.z, istart.z);
    return int_from_mpz(pick.z);
  }
  if (mpz_sgn(istep.z) == 0) return raise(ts, &ValueError_type, "zero step for randrange()");
  // n = ceil(width / step), computed with floor division as CPython does.
  mpz_add(n.z, width.z, istep.z);
  if (mpz_sgn(istep.z) > 0)
    mpz_sub_ui(n.z, n.z, 1);
  else
    mpz_add_ui(n.z, n.z, 1);
  mpz_fdiv_q(n.z, n.z, istep.z);
  if (mpz_sgn(n.z) <= 0) return empty_range(ts, start, stop, step);
  Ref offset(rand_below_value(r->mt, n.z));
  int_to_mpz(offset.get(), pick.z);
  mpz_mul(pick.z, pick.z, istep.z);
  mpz_add(pick.z, pick.z, istart.z);
  return int_from_mpz(pick.z);
}

Value random_randrange(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[4];
  if (!bind_args(ts, "randrange", args, nargs, kwnames, {"self", "start", "stop", "step"}, 2, a))
    return Value();
  return randrange(ts, as_random(a[0]), a[1], a[2], a[3]);
}

Value random_randint(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "randint", args, nargs, kwnames, {"self", "a", "b"}, 3, a)) return Value();
  Ref stop(binary_op(ts, a[2], Value::small_int(1), BinaryOp::Add));
  if (!stop) return Value();
  return randrange(ts, as_random(a[0]), a[1], stop.get(), Value());
}

// --- methods: sequences ------------------------------------------------------------------------

Value random_choice(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "choice", kwnames) || !check_nargs(ts, "choice", nargs, 2, 2))
    return Value();
  int64_t n = object_length(ts, args[1]);
  if (n < 0) return Value();
  if (n == 0) return raise(ts, &IndexError_type, "Cannot choose from an empty sequence");
  uint64_t i = rand_below(as_random(args[0])->mt, uint64_t(n));
  return object_getitem(ts, args[1], int_from_uint64(i));
}

Value random_shuffle(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "shuffle", kwnames) || !check_nargs(ts, "shuffle", nargs, 2, 2))
    return Value();
  Value x = args[1];
  MersenneTwister& mt = as_random(args[0])->mt;
  int64_t n = object_length(ts, x);
  if (n < 0) return Value();
  for (int64_t i = n - 1; i > 0; --i) {
    int64_t j = int64_t(rand_below(mt, uint64_t(i + 1)));
    // x[i], x[j] = x[j], x[i]
    Ref at_i(object_getitem(ts, x, Value::small_int(i)));
    if (!at_i) return Value();
    Ref at_j(object_getitem(ts, x, Value::small_int(j)));
    if (!at_j) return Value();
    if (object_setitem(ts, x, Value::small_int(i), at_j.get()) < 0 ||
        object_setitem(ts, x, Value::small_int(j), at_i.get()) < 0)
      return Value();
  }
  return none();
}

// Whether v can be indexed like a sequence (sets and dicts cannot be sampled).
bool is_sequence(Value v) {
  Type* t = type_of(v);
  return t->getitem && t->length && !is_dict(v) && !is_anyset(v);
}

// bisect_right(a, x, 0, hi) over a list of numbers, for choices() and sample(counts=).
int64_t bisect_right(ThreadState& ts, List* a, Value x, int64_t hi) {
  int64_t lo = 0;
  while (lo < hi) {
    int64_t mid = (lo + hi) / 2;
    int less = object_compare_bool(ts, x, a->items[mid], CompareOp::Lt);
    if (less < 0) return -1;
    if (less)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

// list(itertools.accumulate(iterable))
Value accumulate(ThreadState& ts, Value iterable) {
  Ref it(object_iter(ts, iterable));
  if (!it) return Value();
  Ref result(Value::from_obj(list_new(ts)));
  if (!result) return Value();
  Ref total;
  for (;;) {
    Ref item(iter_next(ts, it.get()));
    if (!item) break;
    total = Ref(total ? binary_op(ts, total.get(), item.get(), BinaryOp::Add) : newref(item.get()));
    if (!total || list_append(ts, result.as<List>(), total.get()) < 0) return Value();
  }
  if (error_occurred(ts)) return Value();
  return result.release();
}

Value sample(ThreadState& ts, Random* r, Value population, int64_t k);

// sample(population, k, counts=...): a sample of range(total) mapped through bisection.
Value sample_with_counts(ThreadState& ts, Random* r, Value population, int64_t k,
                         Value counts) {
  Ref cum(accumulate(ts, counts));
  if (!cum) return Value();
  List* cum_counts = cum.as<List>();
  int64_t n = object_length(ts, population);
  if (n < 0) return Value();
  if (int64_t(cum_counts->size) != n)
    return raise(ts, &ValueError_type, "The number of counts does not match the population");
  if (n == 0) return raise(ts, &IndexError_type, "pop from empty list");
  // The last cumulative count is the total; the search runs over the others.
  Ref total(newref(cum_counts->items[n - 1]));
  if (!is_int(total.get())) return raise(ts, &TypeError_type, "Counts must be integers");
  if (int_sign(total.get()) <= 0)
    return raise(ts, &ValueError_type, "Total of counts must be greater than zero");
  int64_t total_count;
  if (!int_to_int64(ts, total.get(), &total_count)) return Value();
  Ref range(range_new(ts, 0, total_count, 1));
  if (!range) return Value();
  Ref selections(sample(ts, r, range.get(), k));
  if (!selections) return Value();
  List* sel = selections.as<List>();
  for (size_t i = 0; i < sel->size; ++i) {
    int64_t index = bisect_right(ts, cum_counts, sel->items[i], n - 1);
    if (index < 0) return Value();
    Value item = object_getitem(ts, population, Value::small_int(index));
    if (!item) return Value();
    decref(sel->items[i]);
    sel->items[i] = item;
  }
  return selections.release();
}

// CPython's sample(): a pool for small populations, a set of picked indices for large ones.
Value sample(ThreadState& ts, Random* r, Value population, int64_t k) {
  int64_t n = object_length(ts, population);
  if (n < 0) return Value();
  if (k < 0 || k > n)
    return raise(ts, &ValueError_type, "Sample larger than population or is negative");
  Ref result(Value::from_obj(list_new(ts, size_t(k))));
  if (!result) return Value();
  int64_t setsize = 21;
  if (k > 5) setsize += int64_t(std::pow(4.0, std::ceil(std::log(double(k) * 3) / std::log(4.0))));
  if (n <= setsize) {
    Ref pool(list_from_iterable(ts, population));
    if (!pool) return Value();
    List* p = pool.as<List>();
    for (int64_t i = 0; i < k; ++i) {
      int64_t j = int64_t(rand_below(r->mt, uint64_t(n - i)));
      if (list_append(ts, result.as<List>(), p->items[j]) < 0) return Value();
      // Move the last unpicked item into the hole.
      Value last = p->items[n - i - 1];
      incref(last);
      decref(p->items[j]);
      p->items[j] = last;
    }
  } else {
    std::vector<bool> selected(size_t(n), false);
    for (int64_t i = 0; i < k; ++i) {
      int64_t j;
      do {
        j = int64_t(rand_below(r->mt, uint64_t(n)));
      } while (selected[size_t(j)]);
      selected[size_t(j)] = true;
      Ref item(object_getitem(ts, population, Value::small_int(j)));
      if (!item || list_append(ts, result.as<List>(), item.get()) < 0) return Value();
    }
  }
  return result.release();
}

Value random_sample(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[4];
  if (!bind_args(ts, "sample", args, nargs, kwnames, {"self", "population", "k", "counts"}, 3,
                 a, 3))
    return Value();
  if (!is_sequence(a[1]))
    return raise(ts, &TypeError_type,
                 "Population must be a sequence.  For dicts or sets, use sorted(d).");
  int64_t k;
  if (!index_to_int64(ts, a[2], &k)) return Value();
  Random* r = as_random(a[0]);
  if (a[3] && !is_none(a[3])) return sample_with_counts(ts, r, a[1], k, a[3]);
  return sample(ts, r, a[1], k);
}

Value random_choices(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[5];
  if (!bind_args(ts, "choices", args, nargs, kwnames,
                 {"self", "population", "weights", "cum_weights", "k"}, 2, a, 3))
    return Value();
  Random* r = as_random(a[0]);
  Value population = a[1];
  Value weights = a[2] && !is_none(a[2]) ? a[2] : Value();
  Value cum_weights = a[3] && !is_none(a[3]) ? a[3] : Value();
  int64_t k = 1;
  if (a[4] && !index_to_int64(ts, a[4], &k)) return Value();
  int64_t n = object_length(ts, population);
  if (n < 0) return Value();
  Ref result(Value::from_obj(list_new(ts, size_t(std::max<int64_t>(k, 0)))));
  if (!result) return Value();
  if (!cum_weights && !weights) {
    double dn = double(n);
    for (int64_t i = 0; i < k; ++i) {
      int64_t index = int64_t(std::floor(r->mt.random() * dn));
      Ref item(object_getitem(ts, population, Value::small_int(index)));
      if (!item || list_append(ts, result.as<List>(), item.get()) < 0) return Value();
    }
    return result.release();
  }
  Ref cum;
  if (!cum_weights) {
    if (is_int(weights))
      return raise_fmt(ts, &TypeError_type,
                       "The number of choices must be a keyword argument: k=%s",
                       repr_string(ts, weights).c_str());
    cum = Ref(accumulate(ts, weights));
  } else if (weights) {
    return raise(ts, &TypeError_type, "Cannot specify both weights and cumulative weights");
  } else {
    cum = Ref(list_from_iterable(ts, cum_weights));
  }
  if (!cum) return Value();
  List* cw = cum.as<List>();
  if (int64_t(cw->size) != n)
    return raise(ts, &ValueError_type, "The number of weights does not match the population");
  if (n == 0) return raise(ts, &IndexError_type, "list index out of range");
  double total;
  if (!to_double(ts, cw->items[n - 1], &total)) return Value();
  if (total <= 0.0) return raise(ts, &ValueError_type, "Total of weights must be greater than zero");
  if (!std::isfinite(total)) return raise(ts, &ValueError_type, "Total of weights must be finite");
  for (int64_t i = 0; i < k; ++i) {
    Ref x(float_new(r->mt.random() * total));
    int64_t index = bisect_right(ts, cw, x.get(), n - 1);
    if (index < 0) return Value();
    Ref item(object_getitem(ts, population, Value::small_int(index)));
    if (!item || list_append(ts, result.as<List>(), item.get()) < 0) return Value();
  }
  return result.release();
}

// --- methods: real distributions ---------------------------------------------------------------

// Reads optional float parameters with their defaults (null means "use the default").
bool float_params(ThreadState& ts, const Value* given, const double* defaults, double* out,
                  size_t n) {
  for (size_t i = 0; i < n; ++i) {
    out[i] = defaults[i];
    if (given[i] && !to_double(ts, given[i], &out[i])) return false;
  }
  return true;
}

Value random_uniform(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "uniform", args, nargs, kwnames, {"self", "a", "b"}, 3, a)) return Value();
  double lo, hi;
  if (!to_double(ts, a[1], &lo) || !to_double(ts, a[2], &hi)) return Value();
  return float_new(lo + (hi - lo) * as_random(a[0])->mt.random());
}

Value random_triangular(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[4];
  if (!bind_args(ts, "triangular", args, nargs, kwnames, {"self", "low", "high", "mode"}, 1, a))
    return Value();
  const double defaults[2] = {0.0, 1.0};
  double p[2];
  if (!float_params(ts, a + 1, defaults, p, 2)) return Value();
  double low = p[0], high = p[1];
  double u = as_random(a[0])->mt.random();
  double c = 0.5;
  if (a[3] && !is_none(a[3])) {
    double mode;
    if (!to_double(ts, a[3], &mode)) return Value();
    if (high == low) return float_new(low);
    c = (mode - low) / (high - low);
  } else if (high == low) {
    return float_new(low);
  }
  if (u > c) {
    u = 1.0 - u;
    c = 1.0 - c;
    std::swap(low, high);
  }
  return float_new(low + (high - low) * std::sqrt(u * c));
}

double normal_variate(MersenneTwister& mt) {
  // Kinderman and Monahan's ratio-of-uniforms method, as CPython uses.
  const double kMagic = 4 * std::exp(-0.5) / std::sqrt(2.0);
  for (;;) {
    double u1 = mt.random();
    double u2 = 1.0 - mt.random();
    double z = kMagic * (u1 - 0.5) / u2;
    if (z * z / 4.0 <= -std::log(u2)) return z;
  }
}

Value random_normalvariate(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "normalvariate", args, nargs, kwnames, {"self", "mu", "sigma"}, 1, a))
    return Value();
  const double defaults[2] = {0.0, 1.0};
  double p[2];
  if (!float_params(ts, a + 1, defaults, p, 2)) return Value();
  return float_new(p[0] + normal_variate(as_random(a[0])->mt) * p[1]);
}

Value random_lognormvariate(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "lognormvariate", args, nargs, kwnames, {"self", "mu", "sigma"}, 3, a))
    return Value();
  double p[2];
  const double defaults[2] = {0.0, 1.0};
  if (!float_params(ts, a + 1, defaults, p, 2)) return Value();
  return float_new(std::exp(p[0] + normal_variate(as_random(a[0])->mt) * p[1]));
}

// gauss() makes values in pairs and keeps the second for the next call.
Value random_gauss(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "gauss", args, nargs, kwnames, {"self", "mu", "sigma"}, 1, a))
    return Value();
  const double defaults[2] = {0.0, 1.0};
  double p[2];
  if (!float_params(ts, a + 1, defaults, p, 2)) return Value();
  Random* r = as_random(a[0]);
  double z;
  if (r->gauss_next && is_float(r->gauss_next)) {
    z = float_value(r->gauss_next);
    decref(r->gauss_next);
    r->gauss_next = Value();
  } else {
    double x2pi = r->mt.random() * (2 * M_PI);
    double g2rad = std::sqrt(-2.0 * std::log(1.0 - r->mt.random()));
    z = std::cos(x2pi) * g2rad;
    decref(r->gauss_next);
    r->gauss_next = float_new(std::sin(x2pi) * g2rad);
  }
  return float_new(p[0] + z * p[1]);
}

Value random_expovariate(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "expovariate", args, nargs, kwnames, {"self", "lambd"}, 1, a))
    return Value();
  double lambd = 1.0;
  if (a[1] && !to_double(ts, a[1], &lambd)) return Value();
  if (lambd == 0.0) return raise(ts, &ZeroDivisionError_type, "float division by zero");
  return float_new(-std::log(1.0 - as_random(a[0])->mt.random()) / lambd);
}

Value random_paretovariate(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "paretovariate", args, nargs, kwnames, {"self", "alpha"}, 2, a))
    return Value();
  double alpha;
  if (!to_double(ts, a[1], &alpha)) return Value();
  double u = 1.0 - as_random(a[0])->mt.random();
  return float_new(std::pow(u, -1.0 / alpha));
}

Value random_weibullvariate(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "weibullvariate", args, nargs, kwnames, {"self", "alpha", "beta"}, 3, a))
    return Value();
  double alpha, beta;
  if (!to_double(ts, a[1], &alpha) || !to_double(ts, a[2], &beta)) return Value();
  double u = 1.0 - as_random(a[0])->mt.random();
  return float_new(alpha * std::pow(-std::log(u), 1.0 / beta));
}

const MethodDef random_methods[] = {
    {"seed", random_seed},
    {"getstate", random_getstate},
    {"setstate", random_setstate},
    {"random", random_random},
    {"getrandbits", random_getrandbits},
    {"randbytes", random_randbytes},
    {"randrange", random_randrange},
    {"randint", random_randint},
    {"choice", random_choice},
    {"choices", random_choices},
    {"shuffle", random_shuffle},
    {"sample", random_sample},
    {"uniform", random_uniform},
    {"triangular", random_triangular},
    {"normalvariate", random_normalvariate},
    {"lognormvariate", random_lognormvariate},
    {"gauss", random_gauss},
    {"expovariate", random_expovariate},
    {"paretovariate", random_paretovariate},
    {"weibullvariate", random_weibullvariate},
    {nullptr, nullptr},
};

}  // namespace

Type random_type;
MINIVM_TYPE_SETUP(random_type) {
  t.name = "Random";
  t.module = intern("random");
  t.basic_size = sizeof(Random);
  t.flags = kTypeBaseType;
  t.dealloc = random_dealloc;
  t.new_ = random_new;
  t.init = random_init;
  t.methods = random_methods;
}

int init_random_module(ThreadState& ts, Module* m) {
  if (module_add_types(ts, m, {&random_type}) < 0) return -1;
  // The module-level functions are the bound methods of one hidden instance, which lives
  // in this module's dict so that every interpreter has its own generator.
  Ref instance(random_new(ts, &random_type, nullptr, 0, nullptr));
  if (!instance || module_add(ts, m, "_inst", instance.get()) < 0) return -1;
  for (const MethodDef* def = random_methods; def->name; ++def) {
    Ref bound(object_getattr(ts, instance.get(), def->name));
    if (!bound || module_add(ts, m, def->name, bound.get()) < 0) return -1;
  }
  return 0;
}

}  // namespace mvm
