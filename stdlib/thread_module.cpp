// The _thread module: starting threads, Lock and RLock, thread-local objects. threading,
// queue and concurrent.futures (stdlib/lib/*.py) are written on top of it. Every blocking
// wait releases the GIL and wakes up for Ctrl-C in the main thread.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <new>
#include <optional>
#include <unordered_map>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/critical_section.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/function.h"
#include "runtime/int.h"
#include "runtime/lock.h"
#include "runtime/module.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "stdlib/blocking_wait.h"
#include "stdlib/modules.h"
#include "vm/eval_breaker.h"
#include "vm/gil.h"
#include "vm/interpreter.h"
#include "vm/threads.h"
#include "vm/traceback.h"

namespace mvm {

namespace {

constexpr double kTimeoutMax = 4294967.0;   // seconds, as CPython's _thread.TIMEOUT_MAX

// Parses acquire(blocking=True, timeout=-1) into a deadline: *forever, or a duration.
bool parse_acquire_args(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames, bool* blocking,
                        double* timeout) {
  Value a[2];
  if (!bind_args(ts, "acquire", args + 1, nargs - 1, kwnames, {"blocking", "timeout"}, 0, a)) return false;
  *blocking = true;
  *timeout = -1;
  if (a[0]) {
    int t = object_truth(ts, a[0]);
    if (t < 0) return false;
    *blocking = t;
  }
  if (a[1] && !number_to_double(ts, a[1], timeout)) return false;
  if (!*blocking && *timeout != -1) {
    raise(ts, &ValueError_type, "can't specify a timeout for a non-blocking call");
    return false;
  }
  if (*timeout < 0 && *timeout != -1) {
    raise(ts, &ValueError_type, "timeout value must be a non-negative number");
    return false;
  }
  if (*timeout > kTimeoutMax) {
    raise(ts, &OverflowError_type, "timeout value is too large");
    return false;
  }
  return true;
}

// Takes a lock object: try_take() (called with m held) on the fast path, then waiting with
// the GIL released. 1 acquired, 0 not acquired, -1 error (KeyboardInterrupt).
template <class TryTake>
int acquire_with(ThreadState& ts, std::mutex& m, std::condition_variable& cv, bool blocking, double timeout,
                 TryTake try_take) {
  {
    std::lock_guard<std::mutex> guard(m);
    if (try_take()) return 1;
  }
  if (!blocking) return 0;
  return wait_released(ts, m, cv, timeout, try_take);
}

// acquire(blocking=True, timeout=-1) for either lock type.
template <class Lock, int (*acquire)(ThreadState&, Lock*, bool, double)>
Value acquire_method(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  bool blocking;
  double timeout;
  if (!parse_acquire_args(ts, args, nargs, kwnames, &blocking, &timeout)) return Value();
  int r = acquire(ts, args[0].as<Lock>(), blocking, timeout);
  return r < 0 ? Value() : bool_value(r);
}

// ---------------------------------------------------------------------------------------
// Lock

// A Lock is the same one-byte lock as an object's (runtime/lock.h): an uncontended
// acquire or release is one compare-and-swap, a contended one spins briefly and then sleeps
// in the parking lot, and a thread that has waited 1 ms is handed the lock. Any thread may
// release it, as Python allows.
struct LockObject : Object {
  std::atomic<uint8_t> state{0};
};

Type lock_type;

LockObject* lock_new(ThreadState& ts) {
  auto* l = try_new_object<LockObject>(&lock_type);
  if (!l) raise_memory_error(ts);
  return l;
}

void lock_dealloc(Object* o) {
  static_cast<LockObject*>(o)->~LockObject();
  free_object(o);
}

// Waits for the lock in slices, so that Ctrl-C is noticed within a few milliseconds. With
// the GIL, the GIL is released for the wait; free-threaded, the parking lot's hooks take the
// thread offline only if it actually goes to sleep (vm/free_threading.cpp).
int lock_acquire(ThreadState& ts, LockObject* l, bool blocking, double timeout) {
  if (mutex_lock_fast(l->state)) return 1;
  if (!blocking) return mutex_try_lock(l->state) ? 1 : 0;
  constexpr int64_t kSliceNs = 20'000'000;
  int64_t left_ns = timeout < 0 ? -1 : int64_t(timeout * 1e9);
  std::optional<GilReleased> released;
  if (ts.holds_gil) released.emplace(ts);
  for (;;) {
    int64_t slice = left_ns < 0 ? kSliceNs : std::min(left_ns, kSliceNs);
    uint64_t start = monotonic_ns();
    if (mutex_lock_timed(l->state, std::max<int64_t>(slice, 1))) return 1;
    if (take_pending_interrupt(ts)) break;
    if (left_ns >= 0 && (left_ns -= int64_t(monotonic_ns() - start)) <= 0) return 0;
  }
  released.reset();
  raise_with_args(ts, &KeyboardInterrupt_type, nullptr, 0);
  return -1;
}

Value lock_release_method(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "release", nargs, 1, 1)) return Value();
  LockObject* l = args[0].as<LockObject>();
  if (!mutex_unlock_if_locked(l->state)) return raise(ts, &RuntimeError_type, "release unlocked lock");
  return newref(none());
}

