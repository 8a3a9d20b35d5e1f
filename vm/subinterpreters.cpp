// Subinterpreters: each on a worker thread of its own that waits for jobs, and the copies
// (Shareable) in which values cross from one interpreter to another.
#include "vm/subinterpreters.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "runtime/abstract.h"
#include "runtime/bytes.h"
#include "runtime/code.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/function.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/set.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "stdlib/cross_queue.h"
#include "stdlib/modules.h"
#include "vm/code_loader.h"
#include "vm/eval_breaker.h"
#include "vm/gil.h"
#include "vm/import.h"
#include "vm/interpreter.h"
#include "vm/thread_state.h"
#include "vm/traceback.h"

namespace mvm {

// ---------------------------------------------------------------------------------------
// Values crossing interpreters

static bool not_shareable(ThreadState& ts, Value obj, const char* why = "") {
  raise_fmt(ts, &ValueError_type, "%s%s object is not shareable", why, type_name(obj));
  return false;
}

// The name of the imported module whose attribute `name` is `function`; false if none.
static bool module_holding(ThreadState& ts, Value function, const std::string& name, std::string* module_name) {
  // A snapshot of sys.modules: another thread may be importing meanwhile.
  Ref items(call_method(ts, Value::from_obj(ts.interp->modules), "items", {}));
  Ref pairs(items ? tuple_from_iterable(ts, items.get()) : Value());
  if (!pairs) return false;
  Str* key = intern(name);
  for (size_t i = 0; i < pairs.get().as<Tuple>()->size; i++) {
    Tuple* pair = pairs.get().as<Tuple>()->items[i].as<Tuple>();
    Value module = pair->items[1];
    if (module.is_obj() && type_of(module) == &module_type && dict_get_str(module.as<Module>()->dict, key) == function) {
      *module_name = std::string(str_view(pair->items[0]));
      return true;
    }
  }
  return false;
}

namespace {

// How a value is being shared.
struct SharingState {
  // The functions being shared, outermost first: a function that refers to one of them
  // (itself, when recursive) finds it by name in the receiving __main__ instead.
  std::vector<Code*> codes;
  bool copy_containers = false;   // lists, dicts and sets cross as copies
  int depth = 0;                  // nesting, bounded: a list may contain itself
};

constexpr int kMaxShareDepth = 200;

bool share(ThreadState& ts, Value obj, Shareable* out, SharingState& sharing);
bool share_one(ThreadState& ts, Value obj, Shareable* out, SharingState& sharing);

// Adds to `out->globals` the module globals that `code` (and the code nested in it) names
// and that can cross. Names that are attributes, locals or unshareable values are skipped.
bool share_globals_of(ThreadState& ts, Code* code, Dict* globals, Shareable* out, SharingState& sharing) {
  for (size_t i = 0; i < code->names->size; i++) {
    Str* name = code->names->items[i].as<Str>();
    std::string key(str_view(name));
    bool seen = false;
    for (const auto& entry : out->globals) seen = seen || entry.first == key;
    Value value = seen ? Value() : dict_get_str(globals, name);
    if (!value) continue;
    if (is_function(value) && std::find(sharing.codes.begin(), sharing.codes.end(), value.as<Function>()->code) != sharing.codes.end())
      continue;
    Shareable shared;
    if (share(ts, value, &shared, sharing)) {
      out->globals.emplace_back(std::move(key), std::move(shared));
    } else if (error_matches(ts, &ValueError_type)) {
      clear_error(ts);   // not shareable: the function will miss it only if it uses it
    } else {
      return false;
    }
  }
  for (size_t i = 0; i < code->consts->size; i++) {
    Value c = code->consts->items[i];
    if (c.is_obj() && type_of(c) == &code_type && !share_globals_of(ts, c.as<Code>(), globals, out, sharing))
      return false;
  }
  return true;
}

bool share_function(ThreadState& ts, Value obj, Shareable* out, SharingState& sharing) {
  // A function crosses as its code, which is immortal and never changes; it runs in the
  // receiving interpreter's __main__. What it captured cannot cross with it.
  Function* f = obj.as<Function>();
  if (f->closure) return not_shareable(ts, obj, "a closure (a function with free variables): ");
  if (f->kwdefaults) return not_shareable(ts, obj, "a function with keyword-only defaults: ");
  out->kind = Shareable::Kind::Function;
  out->code = f->code;
  out->text = std::string(str_view(f->qualname));
  out->name = std::string(str_view(f->name));
  if (f->defaults) {
    out->items.resize(f->defaults->size);
    for (size_t i = 0; i < f->defaults->size; i++)
      if (!share(ts, f->defaults->items[i], &out->items[i], sharing)) return false;
  }
  sharing.codes.push_back(f->code);
  bool ok = share_globals_of(ts, f->code, f->globals, out, sharing);
  sharing.codes.pop_back();
  return ok;
}

// A copy of a list, dict or set: its items (a dict's as key, value, key, ...), taken as a
// snapshot, since another thread may be changing it.
bool share_container(ThreadState& ts, Value obj, Shareable::Kind kind, Shareable* out, SharingState& sharing) {
  out->kind = kind;
  Ref items(kind == Shareable::Kind::Dict ? call_method(ts, obj, "items", {}) : newref(obj));
  Ref snapshot(items ? tuple_from_iterable(ts, items.get()) : Value());
  if (!snapshot) return false;
  Tuple* t = snapshot.get().as<Tuple>();
  for (size_t i = 0; i < t->size; i++) {
    if (kind == Shareable::Kind::Dict) {
      Tuple* pair = t->items[i].as<Tuple>();
      out->items.emplace_back();
      if (!share(ts, pair->items[0], &out->items.back(), sharing)) return false;
      out->items.emplace_back();
      if (!share(ts, pair->items[1], &out->items.back(), sharing)) return false;
    } else {
      out->items.emplace_back();
      if (!share(ts, t->items[i], &out->items.back(), sharing)) return false;
    }
  }
  return true;
}

bool share(ThreadState& ts, Value obj, Shareable* out, SharingState& sharing) {
  if (sharing.depth >= kMaxShareDepth) {
    raise(ts, &ValueError_type, "object too deeply nested to share");
    return false;
  }
  sharing.depth++;
  bool ok = share_one(ts, obj, out, sharing);
  sharing.depth--;
  return ok;
}

bool share_one(ThreadState& ts, Value obj, Shareable* out, SharingState& sharing) {
  using Kind = Shareable::Kind;
  *out = Shareable();
  Type* type = obj.is_obj() ? obj.obj()->ob_type : nullptr;
  if (sharing.copy_containers && (type == &list_type || type == &dict_type || type == &set_type ||
                                  type == &frozenset_type)) {
    Kind kind = type == &list_type ? Kind::List : type == &dict_type ? Kind::Dict
              : type == &set_type  ? Kind::Set  : Kind::FrozenSet;
    return share_container(ts, obj, kind, out, sharing);
  }
  if (is_none(obj)) {
    out->kind = Kind::None;
  } else if (is_bool(obj)) {
    out->kind = Kind::Bool;
    out->flag = obj == true_value();
  } else if (obj.is_small_int() || is_bigint(obj)) {
    out->kind = Kind::Int;
    out->text = int_to_string(obj, 10);
  } else if (is_float(obj)) {
    out->kind = Kind::Float;
    out->number = float_value(obj);
  } else if (is_exact_str(obj)) {
    out->kind = Kind::Str;
    out->text = std::string(str_view(obj));
  } else if (is_bytes(obj)) {
    out->kind = Kind::Bytes;
    out->text = std::string(bytes_view(obj));
  } else if (obj.is_obj() && obj.obj()->ob_type == &tuple_type) {
    out->kind = Kind::Tuple;
    Tuple* t = obj.as<Tuple>();
    out->items.resize(t->size);
    for (size_t i = 0; i < t->size; i++)
      if (!share(ts, t->items[i], &out->items[i], sharing)) return false;
  } else if (is_function(obj)) {
    return share_function(ts, obj, out, sharing);
  } else if (obj.is_obj() && obj.obj()->ob_type == &builtin_function_type &&
             !obj.as<BuiltinFunction>()->self) {
    // len, math.sqrt: the receiving interpreter's own function of that module and name.
    out->kind = Kind::Builtin;
    out->name = obj.as<BuiltinFunction>()->def->name;
    if (!module_holding(ts, obj, out->name, &out->text)) {
      if (ts.has_error()) return false;
      return not_shareable(ts, obj, "a built-in function of no module: ");
    }
  } else if (obj.is_obj() && obj.obj()->ob_type == &module_type && obj.as<Module>()->name &&
             str_view(obj.as<Module>()->name) != "__main__") {
    // A module crosses by name: the receiving interpreter imports its own.
    out->kind = Kind::Module;
    out->text = std::string(str_view(obj.as<Module>()->name));
  } else if (auto queue = cross_queue_of(obj)) {
    out->kind = Kind::Queue;
    out->queue = std::move(queue);
  } else {
    return not_shareable(ts, obj);
  }
  return true;
}

// Binds `value` as global `name` of the interpreter's __main__, unless the name is taken.
bool bind_if_missing(ThreadState& ts, const std::string& name, const Shareable& value) {
  Dict* globals = ts.interp->main_module->dict;
  Str* key = intern(name);
  if (dict_get_str(globals, key)) return true;
  Ref object(unshare_value(ts, value));
  return object && dict_set_str(ts, globals, key, object.get()) == 0;
}

}  // namespace

bool share_value(ThreadState& ts, Value obj, Shareable* out, bool copy_containers) {
  SharingState sharing;
  sharing.copy_containers = copy_containers;
  return share(ts, obj, out, sharing);
}

// This interpreter's copy of a code object from another one, made on first use.
static Code* code_of_this_interpreter(ThreadState& ts, Code* code) {
  Interpreter* interp = ts.interp;
  std::lock_guard<std::mutex> guard(interp->code_copies_mutex);
  Code*& copy = interp->code_copies[code];
  if (!copy) copy = copy_code_with_own_caches(ts, code);
  return copy;
}

Value unshare_value(ThreadState& ts, const Shareable& shared) {
  using Kind = Shareable::Kind;
  switch (shared.kind) {
    case Kind::None: return newref(none());
    case Kind::Bool: return newref(shared.flag ? true_value() : false_value());
    case Kind::Int: return int_from_string(ts, shared.text, 10);
    case Kind::Float: return float_new(shared.number);
    case Kind::Str: return str_value(shared.text);
    case Kind::Bytes: return bytes_value(ts, shared.text);
    case Kind::Tuple: {
      Tuple* t = tuple_new(ts, shared.items.size());
      if (!t) return Value();
      Ref guard(Value::from_obj(t));
      for (size_t i = 0; i < shared.items.size(); i++) {
        t->items[i] = unshare_value(ts, shared.items[i]);
        if (!t->items[i]) return Value();
      }
      return guard.release();
    }
    case Kind::Function: {
      // What the function uses from its module comes first, then the function itself is
      // bound under its name (a recursive function calls itself through it).
      for (const auto& [name, value] : shared.globals)
        if (!bind_if_missing(ts, name, value)) return Value();
      Interpreter* interp = ts.interp;
      Code* code = code_of_this_interpreter(ts, shared.code);
      if (!code) return Value();
      Ref qualname(str_value(shared.text));
      Ref f(function_new(ts, code, interp->main_module->dict, interp->builtins_dict, qualname.get().as<Str>()));
      if (!f) return Value();
      if (!shared.items.empty()) {
        Shareable defaults;
        defaults.kind = Kind::Tuple;
        defaults.items = shared.items;
        Value d = unshare_value(ts, defaults);
        if (!d) return Value();
        f.get().as<Function>()->defaults = d.as<Tuple>();
      }
      Dict* globals = interp->main_module->dict;
      Str* own_name = intern(shared.name);
      if (!dict_get_str(globals, own_name) && dict_set_str(ts, globals, own_name, f.get()) < 0) return Value();
      return f.release();
    }
    case Kind::Module: return import_module(ts, shared.text);
    case Kind::List: {
      List* list = list_new(ts, shared.items.size());
      if (!list) return Value();
      Ref guard(Value::from_obj(list));
      for (const Shareable& item : shared.items) {
        Ref value(unshare_value(ts, item));
        if (!value || list_append(ts, list, value.get()) < 0) return Value();
      }
      return guard.release();
    }
    case Kind::Dict: {
      Dict* dict = dict_new(ts);
      if (!dict) return Value();
      Ref guard(Value::from_obj(dict));
      for (size_t i = 0; i + 1 < shared.items.size(); i += 2) {
        Ref key(unshare_value(ts, shared.items[i]));
        Ref value(key ? unshare_value(ts, shared.items[i + 1]) : Value());
        if (!value || dict_set(ts, dict, key.get(), value.get()) < 0) return Value();
      }
      return guard.release();
    }
    case Kind::Set:
    case Kind::FrozenSet: {
      Shareable items;
      items.kind = Kind::Tuple;
      items.items = shared.items;
      Ref tuple(unshare_value(ts, items));
      if (!tuple) return Value();
      Value set_class = Value::from_obj(shared.kind == Kind::Set ? &set_type : &frozenset_type);
      Value arg = tuple.get();
      return object_call(ts, set_class, &arg, 1);
    }
    case Kind::Builtin: {
      Ref module(import_module(ts, shared.text));
      return module ? object_getattr(ts, module.get(), shared.name.c_str()) : Value();
    }
    case Kind::Queue: return cross_queue_wrap(ts, shared.queue);
  }
  return Value();
}

ExceptionInfo take_exception_info(ThreadState& ts) {
  ExceptionInfo info;
  Value exc = fetch_error(ts);
  if (!exc) return info;
  Ref guard(exc);
  info.type_name = type_name(exc);
  Ref text(object_str(ts, exc));
  if (text && is_str(text.get())) info.message = std::string(str_view(text.get()));
  else clear_error(ts);
  info.formatted = info.message.empty() ? info.type_name : info.type_name + ": " + info.message;
  info.traceback = format_exception(ts, exc);
  return info;
}

// ---------------------------------------------------------------------------------------
// The interpreters and their threads

namespace {

struct Subinterpreter {
  int64_t id = 0;
  Interpreter* owner = nullptr;             // the interpreter that created it
  std::thread worker;
  std::mutex mutex;
  std::condition_variable changed;          // any of the fields below changed
  Interpreter* interp = nullptr;            // set by the worker once created
  bool started = false;
  const SubinterpreterJob* job = nullptr;   // the job to run, owned by the waiting caller
  bool busy = false;                        // a job is queued or running
  bool closing = false;
};

// Every subinterpreter of the process, by id. Process-wide like CPython's list of
// interpreters: a script's interpreters are the process's.
struct Registry {
  std::mutex mutex;
  std::map<int64_t, std::shared_ptr<Subinterpreter>> interpreters;
  int64_t next_id = 1;
};

Registry& registry() {
  static Registry* const instance = new Registry();   // never destroyed: threads may outlive main
  return *instance;
}

std::shared_ptr<Subinterpreter> find(int64_t id) {
  Registry& r = registry();
  std::lock_guard<std::mutex> guard(r.mutex);
  auto it = r.interpreters.find(id);
  return it == r.interpreters.end() ? nullptr : it->second;
}

// The worker thread: creates the interpreter (becoming its main thread), runs jobs until
// told to close, then ends the interpreter.
void worker_main(std::shared_ptr<Subinterpreter> sub, InterpreterConfig config) {
  Interpreter* interp = create_interpreter(config);
  interp->id = sub->id;
  ThreadState& ts = *interp->main_thread;
  {
    std::lock_guard<std::mutex> guard(sub->mutex);
    sub->interp = interp;
    sub->started = true;
  }
  sub->changed.notify_all();
  for (;;) {
    const SubinterpreterJob* job = nullptr;
    {
      // Idle, the thread lets go of its interpreter, so that threads the scripts started
      // there run on.
      GilReleased released(ts);
      std::unique_lock<std::mutex> lock(sub->mutex);
      sub->changed.wait(lock, [&] { return sub->job || sub->closing; });
      job = sub->job;
    }
    if (!job) break;
    (*job)(ts);
    flush_std_streams(ts);   // its output appears before what the caller prints next
    // An interrupt that came as the job ended is not the next job's.
    take_pending_interrupt(ts);
    {
      std::lock_guard<std::mutex> guard(sub->mutex);
      sub->job = nullptr;
      sub->busy = false;
    }
    sub->changed.notify_all();
  }
  destroy_interpreter(interp);
}

}  // namespace

int64_t subinterpreter_create(ThreadState& caller) {
  auto sub = std::make_shared<Subinterpreter>();
  InterpreterConfig config;
  // The main script's directory and search path, so that imports find the same modules.
  config.argv = caller.interp->config.argv.empty() ? std::vector<std::string>{""}
                                                     : std::vector<std::string>{caller.interp->config.argv[0]};
  config.path = caller.interp->config.path;
  config.gil = caller.interp->gil_enabled ? 1 : 0;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> guard(r.mutex);
    sub->id = r.next_id++;
    sub->owner = caller.interp;
    r.interpreters[sub->id] = sub;
  }
  flush_std_streams(caller);
  bool started = true;
  {
    GilReleased released(caller);
    try {
      sub->worker = std::thread(worker_main, sub, config);
    } catch (const std::system_error&) {
      started = false;
    }
    if (started) {
      std::unique_lock<std::mutex> lock(sub->mutex);
      sub->changed.wait(lock, [&] { return sub->started; });
    }
  }
  if (!started) {
    {
      std::lock_guard<std::mutex> guard(registry().mutex);
      registry().interpreters.erase(sub->id);
    }
    raise(caller, &RuntimeError_type, "can't start new thread");
    return -1;
  }
  return sub->id;
}

