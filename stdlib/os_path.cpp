// os.path for POSIX (CPython's posixpath): pure string operations on paths, and queries
// that stat the file system. Results are bytes when the argument was bytes, else str.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/bytes.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "stdlib/modules.h"
#include "stdlib/native.h"
#include "stdlib/os.h"
#include "stdlib/os_internal.h"

namespace mvm {

// --- pure path arithmetic (also used from C++) ---------------------------------------------------

std::string path_join(const std::vector<std::string_view>& parts) {
  std::string path;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    if (i == 0 || (!part.empty() && part[0] == '/'))
      path = std::string(part);
    else if (path.empty() || path.back() == '/')
      path += part;
    else
      (path += '/') += part;
  }
  return path;
}

std::string path_normpath(std::string_view path) {
  if (path.empty()) return ".";
  // POSIX gives two leading slashes a meaning of their own; three or more mean one.
  size_t initial_slashes = path[0] == '/' ? 1 : 0;
  if (path.substr(0, 2) == "//" && path.substr(0, 3) != "///") initial_slashes = 2;
  std::vector<std::string_view> kept;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view comp = path.substr(start, end - start);
    start = end + 1;
    if (comp.empty() || comp == ".") continue;
    if (comp != ".." || (!initial_slashes && kept.empty()) || (!kept.empty() && kept.back() == ".."))
      kept.push_back(comp);
    else if (!kept.empty())
      kept.pop_back();
  }
  std::string result(initial_slashes, '/');
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) result += '/';
    result += kept[i];
  }
  return result.empty() ? "." : result;
}

namespace {

// split(): the head without trailing slashes (unless it is all slashes) and the tail.
std::pair<std::string, std::string> path_split(std::string_view p) {
  size_t i = p.rfind('/');
  i = i == std::string_view::npos ? 0 : i + 1;
  std::string head(p.substr(0, i)), tail(p.substr(i));
  if (!head.empty() && head.find_first_not_of('/') != std::string::npos) {
    while (!head.empty() && head.back() == '/') head.pop_back();
  }
  return {head, tail};
}

std::pair<std::string, std::string> path_splitext(std::string_view p) {
  size_t sep = p.rfind('/');
  size_t dot = p.rfind('.');
  long sep_index = sep == std::string_view::npos ? -1 : long(sep);
  long dot_index = dot == std::string_view::npos ? -1 : long(dot);
  if (dot_index > sep_index) {
    // A name made only of leading dots (".bashrc") has no extension.
    for (long i = sep_index + 1; i < dot_index; ++i)
      if (p[size_t(i)] != '.') return {std::string(p.substr(0, dot)), std::string(p.substr(dot))};
  }
  return {std::string(p), std::string()};
}

bool path_abspath(ThreadState& ts, std::string_view p, std::string* out) {
  if (!p.empty() && p[0] == '/') {
    *out = path_normpath(p);
    return true;
  }
  std::string cwd;
  if (!current_directory(ts, &cwd)) return false;
  *out = path_normpath(path_join({cwd, p}));
  return true;
}

// --- results ---------------------------------------------------------------------------------

// A path result of the same kind (str or bytes) as the argument it came from.
Value path_value(ThreadState& ts, Value like, std::string_view path) {
  return is_bytes(like) ? bytes_value(ts, path) : new_str(ts, path);
}

Value path_pair(ThreadState& ts, Value like, const std::pair<std::string, std::string>& p) {
  Ref first(path_value(ts, like, p.first));
  if (!first) return Value();
  Ref second(path_value(ts, like, p.second));
  if (!second) return Value();
  return Value::from_obj(tuple_pack(ts, {first.get(), second.get()}));
}

bool one_path(ThreadState& ts, const Value* args, size_t nargs, const char* fname,
              std::string* out) {
  return check_nargs(ts, fname, nargs, 1, 1) && fspath_arg(ts, args[0], nullptr, out);
}

// --- functions -------------------------------------------------------------------------------

Value path_join_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "join", kwnames) || !check_nargs(ts, "join", nargs, 1, SIZE_MAX))
    return Value();
  std::vector<std::string> storage(nargs);
  for (size_t i = 0; i < nargs; ++i) {
    if (!is_str(args[i]) && !is_bytes(args[i]) &&
        !type_lookup(type_of(args[i]), intern("__fspath__")))
      return raise_fmt(ts, &TypeError_type,
                       "join() argument must be str, bytes, or os.PathLike object, not '%s'",
                       type_name(args[i]));
    if (!fspath_arg(ts, args[i], nullptr, &storage[i])) return Value();
    if (is_bytes(args[i]) != is_bytes(args[0]))
      return raise(ts, &TypeError_type, "Can't mix strings and bytes in path components");
  }
  std::vector<std::string_view> parts(storage.begin(), storage.end());
  return path_value(ts, args[0], path_join(parts));
}

