// list: the built-in growable array. Every change to the item array goes through the few
// mutation primitives at the top of this file (resize, replace a range, set, pop, clear).
// In free-threaded mode the slots and methods run in a critical section on the list, those
// primitives store with atomics and defer freeing, and indexing is lock-free
// (list_item_ref_shared). Sorting is in list_sort.cpp and the iterators in list_iter.cpp.
#include "runtime/list.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/builtin_support.h"
#include "runtime/critical_section.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/qsbr.h"
#include "runtime/range.h"
#include "runtime/sequence.h"
#include "runtime/set.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"

namespace mvm {

// ---------------------------------------------------------------------------------------
// Item arrays and the mutation primitives

namespace {

constexpr size_t kMaxListSize = SIZE_MAX / 2 / sizeof(Value) - 1;

// Item arrays carry their capacity in the word before items[0], so that a lock-free reader
// holding an array that a writer has just replaced knows how far it may read. Slots past
// the size are zeroed when an array is made, so such a reader sees either an item (alive:
// removed items are released after a grace period) or null.
Value* items_alloc(size_t capacity) {
  auto* base = static_cast<Value*>(object_malloc((capacity + 1) * sizeof(Value)));
  if (!base) return nullptr;
  base[0] = Value::from_raw(capacity);
  std::memset(static_cast<void*>(base + 1), 0, capacity * sizeof(Value));
  return base + 1;
}


// The stores a lock-free reader may observe: atomic in free-threaded mode.
void store_item(Value* slot, Value v) {
  std::atomic_ref<Value>(*slot).store(v, std::memory_order_release);
}
void store_size(List* list, size_t n) { std::atomic_ref<size_t>(list->size).store(n, std::memory_order_release); }
void store_items(List* list, Value* items) {
  std::atomic_ref<Value*>(list->items).store(items, std::memory_order_release);
}
// memmove of item slots, one atomic store at a time in free-threaded mode.
void move_items(Value* dst, const Value* src, size_t n) {
  if (!object_locks_enabled()) {
    std::memmove(static_cast<void*>(dst), src, n * sizeof(Value));
  } else if (dst < src) {
    for (size_t k = 0; k < n; k++) store_item(dst + k, src[k]);
  } else {
    for (size_t k = n; k > 0; k--) store_item(dst + k - 1, src[k - 1]);
  }
}

// Installs an array of `capacity` slots holding the first `keep` items.
bool replace_array(List* list, size_t capacity, size_t keep) {
  Value* items = nullptr;
  if (capacity > 0) {
    items = items_alloc(capacity);
    if (!items) return false;
    if (keep) std::memcpy(static_cast<void*>(items), list->items, keep * sizeof(Value));
  }
  Value* old = list->items;
  store_items(list, items);
  list->capacity = capacity;
  list_items_free(old);
  return true;
}

// Sets the list's size to new_size, reallocating the array when it is too small or far too
// large. New slots are null: the caller fills them before running any other code.
// Over-allocates by about 1/8 (as CPython) so that appends are amortised O(1).
bool list_resize(ThreadState& ts, List* list, size_t new_size) {
  if (new_size <= list->capacity && new_size >= list->capacity / 2) {
    store_size(list, new_size);
    return true;
  }
  if (new_size > kMaxListSize) {
    raise_memory_error(ts);
    return false;
  }
  size_t capacity = new_size == 0 ? 0 : (new_size + (new_size >> 3) + 6) & ~size_t(3);
  if (!replace_array(list, capacity, std::min(list->size, new_size))) {
    if (new_size <= list->capacity) {   // shrinking: keeping the larger array is fine
      store_size(list, new_size);
      return true;
    }
    raise_memory_error(ts);
    return false;
  }
  store_size(list, new_size);
  return true;
}

}  // namespace

void list_items_free(Value* items) {
  if (items) free_after_readers(items - 1);
}

void list_set_item(List* list, size_t i, Value v) {
  Value old = list->items[i];
  store_item(list->items + i, newref(v));
  decref_after_readers(old);   // last: it may run a __del__ that looks at the list
}

int list_replace_range(ThreadState& ts, List* list, size_t lo, size_t hi, const Value* items, size_t n) {
  if (hi > list->size) hi = list->size;
  if (lo > hi) lo = hi;
  size_t removed_count = hi - lo;
  // The removed items are released only once the list is consistent again (a __del__ may
  // look at the list); a few fit on the stack, the common case of del and slice edits.
  Value few[8];
  std::vector<Value> many;
  Value* removed = few;
  if (removed_count > 8) {
    many.resize(removed_count);
    removed = many.data();
  }
  std::copy(list->items + lo, list->items + hi, removed);
  size_t old_size = list->size;
  size_t new_size = old_size - removed_count + n;
  if (n > removed_count) {
    if (!list_resize(ts, list, new_size)) return -1;
    move_items(list->items + lo + n, list->items + hi, old_size - hi);
  } else {
    move_items(list->items + lo + n, list->items + hi, old_size - hi);
    list_resize(ts, list, new_size);   // shrinking cannot fail
  }
  for (size_t k = 0; k < n; k++) store_item(list->items + lo + k, newref(items[k]));
  for (size_t k = 0; k < removed_count; k++) decref_after_readers(removed[k]);
  return 0;
}

int list_insert(ThreadState& ts, List* list, int64_t index, Value v) {
  CriticalSection cs(ts, list);
  int64_t n = int64_t(list->size);
  if (index < 0) index = std::max<int64_t>(index + n, 0);
  if (index > n) index = n;
  return list_replace_range(ts, list, size_t(index), size_t(index), &v, 1);
}

Value list_pop(List* list, size_t i) {
  Value item = list->items[i];
  move_items(list->items + i, list->items + i + 1, list->size - i - 1);
  store_size(list, list->size - 1);
  if (list->size < list->capacity / 4) {
    // Give memory back after many pops; failure to shrink is harmless.
    replace_array(list, (list->size + (list->size >> 3) + 6) & ~size_t(3), list->size);
  }
  // The caller gets its own reference; the list's is released like any removed item's.
  incref(item);
  decref_after_readers(item);
  return item;
}

void list_clear(List* list) {
  Value* items = list->items;
  size_t n = list->size;
  store_size(list, 0);
  store_items(list, nullptr);
  list->capacity = 0;
  for (size_t i = 0; i < n; i++) decref_after_readers(items[i]);
  list_items_free(items);
}

int list_append(ThreadState& ts, List* list, Value v) {
  CriticalSection cs(ts, list);
  size_t n = list->size;
  if (n < list->capacity) {
    store_item(list->items + n, newref(v));
    store_size(list, n + 1);
    return 0;
  }
  if (!list_resize(ts, list, n + 1)) return -1;
  store_item(list->items + n, newref(v));
  return 0;
}

// ---------------------------------------------------------------------------------------
// Construction

namespace {

List* list_alloc(ThreadState& ts, Type* type, size_t reserve) {
  List* list = type == &list_type ? try_new_object<List>(type) : alloc_instance<List>(ts, type);
  if (!list) {
    if (type == &list_type) raise_memory_error(ts);
    return nullptr;
  }
  if (reserve > 0) {
    if (reserve > kMaxListSize ||
        !(list->items = items_alloc(reserve))) {
      decref(list);
      raise_memory_error(ts);
      return nullptr;
    }
    list->capacity = reserve;
  }
  return list;
}

// Appends n borrowed items, which may be this list's own first n items.
int list_append_array(ThreadState& ts, List* list, const Value* items, size_t n, bool from_self) {
  size_t old_size = list->size;
  if (!list_resize(ts, list, old_size + n)) return -1;
  const Value* source = from_self ? list->items : items;   // the array may have moved
  for (size_t i = 0; i < n; i++) store_item(list->items + old_size + i, newref(source[i]));
  return 0;
}

}  // namespace

List* list_new(ThreadState& ts, size_t reserve) { return list_alloc(ts, &list_type, reserve); }

namespace {
// Appends the keys, values or items of a dict, or the members of a set, under the lock
// of that container. Returns 1 (nothing done) for anything else, else 0 or -1.
int list_extend_from_locked_container(ThreadState& ts, List* list, Value source) {
  Type* type = type_of(source);
  if (type == &set_type || type == &frozenset_type) {
    CriticalSection cs(ts, source.obj());
    size_t pos = 0;
    Value key;
    while (set_next(source.as<Set>(), &pos, &key))
      if (list_append(ts, list, key) < 0) return -1;
    return 0;
  }
  bool is_view = type == &dict_keys_type || type == &dict_values_type || type == &dict_items_type;
  if (type != &dict_type && !is_view) return 1;
  Dict* d = is_view ? source.as<DictView>()->dict : source.as<Dict>();
  CriticalSection cs(ts, d);
  size_t pos = 0;
  Value key, value;
  while (dict_next(d, &pos, &key, &value)) {
    Ref item;
    if (type == &dict_items_type) {
      Tuple* pair = tuple_pack(ts, {key, value});
      if (!pair) return -1;
      item.reset(Value::from_obj(pair));
    }
    Value appended = type == &dict_items_type ? item.get() : type == &dict_values_type ? value : key;
    if (list_append(ts, list, appended) < 0) return -1;
  }
  return 0;
}
}  // namespace

int list_extend(ThreadState& ts, List* list, Value iterable) {
  if (is_list(iterable)) {
    List* src = iterable.as<List>();
    CriticalSection2 cs(ts, list, src);
    return list_append_array(ts, list, src->items, src->size, src == list);
  }
  if (is_tuple(iterable)) {
    Tuple* src = iterable.as<Tuple>();
    CriticalSection cs(ts, list);
    return list_append_array(ts, list, src->items, src->size, false);
  }
  // Copying a dict, one of its views or a set holds that container's lock, so the copy is
  // a snapshot even while other threads change it (as in free-threaded CPython).
  if (int rc = list_extend_from_locked_container(ts, list, iterable); rc != 1) return rc;
  Ref it(object_iter(ts, iterable));
  if (!it) return -1;
  while (Value item = iter_next(ts, it.get())) {
    int rc = list_append(ts, list, item);
    decref(item);
    if (rc < 0) return -1;
  }
  return error_occurred(ts) ? -1 : 0;
}

Value list_from_iterable(ThreadState& ts, Value iterable) {
  Ref list(Value::from_obj(list_new(ts)));
  if (!list || list_extend(ts, list.as<List>(), iterable) < 0) return Value();
  return list.release();
}

Value list_as_tuple(ThreadState& ts, List* list) {
  CriticalSection cs(ts, list);
  Tuple* t = tuple_from_array(ts, list->items, list->size);
  return t ? Value::from_obj(t) : Value();
}

Value list_slice(ThreadState& ts, List* list, size_t lo, size_t hi) {
  CriticalSection cs(ts, list);
  if (hi > list->size) hi = list->size;
  size_t n = hi > lo ? hi - lo : 0;
  List* result = list_new(ts, n);
  if (!result) return Value();
  for (size_t i = 0; i < n; i++) result->items[i] = newref(list->items[lo + i]);
  result->size = n;
  return Value::from_obj(result);
}

// ---------------------------------------------------------------------------------------
// Subscripts

static Value raise_bad_index_type(ThreadState& ts, Value key) {
  return raise_fmt(ts, &TypeError_type, "list indices must be integers or slices, not %s", type_name(key));
}

static Value list_getitem(ThreadState& ts, Value self, Value key) {
  List* list = self.as<List>();
  int64_t i;
  int rc = subscript_index(ts, key, &i);
  if (rc < 0) return Value();
  if (rc > 0) {
    Value item;
    if (normalize_index(&i, int64_t(list_size(list))) && (item = list_item_ref(list, size_t(i)))) return item;
    return raise(ts, &IndexError_type, "list index out of range");
  }
  if (!is_slice(key)) return raise_bad_index_type(ts, key);
  CriticalSection cs(ts, list);
  int64_t start, stop, step, n;
  if (!slice_indices(ts, key.as<Slice>(), int64_t(list->size), &start, &stop, &step, &n)) return Value();
  if (step == 1) return list_slice(ts, list, size_t(start), size_t(start + n));
  List* result = list_new(ts, size_t(n));
  if (!result) return Value();
  for (int64_t k = 0; k < n; k++) result->items[k] = newref(list->items[start + k * step]);
  result->size = size_t(n);
  return Value::from_obj(result);
}

// del list[start::step] for a step other than 1: compacts the survivors in one pass.
static void list_delete_extended(List* list, int64_t start, int64_t step, int64_t n) {
  if (step < 0) {   // visit the same positions in ascending order
    start += step * (n - 1);
    step = -step;
  }
  std::vector<Value> removed;
  size_t write = size_t(start);
  int64_t k = 0;
  for (size_t read = size_t(start); read < list->size; read++) {
    if (k < n && int64_t(read) == start + k * step) {
      removed.push_back(list->items[read]);
      k++;
    } else {
      store_item(list->items + write++, list->items[read]);
    }
  }
  store_size(list, write);
  for (Value v : removed) decref_after_readers(v);
}

// The items of the right-hand side of a slice assignment, as an owned list or tuple. The
// target list itself is copied, since the assignment rewrites the array it would read.
static Value assigned_sequence(ThreadState& ts, List* target, Value value, const char* error) {
  if ((is_list(value) && value.as<List>() != target) || is_tuple(value)) return newref(value);
  Ref it(object_iter(ts, value));
  if (!it) {
    if (error_matches(ts, &TypeError_type)) {
      clear_error(ts);
      raise(ts, &TypeError_type, error);
    }
    return Value();
  }
  return list_from_iterable(ts, it.get());
}

static int list_assign_slice(ThreadState& ts, List* list, Slice* slice, Value value) {
  int64_t start, stop, step, n;
  if (!slice_indices(ts, slice, int64_t(list->size), &start, &stop, &step, &n)) return -1;
  if (!value) {
    if (step == 1) return list_replace_range(ts, list, size_t(start), size_t(start + n), nullptr, 0);
    list_delete_extended(list, start, step, n);
    return 0;
  }
  const char* error = step == 1 ? "can only assign an iterable" : "must assign iterable to extended slice";
  Ref seq(assigned_sequence(ts, list, value, error));
  if (!seq) return -1;
  const Value* items = is_list(seq.get()) ? seq.as<List>()->items : seq.as<Tuple>()->items;
  size_t count = is_list(seq.get()) ? seq.as<List>()->size : seq.as<Tuple>()->size;
  if (step == 1) return list_replace_range(ts, list, size_t(start), size_t(start + n), items, count);
  if (int64_t(count) != n) {
    raise_fmt(ts, &ValueError_type, "attempt to assign sequence of size %zu to extended slice of size %lld",
              count, static_cast<long long>(n));
    return -1;
  }
  std::vector<Value> replaced;
  for (int64_t k = 0; k < n; k++) {
    Value* slot = list->items + start + k * step;
    replaced.push_back(*slot);
    store_item(slot, newref(items[k]));
  }
  for (Value v : replaced) decref_after_readers(v);
  return 0;
}

static int list_setitem(ThreadState& ts, Value self, Value key, Value value) {
  List* list = self.as<List>();
  CriticalSection cs(ts, list);
  int64_t i;
  int rc = subscript_index(ts, key, &i);
  if (rc < 0) return -1;
  if (rc > 0) {
    if (!normalize_index(&i, int64_t(list->size))) {
      raise(ts, &IndexError_type, "list assignment index out of range");
      return -1;
    }
    if (value) {
      list_set_item(list, size_t(i), value);
      return 0;
    }
    return list_replace_range(ts, list, size_t(i), size_t(i) + 1, nullptr, 0);
  }
  if (!is_slice(key)) {
    raise_bad_index_type(ts, key);
    return -1;
  }
  return list_assign_slice(ts, list, key.as<Slice>(), value);
}

// ---------------------------------------------------------------------------------------
// Other slots

static void list_dealloc(Object* self) {
  List* list = static_cast<List*>(self);
  // Nobody else can be reading: every reader holds a reference to the list.
  for (size_t i = 0; i < list->size; i++) decref(list->items[i]);
  if (list->items) object_free(list->items - 1);
  free_object(self);
}

static Value list_repr(ThreadState& ts, Value self) {
  CriticalSection cs(ts, self.obj());
  return sequence_repr(ts, self.as<List>(), '[', ']', false);
}

static Value list_compare(ThreadState& ts, Value a, Value b, CompareOp op) {
  if (!is_list(a) || !is_list(b)) return newref(not_implemented());
  CriticalSection2 cs(ts, a.obj(), b.obj());
  return sequence_compare(ts, a.as<List>(), b.as<List>(), op);
}

static Value list_repeat(ThreadState& ts, List* list, int64_t count) {
  CriticalSection cs(ts, list);
  size_t n = list->size;
  if (count > 0 && n > 0 && uint64_t(count) > kMaxListSize / n) return raise_memory_error(ts);
  size_t total = count > 0 ? n * size_t(count) : 0;
  List* result = list_new(ts, total);
  if (!result) return Value();
  for (size_t i = 0; i < total; i++) result->items[i] = newref(list->items[i % n]);
  result->size = total;
  return Value::from_obj(result);
}

// a *= count, in place.
static Value list_inplace_repeat(ThreadState& ts, List* list, int64_t count) {
  CriticalSection cs(ts, list);
  size_t n = list->size;
  if (count <= 0 || n == 0) {
    list_clear(list);
  } else if (count > 1) {
    if (uint64_t(count) > kMaxListSize / n) return raise_memory_error(ts);
    if (!list_resize(ts, list, n * size_t(count))) return Value();
    for (size_t i = n; i < list->size; i++) store_item(list->items + i, newref(list->items[i % n]));
  }
  return newref(Value::from_obj(list));
}

static Value list_binary(ThreadState& ts, Value a, Value b, BinaryOp op) {
  bool inplace = is_inplace(op) && is_list(a);
  switch (base_op(op)) {
    case BinaryOp::Add:
      if (inplace) {
        if (list_extend(ts, a.as<List>(), b) < 0) return Value();
        return newref(a);
      }
      if (is_list(a) && is_list(b)) {
        List* x = a.as<List>();
        List* y = b.as<List>();
        CriticalSection2 cs(ts, x, y);
        List* result = list_new(ts, x->size + y->size);
        if (!result) return Value();
        for (size_t i = 0; i < x->size; i++) result->items[i] = newref(x->items[i]);
        for (size_t i = 0; i < y->size; i++) result->items[x->size + i] = newref(y->items[i]);
        result->size = x->size + y->size;
        return Value::from_obj(result);
      }
      if (is_list(a)) return sequence_concat_error(ts, "list", b);
      break;
    case BinaryOp::Mul: {
      bool left = is_list(a);
      int64_t count;
      int rc = sequence_repeat_count(ts, left ? b : a, &count);
      if (rc < 0) return Value();
      if (rc == 0) break;
      if (inplace) return list_inplace_repeat(ts, a.as<List>(), count);
      return list_repeat(ts, (left ? a : b).as<List>(), count);
    }
    default: break;
  }
  return newref(not_implemented());
}

static int list_truth(ThreadState&, Value self) { return list_size(self.as<List>()) != 0; }
static int64_t list_length(ThreadState&, Value self) { return int64_t(list_size(self.as<List>())); }
static int list_contains(ThreadState& ts, Value self, Value item) {
  CriticalSection cs(ts, self.obj());
  return sequence_contains(ts, self.as<List>(), item);
}

static Value list_new_slot(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  List* list = list_alloc(ts, type, 0);   // list.__init__ fills it
  return list ? Value::from_obj(list) : Value();
}

static int list_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size > 0 && type_of(self) == &list_type) {
    raise(ts, &TypeError_type, "list() takes no keyword arguments");
    return -1;
  }
  if (nargs > 1) {
    raise_fmt(ts, &TypeError_type, "list expected at most 1 argument, got %zu", nargs);
    return -1;
  }
  List* list = self.as<List>();
  {
    CriticalSection cs(ts, list);
    list_clear(list);
  }
  return nargs == 1 ? list_extend(ts, list, args[0]) : 0;
}

