// The os module (environment, process facts, directories and files) and OSError helpers.
// os.path lives in os_path.cpp.
#include "stdlib/os.h"

#include <dirent.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
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
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "stdlib/modules.h"
#include "stdlib/native.h"
#include "stdlib/os_internal.h"
#include "stdlib/structseq.h"
#include "vm/interpreter.h"

extern char** environ;

namespace mvm {

// --- OSError -------------------------------------------------------------------------------------

Type* os_error_type_for(int errnum) {
  switch (errnum) {
    case ENOENT: return &FileNotFoundError_type;
    case EEXIST: return &FileExistsError_type;
    case EACCES:
    case EPERM: return &PermissionError_type;
    case EISDIR: return &IsADirectoryError_type;
    case ENOTDIR: return &NotADirectoryError_type;
    case EINTR: return &InterruptedError_type;
    case EPIPE:
    case ESHUTDOWN: return &BrokenPipeError_type;
    case ETIMEDOUT: return &TimeoutError_type;
    default: return &OSError_type;
  }
}

Value raise_os_error(ThreadState& ts, int errnum, std::string_view filename) {
  Ref message(new_str(ts, std::strerror(errnum)));
  if (!message) return Value();
  Value args[3] = {Value::small_int(errnum), message.get(), Value()};
  size_t nargs = 2;
  Ref name;
  if (!filename.empty()) {
    name = Ref(new_str(ts, filename));
    if (!name) return Value();
    args[2] = name.get();
    nargs = 3;
  }
  return raise_with_args(ts, os_error_type_for(errnum), args, nargs);
}

// --- paths as arguments --------------------------------------------------------------------------

bool fspath_arg(ThreadState& ts, Value v, const char* fname, std::string* out) {
  if (is_str(v)) {
    *out = std::string(str_view(v));
    return true;
  }
  if (is_bytes(v)) {
    *out = std::string(bytes_view(v));
    return true;
  }
  bool missing = false;
  Ref path(call_special(ts, v, "__fspath__", {}, &missing));
  if (!missing) {
    if (!path) return false;
    if (is_str(path.get()) || is_bytes(path.get())) return fspath_arg(ts, path.get(), fname, out);
    raise_fmt(ts, &TypeError_type,
              "expected %s.__fspath__() to return str or bytes, not %s", type_name(v),
              type_name(path.get()));
    return false;
  }
  if (fname)
    raise_fmt(ts, &TypeError_type, "%s: path should be string, bytes or os.PathLike, not %s",
              fname, type_name(v));
  else
    raise_fmt(ts, &TypeError_type, "expected str, bytes or os.PathLike object, not %s",
              type_name(v));
  return false;
}

namespace {
const char* const kStatFields[] = {
    "st_mode",  "st_ino",      "st_dev",      "st_nlink",    "st_uid",     "st_gid",
    "st_size",  "st_atime",    "st_mtime",    "st_ctime",    "st_atime",   "st_mtime",
    "st_ctime", "st_atime_ns", "st_mtime_ns", "st_ctime_ns", "st_blksize", "st_blocks",
    "st_rdev"};
constexpr size_t kStatVisible = 10;
constexpr size_t kStatFieldCount = 19;
}  // namespace

// os.stat_result: the times appear as ints in the tuple and as floats by name, as in CPython.
StructSeqType stat_result_type;
MINIVM_TYPE_SETUP(stat_result_type) {
  setup_struct_seq_type(t, "os", "stat_result", "os.stat_result", kStatFields, kStatVisible,
                        kStatFieldCount);
}

Value stat_result_new(ThreadState& ts, const struct stat& st) {
  auto seconds = [](const struct timespec& t) {
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
  };
  auto nanoseconds = [](const struct timespec& t) {
    return int_from_int64(int64_t(t.tv_sec) * 1000000000 + t.tv_nsec);
  };
  Value fields[kStatFieldCount] = {
      int_from_int64(st.st_mode),         int_from_uint64(st.st_ino),
      int_from_uint64(st.st_dev),         int_from_int64(int64_t(st.st_nlink)),
      int_from_int64(st.st_uid),          int_from_int64(st.st_gid),
      int_from_int64(st.st_size),         int_from_int64(st.st_atim.tv_sec),
      int_from_int64(st.st_mtim.tv_sec),  int_from_int64(st.st_ctim.tv_sec),
      float_new(seconds(st.st_atim)),     float_new(seconds(st.st_mtim)),
      float_new(seconds(st.st_ctim)),     nanoseconds(st.st_atim),
      nanoseconds(st.st_mtim),            nanoseconds(st.st_ctim),
      int_from_int64(st.st_blksize),      int_from_int64(st.st_blocks),
      int_from_uint64(st.st_rdev)};
  Value result;
  bool complete = true;
  for (Value v : fields) complete = complete && v;
  if (complete)
    result = struct_seq_new(ts, &stat_result_type, fields);
  else
    raise_memory_error(ts);
  for (Value v : fields) decref(v);
  return result;
}

namespace {

// --- environment and process -------------------------------------------------------------------

Value environ_snapshot(ThreadState& ts) {
  Ref env(Value::from_obj(dict_new(ts)));
  if (!env) return Value();
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    size_t eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view value = text.substr(eq + 1);
    // Variables that are not UTF-8 are skipped (CPython would use surrogate escapes).
    if (!utf8_valid(text)) continue;
    Ref key(new_str(ts, text.substr(0, eq))), val(new_str(ts, value));
    if (!key || !val || dict_set(ts, env.as<Dict>(), key.get(), val.get()) < 0) return Value();
  }
  return env.release();
}

Value os_getenv(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "getenv", args, nargs, kwnames, {"key", "default"}, 1, a)) return Value();
  if (!is_str(a[0]))
    return raise_fmt(ts, &TypeError_type, "str expected, not %s", type_name(a[0]));
  std::string key(str_view(a[0]));
  const char* value = std::getenv(key.c_str());
  if (!value || !utf8_valid(value)) return newref(a[1] ? a[1] : none());
  return new_str(ts, value);
}

