// The import system. A module is looked up in sys.modules, then among the native modules,
// then in the embedded standard library, then as NAME.py or NAME/__init__.py in each
// directory of sys.path (or of its package's __path__). A module enters sys.modules before
// its code runs, so circular imports see the partly initialised module, as in Python.
#include "vm/import.h"

#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "runtime/abstract.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "stdlib/embedded.h"
#include "stdlib/modules.h"
#include "vm/code_loader.h"
#include "vm/eval.h"
#include "vm/frame.h"
#include "vm/gil.h"
#include "vm/interpreter.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {

bool is_file(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

Value modules_get(ThreadState& ts, std::string_view name) {
  Ref key(str_value(name));
  return dict_get(ts, ts.interp->modules, key.get());
}

// Runs `source` as the body of a new module registered under `name`.
Value exec_source_module(ThreadState& ts, std::string_view name, std::string_view source, const std::string& filename,
                         const std::string& package_dir) {
  Module* m = module_new(ts, name, filename);
  if (!m) return Value();
  Ref module(Value::from_obj(m));
  std::string package(name);
  if (!package_dir.empty()) {
    Ref path_list(Value::from_obj(list_new(ts)));
    Ref dir(str_value(package_dir));
    if (list_append(ts, path_list.as<List>(), dir.get()) < 0) return Value();
    if (module_add(ts, m, "__path__", path_list.get()) < 0) return Value();
  } else {
    size_t dot = package.rfind('.');
    package = dot == std::string::npos ? "" : package.substr(0, dot);
  }
  Ref pkg(str_value(package));
  if (module_add(ts, m, "__package__", pkg.get()) < 0) return Value();
  Ref key(str_value(name));
  if (dict_set(ts, ts.interp->modules, key.get(), module.get()) < 0) return Value();
  Code* code = compile_to_code(ts, source, filename, ParseMode::File);
  Value result = code ? eval_code(ts, code, m->dict, m->dict) : Value();
  if (!result) {
    // A module that failed to initialise is removed, so a later import tries again.
    Value pending = fetch_error(ts);
    dict_discard(ts, ts.interp->modules, key.get());
    restore_error(ts, pending);
    return Value();
  }
  decref(result);
  // Return what sys.modules holds now: a module may replace itself there.
  Value final_module = dict_get(ts, ts.interp->modules, key.get());
  return newref(final_module ? final_module : module.get());
}

Value load_native(ThreadState& ts, const NativeModuleDef& def) {
  Module* m = module_new(ts, def.name);
  if (!m) return Value();
  Ref module(Value::from_obj(m));
  Ref key(str_value(def.name));
  if (dict_set(ts, ts.interp->modules, key.get(), module.get()) < 0) return Value();
  if (def.init(ts, m) < 0) {
    Value pending = fetch_error(ts);
    dict_discard(ts, ts.interp->modules, key.get());
    restore_error(ts, pending);
    return Value();
  }
  return module.release();
}

// Directories to search for `name`: its package's __path__, or sys.path for top-level names.
bool search_path(ThreadState& ts, std::string_view name, std::vector<std::string>* dirs) {
  size_t dot = name.rfind('.');
  Value path;
  Ref parent;
  if (dot != std::string_view::npos) {
    parent.reset(modules_get(ts, name.substr(0, dot)) ? newref(modules_get(ts, name.substr(0, dot))) : Value());
    if (!parent) return true;
    path = object_lookup_attr(ts, parent.get(), intern("__path__"));
    if (!path) return !ts.has_error();
  } else {
    path = newref(Value::from_obj(ts.interp->sys_path));
  }
  Ref path_ref(path);
  if (!is_list(path)) return true;
  List* l = path.as<List>();
  for (size_t i = 0; i < l->size; i++)
    if (is_str(l->items[i])) dirs->push_back(std::string(str_view(l->items[i])));
  return true;
}

// Finds and loads a module by absolute name, whose parent package (if any) is loaded.
Value find_and_load(ThreadState& ts, std::string_view name) {
  for (const NativeModuleDef* def = kNativeModules; def->name; def++)
    if (name == def->name) return load_native(ts, *def);
  for (const EmbeddedModule* em = kEmbeddedModules; em->name; em++) {
    if (name != em->name) continue;
    std::string filename = "<stdlib>/" + std::string(name) + ".py";
    // An embedded module is a package if another embedded module lives under it.
    std::string prefix = std::string(name) + ".";
    bool is_package = false;
    for (const EmbeddedModule* sub = kEmbeddedModules; sub->name; sub++)
      if (std::strncmp(sub->name, prefix.c_str(), prefix.size()) == 0) is_package = true;
    return exec_source_module(ts, name, em->source, filename, is_package ? "<stdlib>" : "");
  }
  std::vector<std::string> dirs;
  if (!search_path(ts, name, &dirs)) return Value();
  std::string_view last = name.substr(name.rfind('.') == std::string_view::npos ? 0 : name.rfind('.') + 1);
  for (const std::string& dir : dirs) {
    std::string base = (dir.empty() ? std::string(".") : dir) + "/" + std::string(last);
    std::string source;
    if (is_file(base + "/__init__.py") && read_file(base + "/__init__.py", &source))
      return exec_source_module(ts, name, source, base + "/__init__.py", base);
    if (is_file(base + ".py") && read_file(base + ".py", &source))
      return exec_source_module(ts, name, source, base + ".py", "");
  }
  return raise_fmt(ts, &ModuleNotFoundError_type, "No module named '%.*s'", int(name.size()), name.data());
}

namespace {

// Whether `ts` waiting for a module that `owner` is initialising would close a cycle of
// threads each waiting for the next (two threads importing each other's modules). Python
// then hands out the partly initialised module instead of waiting. Called with
// import_mutex held.
bool waiting_would_deadlock(Interpreter* interp, ThreadState& ts, ThreadState* owner) {
  for (int hops = 0; owner && hops < 64; hops++) {
    if (owner == &ts) return true;
    auto waits = interp->threads_waiting_for_module.find(owner);
    if (waits == interp->threads_waiting_for_module.end()) return false;
    auto next = interp->modules_initialising.find(waits->second);
    owner = next == interp->modules_initialising.end() ? nullptr : next->second;
  }
  return false;
}

// Claims the right to initialise `name`: true if this thread must load it; false once no
// other thread is initialising it (it is then in sys.modules, or failed), or if waiting
// would deadlock. Module import is serialised per module: one thread runs a body, the
// others wait for it with the GIL released.
bool claim_module(ThreadState& ts, const std::string& name) {
  Interpreter* interp = ts.interp;
  GilReleased released(ts);
  std::unique_lock<std::mutex> lock(interp->import_mutex);
  for (;;) {
    auto it = interp->modules_initialising.find(name);
    if (it == interp->modules_initialising.end()) {
      interp->modules_initialising.emplace(name, &ts);
      return true;
    }
    if (it->second == &ts || waiting_would_deadlock(interp, ts, it->second)) return false;
    interp->threads_waiting_for_module[&ts] = name;
    interp->import_finished.wait_for(lock, std::chrono::milliseconds(50));
    interp->threads_waiting_for_module.erase(&ts);
  }
}

void release_module(ThreadState& ts, const std::string& name) {
  Interpreter* interp = ts.interp;
  std::lock_guard<std::mutex> lock(interp->import_mutex);
  interp->modules_initialising.erase(name);
  interp->import_finished.notify_all();
}

// Whether another thread is running the body of `name` right now.
bool initialising_elsewhere(ThreadState& ts, const std::string& name) {
  Interpreter* interp = ts.interp;
  std::lock_guard<std::mutex> lock(interp->import_mutex);
  auto it = interp->modules_initialising.find(name);
  return it != interp->modules_initialising.end() && it->second != &ts;
}

}  // namespace

// Imports every package along a dotted name; returns the innermost module.
Value import_dotted(ThreadState& ts, std::string_view name) {
  Value existing = modules_get(ts, name);
  std::string key(name);
  // A module found in sys.modules is ready, unless another thread is still running its
  // body; then wait for it (the module's own thread, in a circular import, gets it as is).
  if (existing && !initialising_elsewhere(ts, key)) return newref(existing);
  if (ts.has_error()) return Value();
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    Ref parent(import_dotted(ts, name.substr(0, dot)));
    if (!parent) return Value();
  }
  if (!claim_module(ts, key)) {
    existing = modules_get(ts, name);
    if (existing) return newref(existing);
    if (ts.has_error()) return Value();
    // The other thread's import failed: try again ourselves.
    return import_dotted(ts, name);
  }
  // Another thread may have finished it while we waited for the claim.
  existing = modules_get(ts, name);
  if (existing) {
    release_module(ts, key);
    return newref(existing);
  }
  Value m = find_and_load(ts, name);
  release_module(ts, key);
  if (m && dot != std::string_view::npos) {
    // Bind the submodule as an attribute of its package.
    Value parent = modules_get(ts, name.substr(0, dot));
    if (parent) {
      Str* attr = intern(name.substr(dot + 1));
      if (object_setattr(ts, parent, attr, m) < 0) clear_error(ts);
    }
  }
  return m;
}