// ---------------------------------------------------------------------------------------
// Methods

static List* self_list(const Value* args) { return args[0].as<List>(); }

static Value list_method_append(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "list.append", kwnames) || !check_nargs(ts, "list.append", nargs - 1, 1, 1))
    return Value();
  if (list_append(ts, self_list(args), args[1]) < 0) return Value();
  return none();
}

static Value list_method_extend(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "list.extend", kwnames) || !check_nargs(ts, "list.extend", nargs - 1, 1, 1))
    return Value();
  if (list_extend(ts, self_list(args), args[1]) < 0) return Value();
  return none();
}

static Value list_method_insert(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "insert", kwnames) || !check_nargs(ts, "insert", nargs - 1, 2, 2)) return Value();
  int64_t index;
  if (!index_to_int64(ts, args[1], &index)) return Value();
  if (list_insert(ts, self_list(args), index, args[2]) < 0) return Value();
  return none();
}

static Value list_method_pop(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "pop", kwnames) || !check_nargs(ts, "pop", nargs - 1, 0, 1)) return Value();
  int64_t index = -1;
  if (nargs > 1 && !index_to_int64(ts, args[1], &index)) return Value();
  List* list = self_list(args);
  CriticalSection cs(ts, list);
  if (list->size == 0) return raise(ts, &IndexError_type, "pop from empty list");
  if (!normalize_index(&index, int64_t(list->size))) return raise(ts, &IndexError_type, "pop index out of range");
  return list_pop(list, size_t(index));
}

