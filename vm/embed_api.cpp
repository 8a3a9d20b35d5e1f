// The public embedding API (include/minivm/minivm.h) on top of the VM's internals. Handles
// own references; host functions become objects of a small native type; Python exceptions
// become minivm::Error and back.
#include "minivm/minivm.h"

#include <cstring>

#include "compiler/compiler.h"
#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/float.h"
#include "runtime/int.h"
#include "runtime/module.h"
#include "runtime/str.h"
#include "runtime/tuple.h"
#include "runtime/type.h"
#include "vm/code_loader.h"
#include "vm/disassembler.h"
#include "vm/eval.h"
#include "vm/import.h"
#include "vm/interpreter.h"
#include "vm/traceback.h"

namespace minivm {

using mvm::Value;

// Friend access to Object's representation.
struct Access {
  static Object adopt(Interpreter* vm, Value v) { return Object(vm, v.raw()); }   // steals
  static Value get(const Object& o) { return Value::from_raw(o.bits_); }
  static Value release(Object& o) {
    Value v = Value::from_raw(o.bits_);
    o.bits_ = 0;
    return v;
  }
};

namespace {

// The calling thread's ThreadState: a thread that a script started has its own, even when it
// runs a host function; the host thread uses the interpreter's main one.
mvm::ThreadState& thread(Interpreter* vm) {
  mvm::ThreadState* current = mvm::current_thread_state();
  return current && current->interp == vm->internals() ? *current : *vm->internals()->main_thread;
}

// Between API calls the host thread runs host code, so it lets go of the interpreter as a
// thread blocked in a system call does: it drops the GIL, or goes offline for QSBR and
// detaches its refcount queue. Threads that scripts started keep running and freeing memory
// meanwhile, and a thread that joins the VM later never waits for the host's report. Every
// entry point holds a HostCall for its duration; only the outermost one attaches. A thread
// that a script started, running a host function, is attached already and changes nothing.
class HostCall {
 public:
  explicit HostCall(Interpreter* vm)
      : interp_(*vm->internals()), on_host_thread_(mvm::current_thread_state() == interp_.main_thread) {
    if (on_host_thread_ && interp_.host_calls++ == 0) interp_.host_released.reset();
  }
  ~HostCall() {
    if (on_host_thread_ && --interp_.host_calls == 0) interp_.host_released.emplace(*interp_.main_thread);
  }
  HostCall(const HostCall&) = delete;
  HostCall& operator=(const HostCall&) = delete;

 private:
  mvm::Interpreter& interp_;
  bool on_host_thread_;
};

// Turns the pending exception into a minivm::Error.
[[noreturn]] void throw_pending(mvm::ThreadState& ts) {
  Value exc = mvm::fetch_error(ts);
  mvm::Ref guard(exc);
  std::string type = exc ? mvm::type_name(exc) : "SystemError";
  std::string message = exc ? mvm::str_string(ts, exc) : "error without exception";
  std::string traceback = exc ? mvm::format_exception(ts, exc) : "";
  throw Error(type, message, traceback);
}

Object check(Interpreter* vm, Value v) {
  if (!v) throw_pending(thread(vm));
  return Access::adopt(vm, v);
}

// A C++ function callable from scripts.
struct HostFunction : mvm::Object {
  NativeFunction fn;
  Interpreter* vm = nullptr;
  std::string name;
};

void host_function_dealloc(mvm::Object* o) {
  auto* f = static_cast<HostFunction*>(o);
  f->~HostFunction();
  mvm::free_object(o);
}

// Raises the exception a native function threw, by type name when it is a builtin one.
void raise_from_host(mvm::ThreadState& ts, const std::string& type, const std::string& message) {
  mvm::Value t = mvm::dict_get_str(ts.interp->builtins_dict, mvm::intern(type));
  mvm::Type* exc_type = t && mvm::is_exception_type(t) ? t.as<mvm::Type>() : &mvm::RuntimeError_type;
  mvm::raise(ts, exc_type, message);
}

Value host_function_call(mvm::ThreadState& ts, Value self, const Value* args, size_t nargs, mvm::Tuple* kwnames) {
  auto* f = self.as<HostFunction>();
  if (kwnames && kwnames->size)
    return mvm::raise_fmt(ts, &mvm::TypeError_type, "%s() takes no keyword arguments", f->name.c_str());
  std::vector<Object> handles;
  handles.reserve(nargs);
  for (size_t i = 0; i < nargs; i++) handles.push_back(Access::adopt(f->vm, mvm::newref(args[i])));
  try {
    Object result = f->fn(Args(*f->vm, handles));
    if (result.is_null()) return mvm::newref(mvm::none());
    return Access::release(result);
  } catch (const Error& e) {
    raise_from_host(ts, e.type(), e.message());
  } catch (const std::exception& e) {
    mvm::raise(ts, &mvm::RuntimeError_type, e.what());
  }
  return Value();
}

Value host_function_repr(mvm::ThreadState&, Value self) {
  return mvm::str_value("<host function " + self.as<HostFunction>()->name + ">");
}

}  // namespace
}  // namespace minivm

