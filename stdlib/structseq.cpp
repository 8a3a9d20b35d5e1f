// Struct sequences (see structseq.h). The layout is a Tuple whose `size` counts only the
// visible fields; hidden ones follow in the same item array, so every tuple operation
// inherited from tuple sees just the visible part.
#include "stdlib/structseq.h"

#include <array>
#include <string>
#include <utility>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/errors.h"
#include "runtime/refcount.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "stdlib/native.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {

StructSeqType* seq_type(Value v) { return static_cast<StructSeqType*>(type_of(v)); }

// One getter per field position, generated so that each GetSetDef can name its index.
template <size_t I>
Value field_getter(ThreadState&, Value self) {
  return newref(self.as<Tuple>()->items[I]);
}
template <size_t... I>
constexpr std::array<GetterFn, sizeof...(I)> make_field_getters(std::index_sequence<I...>) {
  return {&field_getter<I>...};
}
constexpr auto kFieldGetters = make_field_getters(std::make_index_sequence<kMaxStructSeqFields>());

Tuple* alloc_struct_seq(ThreadState& ts, StructSeqType* type) {
  size_t size = sizeof(Tuple) + sizeof(Value) * (type->n_fields - 1);
  Tuple* t = try_new_object<Tuple>(type, size);
  if (!t) {
    raise_memory_error(ts);
    return nullptr;
  }
  t->size = type->n_visible;
  for (size_t i = 0; i < type->n_fields; ++i) t->items[i] = Value();
  return t;
}

// T(sequence): the visible fields from the sequence, hidden ones from it too or None.
Value struct_seq_construct(ThreadState& ts, Type* type, const Value* args, size_t nargs,
                           Tuple* kwnames) {
  StructSeqType* st = static_cast<StructSeqType*>(type);
  if (nargs != 1 || (kwnames && kwnames->size))
    return raise_fmt(ts, &TypeError_type, "%s() takes exactly 1 positional argument",
                     st->qualified_name);
  Ref items(tuple_from_iterable(ts, args[0]));
  if (!items) return Value();
  size_t n = items.as<Tuple>()->size;
  if (n < st->n_visible || n > st->n_fields) {
    if (st->n_visible == st->n_fields)
      return raise_fmt(ts, &TypeError_type, "%s() takes a %zu-sequence (%zu-sequence given)",
                       st->qualified_name, st->n_visible, n);
    return raise_fmt(ts, &TypeError_type, "%s() takes an at least %zu-sequence (%zu-sequence given)",
                     st->qualified_name, st->n_visible, n);
  }
  Tuple* t = alloc_struct_seq(ts, st);
  if (!t) return Value();
  for (size_t i = 0; i < st->n_fields; ++i)
    t->items[i] = newref(i < n ? items.as<Tuple>()->items[i] : none());
  return Value::from_obj(t);
}

Value struct_seq_repr(ThreadState& ts, Value self) {
  StructSeqType* st = seq_type(self);
  Tuple* t = self.as<Tuple>();
  std::string text = std::string(st->qualified_name) + "(";
  for (size_t i = 0; i < st->n_visible; ++i) {
    Ref item_repr(object_repr(ts, t->items[i]));
    if (!item_repr) return Value();
    if (i > 0) text += ", ";
    text += st->fields[i];
    text += '=';
    text += str_view(item_repr.get());
  }
  return new_str(ts, text + ")");
}

void struct_seq_dealloc(Object* self) {
  Tuple* t = static_cast<Tuple*>(self);
  size_t n = static_cast<StructSeqType*>(self->ob_type)->n_fields;
  for (size_t i = 0; i < n; ++i) decref(t->items[i]);
  free_object(self);
}

}  // namespace

void setup_struct_seq_type(Type& t, const char* module_name, const char* type_name,
                           const char* qualified_name, const char* const* fields,
                           size_t n_visible, size_t n_fields) {
  StructSeqType& st = static_cast<StructSeqType&>(t);
  st.name = type_name;
  st.module = intern(module_name);
  st.base = &tuple_type;
  st.basic_size = sizeof(Tuple);
  st.flags = kTypeTupleSubclass | kTypeImmutable;
  st.qualified_name = qualified_name;
  st.fields = fields;
  st.n_visible = n_visible;
  st.n_fields = n_fields;
  for (size_t i = 0; i < n_fields && i < kMaxStructSeqFields; ++i)
    st.field_getsets[i] = GetSetDef{fields[i], kFieldGetters[i]};
  st.getsets = st.field_getsets;
  st.dealloc = struct_seq_dealloc;
  st.repr = struct_seq_repr;
  st.new_ = struct_seq_construct;
}

Value struct_seq_new(ThreadState& ts, StructSeqType* type, const Value* values) {
  Tuple* t = alloc_struct_seq(ts, type);
  if (!t) return Value();
  for (size_t i = 0; i < type->n_fields; ++i) t->items[i] = newref(values[i]);
  return Value::from_obj(t);
}

}  // namespace mvm
