// The sys module: the interpreter's view of itself (argv, path, modules, version, limits),
// the standard streams, and exit(). Thread-related entries are added by the threading code.
#include <unistd.h>

#include <cfloat>
#include <climits>
#include <cstdint>
#include <string>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/bytes.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/refcount.h"
#include "runtime/set.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "stdlib/io.h"
#include "stdlib/modules.h"
#include "stdlib/namespace.h"
#include "stdlib/native.h"
#include "stdlib/structseq.h"
#include "vm/interpreter.h"
#include "vm/thread_state.h"

#ifndef MINIVM_VERSION
#define MINIVM_VERSION "dev"
#endif

namespace mvm {

// The Python version minivm follows.
namespace {
constexpr int kMajor = 3, kMinor = 12, kMicro = 0;
constexpr int64_t kHexVersion = (kMajor << 24) | (kMinor << 16) | (kMicro << 8) | (0xF << 4);
// What getrefcount() reports for immortal objects, as CPython 3.12 does.
constexpr int64_t kImmortalReport = 4294967295;

const char* const kVersionInfoFields[] = {"major", "minor", "micro", "releaselevel", "serial"};
const char* const kFloatInfoFields[] = {"max",      "max_exp",  "max_10_exp", "min",
                                        "min_exp",  "min_10_exp", "dig",      "mant_dig",
                                        "epsilon",  "radix",    "rounds"};
}  // namespace

StructSeqType version_info_type;
MINIVM_TYPE_SETUP(version_info_type) {
  setup_struct_seq_type(t, "sys", "version_info", "sys.version_info", kVersionInfoFields, 5, 5);
}
StructSeqType float_info_type;
MINIVM_TYPE_SETUP(float_info_type) {
  setup_struct_seq_type(t, "sys", "float_info", "sys.float_info", kFloatInfoFields, 11, 11);
}

namespace {

// --- functions -----------------------------------------------------------------------------

Value sys_exit(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "exit", kwnames) || !check_nargs(ts, "exit", nargs, 0, 1))
    return Value();
  return raise_with_args(ts, &SystemExit_type, args, nargs);
}

Value sys_getrecursionlimit(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "getrecursionlimit", nargs, 0, 0)) return Value();
  return Value::small_int(ts.interp->recursion_limit);
}

Value sys_setrecursionlimit(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "setrecursionlimit", kwnames) ||
      !check_nargs(ts, "setrecursionlimit", nargs, 1, 1))
    return Value();
  if (is_float(args[0]))
    return raise(ts, &TypeError_type, "'float' object cannot be interpreted as an integer");
  int64_t limit;
  if (!int_to_int64(ts, args[0], &limit)) return Value();
  if (limit < 1) return raise(ts, &ValueError_type, "recursion limit must be greater or equal than 1");
  if (limit > INT_MAX) return raise(ts, &OverflowError_type, "Python int too large to convert to C int");
  if (limit <= ts.recursion_depth)
    return raise_fmt(ts, &RecursionError_type,
                     "cannot set the recursion limit to %lld at the recursion depth %d: "
                     "the limit is too low",
                     static_cast<long long>(limit), ts.recursion_depth);
  ts.interp->recursion_limit = int(limit);
  return none();
}

Value sys_getrefcount(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "getrefcount", kwnames) ||
      !check_nargs(ts, "getrefcount", nargs, 1, 1))
    return Value();
  Value v = args[0];
  if (!v.is_obj() || v.obj()->is_immortal()) return int_from_int64(kImmortalReport);
  int64_t count = v.obj()->ob_ref_local;
#if MINIVM_FREE_THREADING
  count += v.obj()->ob_ref_shared.load(std::memory_order_relaxed) >> 2;
#endif
  // One more for the argument itself, as CPython counts it.
  return int_from_int64(count + 1);
}

// An estimate of an object's memory: its fixed part plus what it owns out of line.
int64_t approximate_size(Value v) {
  if (v.is_small_int()) return 28;
  Type* t = type_of(v);
  int64_t size = int64_t(t->basic_size ? t->basic_size : sizeof(Object));
  if (is_str(v)) size += int64_t(v.as<Str>()->size);
  else if (is_bytes(v)) size += int64_t(bytes_view(v).size());
  else if (is_tuple(v)) size += int64_t(sizeof(Value) * v.as<Tuple>()->size);
  else if (is_list(v)) size += int64_t(sizeof(Value) * v.as<List>()->capacity);
  else if (is_dict(v)) {
    Dict* d = v.as<Dict>();
    size += int64_t(d->entry_capacity * sizeof(DictEntry) + d->index_size * sizeof(int32_t));
  } else if (is_anyset(v)) {
    size += int64_t((v.as<Set>()->mask + 1) * sizeof(SetEntry));
  } else if (is_bigint(v)) {
    size += int64_t(mpz_size(v.as<BigInt>()->value) * sizeof(mp_limb_t));
  }
  return size;
}