Value lock_locked_method(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "locked", nargs, 1, 1)) return Value();
  return bool_value(mutex_is_locked(args[0].as<LockObject>()->state));
}

Value lock_enter(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  int r = lock_acquire(ts, args[0].as<LockObject>(), true, -1);
  return r < 0 ? Value() : bool_value(r);
}

Value lock_exit(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  return lock_release_method(ts, args, 1, nullptr);
}

Value lock_repr(ThreadState&, Value self) {
  LockObject* l = self.as<LockObject>();
  bool locked = mutex_is_locked(l->state);
  char buf[96];
  std::snprintf(buf, sizeof buf, "<%s _thread.lock object at %p>", locked ? "locked" : "unlocked",
                static_cast<void*>(l));
  return str_value(buf);
}

Value lock_type_new(ThreadState& ts, Type*, const Value*, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "lock", kwnames) || !check_nargs(ts, "lock", nargs, 0, 0)) return Value();
  LockObject* l = lock_new(ts);
  return l ? Value::from_obj(l) : Value();
}

const MethodDef lock_methods[] = {
    {"acquire", acquire_method<LockObject, lock_acquire>},
    {"acquire_lock", acquire_method<LockObject, lock_acquire>},
    {"release", lock_release_method},
    {"release_lock", lock_release_method},
    {"locked", lock_locked_method},
    {"locked_lock", lock_locked_method},
    {"__enter__", lock_enter},
    {"__exit__", lock_exit},
    {nullptr, nullptr},
};

// ---------------------------------------------------------------------------------------
// RLock

struct RLockObject : Object {
  std::mutex mutex;
  std::condition_variable released;
  uint64_t owner = 0;   // thread ident, 0: free
  uint64_t count = 0;
};

Type rlock_type;

void rlock_dealloc(Object* o) {
  static_cast<RLockObject*>(o)->~RLockObject();
  free_object(o);
}

Value rlock_new(ThreadState& ts, Type* type, const Value*, size_t, Tuple*) {
  auto* r = try_new_object<RLockObject>(type, type->basic_size);
  if (!r) return raise_memory_error(ts);
  return Value::from_obj(r);
}

int rlock_acquire(ThreadState& ts, RLockObject* r, bool blocking, double timeout) {
  uint64_t me = current_thread_id();
  return acquire_with(ts, r->mutex, r->released, blocking, timeout, [r, me] {
    if (r->owner == me) {
      r->count++;
      return true;
    }
    if (r->owner != 0) return false;
    r->owner = me;
    r->count = 1;
    return true;
  });
}

