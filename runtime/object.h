// The object header, tagged values and type objects that every part of minivm shares.
// See docs/objects.md for the layout and docs/free-threading.md for why the header has two counts.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace mvm {

struct Object;
struct Type;
struct ThreadState;
struct Str;
struct Tuple;
struct Dict;

// A Value is one machine word, told apart by its low two bits:
//   ...x1  a small integer with a 63-bit signed payload;
//   ...10  an immediate float: a double whose exponent lies in a window around 1.0
//          (runtime/float.h packs and unpacks it; others live in a heap Float);
//   ...00  a pointer to a heap Object (objects are at least 8-byte aligned).
// The all-zero Value is "no value": functions return it to say that an exception is pending
// in the ThreadState. Immediate values are never refcounted, which keeps integer and float
// arithmetic free of allocation and memory traffic in both lock modes (docs/objects.md).
class Value {
 public:
  constexpr Value() = default;
  static Value from_obj(const Object* o) { return Value(reinterpret_cast<uintptr_t>(o)); }
  static constexpr int64_t kSmallMax = (int64_t(1) << 62) - 1;
  static constexpr int64_t kSmallMin = -(int64_t(1) << 62);
  static constexpr bool fits_small(int64_t v) { return v >= kSmallMin && v <= kSmallMax; }
  // Precondition: fits_small(v).
  static constexpr Value small_int(int64_t v) { return Value((uint64_t(v) << 1) | 1); }
  static constexpr uintptr_t kTagMask = 3, kFloatTag = 2;
  // Precondition: payload < 2**62 (runtime/float.h makes it).
  static constexpr Value immediate_float(uint64_t payload) { return Value((payload << 2) | kFloatTag); }

  constexpr bool is_null() const { return bits_ == 0; }
  constexpr bool is_small_int() const { return (bits_ & 1) != 0; }
  constexpr bool is_immediate_float() const { return (bits_ & kTagMask) == kFloatTag; }
  constexpr bool is_obj() const { return bits_ != 0 && (bits_ & kTagMask) == 0; }
  constexpr bool is_immediate() const { return (bits_ & kTagMask) != 0; }   // int or float
  constexpr int64_t as_small_int() const { return int64_t(bits_) >> 1; }
  constexpr uint64_t immediate_float_payload() const { return bits_ >> 2; }
  Object* obj() const { return reinterpret_cast<Object*>(bits_); }
  template <class T> T* as() const { return reinterpret_cast<T*>(bits_); }
  constexpr uintptr_t raw() const { return bits_; }
  static constexpr Value from_raw(uintptr_t bits) { return Value(bits); }

  constexpr explicit operator bool() const { return bits_ != 0; }
  // Identity, as Python's `is`.
  constexpr bool operator==(Value o) const { return bits_ == o.bits_; }
  constexpr bool operator!=(Value o) const { return bits_ != o.bits_; }

 private:
  constexpr explicit Value(uintptr_t bits) : bits_(bits) {}
  uintptr_t bits_ = 0;
};

// ob_ref_local holds this for objects that are never freed (None, True, built-in types,
// interned strings, code constants); every refcount operation skips them.
inline constexpr uint32_t kImmortalRefcount = UINT32_MAX;

// Bits of Object::ob_flags.
enum ObjectFlags : uint16_t {
  kFlagInterned = 1 << 0,   // a Str in the runtime's intern table
  kFlagStatic = 1 << 1,     // storage is static (built-in types, singletons): never freed
  kFlagShared = 1 << 2,     // has been seen by more than one thread (free-threaded mode)
};

// The header every heap object starts with. The free-threading fields are present in every
// build that can run without the GIL (MINIVM_FREE_THREADING); a GIL-only build drops them.
struct Object {
#if MINIVM_FREE_THREADING
  uintptr_t ob_tid = 0;                     // owning thread (biased refcounting); 0: none
#endif
  uint32_t ob_ref_local = 1;                // the owner's count (all of it in GIL mode)
  uint16_t ob_flags = 0;                    // ObjectFlags
  std::atomic<uint8_t> ob_mutex{0};         // per-object lock byte (runtime/lock.h)
  uint8_t ob_lock_bias = 0;                 // LockBias, read and written as an atomic (runtime/lock_bias.h)
#if MINIVM_FREE_THREADING
  std::atomic<int64_t> ob_ref_shared{0};    // other threads' count << 2 | merge state bits
#endif
  Type* ob_type = nullptr;

