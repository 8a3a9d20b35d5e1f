// The _interpreters module: creating subinterpreters, running code and calls in them, and
// cross-interpreter queues. concurrent.interpreters (stdlib/lib) is written on top of it;
// the machinery is vm/subinterpreters.cpp.
#include <memory>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/module.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "stdlib/blocking_wait.h"
#include "stdlib/cross_queue.h"
#include "stdlib/modules.h"
#include "vm/import.h"
#include "vm/interpreter.h"
#include "vm/subinterpreters.h"

namespace mvm {

namespace {

bool interpreter_id(ThreadState& ts, Value v, int64_t* id) {
  if (!is_int(v) || is_bool(v)) {
    raise_fmt(ts, &TypeError_type, "interpreter ID must be an int, not %s", type_name(v));
    return false;
  }
  return int_to_int64(ts, v, id);
}

// (type name, message, "Type: message", traceback text), for ExecutionFailed.
Value exception_info_tuple(ThreadState& ts, const ExceptionInfo& info) {
  Ref type_name(str_value(info.type_name)), message(str_value(info.message)),
      formatted(str_value(info.formatted)), traceback(str_value(info.traceback));
  return Value::from_obj(tuple_pack(ts, {type_name.get(), message.get(), formatted.get(), traceback.get()}));
}

Value interp_create(ThreadState& ts, const Value*, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "create", nargs, 0, 0)) return Value();
  int64_t id = subinterpreter_create(ts);
  return id < 0 ? Value() : int_from_int64(id);
}

Value interp_destroy(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  int64_t id;
  if (!check_nargs(ts, "destroy", nargs, 1, 1) || !interpreter_id(ts, args[0], &id)) return Value();
  if (!subinterpreter_destroy(ts, id)) return Value();
  return newref(none());
}

Value interp_list_all(ThreadState& ts, const Value*, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "list_all", nargs, 0, 0)) return Value();
  List* list = list_new(ts);
  if (!list) return Value();
  Ref guard(Value::from_obj(list));
  for (int64_t id : interpreter_ids()) {
    Ref item(int_from_int64(id));
    if (list_append(ts, list, item.get()) < 0) return Value();
  }
  return guard.release();
}

Value interp_get_current(ThreadState& ts, const Value*, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "get_current", nargs, 0, 0)) return Value();
  return int_from_int64(ts.interp->id);
}

Value interp_get_main(ThreadState& ts, const Value*, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "get_main", nargs, 0, 0)) return Value();
  return int_from_int64(0);
}

Value interp_is_running(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  int64_t id;
  if (!check_nargs(ts, "is_running", nargs, 1, 1) || !interpreter_id(ts, args[0], &id)) return Value();
  return bool_value(id == ts.interp->id || subinterpreter_is_running(id));
}

Value interp_is_shareable(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "is_shareable", nargs, 1, 1)) return Value();
  Shareable shared;
  if (share_value(ts, args[0], &shared)) return newref(true_value());
  clear_error(ts);
  return newref(false_value());
}

// exec(id, source): None, or the exception info when the code raised.
Value interp_exec(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  int64_t id;
  if (!check_nargs(ts, "exec", nargs, 2, 2) || !interpreter_id(ts, args[0], &id)) return Value();
  if (!is_str(args[1])) return raise_fmt(ts, &TypeError_type, "exec() code must be a str, not %s", type_name(args[1]));
  std::string source(str_view(args[1]));
  bool failed = false;
  ExceptionInfo info;
  SubinterpreterJob job = [&](ThreadState& sub) {
    Value result = run_source(sub, source, "<string>", sub.interp->main_module, ParseMode::File);
    if (result) {
      decref(result);
    } else {
      failed = true;
      info = take_exception_info(sub);
    }
  };
  if (!subinterpreter_run(ts, id, job)) return Value();
  return failed ? exception_info_tuple(ts, info) : newref(none());
}