Value rlock_release_method(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  RLockObject* r = args[0].as<RLockObject>();
  bool notify = false;
  {
    std::lock_guard<std::mutex> guard(r->mutex);
    if (r->owner != current_thread_id() || r->count == 0)
      return raise(ts, &RuntimeError_type, "cannot release un-acquired lock");
    if (--r->count == 0) {
      r->owner = 0;
      notify = true;
    }
  }
  if (notify) r->released.notify_one();
  return newref(none());
}

Value rlock_enter(ThreadState& ts, const Value* args, size_t, Tuple*) {
  int r = rlock_acquire(ts, args[0].as<RLockObject>(), true, -1);
  return r < 0 ? Value() : bool_value(r);
}

Value rlock_exit(ThreadState& ts, const Value* args, size_t, Tuple*) { return rlock_release_method(ts, args, 1, nullptr); }

Value rlock_is_owned(ThreadState&, const Value* args, size_t, Tuple*) {
  RLockObject* r = args[0].as<RLockObject>();
  std::lock_guard<std::mutex> guard(r->mutex);
  return bool_value(r->owner == current_thread_id() && r->count > 0);
}

// Condition.wait releases an RLock completely and restores its depth afterwards.
Value rlock_release_save(ThreadState& ts, const Value* args, size_t, Tuple*) {
  RLockObject* r = args[0].as<RLockObject>();
  uint64_t count, owner;
  {
    std::lock_guard<std::mutex> guard(r->mutex);
    if (r->count == 0) return raise(ts, &RuntimeError_type, "cannot release un-acquired lock");
    count = r->count;
    owner = r->owner;
    r->count = 0;
    r->owner = 0;
  }
  r->released.notify_one();
  Ref c(int_from_uint64(count));
  Ref o(int_from_uint64(owner));
  return Value::from_obj(tuple_pack(ts, {c.get(), o.get()}));
}

Value rlock_acquire_restore(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "_acquire_restore", nargs, 2, 2)) return Value();
  RLockObject* r = args[0].as<RLockObject>();
  if (!is_tuple(args[1]) || args[1].as<Tuple>()->size != 2) return raise(ts, &TypeError_type, "bad state");
  int64_t count, owner;
  if (!int_to_int64(ts, args[1].as<Tuple>()->items[0], &count)) return Value();
  if (!int_to_int64(ts, args[1].as<Tuple>()->items[1], &owner)) return Value();
  if (rlock_acquire(ts, r, true, -1) < 0) return Value();
  std::lock_guard<std::mutex> guard(r->mutex);
  r->count = uint64_t(count);
  r->owner = uint64_t(owner);
  return newref(none());
}

Value rlock_repr(ThreadState&, Value self) {
  RLockObject* r = self.as<RLockObject>();
  uint64_t owner, count;
  {
    std::lock_guard<std::mutex> guard(r->mutex);
    owner = r->owner;
    count = r->count;
  }
  char buf[128];
  std::snprintf(buf, sizeof buf, "<%s _thread.RLock object owner=%llu count=%llu at %p>",
                owner ? "locked" : "unlocked", static_cast<unsigned long long>(owner),
                static_cast<unsigned long long>(count), static_cast<void*>(r));
  return str_value(buf);
}

const MethodDef rlock_methods[] = {
    {"acquire", acquire_method<RLockObject, rlock_acquire>},
    {"release", rlock_release_method},
    {"__enter__", rlock_enter},
    {"__exit__", rlock_exit},
    {"_is_owned", rlock_is_owned},
    {"_release_save", rlock_release_save},
    {"_acquire_restore", rlock_acquire_restore},
    {nullptr, nullptr},
};

// ---------------------------------------------------------------------------------------
// Thread-local objects: one attribute dict per thread. Classes that subclass _local and
// define __init__ get it called in each thread on first use, with the original arguments.

struct LocalObject : Object {
  uint64_t id = 0;             // unique for the life of the process (local_cache)
  std::mutex mutex;
  std::unordered_map<uint64_t, Dict*> dicts;   // owned
  Value args;     // the constructor's positional arguments (a tuple), owned
  Value kwargs;   // and keyword arguments (a dict or null), owned
  Dict* instance_dict = nullptr;   // unused slot that classes point their __dict__ at
};
std::atomic<uint64_t> next_local_id{1};