Value os_getcwd(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "getcwd", nargs, 0, 0)) return Value();
  std::string cwd;
  if (!current_directory(ts, &cwd)) return Value();
  return new_str(ts, cwd);
}

Value os_chdir(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string path;
  if (!check_nargs(ts, "chdir", nargs, 1, 1) || !fspath_arg(ts, args[0], "chdir", &path))
    return Value();
  if (chdir(path.c_str()) < 0) return raise_os_error(ts, errno, path);
  return none();
}

Value os_getpid(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "getpid", nargs, 0, 0)) return Value();
  return Value::small_int(getpid());
}

Value os_getppid(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "getppid", nargs, 0, 0)) return Value();
  return Value::small_int(getppid());
}

Value os_cpu_count(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "cpu_count", nargs, 0, 0)) return Value();
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? Value::small_int(n) : none();
}

Value os_urandom(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  int64_t n;
  if (!check_nargs(ts, "urandom", nargs, 1, 1) || !index_to_int64(ts, args[0], &n))
    return Value();
  if (n < 0) return raise(ts, &ValueError_type, "negative argument not allowed");
  std::string data(size_t(n), '\0');
  size_t filled = 0;
  while (filled < data.size()) {
    ssize_t got = getrandom(data.data() + filled, data.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return raise_os_error(ts, errno);
    }
    filled += size_t(got);
  }
  return bytes_value(ts, data);
}

Value os_strerror(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  int64_t code;
  if (!check_nargs(ts, "strerror", nargs, 1, 1) || !int_to_int64(ts, args[0], &code))
    return Value();
  return new_str(ts, std::strerror(int(code)));
}

Value os_system(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string command;
  if (!check_nargs(ts, "system", nargs, 1, 1) || !fspath_arg(ts, args[0], "system", &command))
    return Value();
  flush_std_streams(ts);
  return Value::small_int(std::system(command.c_str()));
}

Value os_exit_now(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  int64_t code;
  if (!check_nargs(ts, "_exit", nargs, 1, 1) || !int_to_int64(ts, args[0], &code))
    return Value();
  _exit(int(code));
}

