// The time module: clocks, sleep, and conversions between timestamps, struct_time and text.
#include "stdlib/time.h"
#include "vm/eval_breaker.h"
#include "vm/gil.h"

#include <time.h>

#include <cerrno>
#include <cmath>
#include <string>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/module.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "stdlib/modules.h"
#include "stdlib/native.h"
#include "stdlib/os.h"
#include "stdlib/structseq.h"

namespace mvm {

namespace {
const char* const kStructTimeFields[] = {"tm_year", "tm_mon",  "tm_mday", "tm_hour",
                                         "tm_min",  "tm_sec",  "tm_wday", "tm_yday",
                                         "tm_isdst", "tm_zone", "tm_gmtoff"};
constexpr size_t kStructTimeVisible = 9;
constexpr size_t kStructTimeFieldCount = 11;
}  // namespace

StructSeqType struct_time_type;
MINIVM_TYPE_SETUP(struct_time_type) {
  setup_struct_seq_type(t, "time", "struct_time", "time.struct_time", kStructTimeFields,
                        kStructTimeVisible, kStructTimeFieldCount);
}

bool sleep_for(ThreadState& ts, double seconds) {
  // Sleeps until an absolute deadline, in slices: Ctrl-C ends the sleep early, whether it
  // arrives as a signal (EINTR, on the main thread) or is posted to this thread
  // (request_keyboard_interrupt: a subinterpreter's thread, whose caller was interrupted).
  constexpr long kSliceNs = 50'000'000;
  struct timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += time_t(seconds);
  deadline.tv_nsec += long((seconds - std::floor(seconds)) * 1e9);
  if (deadline.tv_nsec >= 1'000'000'000) {
    deadline.tv_sec++;
    deadline.tv_nsec -= 1'000'000'000;
  }
  bool interrupted = false;
  int error = 0;
  {
    // Other threads run while this one sleeps.
    GilReleased released(ts);
    for (;;) {
      struct timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      long long left_ns = (long long)(deadline.tv_sec - now.tv_sec) * 1'000'000'000LL + (deadline.tv_nsec - now.tv_nsec);
      if (left_ns <= 0) break;
      struct timespec slice;
      long long step = left_ns < kSliceNs ? left_ns : kSliceNs;
      slice.tv_sec = time_t(step / 1'000'000'000LL);
      slice.tv_nsec = long(step % 1'000'000'000LL);
      if (nanosleep(&slice, nullptr) != 0 && errno != EINTR) {
        error = errno;
        break;
      }
      if (take_pending_interrupt(ts)) {
        interrupted = true;
        break;
      }
    }
  }
  if (interrupted) {
    raise_with_args(ts, &KeyboardInterrupt_type, nullptr, 0);
    return false;
  }
  if (error) {
    raise_os_error(ts, error);
    return false;
  }
  return true;
}

namespace {

// --- clocks ----------------------------------------------------------------------------------

int64_t clock_ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return int64_t(t.tv_sec) * 1000000000 + t.tv_nsec;
}

double clock_seconds(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// Each clock comes as seconds (a float) and nanoseconds (an int).
#define MINIVM_CLOCK_FUNCTIONS(name, clock)                                                 \
  Value time_##name(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {     \
    if (!check_nargs(ts, #name, nargs, 0, 0)) return Value();                              \
    return float_new(clock_seconds(clock));                                                \
  }                                                                                         \
  Value time_##name##_ns(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) { \
    if (!check_nargs(ts, #name "_ns", nargs, 0, 0)) return Value();                        \
    return int_from_int64(clock_ns(clock));                                                 \
  }

MINIVM_CLOCK_FUNCTIONS(time, CLOCK_REALTIME)
MINIVM_CLOCK_FUNCTIONS(monotonic, CLOCK_MONOTONIC)
MINIVM_CLOCK_FUNCTIONS(perf_counter, CLOCK_MONOTONIC)
MINIVM_CLOCK_FUNCTIONS(process_time, CLOCK_PROCESS_CPUTIME_ID)
MINIVM_CLOCK_FUNCTIONS(thread_time, CLOCK_THREAD_CPUTIME_ID)
#undef MINIVM_CLOCK_FUNCTIONS

Value time_sleep(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "sleep", kwnames) || !check_nargs(ts, "sleep", nargs, 1, 1))
    return Value();
  Value secs = args[0];
  if (!is_int(secs) && !is_float(secs))
    return raise_fmt(ts, &TypeError_type, "'%s' object cannot be interpreted as an integer",
                     type_name(secs));
  double seconds;
  if (!number_to_double(ts, secs, &seconds)) return Value();
  if (std::isnan(seconds)) return raise(ts, &ValueError_type, "Invalid value NaN (not a number)");
  if (seconds < 0) return raise(ts, &ValueError_type, "sleep length must be non-negative");
  if (!std::isfinite(seconds) || seconds > 1e15)
    return raise(ts, &OverflowError_type, "sleep length is too large");
  if (!sleep_for(ts, seconds)) return Value();
  return none();
}

// --- struct_time -----------------------------------------------------------------------------

Value struct_time_from_tm(ThreadState& ts, const struct tm& tm) {
  Ref zone(new_str(ts, tm.tm_zone ? tm.tm_zone : ""));
  if (!zone) return Value();
  Ref gmtoff(int_from_int64(tm.tm_gmtoff));
  Value fields[kStructTimeFieldCount] = {
      int_from_int64(int64_t(tm.tm_year) + 1900),
      Value::small_int(tm.tm_mon + 1),
      Value::small_int(tm.tm_mday),
      Value::small_int(tm.tm_hour),
      Value::small_int(tm.tm_min),
      Value::small_int(tm.tm_sec),
      Value::small_int((tm.tm_wday + 6) % 7),   // Monday is 0 in Python
      Value::small_int(tm.tm_yday + 1),
      Value::small_int(tm.tm_isdst),
      zone.get(),
      gmtoff.get()};
  return struct_seq_new(ts, &struct_time_type, fields);
}

// The timestamp argument of localtime()/gmtime()/ctime(): now when omitted or None.
bool timestamp_arg(ThreadState& ts, Value arg, time_t* out) {
  if (arg.is_null() || is_none(arg)) {
    *out = time(nullptr);
    return true;
  }
  double seconds;
  if (is_float(arg)) {
    seconds = float_value(arg);
    if (std::isnan(seconds)) {
      raise(ts, &ValueError_type, "Invalid value NaN (not a number)");
      return false;
    }
    seconds = std::floor(seconds);
  } else {
    Ref index(to_index(ts, arg));
    if (!index || !int_to_double_checked(ts, index.get(), &seconds)) return false;
  }
  if (!(seconds >= -9.2e18 && seconds <= 9.2e18)) {
    raise(ts, &OverflowError_type, "timestamp out of range for platform time_t");
    return false;
  }
  *out = time_t(seconds);
  return true;
}

Value convert_time(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames,
                   const char* name, bool local) {
  if (!check_no_kwargs(ts, name, kwnames) || !check_nargs(ts, name, nargs, 0, 1))
    return Value();
  time_t t;
  if (!timestamp_arg(ts, nargs ? args[0] : Value(), &t)) return Value();
  struct tm tm;
  if ((local ? localtime_r(&t, &tm) : gmtime_r(&t, &tm)) == nullptr)
    return raise_os_error(ts, errno ? errno : EOVERFLOW);
  return struct_time_from_tm(ts, tm);
}

Value time_localtime(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return convert_time(ts, args, nargs, kwnames, "localtime", true);
}

Value time_gmtime(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return convert_time(ts, args, nargs, kwnames, "gmtime", false);
}

// A struct tm from a struct_time or 9-tuple. `zone` keeps tm_zone's text alive.
bool tm_from_value(ThreadState& ts, Value v, const char* fname, struct tm* tm,
                   std::string* zone) {
  if (!is_tuple(v)) {
    raise(ts, &TypeError_type, "Tuple or struct_time argument required");
    return false;
  }
  Tuple* t = v.as<Tuple>();
  if (t->size != kStructTimeVisible) {
    raise_fmt(ts, &TypeError_type, "%s(): illegal time tuple argument", fname);
    return false;
  }
  int64_t f[kStructTimeVisible];
  for (size_t i = 0; i < kStructTimeVisible; ++i)
    if (!int_to_int64(ts, t->items[i], &f[i])) return false;
  *tm = {};
  tm->tm_year = int(f[0] - 1900);
  tm->tm_mon = int(f[1] - 1);
  tm->tm_mday = int(f[2]);
  tm->tm_hour = int(f[3]);
  tm->tm_min = int(f[4]);
  tm->tm_sec = int(f[5]);
  tm->tm_wday = int((f[6] + 1) % 7);
  tm->tm_yday = int(f[7] - 1);
  tm->tm_isdst = int(f[8]);
  if (type_of(v) == &struct_time_type) {
    Value zone_value = t->items[9];
    Value gmtoff = t->items[10];
    if (is_str(zone_value)) {
      *zone = std::string(str_view(zone_value));
      tm->tm_zone = zone->c_str();
    }
    int64_t off;
    if (is_int(gmtoff) && int_to_int64(ts, gmtoff, &off)) tm->tm_gmtoff = long(off);
  }
  return true;
}

// Range checks CPython makes before formatting, so bad tuples raise rather than crash.
bool check_tm(ThreadState& ts, struct tm* tm) {
  // A zero month or day (common in hand-made tuples) is accepted as the first one.
  if (tm->tm_mon == -1) tm->tm_mon = 0;
  if (tm->tm_mday == 0) tm->tm_mday = 1;
  if (tm->tm_yday == -1) tm->tm_yday = 0;
  const char* problem = nullptr;
  if (tm->tm_mon < 0 || tm->tm_mon > 11) problem = "month out of range";
  else if (tm->tm_mday < 0 || tm->tm_mday > 31) problem = "day of month out of range";
  else if (tm->tm_hour < 0 || tm->tm_hour > 23) problem = "hour out of range";
  else if (tm->tm_min < 0 || tm->tm_min > 59) problem = "minute out of range";
  else if (tm->tm_sec < 0 || tm->tm_sec > 61) problem = "seconds out of range";
  else if (tm->tm_wday < 0) problem = "day of week out of range";
  else if (tm->tm_yday < 0 || tm->tm_yday > 365) problem = "day of year out of range";
  if (!problem) return true;
  raise(ts, &ValueError_type, problem);
  return false;
}

// The time argument of strftime()/asctime(): the current local time when omitted.
bool tm_arg(ThreadState& ts, Value arg, const char* fname, struct tm* tm, std::string* zone) {
  if (arg.is_null()) {
    time_t now = time(nullptr);
    localtime_r(&now, tm);
    return true;
  }
  return tm_from_value(ts, arg, fname, tm, zone) && check_tm(ts, tm);
}

Value time_strftime(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "strftime", kwnames) || !check_nargs(ts, "strftime", nargs, 1, 2))
    return Value();
  const Str* format = expect_str(ts, args[0], "strftime() argument 1");
  if (!format) return Value();
  struct tm tm;
  std::string zone;
  if (!tm_arg(ts, nargs == 2 ? args[1] : Value(), "strftime", &tm, &zone)) return Value();
  std::string fmt(str_view(format));
  if (fmt.empty()) return new_str(ts, "");
  // strftime() returns 0 both for "buffer too small" and for an empty result; a marker
  // character tells them apart.
  fmt += '\x01';
  std::string out(256, '\0');
  for (;;) {
    size_t n = strftime(out.data(), out.size(), fmt.c_str(), &tm);
    if (n > 0) {
      out.resize(n - 1);
      return new_str(ts, out);
    }
    if (out.size() > 256 * fmt.size() + 65536)
      return raise(ts, &ValueError_type, "strftime() result too long");
    out.resize(out.size() * 2);
  }
}

Value time_mktime(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "mktime", kwnames) || !check_nargs(ts, "mktime", nargs, 1, 1))
    return Value();
  struct tm tm;
  std::string zone;
  if (!tm_from_value(ts, args[0], "mktime", &tm, &zone)) return Value();
  tm.tm_wday = -1;   // mktime() sets it; -1 left there means failure
  time_t t = mktime(&tm);
  if (t == time_t(-1) && tm.tm_wday == -1)
    return raise(ts, &OverflowError_type, "mktime argument out of range");
  return float_new(double(t));
}