Value path_normpath_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string p;
  if (!one_path(ts, args, nargs, "normpath", &p)) return Value();
  return path_value(ts, args[0], path_normpath(p));
}

Value path_abspath_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string p, result;
  if (!one_path(ts, args, nargs, "abspath", &p) || !path_abspath(ts, p, &result)) return Value();
  return path_value(ts, args[0], result);
}

Value path_realpath_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string p, result;
  if (!check_nargs(ts, "realpath", nargs, 1, 2) || !fspath_arg(ts, args[0], nullptr, &p))
    return Value();
  char resolved[PATH_MAX];
  // Paths that do not exist (yet) are made absolute without resolving links, roughly as
  // CPython's non-strict realpath does.
  if (realpath(p.c_str(), resolved))
    result = resolved;
  else if (!path_abspath(ts, p, &result))
    return Value();
  return path_value(ts, args[0], result);
}

Value path_split_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string p;
  if (!one_path(ts, args, nargs, "split", &p)) return Value();
  return path_pair(ts, args[0], path_split(p));
}

Value path_splitext_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string p;
  if (!one_path(ts, args, nargs, "splitext", &p)) return Value();
  return path_pair(ts, args[0], path_splitext(p));
}

Value path_basename_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string p;
  if (!one_path(ts, args, nargs, "basename", &p)) return Value();
  size_t i = p.rfind('/');
  return path_value(ts, args[0], i == std::string::npos ? p : p.substr(i + 1));
}

Value path_dirname_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string p;
  if (!one_path(ts, args, nargs, "dirname", &p)) return Value();
  return path_value(ts, args[0], path_split(p).first);
}

Value path_isabs_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string p;
  if (!one_path(ts, args, nargs, "isabs", &p)) return Value();
  return bool_value(!p.empty() && p[0] == '/');
}

Value path_expanduser_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  std::string p;
  if (!one_path(ts, args, nargs, "expanduser", &p)) return Value();
  if (p.empty() || p[0] != '~') return newref(args[0]);
  size_t slash = p.find('/');
  if (slash == std::string::npos) slash = p.size();
  std::string user = p.substr(1, slash - 1);
  std::string home;
  if (user.empty() && std::getenv("HOME")) {
    home = std::getenv("HOME");
  } else {
    struct passwd* pw = user.empty() ? getpwuid(getuid()) : getpwnam(user.c_str());
    if (!pw) return newref(args[0]);
    home = pw->pw_dir;
  }
  while (home.size() > 1 && home.back() == '/') home.pop_back();
  std::string result = home + p.substr(slash);
  return path_value(ts, args[0], result.empty() ? "/" : result);
}

Value path_relpath_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "relpath", args, nargs, kwnames, {"path", "start"}, 1, a)) return Value();
  std::string p, start = ".";
  if (!fspath_arg(ts, a[0], nullptr, &p)) return Value();
  if (a[1] && !is_none(a[1]) && !fspath_arg(ts, a[1], nullptr, &start)) return Value();
  if (p.empty()) return raise(ts, &ValueError_type, "no path specified");
  std::string abs_path, abs_start;
  if (!path_abspath(ts, p, &abs_path) || !path_abspath(ts, start, &abs_start)) return Value();
  auto components = [](const std::string& s) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos <= s.size()) {
      size_t end = s.find('/', pos);
      if (end == std::string::npos) end = s.size();
      if (end > pos) out.push_back(s.substr(pos, end - pos));
      pos = end + 1;
    }
    return out;
  };
  std::vector<std::string> from = components(abs_start), to = components(abs_path);
  size_t common = 0;
  while (common < from.size() && common < to.size() && from[common] == to[common]) ++common;
  std::vector<std::string_view> rel;
  for (size_t i = common; i < from.size(); ++i) rel.push_back("..");
  for (size_t i = common; i < to.size(); ++i) rel.push_back(to[i]);
  return path_value(ts, a[0], rel.empty() ? "." : path_join(rel));
}

Value path_commonprefix_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "commonprefix", nargs, 1, 1)) return Value();
  Ref items(list_from_iterable(ts, args[0]));
  if (!items) return Value();
  List* list = items.as<List>();
  if (list->size == 0) return new_str(ts, "");
  std::string prefix;
  if (!fspath_arg(ts, list->items[0], nullptr, &prefix)) return Value();
  for (size_t i = 1; i < list->size; ++i) {
    std::string other;
    if (!fspath_arg(ts, list->items[i], nullptr, &other)) return Value();
    size_t n = 0;
    while (n < prefix.size() && n < other.size() && prefix[n] == other[n]) ++n;
    prefix.resize(n);
  }
  // Cutting inside a multi-byte character would leave invalid UTF-8: back up to a boundary.
  while (!prefix.empty() && !is_bytes(list->items[0]) && !utf8_valid(prefix)) prefix.pop_back();
  return path_value(ts, list->items[0], prefix);
}