Value sys_getsizeof(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "getsizeof", args, nargs, kwnames, {"object", "default"}, 1, a))
    return Value();
  Type* t = type_of(a[0]);
  if (t->flags & kTypeHeap) {
    bool missing = false;
    Value result = call_special(ts, a[0], "__sizeof__", {}, &missing);
    if (!missing) return result;
  }
  return int_from_int64(approximate_size(a[0]));
}

Value sys_intern(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "intern", kwnames) || !check_nargs(ts, "intern", nargs, 1, 1))
    return Value();
  if (!is_exact_str(args[0]))
    return raise_fmt(ts, &TypeError_type, "intern() argument must be str, not %s",
                     type_name(args[0]));
  return newref(Value::from_obj(intern(str_view(args[0]))));
}

// The exception being handled (by an except or finally block) on this thread, or None.
Value handled_exception(ThreadState& ts) {
  Value exc = ts.handled_exception;
  return exc && !is_none(exc) ? exc : Value();
}

Value sys_exc_info(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "exc_info", nargs, 0, 0)) return Value();
  Value exc = handled_exception(ts);
  if (!exc) return Value::from_obj(tuple_pack(ts, {none(), none(), none()}));
  Value tb = exc.as<ExceptionObject>()->traceback;
  return Value::from_obj(
      tuple_pack(ts, {Value::from_obj(type_of(exc)), exc, tb ? tb : none()}));
}

Value sys_exception(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "exception", nargs, 0, 0)) return Value();
  Value exc = handled_exception(ts);
  return newref(exc ? exc : none());
}

Value sys_getdefaultencoding(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "getdefaultencoding", nargs, 0, 0)) return Value();
  return new_str(ts, "utf-8");
}

const MethodDef sys_functions[] = {
    {"exit", sys_exit},
    {"getrecursionlimit", sys_getrecursionlimit},
    {"setrecursionlimit", sys_setrecursionlimit},
    {"getrefcount", sys_getrefcount},
    {"getsizeof", sys_getsizeof},
    {"intern", sys_intern},
    {"exc_info", sys_exc_info},
    {"exception", sys_exception},
    {"getdefaultencoding", sys_getdefaultencoding},
    {"getfilesystemencoding", sys_getdefaultencoding},
    {nullptr, nullptr},
};

// --- attributes ------------------------------------------------------------------------------

// Adds name = value, taking ownership of value (which may be null after a failure).
int add_owned(ThreadState& ts, Module* m, const char* name, Value value) {
  if (!value) return -1;
  Ref owned(value);
  return module_add(ts, m, name, value);
}

Value str_list(ThreadState& ts, const std::vector<std::string>& items) {
  Ref list(Value::from_obj(list_new(ts, items.size())));
  if (!list) return Value();
  for (const std::string& item : items) {
    Ref s(new_str(ts, item));
    if (!s || list_append(ts, list.as<List>(), s.get()) < 0) return Value();
  }
  return list.release();
}

Value make_version_info(ThreadState& ts) {
  Ref level(new_str(ts, "final"));
  if (!level) return Value();
  Value fields[] = {Value::small_int(kMajor), Value::small_int(kMinor),
                    Value::small_int(kMicro), level.get(), Value::small_int(0)};
  return struct_seq_new(ts, &version_info_type, fields);
}

Value make_float_info(ThreadState& ts) {
  Ref max(float_new(DBL_MAX)), min(float_new(DBL_MIN)), epsilon(float_new(DBL_EPSILON));
  if (!max || !min || !epsilon) return Value();
  Value fields[] = {max.get(),
                    Value::small_int(DBL_MAX_EXP),
                    Value::small_int(DBL_MAX_10_EXP),
                    min.get(),
                    Value::small_int(DBL_MIN_EXP),
                    Value::small_int(DBL_MIN_10_EXP),
                    Value::small_int(DBL_DIG),
                    Value::small_int(DBL_MANT_DIG),
                    epsilon.get(),
                    Value::small_int(FLT_RADIX),
                    Value::small_int(1)};
  return struct_seq_new(ts, &float_info_type, fields);
}

// sys.flags: the command-line switches that minivm has (all off), as a namespace so that
// other parts of the runtime can add theirs (the GIL mode).
Value make_flags(ThreadState& ts) {
  Value zero = Value::small_int(0);
  return namespace_new(ts, {{"debug", zero}, {"inspect", zero}, {"interactive", zero},
                            {"optimize", zero}, {"dont_write_bytecode", zero},
                            {"no_user_site", zero}, {"no_site", zero},
                            {"ignore_environment", zero}, {"verbose", zero},
                            {"bytes_warning", zero}, {"quiet", zero},
                            {"hash_randomization", Value::small_int(1)}, {"isolated", zero},
                            {"dev_mode", false_value()}, {"utf8_mode", Value::small_int(1)},
                            {"safe_path", false_value()}, {"int_max_str_digits", zero}});
}

