// The lazy iterator types of the builtins module (enumerate, zip, map, filter, reversed and
// the callable iterator of iter(f, sentinel)) and the iter() and next() functions.
#include <vector>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/critical_section.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/list.h"
#include "runtime/refcount.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "stdlib/builtins.h"
#include "stdlib/native.h"

namespace mvm {

namespace {

// Collects every argument as an iterator, for zip() and map().
Tuple* iterators_of(ThreadState& ts, const Value* args, size_t n) {
  Tuple* its = tuple_new(ts, n);
  if (!its) return nullptr;
  for (size_t i = 0; i < n; ++i) {
    its->items[i] = object_iter(ts, args[i]);
    if (!its->items[i]) {
      decref(its);
      return nullptr;
    }
  }
  return its;
}

// --- enumerate -------------------------------------------------------------------------------

struct Enumerate : Object {
  Value iterator;
  Value index;   // the next count: an int
};

Value enumerate_new(ThreadState& ts, Type* type, const Value* args, size_t nargs,
                    Tuple* kwnames) {
  Value a[2];
  if (!bind_args(ts, "enumerate", args, nargs, kwnames, {"iterable", "start"}, 1, a))
    return Value();
  Ref start(a[1] ? to_index(ts, a[1]) : Value::small_int(0));
  if (!start) return Value();
  Ref iterator(object_iter(ts, a[0]));
  if (!iterator) return Value();
  Enumerate* e = alloc_instance<Enumerate>(ts, type);
  if (!e) return Value();
  e->iterator = iterator.release();
  e->index = start.release();
  return Value::from_obj(e);
}

// The iterators below keep state between steps (a count, a position, an "exhausted" mark):
// a thread that shares one with others holds the iterator's lock while it takes a step.
Value enumerate_next(ThreadState& ts, Value self) {
  CriticalSection cs(ts, self.obj());
  Enumerate* e = self.as<Enumerate>();
  Ref item(iter_next(ts, e->iterator));
  if (!item) return Value();
  Value index = e->index;
  Value next_index;
  if (index.is_small_int() && index.as_small_int() < Value::kSmallMax) {
    next_index = Value::small_int(index.as_small_int() + 1);
  } else {
    next_index = binary_op(ts, index, Value::small_int(1), BinaryOp::Add);
    if (!next_index) return Value();
  }
  e->index = next_index;
  Tuple* pair = tuple_new(ts, 2);
  if (!pair) {
    decref(index);
    return Value();
  }
  pair->items[0] = index;   // the reference e->index held moves into the pair
  pair->items[1] = item.release();
  return Value::from_obj(pair);
}

void enumerate_dealloc(Object* self) {
  Enumerate* e = static_cast<Enumerate*>(self);
  decref(e->iterator);
  decref(e->index);
  free_object(self);
}

// --- zip -------------------------------------------------------------------------------------

struct Zip : Object {
  Tuple* iterators = nullptr;
  bool strict = false;
};

Value zip_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  Value strict_arg;
  if (!parse_kwargs(ts, "zip", args, nargs, kwnames, {"strict"}, &strict_arg)) return Value();
  int strict = optional_truth(ts, strict_arg, false);
  if (strict < 0) return Value();
  Tuple* its = iterators_of(ts, args, nargs);
  if (!its) return Value();
  Zip* z = alloc_instance<Zip>(ts, type);
  if (!z) {
    decref(its);
    return Value();
  }
  z->iterators = its;
  z->strict = strict;
  return Value::from_obj(z);
}

// "argument 3 is shorter than arguments 1-2": how zip(strict=True) names the culprits.
Value zip_length_mismatch(ThreadState& ts, size_t index, const char* relation) {
  if (index == 1)
    return raise_fmt(ts, &ValueError_type, "zip() argument 2 is %s than argument 1", relation);
  return raise_fmt(ts, &ValueError_type, "zip() argument %zu is %s than arguments 1-%zu",
                   index + 1, relation, index);
}

// Called when iterator `index` ran out under strict=True: the others must be exhausted too.
Value zip_strict_end(ThreadState& ts, Zip* z, size_t index) {
  if (index > 0) return zip_length_mismatch(ts, index, "shorter");
  for (size_t i = 1; i < z->iterators->size; ++i) {
    Ref extra(iter_next(ts, z->iterators->items[i]));
    if (extra) return zip_length_mismatch(ts, i, "longer");
    if (error_occurred(ts)) return Value();
  }
  return Value();
}

Value zip_next(ThreadState& ts, Value self) {
  Zip* z = self.as<Zip>();
  size_t n = z->iterators->size;
  if (n == 0) return Value();
  Ref result(Value::from_obj(tuple_new(ts, n)));
  if (!result) return Value();
  for (size_t i = 0; i < n; ++i) {
    Value item = iter_next(ts, z->iterators->items[i]);
    if (!item) {
      if (error_occurred(ts) || !z->strict) return Value();
      return zip_strict_end(ts, z, i);
    }
    result.as<Tuple>()->items[i] = item;
  }
  return result.release();
}

void zip_dealloc(Object* self) {
  decref(static_cast<Zip*>(self)->iterators);
  free_object(self);
}

// --- map -------------------------------------------------------------------------------------

struct Map : Object {
  Value function;
  Tuple* iterators = nullptr;
};

Value map_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "map", kwnames)) return Value();
  if (nargs < 2) return raise(ts, &TypeError_type, "map() must have at least two arguments.");
  Tuple* its = iterators_of(ts, args + 1, nargs - 1);
  if (!its) return Value();
  Map* m = alloc_instance<Map>(ts, type);
  if (!m) {
    decref(its);
    return Value();
  }
  m->function = newref(args[0]);
  m->iterators = its;
  return Value::from_obj(m);
}