// --- files and directories ---------------------------------------------------------------------

Value os_listdir(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[1];
  if (!bind_args(ts, "listdir", args, nargs, kwnames, {"path"}, 0, a)) return Value();
  std::string path = ".";
  if (a[0] && !is_none(a[0]) && !fspath_arg(ts, a[0], "listdir", &path)) return Value();
  DIR* dir = opendir(path.c_str());
  if (!dir) return raise_os_error(ts, errno, path);
  Ref names(Value::from_obj(list_new(ts)));
  while (names) {
    errno = 0;
    struct dirent* entry = readdir(dir);
    if (!entry) {
      if (errno) {
        int err = errno;
        closedir(dir);
        return raise_os_error(ts, err, path);
      }
      break;
    }
    std::string_view name(entry->d_name);
    if (name == "." || name == "..") continue;
    Ref item(a[0] && is_bytes(a[0]) ? bytes_value(ts, name) : new_str(ts, name));
    if (!item || list_append(ts, names.as<List>(), item.get()) < 0) names.reset();
  }
  closedir(dir);
  return names.release();
}

Value os_mkdir(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "mkdir", args, nargs, kwnames, {"path", "mode"}, 1, a)) return Value();
  std::string path;
  int64_t mode = 0777;
  if (!fspath_arg(ts, a[0], "mkdir", &path)) return Value();
  if (a[1] && !int_to_int64(ts, a[1], &mode)) return Value();
  if (mkdir(path.c_str(), mode_t(mode)) < 0) return raise_os_error(ts, errno, path);
  return none();
}

// makedirs: creates every missing parent, as os.makedirs does.
Value os_makedirs(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "makedirs", args, nargs, kwnames, {"name", "mode", "exist_ok"}, 1, a))
    return Value();
  std::string path;
  int64_t mode = 0777;
  if (!fspath_arg(ts, a[0], "makedirs", &path)) return Value();
  if (a[1] && !int_to_int64(ts, a[1], &mode)) return Value();
  int exist_ok = optional_truth(ts, a[2], false);
  if (exist_ok < 0) return Value();
  for (size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    std::string parent = path.substr(0, pos);
    if (mkdir(parent.c_str(), mode_t(mode)) < 0 && errno != EEXIST)
      return raise_os_error(ts, errno, parent);
  }
  if (mkdir(path.c_str(), mode_t(mode)) < 0) {
    int err = errno;
    struct stat st;
    if (err == EEXIST && exist_ok && stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      return none();
    return raise_os_error(ts, err, path);
  }
  return none();
}

// remove/unlink and rmdir take one path and call one system function.
Value path_call(ThreadState& ts, const Value* args, size_t nargs, const char* fname,
                int (*fn)(const char*)) {
  std::string path;
  if (!check_nargs(ts, fname, nargs, 1, 1) || !fspath_arg(ts, args[0], fname, &path))
    return Value();
  if (fn(path.c_str()) < 0) return raise_os_error(ts, errno, path);
  return none();
}

Value os_remove(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return path_call(ts, args, nargs, "remove", ::unlink);
}
Value os_unlink(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return path_call(ts, args, nargs, "unlink", ::unlink);
}
Value os_rmdir(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return path_call(ts, args, nargs, "rmdir", ::rmdir);
}

Value rename_impl(ThreadState& ts, const Value* args, size_t nargs, const char* fname) {
  std::string src, dst;
  if (!check_nargs(ts, fname, nargs, 2, 2) || !fspath_arg(ts, args[0], fname, &src) ||
      !fspath_arg(ts, args[1], fname, &dst))
    return Value();
  // CPython names both paths ("'a' -> 'b'"); minivm's OSError keeps one filename.
  if (::rename(src.c_str(), dst.c_str()) < 0) return raise_os_error(ts, errno, src);
  return none();
}

Value os_rename(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return rename_impl(ts, args, nargs, "rename");
}
Value os_replace(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return rename_impl(ts, args, nargs, "replace");
}