Type local_type;

void local_dealloc(Object* o) {
  auto* l = static_cast<LocalObject*>(o);
  for (auto& [id, d] : l->dicts) decref(Value::from_obj(d));
  decref(l->args);
  decref(l->kwargs);
  l->~LocalObject();
  free_object(o);
}

Value local_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if ((nargs || (kwnames && kwnames->size)) && type->init == local_type.init)
    return raise(ts, &TypeError_type, "Initialization arguments are not supported");
  auto* l = try_new_object<LocalObject>(type, type->basic_size);
  if (!l) return raise_memory_error(ts);
  l->id = next_local_id.fetch_add(1, std::memory_order_relaxed);
  Ref self(Value::from_obj(l));
  l->args = Value::from_obj(tuple_from_array(ts, args, nargs));
  if (!l->args) return Value();
  if (kwnames && kwnames->size) {
    Dict* kw = dict_new(ts);
    l->kwargs = Value::from_obj(kw);
    for (size_t i = 0; i < kwnames->size; i++)
      if (dict_set(ts, kw, kwnames->items[i], args[nargs + i]) < 0) return Value();
  }
  // The creating thread's dict exists from the start; __init__ runs on it via type_call.
  Dict* d = dict_new(ts);
  if (!d) return Value();
  l->dicts[current_thread_id()] = d;
  return self.release();
}

// The calling thread's dict, made (and __init__ re-run) on first use from this thread.
// The last few (local, dict) pairs the calling thread used, so that reading an attribute
// of a threading.local takes no lock (threads would otherwise contend on its mutex). Ids
// are never reused, so an entry left by a local that has been freed never matches.
struct LocalCacheEntry {
  uint64_t local_id = 0;
  Dict* dict = nullptr;
};
constexpr size_t kLocalCacheSize = 4;
thread_local LocalCacheEntry local_cache[kLocalCacheSize];
thread_local size_t local_cache_next = 0;
Dict* local_dict(ThreadState& ts, LocalObject* l, bool* created) {
  *created = false;
  for (const LocalCacheEntry& e : local_cache)
    if (e.local_id == l->id) return e.dict;
  uint64_t me = current_thread_id();
  Dict* d = nullptr;
  {
    std::lock_guard<std::mutex> guard(l->mutex);
    auto it = l->dicts.find(me);
    if (it != l->dicts.end()) d = it->second;
  }
  if (!d) {
    d = dict_new(ts);
    if (!d) return nullptr;
    std::lock_guard<std::mutex> guard(l->mutex);
    l->dicts[me] = d;
    *created = true;
  }
  local_cache[local_cache_next++ % kLocalCacheSize] = {l->id, d};
  return d;
}

Dict* local_dict_initialised(ThreadState& ts, Value self) {
  LocalObject* l = self.as<LocalObject>();
  bool created;
  Dict* d = local_dict(ts, l, &created);
  if (d && created && type_of(self)->init != local_type.init && type_of(self)->init) {
    Tuple* args = l->args.as<Tuple>();
    // Call type(self).__init__(self, *args, **kwargs).
    std::vector<Value> call_args{self};
    for (size_t i = 0; i < args->size; i++) call_args.push_back(args->items[i]);
    Value init = type_lookup(type_of(self), intern("__init__"));
    Ref t(Value::from_obj(tuple_from_array(ts, call_args.data(), call_args.size())));
    Ref result(call_with_tuple(ts, init, t.as<Tuple>(), l->kwargs ? l->kwargs.as<Dict>() : nullptr));
    if (!result) return nullptr;
  }
  return d;
}