// --- queries on the file system ----------------------------------------------------------------

// exists/isfile/isdir/islink: false for anything that cannot be stat'ed.
Value stat_test(ThreadState& ts, const Value* args, size_t nargs, const char* fname,
                bool follow_links, bool (*test)(const struct stat&)) {
  if (!check_nargs(ts, fname, nargs, 1, 1)) return Value();
  std::string p;
  if (!fspath_arg(ts, args[0], nullptr, &p)) return Value();
  struct stat st;
  int rc = follow_links ? stat(p.c_str(), &st) : lstat(p.c_str(), &st);
  return bool_value(rc == 0 && test(st));
}

Value path_exists_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return stat_test(ts, args, nargs, "exists", true, [](const struct stat&) { return true; });
}
Value path_lexists_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return stat_test(ts, args, nargs, "lexists", false, [](const struct stat&) { return true; });
}
Value path_isfile_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return stat_test(ts, args, nargs, "isfile", true,
                   [](const struct stat& st) { return bool(S_ISREG(st.st_mode)); });
}
Value path_isdir_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return stat_test(ts, args, nargs, "isdir", true,
                   [](const struct stat& st) { return bool(S_ISDIR(st.st_mode)); });
}
Value path_islink_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return stat_test(ts, args, nargs, "islink", false,
                   [](const struct stat& st) { return bool(S_ISLNK(st.st_mode)); });
}

// getsize/getmtime/...: stat or raise, then one field.
bool stat_or_raise(ThreadState& ts, const Value* args, size_t nargs, const char* fname,
                   struct stat* st) {
  std::string p;
  if (!one_path(ts, args, nargs, fname, &p)) return false;
  if (stat(p.c_str(), st) == 0) return true;
  raise_os_error(ts, errno, p);
  return false;
}

double timespec_seconds(const struct timespec& t) {
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

Value path_getsize_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  struct stat st;
  if (!stat_or_raise(ts, args, nargs, "getsize", &st)) return Value();
  return int_from_int64(st.st_size);
}
Value path_getmtime_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  struct stat st;
  if (!stat_or_raise(ts, args, nargs, "getmtime", &st)) return Value();
  return float_new(timespec_seconds(st.st_mtim));
}
Value path_getatime_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  struct stat st;
  if (!stat_or_raise(ts, args, nargs, "getatime", &st)) return Value();
  return float_new(timespec_seconds(st.st_atim));
}
Value path_getctime_fn(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  struct stat st;
  if (!stat_or_raise(ts, args, nargs, "getctime", &st)) return Value();
  return float_new(timespec_seconds(st.st_ctim));
}

const MethodDef path_functions[] = {
    {"join", path_join_fn},           {"normpath", path_normpath_fn},
    {"abspath", path_abspath_fn},     {"realpath", path_realpath_fn},
    {"split", path_split_fn},         {"splitext", path_splitext_fn},
    {"basename", path_basename_fn},   {"dirname", path_dirname_fn},
    {"isabs", path_isabs_fn},         {"expanduser", path_expanduser_fn},
    {"relpath", path_relpath_fn},     {"commonprefix", path_commonprefix_fn},
    {"exists", path_exists_fn},       {"lexists", path_lexists_fn},
    {"isfile", path_isfile_fn},       {"isdir", path_isdir_fn},
    {"islink", path_islink_fn},       {"getsize", path_getsize_fn},
    {"getmtime", path_getmtime_fn},   {"getatime", path_getatime_fn},
    {"getctime", path_getctime_fn},   {nullptr, nullptr},
};

}  // namespace

int init_os_path_module(ThreadState& ts, Module* m) {
  if (module_add_functions(ts, m, path_functions) < 0) return -1;
  const std::pair<const char*, const char*> strings[] = {
      {"sep", "/"}, {"extsep", "."}, {"pathsep", ":"}, {"curdir", "."}, {"pardir", ".."},
      {"devnull", "/dev/null"}};
  for (const auto& [name, text] : strings) {
    Ref s(new_str(ts, text));
    if (!s || module_add(ts, m, name, s.get()) < 0) return -1;
  }
  return module_add(ts, m, "altsep", none());
}

}  // namespace mvm
