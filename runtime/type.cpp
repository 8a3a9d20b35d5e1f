// The `type` and `object` types: readying built-in types, MRO computation and lookup,
// class creation, instance creation, and generic attribute access.
#include "runtime/type.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <utility>
#include <vector>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/args.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/function.h"
#include "runtime/list.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "vm/thread_state.h"

namespace mvm {

// ---------------------------------------------------------------------------------------
// Static type registration

namespace {
struct PendingSetup {
  Type* type;
  void (*setup)(Type&);
};
std::vector<PendingSetup>& pending_setups() {
  static std::vector<PendingSetup> list;   // filled during static initialisation only
  return list;
}
}  // namespace

TypeSetup::TypeSetup(Type* type, void (*setup)(Type&)) {
  type->ob_type = &type_type;
  type->ob_ref_local = kImmortalRefcount;
  type->ob_flags |= kFlagStatic;
  pending_setups().push_back({type, setup});
}

// Type mutation is rare, so one runtime-wide mutex guards every subclass list and version
// bump.
namespace {
std::mutex& type_mutation_mutex() {
  static std::mutex m;
  return m;
}
// Version tags are handed out process-wide so that a tag identifies one (type, dict state).
std::atomic<uint32_t> next_version_tag{1};
}  // namespace

static void assign_version(Type* type) {
  type->version_tag.store(next_version_tag.fetch_add(1, std::memory_order_relaxed),
                          std::memory_order_release);
}

static void modified_locked(Type* type) {
  assign_version(type);
  if (type->subclasses)
    for (Type* sub : type->subclasses->types) modified_locked(sub);
}

void type_modified(Type* type) {
  std::lock_guard<std::mutex> guard(type_mutation_mutex());
  modified_locked(type);
}

static void add_subclass(Type* base, Type* sub) {
  std::lock_guard<std::mutex> guard(type_mutation_mutex());
  if (!base->subclasses) base->subclasses = new SubclassList();
  base->subclasses->types.push_back(sub);
}

static void remove_subclass(Type* base, Type* sub) {
  std::lock_guard<std::mutex> guard(type_mutation_mutex());
  if (!base->subclasses) return;
  auto& v = base->subclasses->types;
  v.erase(std::remove(v.begin(), v.end(), sub), v.end());
}

// ---------------------------------------------------------------------------------------
// Readying

// Slots a type leaves null are taken from its base, as CPython's inherit_slots does.
static void inherit_slots(Type* t, const Type* b) {
#define INHERIT(slot) \
  if (!t->slot) t->slot = b->slot
  INHERIT(repr); INHERIT(str); INHERIT(hash); INHERIT(compare); INHERIT(binary);
  INHERIT(unary); INHERIT(truth); INHERIT(length); INHERIT(getitem); INHERIT(setitem);
  INHERIT(contains); INHERIT(iter); INHERIT(iternext); INHERIT(getattr); INHERIT(setattr);
  INHERIT(call); INHERIT(descr_get); INHERIT(descr_set); INHERIT(new_); INHERIT(init);
  INHERIT(dealloc);
#undef INHERIT
  if (!t->dict_offset) t->dict_offset = b->dict_offset;
  if (!t->basic_size) t->basic_size = b->basic_size;
  t->flags |= b->flags & (kTypeIntSubclass | kTypeStrSubclass | kTypeTupleSubclass |
                          kTypeListSubclass | kTypeDictSubclass | kTypeExceptionSubclass |
                          kTypeTypeSubclass);
}

void type_ready(Type* t) {
  if (t->dict) return;   // already ready
  if (t != &object_type && !t->base) t->base = &object_type;
  if (t->base) type_ready(t->base);
  if (!t->name_str) t->name_str = intern(t->name);
  if (!t->qualname) t->qualname = t->name_str;

  // The MRO of a single-inheritance static type: itself, then its base's MRO.
  size_t base_len = t->base ? t->base->mro->size : 0;
  Tuple* mro = static_cast<Tuple*>(object_malloc(sizeof(Tuple) + sizeof(Value) * base_len));
  new (mro) Tuple();
  mro->ob_type = &tuple_type;
  mro->ob_ref_local = kImmortalRefcount;
  mro->size = base_len + 1;
  mro->items[0] = Value::from_obj(t);
  for (size_t i = 0; i < base_len; i++) mro->items[i + 1] = t->base->mro->items[i];
  t->mro = mro;

  if (t->base) inherit_slots(t, t->base);
  Dict* dict = dict_new_nogil();
  make_immortal(dict);
  t->dict = dict;
  ThreadState* ts = current_thread_state();
  for (const MethodDef* m = t->methods; m && m->name; m++) {
    Value descr = method_descriptor_new(m, t);
    make_immortal(descr.obj());
    dict_set_str(*ts, dict, intern(m->name), descr);
    decref(descr);
  }
  for (const GetSetDef* g = t->getsets; g && g->name; g++) {
    Value descr = getset_descriptor_new(g, t);
    make_immortal(descr.obj());
    dict_set_str(*ts, dict, intern(g->name), descr);
    decref(descr);
  }
  add_slot_wrappers(t);
  if (t->base) add_subclass(t->base, t);
  assign_version(t);
}

void ready_builtin_types() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (auto& p : pending_setups()) p.setup(*p.type);
    for (auto& p : pending_setups()) type_ready(p.type);
  });
}