Value local_getattr(ThreadState& ts, Value self, Str* name) {
  Dict* d = local_dict_initialised(ts, self);
  if (!d) return Value();
  if (str_view(name) == "__dict__") return newref(Value::from_obj(d));
  Type* t = type_of(self);
  Value descr = type_lookup(t, name);
  if (descr && type_of(descr)->descr_get && type_of(descr)->descr_set) return type_of(descr)->descr_get(ts, descr, self, t);
  Value v = dict_get_str(d, name);
  if (v) return newref(v);
  if (descr) return type_of(descr)->descr_get ? type_of(descr)->descr_get(ts, descr, self, t) : newref(descr);
  return raise_fmt(ts, &AttributeError_type, "'%s' object has no attribute '%.*s'", t->name, int(name->size),
                   name->data);
}

int local_setattr(ThreadState& ts, Value self, Str* name, Value value) {
  Dict* d = local_dict_initialised(ts, self);
  if (!d) return -1;
  Type* t = type_of(self);
  Value descr = type_lookup(t, name);
  if (descr && type_of(descr)->descr_set) return type_of(descr)->descr_set(ts, descr, self, value);
  if (value) return dict_set_str(ts, d, name, value);
  int r = dict_discard(ts, d, Value::from_obj(name));
  if (r == 0) {
    raise_fmt(ts, &AttributeError_type, "'%s' object has no attribute '%.*s'", t->name, int(name->size), name->data);
    return -1;
  }
  return r < 0 ? -1 : 0;
}

int local_init(ThreadState&, Value, const Value*, size_t, Tuple*) { return 0; }

// ---------------------------------------------------------------------------------------
// Module functions

Value thread_start_new_thread(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "start_new_thread", args, nargs, kwnames, {"function", "args", "kwargs"}, 2, a)) return Value();
  if (!is_callable(a[0])) return raise(ts, &TypeError_type, "first arg must be callable");
  if (!is_tuple(a[1])) return raise(ts, &TypeError_type, "2nd arg must be a tuple");
  if (a[2] && !is_none(a[2]) && !is_dict(a[2])) return raise(ts, &TypeError_type, "optional 3rd arg must be a dictionary");
  uint64_t ident;
  Dict* kwargs = a[2] && is_dict(a[2]) ? a[2].as<Dict>() : nullptr;
  if (!start_new_thread(ts, a[0], a[1].as<Tuple>(), kwargs, &ident)) return Value();
  return int_from_uint64(ident);
}

Value thread_allocate_lock(ThreadState& ts, const Value*, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "allocate_lock", nargs, 0, 0)) return Value();
  LockObject* l = lock_new(ts);
  return l ? Value::from_obj(l) : Value();
}

Value thread_get_ident(ThreadState&, const Value*, size_t, Tuple*) { return int_from_uint64(current_thread_id()); }
Value thread_get_native_id(ThreadState&, const Value*, size_t, Tuple*) { return int_from_uint64(native_thread_id()); }
Value thread_count(ThreadState& ts, const Value*, size_t, Tuple*) {
  return int_from_int64(ts.interp->running_threads.load(std::memory_order_acquire));
}
Value thread_exit(ThreadState& ts, const Value*, size_t, Tuple*) {
  return raise_with_args(ts, &SystemExit_type, nullptr, 0);
}
Value thread_format_exception(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "_format_exception", nargs, 1, 1)) return Value();
  return str_value(format_exception(ts, args[0]));
}
Value thread_set_name(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  // threading tells the VM a thread's name, for -X gilstats and giltrace.
  if (!check_nargs(ts, "_set_name", nargs, 1, 1)) return Value();
  if (is_str(args[0])) {
    ts.thread_name = std::string(str_view(args[0]));
    ts.interp->gil.rename_thread(ts, ts.thread_name);
  }
  return newref(none());
}

Value thread_mark_finishing(ThreadState& ts, const Value*, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "_mark_finishing", nargs, 0, 0)) return Value();
  mark_thread_finishing(ts);
  return newref(none());
}