  bool is_immortal() const { return ob_ref_local == kImmortalRefcount; }

  // Types whose fast paths skip the lock for its owner (dict, list) say so: try_new_object
  // then sets ob_lock_bias together with the rest of the header.
  static constexpr bool kLockBiasedAtBirth = false;
};

// --- Operator identities used by type slots, the opcode table and the compiler. ---

enum class BinaryOp : uint8_t {
  Add, Sub, Mul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift, And, Or, Xor, MatMul,
  Count
};
// Added to a BinaryOp in BINARY_OP's argument and in slot calls for `a op= b`.
inline constexpr uint8_t kInplaceFlag = 0x10;
inline BinaryOp base_op(BinaryOp op) { return BinaryOp(uint8_t(op) & 0x0f); }
inline bool is_inplace(BinaryOp op) { return (uint8_t(op) & kInplaceFlag) != 0; }
// A Type's binary_ops or rbinary_ops: op_mask({BinaryOp::Add, BinaryOp::Mul}).
constexpr uint16_t op_mask(std::initializer_list<BinaryOp> ops) {
  uint16_t mask = 0;
  for (BinaryOp op : ops) mask |= uint16_t(1u << uint8_t(op));
  return mask;
}

enum class CompareOp : uint8_t { Lt, Le, Eq, Ne, Gt, Ge };
enum class UnaryOp : uint8_t { Neg, Pos, Invert };

// Native functions and methods share one calling convention (like CPython's vectorcall):
// args[0..nargs) are positional, followed by one value per name in kwnames (may be null).
// Methods receive self as args[0]. Arguments are borrowed; the result is a new reference,
// or null with an exception set.
using NativeFn = Value (*)(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames);

struct MethodDef {
  const char* name;
  NativeFn fn;
  uint32_t flags = 0;        // MethodFlags
  const char* doc = nullptr;
};
enum MethodFlags : uint32_t {
  kMethStatic = 1 << 0,      // staticmethod: no self
  kMethClass = 1 << 1,       // classmethod: args[0] is the type
};

using GetterFn = Value (*)(ThreadState& ts, Value self);
using SetterFn = int (*)(ThreadState& ts, Value self, Value value);   // -1 with exception set
struct GetSetDef {
  const char* name;
  GetterFn get;
  SetterFn set = nullptr;    // null: read-only attribute
};

// Bits of Type::flags.
enum TypeFlags : uint32_t {
  kTypeHeap = 1 << 0,            // created by a class statement
  kTypeBaseType = 1 << 1,        // may be subclassed
  kTypeIntSubclass = 1 << 2,     // fast subtype checks, as CPython's tp_flags
  kTypeStrSubclass = 1 << 3,
  kTypeTupleSubclass = 1 << 4,
  kTypeListSubclass = 1 << 5,
  kTypeDictSubclass = 1 << 6,
  kTypeExceptionSubclass = 1 << 7,
  kTypeTypeSubclass = 1 << 8,
  kTypeImmutable = 1 << 9,       // attributes cannot be set on the type itself
};

// A type object. Built-in types are static, immortal and read-only after Runtime start-up;
// classes are heap types whose slots dispatch to dunder methods (vm/class.cpp).
// Every slot may be null, meaning the operation is unsupported. Slots follow the
// null-means-error convention: Value{} / -1 returns leave an exception in the ThreadState.
struct Type : Object {
  const char* name = nullptr;          // e.g. "int"; heap types point into name_str
  Str* name_str = nullptr;             // __name__
  Str* qualname = nullptr;             // __qualname__
  Str* module = nullptr;               // __module__ (null: builtins)
  Type* base = nullptr;                // the single base class (object has none)
  Tuple* mro = nullptr;                // this type, then its bases to object
  Dict* dict = nullptr;                // class attributes and methods
  uint32_t flags = 0;                  // TypeFlags
  std::atomic<uint32_t> version_tag{0};  // changes whenever this type's or a base's dict does
  size_t basic_size = 0;               // bytes of an instance
  size_t dict_offset = 0;              // where an instance keeps its Dict* (0: no __dict__)
  const MethodDef* methods = nullptr;  // null-terminated; copied into dict by type_ready()
  const GetSetDef* getsets = nullptr;  // null-terminated; likewise
  struct SubclassList* subclasses = nullptr;   // classes derived from this one (type.cpp)