// ---------------------------------------------------------------------------------------
// Lookup

// A per-thread cache of MRO lookups, keyed by (version tag, name). Version tags are unique
// and change whenever a class's dict (or a base's) changes, so a stale entry can never
// match; being per thread, the cache needs no locking in free-threaded mode.
namespace {
struct TypeCacheEntry {
  uint32_t version;   // 0, which no type has, marks an empty entry
  Str* name;
  Value value;        // borrowed from the type's dict, which the version keeps unchanged
};
constexpr size_t kTypeCacheSize = 4096;

// The 96 KiB of entries live on the heap, allocated zeroed at the thread's first lookup:
// as a thread_local array they would be zeroed by the C library whenever a thread starts,
// 24 page faults (about 0.25 ms on a virtual machine) mostly for entries never used.
// The pointer is a plain thread_local, so a lookup pays one load and no initialisation
// check; the owner, which frees the entries when the thread ends, is constructed (and its
// destructor registered) by the allocation.
thread_local TypeCacheEntry* type_cache = nullptr;

struct TypeCacheOwner {
  ~TypeCacheOwner() { std::free(std::exchange(type_cache, nullptr)); }
};
thread_local TypeCacheOwner type_cache_owner;

[[gnu::noinline]] TypeCacheEntry* allocate_type_cache() {
  type_cache = static_cast<TypeCacheEntry*>(std::calloc(kTypeCacheSize, sizeof(TypeCacheEntry)));
  if (!type_cache) fatal_out_of_memory();
  (void)type_cache_owner;
  return type_cache;
}
}  // namespace

static Value type_lookup_uncached(Type* type, Str* name) {
  Tuple* mro = type->mro;
  if (!mro) return Value();
  for (size_t i = 0; i < mro->size; i++) {
    Type* t = mro->items[i].as<Type>();
    if (!t->dict) continue;
    Value v = dict_get_str(t->dict, name);
    if (v) return v;
  }
  return Value();
}

Value type_lookup(Type* type, Str* name) {
  uint32_t version = type->version_tag.load(std::memory_order_acquire);
  if (version == 0 || !(name->ob_flags & kFlagInterned)) return type_lookup_uncached(type, name);
  size_t slot = (size_t(version) * 2654435761u ^ (reinterpret_cast<uintptr_t>(name) >> 4)) & (kTypeCacheSize - 1);
  TypeCacheEntry* cache = type_cache;
  if (!cache) [[unlikely]] cache = allocate_type_cache();
  TypeCacheEntry& e = cache[slot];
  if (e.version == version && e.name == name) return e.value;
  Value v = type_lookup_uncached(type, name);
  // Another thread may have modified the class meanwhile: only cache under the version seen.
  if (type->version_tag.load(std::memory_order_acquire) == version) {
    e.version = version;
    e.name = name;
    e.value = v;
  }
  return v;
}