static Value list_method_remove(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "list.remove", kwnames) || !check_nargs(ts, "list.remove", nargs - 1, 1, 1))
    return Value();
  List* list = self_list(args);
  CriticalSection cs(ts, list);
  int64_t found = sequence_find(ts, list, args[1], 0, INT64_MAX);
  if (found == -2) return Value();
  if (found < 0) return raise(ts, &ValueError_type, "list.remove(x): x not in list");
  // No code ran since the comparison, but it may have shrunk the list before returning.
  if (size_t(found) < list->size && list_replace_range(ts, list, size_t(found), size_t(found) + 1, nullptr, 0) < 0)
    return Value();
  return none();
}

static Value list_method_index(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "index", kwnames) || !check_nargs(ts, "index", nargs - 1, 1, 3)) return Value();
  List* list = self_list(args);
  CriticalSection cs(ts, list);
  int64_t start, stop;
  if (!sequence_index_bounds(ts, nargs > 2 ? args[2] : Value(), nargs > 3 ? args[3] : Value(), list->size,
                             &start, &stop))
    return Value();
  int64_t found = sequence_find(ts, list, args[1], start, stop);
  if (found == -2) return Value();
  if (found < 0) {
    Ref text(object_repr(ts, args[1]));
    if (!text) return Value();
    std::string_view shown = str_view(text.get());
    return raise_fmt(ts, &ValueError_type, "%.*s is not in list", int(shown.size()), shown.data());
  }
  return Value::small_int(found);
}