static bool no_such_interpreter(ThreadState& ts, int64_t id) {
  raise_fmt(ts, &RuntimeError_type, "interpreter %lld does not exist", static_cast<long long>(id));
  return false;
}

bool subinterpreter_run(ThreadState& caller, int64_t id, const SubinterpreterJob& job) {
  std::shared_ptr<Subinterpreter> sub = find(id);
  if (!sub) return no_such_interpreter(caller, id);
  if (sub->interp == caller.interp) {
    raise(caller, &RuntimeError_type, "interpreter already running");
    return false;
  }
  flush_std_streams(caller);   // what the caller printed comes first
  bool ran = false, interrupted = false;
  {
    GilReleased released(caller);
    std::unique_lock<std::mutex> lock(sub->mutex);
    sub->changed.wait(lock, [&] { return !sub->busy || sub->closing; });
    if (!sub->closing) {
      sub->busy = true;
      sub->job = &job;
      sub->changed.notify_all();
      // Waits in slices, so that Ctrl-C reaches the job: the subinterpreter raises
      // KeyboardInterrupt where it runs, and so does the caller once the job has ended.
      while (sub->busy) {
        sub->changed.wait_for(lock, std::chrono::milliseconds(20));
        if (sub->busy && take_pending_interrupt(caller)) {
          interrupted = true;
          request_keyboard_interrupt(*sub->interp->main_thread);
        }
      }
      ran = true;
    }
  }
  if (!ran) return no_such_interpreter(caller, id);   // it was closed meanwhile
  if (interrupted) {
    raise_with_args(caller, &KeyboardInterrupt_type, nullptr, 0);
    return false;
  }
  return true;
}