Value map_next(ThreadState& ts, Value self) {
  Map* m = self.as<Map>();
  size_t n = m->iterators->size;
  std::vector<Value> items;
  items.reserve(n);
  Value result;
  for (size_t i = 0; i < n; ++i) {
    Value item = iter_next(ts, m->iterators->items[i]);
    if (!item) break;
    items.push_back(item);
  }
  if (items.size() == n) result = object_call(ts, m->function, items.data(), n);
  for (Value item : items) decref(item);
  return result;
}

void map_dealloc(Object* self) {
  Map* m = static_cast<Map*>(self);
  decref(m->function);
  decref(m->iterators);
  free_object(self);
}

// --- filter ----------------------------------------------------------------------------------

struct Filter : Object {
  Value predicate;   // null: keep the true items themselves (filter(None, ...))
  Value iterator;
};

Value filter_new(ThreadState& ts, Type* type, const Value* args, size_t nargs,
                 Tuple* kwnames) {
  if (!check_no_kwargs(ts, "filter", kwnames) || !check_nargs(ts, "filter", nargs, 2, 2))
    return Value();
  Ref iterator(object_iter(ts, args[1]));
  if (!iterator) return Value();
  Filter* f = alloc_instance<Filter>(ts, type);
  if (!f) return Value();
  f->predicate = is_none(args[0]) ? Value() : newref(args[0]);
  f->iterator = iterator.release();
  return Value::from_obj(f);
}

Value filter_next(ThreadState& ts, Value self) {
  Filter* f = self.as<Filter>();
  for (;;) {
    Ref item(iter_next(ts, f->iterator));
    if (!item) return Value();
    int keep;
    if (f->predicate) {
      Ref verdict(call_function(ts, f->predicate, {item.get()}));
      if (!verdict) return Value();
      keep = object_truth(ts, verdict.get());
    } else {
      keep = object_truth(ts, item.get());
    }
    if (keep < 0) return Value();
    if (keep) return item.release();
  }
}

void filter_dealloc(Object* self) {
  Filter* f = static_cast<Filter*>(self);
  decref(f->predicate);
  decref(f->iterator);
  free_object(self);
}

// --- reversed --------------------------------------------------------------------------------

// Walks a sequence backwards by index; index -1 means exhausted.
struct Reversed : Object {
  Value sequence;
  int64_t index = -1;
};

Value reversed_new(ThreadState& ts, Type* type, const Value* args, size_t nargs,
                   Tuple* kwnames) {
  if (!check_no_kwargs(ts, "reversed", kwnames) || !check_nargs(ts, "reversed", nargs, 1, 1))
    return Value();
  Value seq = args[0];
  bool missing = false;
  Value custom = call_special(ts, seq, "__reversed__", {}, &missing);
  if (!missing) return custom;
  Ref target(newref(seq));
  if (is_dict(seq)) {
    // Dicts reverse their keys' insertion order.
    target = Ref(list_from_iterable(ts, seq));
    if (!target) return Value();
  } else {
    Type* t = type_of(seq);
    if (!t->getitem || !t->length)
      return raise_fmt(ts, &TypeError_type, "'%s' object is not reversible", type_name(seq));
  }
  int64_t n = object_length(ts, target.get());
  if (n < 0) return Value();
  Reversed* r = alloc_instance<Reversed>(ts, type);
  if (!r) return Value();
  r->sequence = target.release();
  r->index = n - 1;
  return Value::from_obj(r);
}