bool type_is_subtype(const Type* a, const Type* b) {
  if (a == b) return true;
  Tuple* mro = a->mro;
  if (mro) {
    for (size_t i = 0; i < mro->size; i++)
      if (mro->items[i].as<Type>() == b) return true;
    return false;
  }
  for (const Type* t = a; t; t = t->base)
    if (t == b) return true;
  return false;
}

// ---------------------------------------------------------------------------------------
// Instances

Dict* instance_get_dict(ThreadState& ts, Value v) {
  Dict** slot = instance_dict_slot(v);
  if (!slot) {
    raise_fmt(ts, &AttributeError_type, "'%s' object has no attribute '__dict__'", type_name(v));
    return nullptr;
  }
  // Two threads may make the first attribute of one object at once: one dict wins.
  Dict* d = std::atomic_ref<Dict*>(*slot).load(std::memory_order_acquire);
  if (d) return d;
  Dict* fresh = dict_new(ts);
  if (!fresh) return nullptr;
  if (!std::atomic_ref<Dict*>(*slot).compare_exchange_strong(d, fresh, std::memory_order_acq_rel)) {
    decref(fresh);
    return d;
  }
  return fresh;
}

// Mirrors CPython's excess_args check: object() accepts arguments only when a class
// overrides exactly the method that would otherwise complain about them.
static bool excess_args(size_t nargs, Tuple* kwnames) {
  return nargs > 0 || (kwnames && kwnames->size > 0);
}
static int object_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames);

Value object_new(ThreadState& ts, Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (excess_args(nargs, kwnames)) {
    if (type->new_ != object_new) {
      // A class with its own __new__ that called object.__new__(cls, ...) explicitly.
    } else if (type->init == object_init || !type->init) {
      return raise_fmt(ts, &TypeError_type, "%s() takes no arguments", type->name);
    }
  }
  if (type->flags & kTypeImmutable && !(type->flags & kTypeHeap) && type != &object_type)
    return raise_fmt(ts, &TypeError_type, "cannot create '%s' instances", type->name);
  size_t size = type->basic_size ? type->basic_size : sizeof(Object);
  Object* o = try_new_object<Object>(type, size);
  if (!o) return raise_memory_error(ts);
  std::memset(reinterpret_cast<char*>(o) + sizeof(Object), 0, size - sizeof(Object));
  return Value::from_obj(o);
}

static int object_init(ThreadState& ts, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  Type* type = type_of(self);
  if (excess_args(nargs, kwnames)) {
    if (type->init != object_init) {
      raise(ts, &TypeError_type, "object.__init__() takes exactly one argument (the instance to initialize)");
      return -1;
    }
    if (type->new_ == object_new) {
      raise_fmt(ts, &TypeError_type, "%s() takes no arguments", type->name);
      return -1;
    }
  }
  return 0;
}

size_t variable_size_extra(const Object* o) {
  size_t n = static_cast<const Tuple*>(o)->size;
  return (n > 1 ? n - 1 : 0) * sizeof(Value);
}

void subtype_dealloc(Object* self) {
  Type* type = self->ob_type;
  if (type->dict_offset) {
    Dict** slot = dict_slot_of(self, type);
    Dict* d = *slot;
    *slot = nullptr;
    if (d) decref(d);
  }
  // Find the nearest static base: it knows how to release the rest of the layout.
  Type* base = type->base;
  while (base && (base->flags & kTypeHeap)) base = base->base;
  if (base && base->dealloc && base->dealloc != subtype_dealloc) {
    base->dealloc(self);
  } else {
    free_object(self);
  }
}

static void object_dealloc(Object* self) { free_object(self); }

static Value object_repr_default(ThreadState& ts, Value self) {
  Type* t = type_of(self);
  char buf[256];
  if (t->module && str_view(t->module) != "builtins")
    std::snprintf(buf, sizeof buf, "<%.*s.%.*s object at %p>", int(t->module->size),
                  t->module->data, int(t->qualname->size), t->qualname->data,
                  static_cast<void*>(self.obj()));
  else
    std::snprintf(buf, sizeof buf, "<%s object at %p>", t->name, static_cast<void*>(self.obj()));
  return str_value(buf);
}

