// sysconfig: the build configuration scripts ask about, above all Py_GIL_DISABLED (1 in a
// build that can run without the GIL, as in CPython's free-threaded build).
#include "runtime/abstract.h"
#include "runtime/args.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/module.h"
#include "runtime/str.h"
#include "stdlib/modules.h"
#include "vm/thread_state.h"

namespace mvm {

namespace {

int fill_config_vars(ThreadState& ts, Dict* d) {
  Ref version(str_value("3.12"));
  Ref soabi(str_value("minivm"));
  return dict_set_str(ts, d, intern("Py_GIL_DISABLED"), Value::small_int(MINIVM_FREE_THREADING ? 1 : 0)) < 0 ||
                 dict_set_str(ts, d, intern("py_version_short"), version.get()) < 0 ||
                 dict_set_str(ts, d, intern("SOABI"), soabi.get()) < 0
             ? -1
             : 0;
}

Value sysconfig_get_config_var(ThreadState& ts, const Value* args, size_t nargs, Tuple* kwnames) {
  if (!check_no_kwargs(ts, "get_config_var", kwnames) || !check_nargs(ts, "get_config_var", nargs, 1, 1)) return Value();
  Ref d(Value::from_obj(dict_new(ts)));
  if (!d || fill_config_vars(ts, d.as<Dict>()) < 0) return Value();
  Value v = dict_get(ts, d.as<Dict>(), args[0]);
  if (!v && ts.has_error()) return Value();
  return newref(v ? v : none());
}

Value sysconfig_get_config_vars(ThreadState& ts, const Value*, size_t nargs, Tuple* kwnames) {
  Ref d(Value::from_obj(dict_new(ts)));
  if (!d || fill_config_vars(ts, d.as<Dict>()) < 0) return Value();
  return d.release();
}

Value sysconfig_get_platform(ThreadState&, const Value*, size_t, Tuple*) { return str_value("linux-x86_64"); }

const MethodDef sysconfig_functions[] = {
    {"get_config_var", sysconfig_get_config_var},
    {"get_config_vars", sysconfig_get_config_vars},
    {"get_platform", sysconfig_get_platform},
    {nullptr, nullptr},
};

}  // namespace

int init_sysconfig_module(ThreadState& ts, Module* m) { return module_add_functions(ts, m, sysconfig_functions); }

}  // namespace mvm
