// Standard library modules written in the Python subset (stdlib/lib/*.py), compiled into
// the binary by stdlib/embed.cmake so that minivm needs no files at run time.
#pragma once

namespace mvm {

struct EmbeddedModule {
  const char* name;     // module name: file name without .py ("threading")
  const char* source;
};
// Terminated by an entry whose name is null.
extern const EmbeddedModule kEmbeddedModules[];

}  // namespace mvm