// "Sun Jun 20 23:21:05 1993", as asctime() and ctime() print it.
Value format_asctime(ThreadState& ts, const struct tm& tm) {
  static const char* const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %s%3d %.2d:%.2d:%.2d %d", days[(tm.tm_wday % 7 + 7) % 7],
                months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                tm.tm_year + 1900);
  return new_str(ts, buf);
}

Value time_asctime(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "asctime", kwnames) || !check_nargs(ts, "asctime", nargs, 0, 1))
    return Value();
  struct tm tm;
  std::string zone;
  if (!tm_arg(ts, nargs ? args[0] : Value(), "asctime", &tm, &zone)) return Value();
  return format_asctime(ts, tm);
}

Value time_ctime(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "ctime", kwnames) || !check_nargs(ts, "ctime", nargs, 0, 1))
    return Value();
  time_t t;
  if (!timestamp_arg(ts, nargs ? args[0] : Value(), &t)) return Value();
  struct tm tm;
  if (!localtime_r(&t, &tm)) return raise(ts, &OverflowError_type, "ctime argument out of range");
  return format_asctime(ts, tm);
}

const MethodDef time_functions[] = {
    {"time", time_time},
    {"time_ns", time_time_ns},
    {"monotonic", time_monotonic},
    {"monotonic_ns", time_monotonic_ns},
    {"perf_counter", time_perf_counter},
    {"perf_counter_ns", time_perf_counter_ns},
    {"process_time", time_process_time},
    {"process_time_ns", time_process_time_ns},
    {"thread_time", time_thread_time},
    {"thread_time_ns", time_thread_time_ns},
    {"sleep", time_sleep},
    {"localtime", time_localtime},
    {"gmtime", time_gmtime},
    {"mktime", time_mktime},
    {"strftime", time_strftime},
    {"asctime", time_asctime},
    {"ctime", time_ctime},
    {nullptr, nullptr},
};