// call(id, func, args, kwargs): (result, None), or (None, exception info).
Value interp_call(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  int64_t id;
  if (!check_nargs(ts, "call", nargs, 4, 4) || !interpreter_id(ts, args[0], &id)) return Value();
  Shareable function, call_args, call_kwargs;
  // Arguments and results cross as copies, containers included, as pickling gives them
  // in CPython.
  if (!share_value(ts, args[1], &function, true) || !share_value(ts, args[2], &call_args, true) ||
      (!is_none(args[3]) && !share_value(ts, args[3], &call_kwargs, true)))
    return Value();
  bool has_kwargs = call_kwargs.kind == Shareable::Kind::Dict;
  Shareable result;
  bool failed = false;
  ExceptionInfo info;
  SubinterpreterJob job = [&](ThreadState& sub) {
    Ref f(unshare_value(sub, function));
    Ref positional(f ? unshare_value(sub, call_args) : Value());
    Ref keywords(positional && has_kwargs ? unshare_value(sub, call_kwargs) : Value());
    bool ready = positional && (!has_kwargs || keywords);
    Ref r(ready ? call_with_tuple(sub, f.get(), positional.get().as<Tuple>(),
                                  has_kwargs ? keywords.get().as<Dict>() : nullptr)
                : Value());
    if (!r || !share_value(sub, r.get(), &result, true)) {
      failed = true;
      info = take_exception_info(sub);
    }
  };
  if (!subinterpreter_run(ts, id, job)) return Value();
  if (failed) {
    Ref exc(exception_info_tuple(ts, info));
    return exc ? Value::from_obj(tuple_pack(ts, {none(), exc.get()})) : Value();
  }
  Ref value(unshare_value(ts, result));
  return value ? Value::from_obj(tuple_pack(ts, {value.get(), none()})) : Value();
}

// set___main___attrs(id, mapping): binds shareable values in the interpreter's __main__.
Value interp_set_main_attrs(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  int64_t id;
  if (!check_nargs(ts, "set___main___attrs", nargs, 2, 2) || !interpreter_id(ts, args[0], &id)) return Value();
  Ref items(call_method(ts, args[1], "items", {}));
  Ref pairs(items ? tuple_from_iterable(ts, items.get()) : Value());
  Shareable shared;
  if (!pairs || !share_value(ts, pairs.get(), &shared)) return Value();
  bool failed = false;
  ExceptionInfo info;
  SubinterpreterJob job = [&](ThreadState& sub) {
    Dict* globals = sub.interp->main_module->dict;
    for (const Shareable& pair : shared.items) {
      Ref key(unshare_value(sub, pair.items[0])), value(key ? unshare_value(sub, pair.items[1]) : Value());
      if (!value || dict_set(sub, globals, key.get(), value.get()) < 0) {
        failed = true;
        info = take_exception_info(sub);
        return;
      }
    }
  };
  if (!subinterpreter_run(ts, id, job)) return Value();
  if (failed) return raise(ts, &RuntimeError_type, info.formatted);
  return newref(none());
}

// ---------------------------------------------------------------------------------------
// Queue: one per interpreter that holds it, all sharing one CrossQueue.

struct QueueObject : Object {
  std::shared_ptr<CrossQueue>* queue;   // heap-allocated: Object memory is not constructed
};

Type queue_type;

std::atomic<int64_t> next_queue_id{1};

Value queue_new(ThreadState& ts, Type*, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[1];
  if (!bind_args(ts, "Queue", args, nargs, kwnames, {"maxsize"}, 0, a)) return Value();
  int64_t maxsize = 0;
  if (a[0] && !int_to_int64(ts, a[0], &maxsize)) return Value();
  auto queue = std::make_shared<CrossQueue>();
  queue->id = next_queue_id.fetch_add(1, std::memory_order_relaxed);
  queue->maxsize = maxsize > 0 ? size_t(maxsize) : 0;
  return cross_queue_wrap(ts, queue);
}

void queue_dealloc(Object* self) {
  delete static_cast<QueueObject*>(self)->queue;
  free_object(self);
}

CrossQueue& queue_of(Value self) { return **self.as<QueueObject>()->queue; }

// queue.Empty or queue.Full of the calling interpreter, raised.
Value raise_queue_error(ThreadState& ts, const char* name) {
  Ref module(import_module(ts, "queue"));
  if (!module) return Value();
  Ref type(object_getattr(ts, module.get(), name));
  if (!type) return Value();
  return raise_with_args(ts, static_cast<Type*>(type.get().obj()), nullptr, 0);
}

// timeout=None: -1 (forever); a negative number is an error, as in queue.Queue.
bool parse_timeout(ThreadState& ts, Value v, double* timeout) {
  *timeout = -1;
  if (!v || is_none(v)) return true;
  if (!number_to_double(ts, v, timeout)) return false;
  if (*timeout < 0) {
    raise(ts, &ValueError_type, "'timeout' must be a non-negative number");
    return false;
  }
  return true;
}

// put(obj, block=True, timeout=None)
Value queue_put(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[3];
  if (!bind_args(ts, "put", args + 1, nargs - 1, kwnames, {"obj", "block", "timeout"}, 1, a)) return Value();
  double timeout;
  if (!parse_timeout(ts, a[2], &timeout)) return Value();
  bool block = !a[1] || object_truth(ts, a[1]) > 0;
  Shareable shared;
  if (!share_value(ts, a[0], &shared)) return Value();
  CrossQueue& q = queue_of(args[0]);
  auto has_room = [&] { return q.maxsize == 0 || q.items.size() < q.maxsize; };
  int ready = wait_released(ts, q.mutex, q.changed, block ? timeout : 0, [&] {
    if (!has_room()) return false;
    q.items.push_back(std::move(shared));
    return true;
  });
  if (ready < 0) return Value();
  if (ready == 0) return raise_queue_error(ts, "Full");
  q.changed.notify_all();
  return newref(none());
}

