// The os and os.path modules, and the OSError helpers that every module doing I/O uses.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/object.h"

namespace mvm {

// The OSError subclass CPython raises for an errno value: FileNotFoundError for ENOENT,
// PermissionError for EACCES/EPERM, FileExistsError, IsADirectoryError, NotADirectoryError,
// InterruptedError, BrokenPipeError, TimeoutError; OSError otherwise.
Type* os_error_type_for(int errnum);

// Raises that subclass as OSError(errno, strerror[, filename]), so that str() gives
// "[Errno 2] No such file or directory: 'x'" and the errno, strerror and filename
// attributes are set. An empty filename is left out. Returns a null Value.
Value raise_os_error(ThreadState& ts, int errnum, std::string_view filename = {});

// os.path.join for POSIX paths: an absolute component restarts the path.
std::string path_join(const std::vector<std::string_view>& parts);
// os.path.normpath: collapses separators, "." and "..".
std::string path_normpath(std::string_view path);

}  // namespace mvm
