// types.SimpleNamespace: an object whose attributes are just its keyword arguments. sys uses
// it for sys.implementation, sys.flags and sys.float_info.
#pragma once

#include <initializer_list>
#include <utility>

#include "runtime/object.h"

namespace mvm {

extern Type simple_namespace_type;

// A namespace with the given attributes (values borrowed). Null with an exception on error.
Value namespace_new(ThreadState& ts, std::initializer_list<std::pair<const char*, Value>> attrs);

}  // namespace mvm