// get(block=True, timeout=None)
Value queue_get(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "get", args + 1, nargs - 1, kwnames, {"block", "timeout"}, 0, a)) return Value();
  double timeout;
  if (!parse_timeout(ts, a[1], &timeout)) return Value();
  bool block = !a[0] || object_truth(ts, a[0]) > 0;
  CrossQueue& q = queue_of(args[0]);
  Shareable item;
  int ready = wait_released(ts, q.mutex, q.changed, block ? timeout : 0, [&] {
    if (q.items.empty()) return false;
    item = std::move(q.items.front());
    q.items.pop_front();
    return true;
  });
  if (ready < 0) return Value();
  if (ready == 0) return raise_queue_error(ts, "Empty");
  q.changed.notify_all();
  return unshare_value(ts, item);
}

Value queue_put_nowait(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "put_nowait", nargs, 2, 2)) return Value();
  Value call_args[3] = {args[0], args[1], false_value()};
  return queue_put(ts, call_args, 3, nullptr);
}

Value queue_get_nowait(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "get_nowait", nargs, 1, 1)) return Value();
  Value call_args[2] = {args[0], false_value()};
  return queue_get(ts, call_args, 2, nullptr);
}

size_t queue_size(Value self) {
  CrossQueue& q = queue_of(self);
  std::lock_guard<std::mutex> guard(q.mutex);
  return q.items.size();
}

Value queue_qsize(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "qsize", nargs, 1, 1)) return Value();
  return int_from_int64(int64_t(queue_size(args[0])));
}

Value queue_empty(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "empty", nargs, 1, 1)) return Value();
  return bool_value(queue_size(args[0]) == 0);
}

Value queue_full(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "full", nargs, 1, 1)) return Value();
  size_t maxsize = queue_of(args[0]).maxsize;
  return bool_value(maxsize != 0 && queue_size(args[0]) >= maxsize);
}

Value queue_get_id(ThreadState&, Value self) { return int_from_int64(queue_of(self).id); }
Value queue_get_maxsize(ThreadState&, Value self) { return int_from_int64(int64_t(queue_of(self).maxsize)); }

Value queue_repr(ThreadState&, Value self) {
  return str_value("<concurrent.interpreters.Queue(id=" + std::to_string(queue_of(self).id) + ")>");
}

const MethodDef queue_methods[] = {
    {"put", queue_put},
    {"get", queue_get},
    {"put_nowait", queue_put_nowait},
    {"get_nowait", queue_get_nowait},
    {"qsize", queue_qsize},
    {"empty", queue_empty},
    {"full", queue_full},
    {nullptr, nullptr},
};

const GetSetDef queue_getsets[] = {
    {"id", queue_get_id},
    {"maxsize", queue_get_maxsize},
    {nullptr, nullptr},
};

const MethodDef interpreters_functions[] = {
    {"create", interp_create},
    {"destroy", interp_destroy},
    {"list_all", interp_list_all},
    {"get_current", interp_get_current},
    {"get_main", interp_get_main},
    {"is_running", interp_is_running},
    {"is_shareable", interp_is_shareable},
    {"exec", interp_exec},
    {"call", interp_call},
    {"set___main___attrs", interp_set_main_attrs},
    {nullptr, nullptr},
};

}  // namespace

MINIVM_TYPE_SETUP(queue_type) {
  t.name = "Queue";
  t.basic_size = sizeof(QueueObject);
  t.flags = kTypeImmutable;
  t.dealloc = queue_dealloc;
  t.repr = queue_repr;
  t.new_ = queue_new;
  t.methods = queue_methods;
  t.getsets = queue_getsets;
}

Value cross_queue_wrap(ThreadState& ts, const std::shared_ptr<CrossQueue>& queue) {
  auto* q = try_new_object<QueueObject>(&queue_type);
  if (!q) return raise_memory_error(ts);
  q->queue = new std::shared_ptr<CrossQueue>(queue);
  return Value::from_obj(q);
}

std::shared_ptr<CrossQueue> cross_queue_of(Value v) {
  if (!v.is_obj() || v.obj()->ob_type != &queue_type) return nullptr;
  return *v.as<QueueObject>()->queue;
}

int init_interpreters_module(ThreadState& ts, Module* m) {
  if (module_add_functions(ts, m, interpreters_functions) < 0) return -1;
  return module_add(ts, m, "Queue", Value::from_obj(&queue_type));
}

}  // namespace mvm