const MethodDef thread_functions[] = {
    {"start_new_thread", thread_start_new_thread},
    {"start_new", thread_start_new_thread},
    {"allocate_lock", thread_allocate_lock},
    {"allocate", thread_allocate_lock},
    {"get_ident", thread_get_ident},
    {"get_native_id", thread_get_native_id},
    {"_count", thread_count},
    {"exit", thread_exit},
    {"_format_exception", thread_format_exception},
    {"_set_name", thread_set_name},
    {"_mark_finishing", thread_mark_finishing},
    {nullptr, nullptr},
};

}  // namespace

MINIVM_TYPE_SETUP(lock_type) {
  t.name = "lock";
  t.basic_size = sizeof(LockObject);
  t.flags = kTypeImmutable;
  t.dealloc = lock_dealloc;
  t.repr = lock_repr;
  t.new_ = lock_type_new;
  t.methods = lock_methods;
}

MINIVM_TYPE_SETUP(rlock_type) {
  t.name = "RLock";
  t.basic_size = sizeof(RLockObject);
  t.flags = kTypeBaseType;
  t.dealloc = rlock_dealloc;
  t.repr = rlock_repr;
  t.new_ = rlock_new;
  t.methods = rlock_methods;
}

MINIVM_TYPE_SETUP(local_type) {
  t.name = "_local";
  t.basic_size = sizeof(LocalObject);
  t.flags = kTypeBaseType;
  t.dict_offset = offsetof(LocalObject, instance_dict);
  t.dealloc = local_dealloc;
  t.new_ = local_new;
  t.init = local_init;
  t.getattr = local_getattr;
  t.setattr = local_setattr;
}

// sys entries about the GIL: _is_gil_enabled(), getswitchinterval(), setswitchinterval().
Value sys_is_gil_enabled(ThreadState& ts, const Value*, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "_is_gil_enabled", nargs, 0, 0)) return Value();
  return bool_value(ts.interp->gil_enabled);
}
Value sys_getswitchinterval(ThreadState& ts, const Value*, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "getswitchinterval", nargs, 0, 0)) return Value();
  return float_new(ts.interp->gil.switch_interval());
}
Value sys_setswitchinterval(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "setswitchinterval", nargs, 1, 1)) return Value();
  double seconds;
  if (!number_to_double(ts, args[0], &seconds)) return Value();
  if (seconds <= 0) return raise(ts, &ValueError_type, "switch interval must be strictly positive");
  ts.interp->gil.set_switch_interval(seconds);
  return newref(none());
}
const MethodDef sys_gil_functions[] = {
    {"_is_gil_enabled", sys_is_gil_enabled},
    {"getswitchinterval", sys_getswitchinterval},
    {"setswitchinterval", sys_setswitchinterval},
    {nullptr, nullptr},
};

int add_gil_sys_entries(ThreadState& ts, Module* sys) {
  if (module_add_functions(ts, sys, sys_gil_functions) < 0) return -1;
  Value flags = module_get(sys, "flags");
  if (flags) {
    // sys.flags.gil: 1 with the GIL, 0 without (as CPython 3.13's free-threaded build).
    if (object_setattr(ts, flags, intern("gil"), int_from_int64(ts.interp->gil_enabled ? 1 : 0)) < 0) {
      clear_error(ts);
    }
  }
  return 0;
}

int init_thread_module(ThreadState& ts, Module* m) {
  if (module_add_functions(ts, m, thread_functions) < 0) return -1;
  Ref timeout_max(float_new(kTimeoutMax));
  if (module_add(ts, m, "LockType", Value::from_obj(&lock_type)) < 0 ||
      module_add(ts, m, "RLock", Value::from_obj(&rlock_type)) < 0 ||
      module_add(ts, m, "_local", Value::from_obj(&local_type)) < 0 ||
      module_add(ts, m, "error", Value::from_obj(&RuntimeError_type)) < 0 ||
      module_add(ts, m, "TIMEOUT_MAX", timeout_max.get()) < 0)
    return -1;
  return 0;
}

}  // namespace mvm