bool subinterpreter_destroy(ThreadState& caller, int64_t id) {
  std::shared_ptr<Subinterpreter> sub;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> guard(r.mutex);
    auto it = r.interpreters.find(id);
    if (it == r.interpreters.end()) return no_such_interpreter(caller, id);
    if (it->second->interp == caller.interp) {
      raise(caller, &RuntimeError_type, "cannot destroy the current interpreter");
      return false;
    }
    sub = it->second;
    r.interpreters.erase(it);
  }
  flush_std_streams(caller);
  GilReleased released(caller);
  {
    std::unique_lock<std::mutex> lock(sub->mutex);
    sub->changed.wait(lock, [&] { return !sub->busy; });
    sub->closing = true;
  }
  sub->changed.notify_all();
  sub->worker.join();
  return true;
}

bool subinterpreter_is_running(int64_t id) {
  std::shared_ptr<Subinterpreter> sub = find(id);
  if (!sub) return false;
  std::lock_guard<std::mutex> guard(sub->mutex);
  return sub->busy;
}

// The ids of the subinterpreters `owner` created (all of them for null).
static std::vector<int64_t> subinterpreter_ids(const Interpreter* owner) {
  std::vector<int64_t> ids;
  Registry& r = registry();
  std::lock_guard<std::mutex> guard(r.mutex);
  for (const auto& entry : r.interpreters)
    if (!owner || entry.second->owner == owner) ids.push_back(entry.first);
  return ids;
}

std::vector<int64_t> interpreter_ids() {
  std::vector<int64_t> ids{0};
  Registry& r = registry();
  std::lock_guard<std::mutex> guard(r.mutex);
  for (const auto& entry : r.interpreters) ids.push_back(entry.first);
  return ids;
}

void subinterpreters_close_owned(ThreadState& ts) {
  for (int64_t id : subinterpreter_ids(ts.interp))
    if (!subinterpreter_destroy(ts, id)) clear_error(ts);
}

}  // namespace mvm