static Value object_str_default(ThreadState& ts, Value self) {
  Type* t = type_of(self);
  return t->repr ? t->repr(ts, self) : object_repr_default(ts, self);
}

static int64_t object_hash_default(ThreadState&, Value self) {
  // Identity hash: the address without its always-zero low bits, as CPython does.
  uintptr_t p = self.raw();
  int64_t h = int64_t((p >> 4) | (p << (8 * sizeof(uintptr_t) - 4)));
  return h == -1 ? -2 : h;
}

// object's comparison: equal only to itself; != is the inverse of the class's ==.
static Value object_compare_default(ThreadState& ts, Value a, Value b, CompareOp op) {
  switch (op) {
    case CompareOp::Eq:
      return newref(a == b ? true_value() : not_implemented());
    case CompareOp::Ne: {
      Type* t = type_of(a);
      if (!t->compare) return newref(not_implemented());
      Value eq = t->compare(ts, a, b, CompareOp::Eq);
      if (!eq || eq == not_implemented()) return eq;
      int truth = object_truth(ts, eq);
      decref(eq);
      if (truth < 0) return Value();
      return bool_value(!truth);
    }
    default:
      return newref(not_implemented());
  }
}

static Value object_get_class(ThreadState&, Value self) { return newref(Value::from_obj(type_of(self))); }

static Value object_dunder_format(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_nargs(ts, "__format__", nargs, 2, 2)) return Value();
  if (!is_str(args[1]))
    return raise_fmt(ts, &TypeError_type, "__format__() argument must be str, not %s", type_name(args[1]));
  if (args[1].as<Str>()->size != 0)
    return raise_fmt(ts, &TypeError_type, "unsupported format string passed to %s.__format__",
                     type_of(args[0])->name);
  return object_str(ts, args[0]);
}

static Value object_dunder_dir(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "__dir__", nargs, 1, 1)) return Value();
  Value self = args[0];
  Ref names(Value::from_obj(dict_new(ts)));
  if (Dict** slot = instance_dict_slot(self); slot && *slot) {
    size_t pos = 0;
    Value k, v;
    while (dict_next(*slot, &pos, &k, &v))
      if (dict_set(ts, names.as<Dict>(), k, none()) < 0) return Value();
  }
  Tuple* mro = type_of(self)->mro;
  for (size_t i = 0; i < mro->size; i++) {
    size_t pos = 0;
    Value k, v;
    while (dict_next(mro->items[i].as<Type>()->dict, &pos, &k, &v))
      if (dict_set(ts, names.as<Dict>(), k, none()) < 0) return Value();
  }
  Ref list(list_from_iterable(ts, names.get()));
  if (!list) return Value();
  return list.release();
}

static Value object_init_subclass(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  return newref(none());
}

static const MethodDef object_methods[] = {
    {"__format__", object_dunder_format},
    {"__dir__", object_dunder_dir},
    {"__init_subclass__", object_init_subclass, kMethClass},
    {nullptr, nullptr},
};
// The instance __dict__ of classes (made on first use).
static Value object_get_dict(ThreadState& ts, Value self) {
  Dict* d = instance_get_dict(ts, self);
  return d ? newref(Value::from_obj(d)) : Value();
}

static const GetSetDef object_getsets[] = {
    {"__class__", object_get_class},
    {"__dict__", object_get_dict},
    {nullptr, nullptr},
};

Type object_type;
MINIVM_TYPE_SETUP(object_type) {
  t.name = "object";
  t.basic_size = sizeof(Object);
  t.flags = kTypeBaseType;
  t.dealloc = object_dealloc;
  t.repr = object_repr_default;
  t.str = object_str_default;
  t.hash = object_hash_default;
  t.compare = object_compare_default;
  t.getattr = generic_getattr;
  t.setattr = generic_setattr;
  t.new_ = object_new;
  t.init = object_init;
  t.methods = object_methods;
  t.getsets = object_getsets;
}

