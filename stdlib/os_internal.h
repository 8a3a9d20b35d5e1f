// What os.cpp and os_path.cpp share: reading path arguments and the current directory.
#pragma once

#include <string>

#include "runtime/object.h"

namespace mvm {

// A path argument (str, bytes or os.PathLike) as bytes of a file name. On a wrong type,
// raises TypeError worded for os functions ("listdir: path should be ...") when fname is
// given, else as os.path does ("expected str, bytes or os.PathLike object, not int").
bool fspath_arg(ThreadState& ts, Value v, const char* fname, std::string* out);

// getcwd(); raises OSError on failure.
bool current_directory(ThreadState& ts, std::string* out);

}  // namespace mvm
