// Struct sequences: tuple subclasses whose items also have names, like time.struct_time,
// os.stat_result and sys.version_info. Some fields may be hidden: reachable by name but not
// part of the tuple (struct_time.tm_zone, stat_result.st_mtime as a float).
#pragma once

#include <cstddef>

#include "runtime/object.h"

namespace mvm {

inline constexpr size_t kMaxStructSeqFields = 20;

struct StructSeqType : Type {
  const char* qualified_name = nullptr;   // for repr: "time.struct_time"
  const char* const* fields = nullptr;    // n_fields names; the first n_visible are the tuple
  size_t n_visible = 0;
  size_t n_fields = 0;
  GetSetDef field_getsets[kMaxStructSeqFields + 1] = {};
};

// Fills in a struct sequence type from inside its MINIVM_TYPE_SETUP: `module_name` and
// `type_name` ("time", "struct_time"), then the field names.
void setup_struct_seq_type(Type& t, const char* module_name, const char* type_name,
                           const char* qualified_name, const char* const* fields,
                           size_t n_visible, size_t n_fields);

// A new instance holding values[0..n_fields) (borrowed). Null with MemoryError.
Value struct_seq_new(ThreadState& ts, StructSeqType* type, const Value* values);

}  // namespace mvm