// ---------------------------------------------------------------------------------------
// The type object

static Value type_repr(ThreadState& ts, Value self) {
  Type* t = self.as<Type>();
  std::string text = "<class '";
  if (t->module && str_view(t->module) != "builtins") {
    text += str_view(t->module);
    text += '.';
    text += str_view(t->qualname);
  } else {
    text += t->name;
  }
  text += "'>";
  return str_value(text);
}

static Value type_call(ThreadState& ts, Value callable, const Value* args, size_t nargs, Tuple* kwnames) {
  Type* type = callable.as<Type>();
  if (type == &type_type && nargs == 1 && (!kwnames || kwnames->size == 0))
    return newref(Value::from_obj(type_of(args[0])));
  if (!type->new_)
    return raise_fmt(ts, &TypeError_type, "cannot create '%s' instances", type->name);
  Value obj = type->new_(ts, type, args, nargs, kwnames);
  if (!obj) return obj;
  // __init__ runs only when __new__ returned an instance of the class being called.
  Type* obj_type = type_of(obj);
  if (obj_type->init && type_is_subtype(obj_type, type)) {
    if (obj_type->init(ts, obj, args, nargs, kwnames) < 0) {
      decref(obj);
      return Value();
    }
  }
  return obj;
}

static Value type_new(ThreadState& ts, Type* metatype, const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs == 1 && (!kwnames || kwnames->size == 0))
    return newref(Value::from_obj(type_of(args[0])));
  if (nargs != 3) return raise(ts, &TypeError_type, "type() takes 1 or 3 arguments");
  if (!is_str(args[0]))
    return raise_fmt(ts, &TypeError_type, "type.__new__() argument 1 must be str, not %s", type_name(args[0]));
  if (!is_tuple(args[1]))
    return raise_fmt(ts, &TypeError_type, "type.__new__() argument 2 must be tuple, not %s", type_name(args[1]));
  if (!is_dict(args[2]))
    return raise_fmt(ts, &TypeError_type, "type.__new__() argument 3 must be dict, not %s", type_name(args[2]));
  return type_new_class(ts, metatype, args[0].as<Str>(), args[1].as<Tuple>(), args[2].as<Dict>());
}

static int type_init(ThreadState&, Value, const Value*, size_t, Tuple*) { return 0; }

// Attribute lookup on a class: the metatype's data descriptors (__name__, __mro__, ...),
// then the class's own MRO (binding classmethods, leaving functions unbound), then the
// metatype's other attributes.
static Value type_getattro(ThreadState& ts, Value self, Str* name) {
  Type* type = self.as<Type>();
  Type* meta = type_of(self);
  Value meta_attr = type_lookup(meta, name);
  if (meta_attr) {
    Type* mt = type_of(meta_attr);
    if (mt->descr_get && mt->descr_set) return mt->descr_get(ts, meta_attr, self, meta);
  }
  Value attr = type_lookup(type, name);
  if (attr) {
    Type* at = type_of(attr);
    if (at->descr_get) return at->descr_get(ts, attr, Value(), type);
    return newref(attr);
  }
  if (meta_attr) {
    Type* mt = type_of(meta_attr);
    if (mt->descr_get) return mt->descr_get(ts, meta_attr, self, meta);
    return newref(meta_attr);
  }
  return raise_fmt(ts, &AttributeError_type, "type object '%s' has no attribute '%.*s'", type->name,
                   int(name->size), name->data);
}

static int type_setattro(ThreadState& ts, Value self, Str* name, Value value) {
  Type* type = self.as<Type>();
  if (!(type->flags & kTypeHeap)) {
    raise_fmt(ts, &TypeError_type, "cannot set '%.*s' attribute of immutable type '%s'",
              int(name->size), name->data, type->name);
    return -1;
  }
  Value meta_attr = type_lookup(type_of(self), name);
  if (meta_attr) {
    Type* mt = type_of(meta_attr);
    if (mt->descr_set) return mt->descr_set(ts, meta_attr, self, value);
  }
  name = intern_str(static_cast<Str*>(newref(Value::from_obj(name)).obj()));
  int rc;
  if (value) {
    rc = dict_set_str(ts, type->dict, name, value);
  } else {
    rc = dict_del(ts, type->dict, Value::from_obj(name));
    if (rc < 0 && error_matches(ts, &KeyError_type)) {
      clear_error(ts);
      raise_fmt(ts, &AttributeError_type, "type object '%s' has no attribute '%.*s'", type->name,
                int(name->size), name->data);
    }
  }
  if (rc < 0) return -1;
  type_modified(type);
  type_update_slot(type, name);
  return 0;
}