  void (*dealloc)(Object* self) = nullptr;
  Value (*repr)(ThreadState&, Value self) = nullptr;
  Value (*str)(ThreadState&, Value self) = nullptr;           // null: use repr
  int64_t (*hash)(ThreadState&, Value self) = nullptr;        // -1: error (never a real hash)
  // Returns NotImplemented when it does not know the other operand.
  Value (*compare)(ThreadState&, Value a, Value b, CompareOp op) = nullptr;
  // Called for the left operand's type, then (if that gave NotImplemented) the right one's,
  // with the operands in their original order; op may carry kInplaceFlag.
  Value (*binary)(ThreadState&, Value a, Value b, BinaryOp op) = nullptr;
  Value (*unary)(ThreadState&, Value self, UnaryOp op) = nullptr;
  // The operators `binary` and `unary` implement (bits 1 << op; op_mask makes them), with
  // the operand of this type on the left (binary_ops) or on the right (rbinary_ops): only
  // those appear as __add__, __radd__, __neg__... on a built-in type, as in CPython.
  uint16_t binary_ops = 0xffff;
  uint16_t rbinary_ops = 0xffff;
  uint8_t unary_ops = 0xff;
  int (*truth)(ThreadState&, Value self) = nullptr;           // 0/1, -1 error; null: true
  int64_t (*length)(ThreadState&, Value self) = nullptr;      // -1 error
  Value (*getitem)(ThreadState&, Value self, Value key) = nullptr;
  int (*setitem)(ThreadState&, Value self, Value key, Value value) = nullptr;  // value null: del
  int (*contains)(ThreadState&, Value self, Value item) = nullptr;             // 0/1, -1 error
  Value (*iter)(ThreadState&, Value self) = nullptr;
  // Null without an exception means exhausted (no StopIteration object is made).
  Value (*iternext)(ThreadState&, Value self) = nullptr;
  Value (*getattr)(ThreadState&, Value self, Str* name) = nullptr;   // null: generic lookup
  int (*setattr)(ThreadState&, Value self, Str* name, Value value) = nullptr;  // value null: del
  Value (*call)(ThreadState&, Value self, const Value* args, size_t nargs, Tuple* kwnames) = nullptr;
  // Descriptor protocol; obj is null when looked up on the class itself.
  Value (*descr_get)(ThreadState&, Value descr, Value obj, Type* owner) = nullptr;
  int (*descr_set)(ThreadState&, Value descr, Value obj, Value value) = nullptr;
  // Called by type.__call__: new makes the object, init (if any) initialises it.
  Value (*new_)(ThreadState&, Type* type, const Value* args, size_t nargs, Tuple* kwnames) = nullptr;
  int (*init)(ThreadState&, Value self, const Value* args, size_t nargs, Tuple* kwnames) = nullptr;
};

// The type of any value, immediate or not.
extern Type int_type, float_type;
inline Type* type_of(Value v) {
  if ((v.raw() & Value::kTagMask) == 0) return v.obj()->ob_type;   // precondition: v is not null
  return v.is_small_int() ? &int_type : &float_type;
}

// Singletons. They are static and immortal.
extern Object none_object, notimplemented_object, ellipsis_object;
// bool is a subclass of int; True and False are its only instances.
struct Bool : Object {
  int64_t value;
};
extern Bool true_object, false_object;
inline Value none() { return Value::from_obj(&none_object); }
inline Value not_implemented() { return Value::from_obj(&notimplemented_object); }
inline Value ellipsis() { return Value::from_obj(&ellipsis_object); }
inline Value bool_value(bool b) { return Value::from_obj(b ? &true_object : &false_object); }
inline Value true_value() { return Value::from_obj(&true_object); }
inline Value false_value() { return Value::from_obj(&false_object); }
inline bool is_none(Value v) { return v == none(); }

}  // namespace mvm