namespace mvm {
Type host_function_type;
MINIVM_TYPE_SETUP(host_function_type) {
  t.name = "host_function";
  t.basic_size = sizeof(minivm::HostFunction);
  t.flags = kTypeImmutable;
  t.dealloc = minivm::host_function_dealloc;
  t.call = minivm::host_function_call;
  t.repr = minivm::host_function_repr;
}
}  // namespace mvm

namespace minivm {

// ---------------------------------------------------------------------------------------
// Object

Object::Object(const Object& other) : vm_(other.vm_), bits_(other.bits_) {
  if (Value::from_raw(bits_).is_obj()) {
    HostCall call(vm_);
    mvm::incref(Value::from_raw(bits_));
  }
}
Object::Object(Object&& other) noexcept : vm_(other.vm_), bits_(other.bits_) { other.bits_ = 0; }
Object& Object::operator=(Object other) noexcept {
  std::swap(vm_, other.vm_);
  std::swap(bits_, other.bits_);
  return *this;
}
Object::~Object() {
  if (Value::from_raw(bits_).is_obj()) {
    HostCall call(vm_);
    mvm::decref(Value::from_raw(bits_));
  }
}

bool Object::is_none() const { return Value::from_raw(bits_) == mvm::none(); }

bool Object::truthy() const {
  HostCall call(vm_);
  int r = mvm::object_truth(thread(vm_), Value::from_raw(bits_));
  if (r < 0) throw_pending(thread(vm_));
  return r;
}

int64_t Object::as_int() const {
  HostCall call(vm_);
  int64_t out;
  if (!mvm::int_to_int64(thread(vm_), Value::from_raw(bits_), &out)) throw_pending(thread(vm_));
  return out;
}

double Object::as_float() const {
  HostCall call(vm_);
  double out;
  if (!mvm::number_to_double(thread(vm_), Value::from_raw(bits_), &out)) throw_pending(thread(vm_));
  return out;
}

std::string Object::as_string() const {
  Value v = Value::from_raw(bits_);
  if (!mvm::is_str(v)) throw Error("TypeError", std::string("expected str, got ") + mvm::type_name(v), "");
  return std::string(mvm::str_view(v));
}

std::string Object::str() const {
  HostCall call(vm_);
  return check(vm_, mvm::object_str(thread(vm_), Value::from_raw(bits_))).as_string();
}
std::string Object::repr() const {
  HostCall call(vm_);
  return check(vm_, mvm::object_repr(thread(vm_), Value::from_raw(bits_))).as_string();
}

Object Object::attr(std::string_view name) const {
  HostCall call(vm_);
  return check(vm_, mvm::object_getattr(thread(vm_), Value::from_raw(bits_), mvm::intern(name)));
}

Object Object::call(std::initializer_list<Object> args) const {
  HostCall call(vm_);
  std::vector<Value> values;
  for (const Object& a : args) values.push_back(Access::get(a));
  return check(vm_, mvm::object_call(thread(vm_), Value::from_raw(bits_), values.data(), values.size()));
}

// ---------------------------------------------------------------------------------------
// Interpreter

Interpreter::Interpreter(Config config) {
  mvm::InterpreterConfig c;
  c.argv = std::move(config.argv);
  if (c.argv.empty()) c.argv.push_back("");
  c.path = std::move(config.module_path);
  c.gil = config.gil;
  c.gil_stats = config.gil_stats;
  c.gil_trace = std::move(config.gil_trace);
  c.install_signal_handlers = config.handle_sigint;
  impl_ = mvm::create_interpreter(c);
  impl_->host_released.emplace(*impl_->main_thread);   // the host thread runs host code now
}

Interpreter::~Interpreter() {
  impl_->host_released.reset();
  mvm::destroy_interpreter(impl_);
}

int Interpreter::run_file(const std::string& path) {
  HostCall call(this);
  mvm::ThreadState& ts = thread(this);
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    std::fprintf(stderr, "minivm: can't open file '%s': [Errno %d] %s\n", path.c_str(), errno, std::strerror(errno));
    return 2;
  }
  std::string source;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) source.append(buf, n);
  std::fclose(f);
  Value r = mvm::run_source(ts, source, path, impl_->main_module, mvm::ParseMode::File);
  mvm::decref(r);
  return r ? 0 : mvm::handle_uncaught_exception(ts);
}