Value reversed_next(ThreadState& ts, Value self) {
  CriticalSection cs(ts, self.obj());
  Reversed* r = self.as<Reversed>();
  if (r->index < 0) return Value();
  Value item = object_getitem(ts, r->sequence, int_from_int64(r->index));
  if (!item) {
    r->index = -1;
    // A sequence that shrank ends the iteration rather than failing.
    if (error_matches(ts, &IndexError_type) || error_matches(ts, &StopIteration_type))
      clear_error(ts);
    return Value();
  }
  --r->index;
  return item;
}

void reversed_dealloc(Object* self) {
  decref(static_cast<Reversed*>(self)->sequence);
  free_object(self);
}

// --- iter(callable, sentinel) ----------------------------------------------------------------

struct CallableIterator : Object {
  Value callable;   // null once the sentinel was seen
  Value sentinel;
};

Value callable_iterator_next(ThreadState& ts, Value self) {
  CriticalSection cs(ts, self.obj());
  CallableIterator* c = self.as<CallableIterator>();
  if (!c->callable) return Value();
  Ref result(call_function(ts, c->callable, {}));
  if (result) {
    int done = object_equal(ts, result.get(), c->sentinel);
    if (done < 0) return Value();
    if (!done) return result.release();
  } else if (error_matches(ts, &StopIteration_type)) {
    clear_error(ts);
  } else {
    return Value();
  }
  Value callable = c->callable;
  c->callable = Value();
  decref(callable);
  return Value();
}

void callable_iterator_dealloc(Object* self) {
  CallableIterator* c = static_cast<CallableIterator*>(self);
  decref(c->callable);
  decref(c->sentinel);
  free_object(self);
}

// --- iter() and next() -----------------------------------------------------------------------

Value builtin_iter(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "iter", kwnames) || !check_nargs(ts, "iter", nargs, 1, 2))
    return Value();
  if (nargs == 1) return object_iter(ts, args[0]);
  if (!is_callable(args[0])) return raise(ts, &TypeError_type, "iter(v, w): v must be callable");
  CallableIterator* c = alloc_instance<CallableIterator>(ts, &callable_iterator_type);
  if (!c) return Value();
  c->callable = newref(args[0]);
  c->sentinel = newref(args[1]);
  return Value::from_obj(c);
}

Value builtin_next(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "next", kwnames) || !check_nargs(ts, "next", nargs, 1, 2))
    return Value();
  Value it = args[0];
  Type* t = type_of(it);
  if (!t->iternext)
    return raise_fmt(ts, &TypeError_type, "'%s' object is not an iterator", type_name(it));
  Value item = t->iternext(ts, it);
  if (item) return item;
  if (nargs == 2) {
    if (!error_occurred(ts)) return newref(args[1]);
    if (error_matches(ts, &StopIteration_type)) {
      clear_error(ts);
      return newref(args[1]);
    }
    return Value();
  }
  if (error_occurred(ts)) return Value();
  return raise_with_args(ts, &StopIteration_type, nullptr, 0);
}

}  // namespace

const MethodDef kBuiltinIterFunctions[] = {
    {"iter", builtin_iter},
    {"next", builtin_next},
    {nullptr, nullptr},
};

// Each iterator type is its own iterator; the public ones may be called and subclassed as in
// CPython, the callable iterator only comes from iter(f, sentinel).
#define MINIVM_ITERATOR_TYPE(var, type_name_text, Layout, prefix, new_fn, type_flags) \
  Type var;                                                                         \
  MINIVM_TYPE_SETUP(var) {                                                          \
    t.name = type_name_text;                                                        \
    t.basic_size = sizeof(Layout);                                                  \
    t.flags = type_flags;                                                           \
    t.dealloc = prefix##_dealloc;                                                   \
    t.iter = iter_return_self;                                                             \
    t.iternext = prefix##_next;                                                     \
    t.new_ = new_fn;                                                                \
  }

MINIVM_ITERATOR_TYPE(enumerate_type, "enumerate", Enumerate, enumerate, enumerate_new,
                     kTypeBaseType)
MINIVM_ITERATOR_TYPE(zip_type, "zip", Zip, zip, zip_new, kTypeBaseType)
MINIVM_ITERATOR_TYPE(map_type, "map", Map, map, map_new, kTypeBaseType)
MINIVM_ITERATOR_TYPE(filter_type, "filter", Filter, filter, filter_new, kTypeBaseType)
MINIVM_ITERATOR_TYPE(reversed_type, "reversed", Reversed, reversed, reversed_new,
                     kTypeBaseType)
MINIVM_ITERATOR_TYPE(callable_iterator_type, "callable_iterator", CallableIterator,
                     callable_iterator, nullptr, kTypeImmutable)
#undef MINIVM_ITERATOR_TYPE

}  // namespace mvm