Value make_implementation(ThreadState& ts, Value version_info) {
  Ref name(new_str(ts, "minivm"));
  if (!name) return Value();
  return namespace_new(ts, {{"name", name.get()},
                            {"cache_tag", none()},
                            {"version", version_info},
                            {"hexversion", Value::small_int(kHexVersion)}});
}

Value builtin_module_names(ThreadState& ts) {
  size_t n = 0;
  while (kNativeModules[n].name) ++n;
  Tuple* names = tuple_new(ts, n);
  if (!names) return Value();
  for (size_t i = 0; i < n; ++i) names->items[i] = Value::from_obj(intern(kNativeModules[i].name));
  return Value::from_obj(names);
}

std::string executable_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

// sys.stdin/stdout/stderr and the __std*__ originals that flush_std_streams also flushes.
int add_std_streams(ThreadState& ts, Module* m) {
  struct StreamSpec {
    int fd;
    bool writable, write_through;
    const char *name, *attr, *original;
  };
  static const StreamSpec specs[] = {
      {0, false, false, "<stdin>", "stdin", "__stdin__"},
      {1, true, false, "<stdout>", "stdout", "__stdout__"},
      {2, true, true, "<stderr>", "stderr", "__stderr__"},
  };
  for (const StreamSpec& spec : specs) {
    Ref stream(std_stream_new(ts, spec.fd, spec.writable, spec.write_through, spec.name));
    if (!stream || module_add(ts, m, spec.attr, stream.get()) < 0 ||
        module_add(ts, m, spec.original, stream.get()) < 0)
      return -1;
  }
  return 0;
}

}  // namespace

int init_sys_module(ThreadState& ts, Module* m) {
  Interpreter* interp = ts.interp;
  if (module_add_functions(ts, m, sys_functions) < 0) return -1;
  if (!interp->sys_path) {
    interp->sys_path = list_new(ts);
    if (!interp->sys_path) return -1;
  }
  if (!interp->modules) {
    interp->modules = dict_new(ts);
    if (!interp->modules) return -1;
  }
  if (module_add(ts, m, "path", Value::from_obj(interp->sys_path)) < 0 ||
      module_add(ts, m, "modules", Value::from_obj(interp->modules)) < 0)
    return -1;
  if (add_owned(ts, m, "argv", str_list(ts, interp->config.argv)) < 0 ||
      add_owned(ts, m, "orig_argv", str_list(ts, interp->config.argv)) < 0)
    return -1;
  Ref version_info(make_version_info(ts));
  if (!version_info || module_add(ts, m, "version_info", version_info.get()) < 0) return -1;
  std::string version = std::to_string(kMajor) + "." + std::to_string(kMinor) + "." +
                        std::to_string(kMicro) + " (minivm " MINIVM_VERSION ")";
  std::string executable = executable_path();
  if (add_owned(ts, m, "version", new_str(ts, version)) < 0 ||
      add_owned(ts, m, "hexversion", int_from_int64(kHexVersion)) < 0 ||
      add_owned(ts, m, "implementation", make_implementation(ts, version_info.get())) < 0 ||
      add_owned(ts, m, "float_info", make_float_info(ts)) < 0 ||
      add_owned(ts, m, "flags", make_flags(ts)) < 0 ||
      add_owned(ts, m, "maxsize", int_from_int64(INT64_MAX)) < 0 ||
      add_owned(ts, m, "maxunicode", Value::small_int(0x10FFFF)) < 0 ||
      add_owned(ts, m, "byteorder",
                new_str(ts, __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? "little" : "big")) < 0 ||
      add_owned(ts, m, "platform", new_str(ts, "linux")) < 0 ||
      add_owned(ts, m, "executable", new_str(ts, executable)) < 0 ||
      add_owned(ts, m, "prefix", new_str(ts, "")) < 0 ||
      add_owned(ts, m, "exec_prefix", new_str(ts, "")) < 0 ||
      add_owned(ts, m, "builtin_module_names", builtin_module_names(ts)) < 0 ||
      add_owned(ts, m, "api_version", Value::small_int(1013)) < 0 ||
      module_add(ts, m, "dont_write_bytecode", true_value()) < 0)
    return -1;
  return add_std_streams(ts, m);
}

void flush_std_streams(ThreadState& ts) {
  Module* sys = ts.interp->sys;
  if (!sys) return;
  // The current streams first (a script may have replaced them), then the originals.
  for (const char* name : {"stdout", "stderr", "__stdout__", "__stderr__"}) {
    Value stream = module_get(sys, name);
    if (!stream || is_none(stream)) continue;
    if (is_native_file(stream)) {
      if (native_file_flush(ts, stream) < 0) clear_error(ts);
      continue;
    }
    Ref result(call_method(ts, stream, "flush", {}));
    if (!result) clear_error(ts);
  }
}

}  // namespace mvm