// The absolute name for a relative import of `name` at `level` from a module's globals.
bool resolve_relative(ThreadState& ts, Dict* globals, std::string_view name, int level, std::string* out) {
  Value package = globals ? dict_get_str(globals, intern("__package__")) : Value();
  std::string base;
  if (package && is_str(package) && str_view(package).size() > 0) {
    base = std::string(str_view(package));
  } else {
    Value mod_name = globals ? dict_get_str(globals, intern("__name__")) : Value();
    if (!mod_name || !is_str(mod_name)) {
      raise(ts, &ImportError_type, "attempted relative import with no known parent package");
      return false;
    }
    base = std::string(str_view(mod_name));
    bool is_package = globals && dict_get_str(globals, intern("__path__"));
    if (!is_package) {
      size_t dot = base.rfind('.');
      if (dot == std::string::npos) {
        raise(ts, &ImportError_type, "attempted relative import with no known parent package");
        return false;
      }
      base = base.substr(0, dot);
    }
  }
  for (int i = 1; i < level; i++) {
    size_t dot = base.rfind('.');
    if (dot == std::string::npos) {
      raise(ts, &ImportError_type, "attempted relative import beyond top-level package");
      return false;
    }
    base = base.substr(0, dot);
  }
  *out = name.empty() ? base : base + "." + std::string(name);
  return true;
}

}  // namespace