static Value list_method_count(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "list.count", kwnames) || !check_nargs(ts, "list.count", nargs - 1, 1, 1))
    return Value();
  CriticalSection cs(ts, self_list(args));
  int64_t count = sequence_count(ts, self_list(args), args[1]);
  return count < 0 ? Value() : Value::small_int(count);
}

static Value list_method_clear(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "list.clear", kwnames) || !check_nargs(ts, "list.clear", nargs - 1, 0, 0))
    return Value();
  CriticalSection cs(ts, self_list(args));
  list_clear(self_list(args));
  return none();
}

static Value list_method_copy(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "list.copy", kwnames) || !check_nargs(ts, "list.copy", nargs - 1, 0, 0))
    return Value();
  List* list = self_list(args);
  return list_slice(ts, list, 0, list->size);
}

static Value list_method_reverse(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "list.reverse", kwnames) || !check_nargs(ts, "list.reverse", nargs - 1, 0, 0))
    return Value();
  List* list = self_list(args);
  CriticalSection cs(ts, list);
  for (size_t lo = 0, hi = list->size; lo + 1 < hi; lo++, hi--) {
    Value first = list->items[lo];
    store_item(list->items + lo, list->items[hi - 1]);
    store_item(list->items + hi - 1, first);
  }
  return none();
}