static void type_dealloc(Object* self) {
  Type* t = static_cast<Type*>(self);
  if (t->base) remove_subclass(t->base, t);
  decref(Value::from_obj(t->dict));
  decref(Value::from_obj(t->mro));
  decref(Value::from_obj(t->name_str));
  decref(Value::from_obj(t->qualname));
  decref(Value::from_obj(t->module));
  if (t->base) decref(t->base);
  delete t->subclasses;
  t->~Type();
  free_object(self);
}

static Value type_get_name(ThreadState&, Value self) { return newref(Value::from_obj(self.as<Type>()->name_str)); }
static Value type_get_qualname(ThreadState&, Value self) { return newref(Value::from_obj(self.as<Type>()->qualname)); }
static Value type_get_module(ThreadState& ts, Value self) {
  Type* t = self.as<Type>();
  if (t->flags & kTypeHeap) {
    Value m = dict_get_str(t->dict, intern("__module__"));
    if (m) return newref(m);
  }
  return t->module ? newref(Value::from_obj(t->module)) : str_value("builtins");
}
static Value type_get_mro(ThreadState&, Value self) { return newref(Value::from_obj(self.as<Type>()->mro)); }
static Value type_get_base(ThreadState&, Value self) {
  Type* b = self.as<Type>()->base;
  return newref(b ? Value::from_obj(b) : none());
}
static Value type_get_bases(ThreadState& ts, Value self) {
  Type* t = self.as<Type>();
  if (!t->base) return Value::from_obj(tuple_new(ts, 0));
  Value bases = dict_get_str(t->dict, intern("__bases__"));
  if (bases) return newref(bases);
  return Value::from_obj(tuple_pack(ts, {Value::from_obj(t->base)}));
}
static Value type_get_dict(ThreadState&, Value self) { return newref(Value::from_obj(self.as<Type>()->dict)); }
static Value type_get_doc(ThreadState&, Value self) {
  Value d = dict_get_str(self.as<Type>()->dict, intern("__doc__"));
  return newref(d ? d : none());
}
static int type_set_qualname(ThreadState& ts, Value self, Value v) {
  if (!is_str(v)) {
    raise(ts, &TypeError_type, "can only assign string to __qualname__");
    return -1;
  }
  Type* t = self.as<Type>();
  incref(v);
  decref(Value::from_obj(t->qualname));
  t->qualname = v.as<Str>();
  return 0;
}

static Value type_mro_method(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "mro", nargs, 1, 1)) return Value();
  Tuple* mro = args[0].as<Type>()->mro;
  Ref list(Value::from_obj(list_new(ts, mro->size)));
  for (size_t i = 0; i < mro->size; i++)
    if (list_append(ts, list.as<List>(), mro->items[i]) < 0) return Value();
  return list.release();
}

static Value type_subclasses_method(ThreadState& ts, const Value* args, size_t nargs, Tuple*) {
  if (!check_nargs(ts, "__subclasses__", nargs, 1, 1)) return Value();
  Type* t = args[0].as<Type>();
  Ref list(Value::from_obj(list_new(ts)));
  std::lock_guard<std::mutex> guard(type_mutation_mutex());
  if (t->subclasses)
    for (Type* sub : t->subclasses->types)
      if (list_append(ts, list.as<List>(), Value::from_obj(sub)) < 0) return Value();
  return list.release();
}

