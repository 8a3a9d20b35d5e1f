// The table of native standard-library modules (see modules.h).
#include "stdlib/modules.h"

namespace mvm {

const NativeModuleDef kNativeModules[] = {
    {"builtins", init_builtins_module},
    {"sys", init_sys_module},
    {"time", init_time_module},
    {"math", init_math_module},
    {"random", init_random_module},
    {"os", init_os_module},
    {"os.path", init_os_path_module},
    {"io", init_io_module},
    {"_io", init_io_module},
    {"_collections", init_collections_module},
    {"_thread", init_thread_module},
    {"_interpreters", init_interpreters_module},
    {"sysconfig", init_sysconfig_module},
    {nullptr, nullptr},
};

}  // namespace mvm
