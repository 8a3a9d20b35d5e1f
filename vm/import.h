// The import system: finding modules (already loaded, native, embedded stdlib, files on
// sys.path), loading each exactly once, and the IMPORT_* instructions' helpers.
#pragma once

#include <string_view>

#include "runtime/object.h"

namespace mvm {

struct Frame;
struct Module;

// __import__(name, globals, locals, fromlist, level): returns the top-level package for
// `import a.b`, or the module itself when fromlist is non-empty.
Value import_name(ThreadState& ts, Dict* globals, Str* name, Value fromlist, int level);
// `from module import name`, falling back to importing a submodule module.name.
Value import_from(ThreadState& ts, Value module, Str* name);
// `from module import *` into the frame's namespace.
int import_star(ThreadState& ts, Frame* frame, Value module);
// Imports a module by its absolute dotted name and returns it (a new reference).
Value import_module(ThreadState& ts, std::string_view name);

}  // namespace mvm