int Interpreter::run_string(std::string_view source, const std::string& filename) {
  HostCall call(this);
  mvm::ThreadState& ts = thread(this);
  Value r = mvm::run_source(ts, source, filename, impl_->main_module, mvm::ParseMode::File);
  mvm::decref(r);
  return r ? 0 : mvm::handle_uncaught_exception(ts);
}

Object Interpreter::exec(std::string_view source, const std::string& filename) {
  HostCall call(this);
  return check(this, mvm::run_source(thread(this), source, filename, impl_->main_module, mvm::ParseMode::File));
}

Object Interpreter::eval(std::string_view expression) {
  HostCall call(this);
  return check(this, mvm::run_source(thread(this), expression, "<string>", impl_->main_module, mvm::ParseMode::Eval));
}

ReplStatus Interpreter::repl_step(const std::string& source) {
  HostCall call(this);
  mvm::ThreadState& ts = thread(this);
  mvm::CompileResult compiled = mvm::compile_source(source, "<stdin>", mvm::ParseMode::Interactive);
  if (!compiled.code) {
    if (compiled.error.incomplete_input) return ReplStatus::Incomplete;
    mvm::raise_syntax_error(ts, compiled.error);
    mvm::print_exception(ts, mvm::fetch_error(ts));
    return ReplStatus::Error;
  }
  mvm::Code* code = mvm::load_code(ts, *compiled.code);
  Value r = code ? mvm::eval_code(ts, code, impl_->main_module->dict, impl_->main_module->dict) : Value();
  if (r) {
    mvm::decref(r);
    return ReplStatus::Done;
  }
  if (mvm::error_matches(ts, &mvm::SystemExit_type)) throw Error("SystemExit", "", "");
  Value exc = mvm::fetch_error(ts);
  mvm::print_exception(ts, exc);
  mvm::decref(exc);
  return ReplStatus::Error;
}

Object Interpreter::global(std::string_view name) {
  HostCall call(this);
  Value v = mvm::dict_get_str(impl_->main_module->dict, mvm::intern(name));
  if (!v) throw Error("NameError", "name '" + std::string(name) + "' is not defined", "");
  return Access::adopt(this, mvm::newref(v));
}

void Interpreter::set_global(std::string_view name, const Object& value) {
  HostCall call(this);
  if (mvm::dict_set_str(thread(this), impl_->main_module->dict, mvm::intern(name), Access::get(value)) < 0)
    throw_pending(thread(this));
}

void Interpreter::def(std::string_view name, NativeFunction fn) {
  HostCall call(this);
  auto* f = mvm::new_object<HostFunction>(&mvm::host_function_type);
  f->fn = std::move(fn);
  f->vm = this;
  f->name = std::string(name);
  Object handle = Access::adopt(this, Value::from_obj(f));
  if (mvm::dict_set_str(thread(this), impl_->builtins_dict, mvm::intern(name), Access::get(handle)) < 0)
    throw_pending(thread(this));
}

Object Interpreter::import(std::string_view name) {
  HostCall call(this);
  return check(this, mvm::import_module(thread(this), name));
}

Object Interpreter::none() { return Access::adopt(this, mvm::none()); }
// These allocate (a big int, a heap float, a str), so they attach too.
Object Interpreter::integer(int64_t v) {
  HostCall call(this);
  return Access::adopt(this, mvm::int_from_int64(v));
}
Object Interpreter::number(double v) {
  HostCall call(this);
  return Access::adopt(this, mvm::float_new(v));
}
Object Interpreter::string(std::string_view v) {
  HostCall call(this);
  return Access::adopt(this, mvm::str_value(v));
}
Object Interpreter::boolean(bool v) { return Access::adopt(this, mvm::bool_value(v)); }

std::string version_string() {
  return std::string("minivm ") + MINIVM_VERSION + " (Python 3.12 subset, free-threading: " +
         (build_supports_free_threading() ? "yes" : "no") + ")";
}

bool build_supports_free_threading() { return MINIVM_FREE_THREADING; }

std::string disassemble(std::string_view source, const std::string& filename) {
  mvm::CompileResult compiled = mvm::compile_source(source, filename, mvm::ParseMode::File);
  if (!compiled.code) {
    const mvm::SyntaxErrorInfo& e = compiled.error;
    return "  File \"" + e.filename + "\", line " + std::to_string(e.line) + "\n    " + e.text +
           "\nSyntaxError: " + e.message + "\n";
  }
  return mvm::disassemble_code_unit(*compiled.code);
}

}  // namespace minivm