// timezone, altzone, daylight and tzname from the offsets in January and July.
int add_timezone_attributes(ThreadState& ts, Module* m) {
  tzset();
  time_t now = time(nullptr);
  struct tm year_start;
  localtime_r(&now, &year_start);
  year_start.tm_mon = 0;
  year_start.tm_mday = 1;
  year_start.tm_hour = 12;
  year_start.tm_isdst = -1;
  struct tm january = year_start, july = year_start;
  july.tm_mon = 6;
  time_t jan_t = mktime(&january), jul_t = mktime(&july);
  localtime_r(&jan_t, &january);
  localtime_r(&jul_t, &july);
  // The standard offset is the smaller one (the hemisphere decides which month has it).
  bool july_is_standard = july.tm_gmtoff < january.tm_gmtoff;
  const struct tm& standard = july_is_standard ? july : january;
  const struct tm& summer = july_is_standard ? january : july;
  Ref std_name(new_str(ts, standard.tm_zone ? standard.tm_zone : "UTC"));
  Ref dst_name(new_str(ts, summer.tm_zone ? summer.tm_zone : "UTC"));
  if (!std_name || !dst_name) return -1;
  Ref tzname(Value::from_obj(tuple_pack(ts, {std_name.get(), dst_name.get()})));
  if (!tzname) return -1;
  if (module_add(ts, m, "timezone", int_from_int64(-standard.tm_gmtoff)) < 0 ||
      module_add(ts, m, "altzone", int_from_int64(-summer.tm_gmtoff)) < 0 ||
      module_add(ts, m, "daylight", Value::small_int(standard.tm_gmtoff != summer.tm_gmtoff)) < 0 ||
      module_add(ts, m, "tzname", tzname.get()) < 0)
    return -1;
  return 0;
}

}  // namespace

int init_time_module(ThreadState& ts, Module* m) {
  if (module_add_functions(ts, m, time_functions) < 0) return -1;
  if (module_add_types(ts, m, {&struct_time_type}) < 0) return -1;
  return add_timezone_attributes(ts, m);
}

}  // namespace mvm