Value import_module(ThreadState& ts, std::string_view name) { return import_dotted(ts, name); }

Value import_name(ThreadState& ts, Dict* globals, Str* name, Value fromlist, int level) {
  std::string absolute(str_view(name));
  if (level > 0 && !resolve_relative(ts, globals, str_view(name), level, &absolute)) return Value();
  if (absolute.empty()) return raise(ts, &ValueError_type, "Empty module name");
  Ref module(import_dotted(ts, absolute));
  if (!module) return Value();
  bool has_fromlist = fromlist && !is_none(fromlist) && (!is_tuple(fromlist) || fromlist.as<Tuple>()->size > 0);
  if (has_fromlist || level > 0) return module.release();
  // `import a.b.c` binds `a`.
  size_t dot = absolute.find('.');
  if (dot == std::string::npos) return module.release();
  Value top = modules_get(ts, std::string_view(absolute).substr(0, dot));
  return top ? newref(top) : module.release();
}

Value import_from(ThreadState& ts, Value module, Str* name) {
  Value v = object_lookup_attr(ts, module, name);
  if (v || ts.has_error()) return v;
  // Maybe a submodule that is not loaded yet.
  Ref mod_name(object_lookup_attr(ts, module, intern("__name__")));
  if (mod_name && is_str(mod_name.get())) {
    std::string full = std::string(str_view(mod_name.get())) + "." + std::string(str_view(name));
    // In sys.modules already: import_dotted hands it out once its body has run, waiting
    // if another thread is still running it (`from package import submodule` racing).
    if (modules_get(ts, full)) return import_dotted(ts, full);
    Value path = object_lookup_attr(ts, module, intern("__path__"));
    if (path) {
      decref(path);
      Value m = import_dotted(ts, full);
      if (m) return m;
      if (!error_matches(ts, &ModuleNotFoundError_type)) return Value();
      clear_error(ts);
    }
  }
  clear_error(ts);
  std::string mname = mod_name && is_str(mod_name.get()) ? std::string(str_view(mod_name.get())) : "<unknown module name>";
  Ref file(object_lookup_attr(ts, module, intern("__file__")));
  clear_error(ts);
  if (file && is_str(file.get()))
    return raise_fmt(ts, &ImportError_type, "cannot import name '%.*s' from '%s' (%.*s)", int(name->size),
                     name->data, mname.c_str(), int(file.as<Str>()->size), file.as<Str>()->data);
  return raise_fmt(ts, &ImportError_type, "cannot import name '%.*s' from '%s' (unknown location)",
                   int(name->size), name->data, mname.c_str());
}

int import_star(ThreadState& ts, Frame* frame, Value module) {
  Dict* target = frame->locals ? frame->locals : frame->globals;
  Ref all(object_lookup_attr(ts, module, intern("__all__")));
  if (ts.has_error()) return -1;
  if (all) {
    Ref it(object_iter(ts, all.get()));
    if (!it) return -1;
    while (Value name = iter_next(ts, it.get())) {
      Ref name_ref(name);
      if (!is_str(name)) {
        raise(ts, &TypeError_type, "Item in __all__ must be str");
        return -1;
      }
      Ref v(object_getattr(ts, module, name.as<Str>()));
      if (!v || dict_set(ts, target, name, v.get()) < 0) return -1;
    }
    return ts.has_error() ? -1 : 0;
  }
  Ref dict(object_lookup_attr(ts, module, intern("__dict__")));
  if (!dict || !is_dict(dict.get())) return ts.has_error() ? -1 : 0;
  size_t pos = 0;
  Value k, v;
  while (dict_next(dict.as<Dict>(), &pos, &k, &v)) {
    if (is_str(k) && str_view(k).substr(0, 1) == "_") continue;
    if (dict_set(ts, target, k, v) < 0) return -1;
  }
  return 0;
}

}  // namespace mvm