static Value list_method_sort(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  Value bound[2];
  if (!bind_args(ts, "sort", args + 1, nargs - 1, kwnames, {"key", "reverse"}, 0, bound, 0)) return Value();
  Value key = bound[0] && !is_none(bound[0]) ? bound[0] : Value();
  int64_t reverse = 0;
  if (bound[1] && !int_to_int64(ts, bound[1], &reverse)) return Value();
  CriticalSection cs(ts, self_list(args));
  if (list_sort(ts, self_list(args), key, reverse != 0) < 0) return Value();
  return none();
}

static Value list_method_reversed(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "list.__reversed__", nargs - 1, 0, 0)) return Value();
  return list_reversed(ts, args[0]);
}

static const MethodDef list_methods[] = {
    {"append", list_method_append},
    {"extend", list_method_extend},
    {"insert", list_method_insert},
    {"pop", list_method_pop},
    {"remove", list_method_remove},
    {"index", list_method_index},
    {"count", list_method_count},
    {"clear", list_method_clear},
    {"copy", list_method_copy},
    {"reverse", list_method_reverse},
    {"sort", list_method_sort},
    {"__reversed__", list_method_reversed},
    {nullptr, nullptr},
};

Type list_type;
MINIVM_TYPE_SETUP(list_type) {
  t.name = "list";
  t.basic_size = sizeof(List);
  t.flags = kTypeBaseType | kTypeListSubclass;
  t.dealloc = list_dealloc;
  t.repr = list_repr;
  t.hash = hash_unhashable;
  t.compare = list_compare;
  t.binary = list_binary;
  t.binary_ops = op_mask({BinaryOp::Add, BinaryOp::Mul});
  t.rbinary_ops = op_mask({BinaryOp::Mul});
  t.truth = list_truth;
  t.length = list_length;
  t.getitem = list_getitem;
  t.setitem = list_setitem;
  t.contains = list_contains;
  t.iter = list_iter;
  t.new_ = list_new_slot;
  t.init = list_init;
  t.methods = list_methods;
}

}  // namespace mvm