static const MethodDef type_methods[] = {
    {"mro", type_mro_method},
    {"__subclasses__", type_subclasses_method},
    {nullptr, nullptr},
};
static const GetSetDef type_getsets[] = {
    {"__name__", type_get_name},
    {"__qualname__", type_get_qualname, type_set_qualname},
    {"__module__", type_get_module},
    {"__mro__", type_get_mro},
    {"__base__", type_get_base},
    {"__bases__", type_get_bases},
    {"__dict__", type_get_dict},
    {"__doc__", type_get_doc},
    {nullptr, nullptr},
};

Type type_type;
MINIVM_TYPE_SETUP(type_type) {
  t.name = "type";
  t.basic_size = sizeof(Type);
  t.flags = kTypeBaseType | kTypeTypeSubclass;
  t.dealloc = type_dealloc;
  t.repr = type_repr;
  t.call = type_call;
  t.getattr = type_getattro;
  t.setattr = type_setattro;
  t.new_ = type_new;
  t.init = type_init;
  t.methods = type_methods;
  t.getsets = type_getsets;
}

// ---------------------------------------------------------------------------------------
// Classes

// C3 linearisation of the bases' MROs (Python's method resolution order).
static bool c3_merge(ThreadState& ts, Type* type, Tuple* bases, std::vector<Type*>& out) {
  std::vector<std::vector<Type*>> seqs;
  for (size_t i = 0; i < bases->size; i++) {
    Tuple* m = bases->items[i].as<Type>()->mro;
    std::vector<Type*> seq;
    for (size_t j = 0; j < m->size; j++) seq.push_back(m->items[j].as<Type>());
    seqs.push_back(std::move(seq));
  }
  std::vector<Type*> base_list;
  for (size_t i = 0; i < bases->size; i++) base_list.push_back(bases->items[i].as<Type>());
  seqs.push_back(base_list);
  out.push_back(type);
  for (;;) {
    bool all_empty = true;
    Type* candidate = nullptr;
    for (auto& seq : seqs) {
      if (seq.empty()) continue;
      all_empty = false;
      Type* head = seq.front();
      bool in_tail = false;
      for (auto& other : seqs)
        if (std::find(other.begin() + (other.empty() ? 0 : 1), other.end(), head) != other.end()) {
          in_tail = true;
          break;
        }
      if (!in_tail) {
        candidate = head;
        break;
      }
    }
    if (all_empty) return true;
    if (!candidate) {
      raise(ts, &TypeError_type, "Cannot create a consistent method resolution order (MRO)");
      return false;
    }
    out.push_back(candidate);
    for (auto& seq : seqs)
      if (!seq.empty() && seq.front() == candidate) seq.erase(seq.begin());
  }
}

// The base whose instance layout a class extends: the one with the largest layout; every
// other base must have a layout that it contains (object-derived classes).
static Type* solid_base(Type* t) {
  while (t->base && (t->flags & kTypeHeap)) t = t->base;
  return t;
}