Value os_stat(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string path;
  if (!check_nargs(ts, "stat", nargs, 1, 1) || !fspath_arg(ts, args[0], "stat", &path))
    return Value();
  struct stat st;
  if (stat(path.c_str(), &st) < 0) return raise_os_error(ts, errno, path);
  return stat_result_new(ts, st);
}

Value os_access(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string path;
  int64_t mode;
  if (!check_nargs(ts, "access", nargs, 2, 2) || !fspath_arg(ts, args[0], "access", &path) ||
      !int_to_int64(ts, args[1], &mode))
    return Value();
  return bool_value(access(path.c_str(), int(mode)) == 0);
}

Value os_fspath(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "fspath", nargs, 1, 1)) return Value();
  Value v = args[0];
  if (is_str(v) || is_bytes(v)) return newref(v);
  bool missing = false;
  Value result = call_special(ts, v, "__fspath__", {}, &missing);
  if (!missing) return result;
  return raise_fmt(ts, &TypeError_type, "expected str, bytes or os.PathLike object, not %s",
                   type_name(v));
}

const MethodDef os_functions[] = {
    {"getenv", os_getenv},     {"getcwd", os_getcwd},       {"chdir", os_chdir},
    {"getpid", os_getpid},     {"getppid", os_getppid},     {"cpu_count", os_cpu_count},
    {"urandom", os_urandom},   {"strerror", os_strerror},   {"system", os_system},
    {"_exit", os_exit_now},    {"listdir", os_listdir},     {"mkdir", os_mkdir},
    {"makedirs", os_makedirs}, {"remove", os_remove},       {"unlink", os_unlink},
    {"rmdir", os_rmdir},       {"rename", os_rename},       {"replace", os_replace},
    {"stat", os_stat},         {"access", os_access},       {"fspath", os_fspath},
    {nullptr, nullptr},
};

}  // namespace

bool current_directory(ThreadState& ts, std::string* out) {
  std::string buf(256, '\0');
  while (getcwd(buf.data(), buf.size()) == nullptr) {
    if (errno != ERANGE) {
      raise_os_error(ts, errno);
      return false;
    }
    buf.resize(buf.size() * 2);
  }
  buf.resize(std::strlen(buf.c_str()));
  *out = buf;
  return true;
}

int init_os_module(ThreadState& ts, Module* m) {
  if (module_add_functions(ts, m, os_functions) < 0) return -1;
  if (module_add_types(ts, m, {&stat_result_type}) < 0) return -1;
  const std::pair<const char*, const char*> strings[] = {
      {"name", "posix"}, {"sep", "/"},     {"extsep", "."},     {"pathsep", ":"},
      {"linesep", "\n"}, {"curdir", "."},  {"pardir", ".."},    {"devnull", "/dev/null"}};
  for (const auto& [name, text] : strings) {
    Ref s(new_str(ts, text));
    if (!s || module_add(ts, m, name, s.get()) < 0) return -1;
  }
  if (module_add(ts, m, "altsep", none()) < 0 || module_add(ts, m, "F_OK", Value::small_int(F_OK)) < 0 ||
      module_add(ts, m, "R_OK", Value::small_int(R_OK)) < 0 ||
      module_add(ts, m, "W_OK", Value::small_int(W_OK)) < 0 ||
      module_add(ts, m, "X_OK", Value::small_int(X_OK)) < 0)
    return -1;
  Ref env(environ_snapshot(ts));
  if (!env || module_add(ts, m, "environ", env.get()) < 0) return -1;
  // os.path is created with os, and registered so that `import os.path` finds it.
  Module* path = module_new(ts, "posixpath");
  if (!path) return -1;
  Ref path_ref(Value::from_obj(path));
  if (init_os_path_module(ts, path) < 0 || module_add(ts, m, "path", path_ref.get()) < 0)
    return -1;
  if (ts.interp->modules &&
      dict_set_str(ts, ts.interp->modules, intern("os.path"), path_ref.get()) < 0)
    return -1;
  return 0;
}

}  // namespace mvm