Value type_new_class(ThreadState& ts, Type* metatype, Str* name, Tuple* bases, Dict* ns) {
  Ref bases_ref;
  if (bases->size == 0) {
    bases_ref.reset(Value::from_obj(tuple_pack(ts, {Value::from_obj(&object_type)})));
    bases = bases_ref.as<Tuple>();
  }
  // Pick the layout base and check that every base can be subclassed.
  Type* best = nullptr;
  for (size_t i = 0; i < bases->size; i++) {
    Value b = bases->items[i];
    if (!is_instance_of(b, &type_type))
      return raise(ts, &TypeError_type, "bases must be types");
    Type* bt = b.as<Type>();
    if (!(bt->flags & kTypeBaseType))
      return raise_fmt(ts, &TypeError_type, "type '%s' is not an acceptable base type", bt->name);
    if (!best || solid_base(bt)->basic_size > solid_base(best)->basic_size) best = bt;
  }
  for (size_t i = 0; i < bases->size; i++) {
    Type* sb = solid_base(bases->items[i].as<Type>());
    if (!type_is_subtype(solid_base(best), sb))
      return raise(ts, &TypeError_type, "multiple bases have instance lay-out conflict");
  }

  Type* t = try_new_object<Type>(metatype, metatype->basic_size ? metatype->basic_size : sizeof(Type));
  if (!t) return raise_memory_error(ts);
  Ref result(Value::from_obj(t));
  t->flags = kTypeHeap | kTypeBaseType;
  t->base = best;
  incref(best);
  t->name_str = intern_str(static_cast<Str*>(newref(Value::from_obj(name)).obj()));
  t->name = t->name_str->data;
  t->dict = dict_copy(ts, ns);
  if (!t->dict) return Value();

  Str* qualname_key = intern("__qualname__");
  Value qualname = dict_get_str(t->dict, qualname_key);
  if (qualname && is_str(qualname)) {
    t->qualname = static_cast<Str*>(newref(qualname).obj());
    if (dict_del(ts, t->dict, Value::from_obj(qualname_key)) < 0) return Value();
  } else {
    t->qualname = static_cast<Str*>(newref(Value::from_obj(t->name_str)).obj());
  }
  Value module = dict_get_str(t->dict, intern("__module__"));
  if (module && is_str(module)) t->module = static_cast<Str*>(newref(module).obj());
  if (bases->size > 1)
    if (dict_set_str(ts, t->dict, intern("__bases__"), Value::from_obj(bases)) < 0) return Value();
  if (!dict_get_str(t->dict, intern("__doc__")))
    if (dict_set_str(ts, t->dict, intern("__doc__"), none()) < 0) return Value();

  // __new__ is implicitly a staticmethod and __init_subclass__ a classmethod.
  static const std::pair<const char*, Type*> implicit_wrappers[] = {
      {"__new__", &staticmethod_type}, {"__init_subclass__", &classmethod_type},
      {"__class_getitem__", &classmethod_type}};
  for (auto [dunder, wrapper_type] : implicit_wrappers) {
    Value f = dict_get_str(t->dict, intern(dunder));
    if (f && is_function(f)) {
      Value wrapped = call_function(ts, Value::from_obj(wrapper_type), {f});
      if (!wrapped) return Value();
      int rc = dict_set_str(ts, t->dict, intern(dunder), wrapped);
      decref(wrapped);
      if (rc < 0) return Value();
    }
  }
  // A class that defines __eq__ without __hash__ is unhashable, as in Python 3.
  if (dict_get_str(t->dict, intern("__eq__")) && !dict_get_str(t->dict, intern("__hash__")))
    if (dict_set_str(ts, t->dict, intern("__hash__"), none()) < 0) return Value();

  std::vector<Type*> mro;
  if (!c3_merge(ts, t, bases, mro)) return Value();
  Tuple* mro_tuple = tuple_new(ts, mro.size());
  if (!mro_tuple) return Value();
  for (size_t i = 0; i < mro.size(); i++) {
    // The MRO does not own the class itself, or the class would keep itself alive.
    mro_tuple->items[i] = Value::from_obj(mro[i]);
    if (i > 0) incref(mro[i]);
  }
  t->mro = mro_tuple;

  // Layout: the base's, plus a __dict__ pointer if the base has none.
  Type* layout = solid_base(best);
  t->basic_size = best->basic_size;
  t->dict_offset = best->dict_offset;
  if (!t->dict_offset) {
    size_t aligned = (layout->basic_size + alignof(Dict*) - 1) & ~(alignof(Dict*) - 1);
    t->dict_offset = aligned;
    t->basic_size = aligned + sizeof(Dict*);
  }
  inherit_slots(t, best);
  t->dealloc = subtype_dealloc;
  install_dunder_slots(t);
  for (size_t i = 0; i < bases->size; i++) add_subclass(bases->items[i].as<Type>(), t);
  assign_version(t);

  // __init_subclass__ of the nearest base that defines it.
  Value hook = type_lookup(best, intern("__init_subclass__"));
  if (hook && is_instance_of(hook, &classmethod_type)) {
    Value callable = hook.as<MethodWrapperDescr>()->callable;
    Value r = call_function(ts, callable, {Value::from_obj(t)});
    if (!r) return Value();
    decref(r);
  }
  return result.release();
}

}  // namespace mvm
