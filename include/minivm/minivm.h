// minivm's public embedding API: create an interpreter, run scripts, expose C++ functions to
// them and call script functions back. Values cross the boundary as minivm::Object handles,
// which own a reference and release it when destroyed. Script errors arrive as
// minivm::Error exceptions carrying the Python exception's type, message and traceback.
//
//   minivm::Interpreter vm;
//   vm.def("add", [](minivm::Args args) { return args.vm().integer(args[0].as_int() + args[1].as_int()); });
//   vm.exec("def square(x):\n    return x * x\n");
//   int64_t nine = vm.global("square")(vm.integer(3)).as_int();
//
// One Interpreter is used from the thread that created it (threads started by scripts are
// managed by minivm itself, and may call host functions). Between calls that thread lets go
// of the interpreter, so script threads keep running while the host does other work.
// Handles must not outlive their Interpreter.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mvm {
struct Interpreter;
}

namespace minivm {

class Interpreter;

// Options fixed when an interpreter is created.
struct Config {
  std::vector<std::string> argv;          // sys.argv (argv[0] is the script name)
  std::vector<std::string> module_path;   // extra directories on sys.path
  int gil = -1;                           // 1: GIL, 0: free-threaded, -1: the build's default
  bool gil_stats = false;                 // -X gilstats
  std::string gil_trace;                  // -X giltrace[=FILE]
  bool handle_sigint = false;             // Ctrl-C raises KeyboardInterrupt in the script
};

// A Python exception that escaped to the host.
class Error : public std::runtime_error {
 public:
  Error(std::string type, std::string message, std::string traceback)
      : std::runtime_error(type + ": " + message),
        type_(std::move(type)),
        message_(std::move(message)),
        traceback_(std::move(traceback)) {}
  const std::string& type() const { return type_; }        // e.g. "ValueError"
  const std::string& message() const { return message_; }  // str(exception)
  const std::string& traceback() const { return traceback_; }   // as Python prints it

 private:
  std::string type_, message_, traceback_;
};

// An owning handle to a script value.
class Object {
 public:
  Object() = default;
  Object(const Object& other);
  Object(Object&& other) noexcept;
  Object& operator=(Object other) noexcept;
  ~Object();

  bool is_none() const;
  bool is_null() const { return bits_ == 0; }
  bool truthy() const;
  int64_t as_int() const;          // throws Error(TypeError/OverflowError)
  double as_float() const;         // ints and floats
  std::string as_string() const;   // str objects only
  std::string str() const;         // str(x)
  std::string repr() const;        // repr(x)

  Object attr(std::string_view name) const;
  Object call(std::initializer_list<Object> args) const;
  template <class... A>
  Object operator()(A&&... args) const {
    return call({Object(std::forward<A>(args))...});
  }

 private:
  friend class Interpreter;
  friend struct Access;
  Object(Interpreter* vm, uintptr_t bits) : vm_(vm), bits_(bits) {}
  Interpreter* vm_ = nullptr;
  uintptr_t bits_ = 0;   // an mvm::Value; this handle owns one reference
};

// The arguments of a native function called from a script.
class Args {
 public:
  Args(Interpreter& vm, std::span<const Object> items) : vm_(vm), items_(items) {}
  size_t size() const { return items_.size(); }
  const Object& operator[](size_t i) const { return items_[i]; }
  Interpreter& vm() const { return vm_; }

 private:
  Interpreter& vm_;
  std::span<const Object> items_;
};

// A native function: throw minivm::Error (or std::exception) to raise in the script.
using NativeFunction = std::function<Object(Args)>;

// What an interactive entry did (for REPLs).
enum class ReplStatus { Done, Incomplete, Error };

class Interpreter {
 public:
  explicit Interpreter(Config config = {});
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Run a script as __main__, printing any uncaught exception like python does. Returns
  // the process exit status python would have (0, 1, or sys.exit's code).
  int run_file(const std::string& path);
  int run_string(std::string_view source, const std::string& filename = "<string>");

  // Run code in __main__ and return the value (None for statements); throws Error.
  Object exec(std::string_view source, const std::string& filename = "<string>");
  Object eval(std::string_view expression);

  // One REPL entry: expression values are echoed; Incomplete asks for more lines.
  ReplStatus repl_step(const std::string& source);

  // __main__'s globals.
  Object global(std::string_view name);
  void set_global(std::string_view name, const Object& value);
  // Define a builtin function visible to every script of this interpreter.
  void def(std::string_view name, NativeFunction fn);
  // Import a module and return it.
  Object import(std::string_view name);

  // Values.
  Object none();
  Object integer(int64_t v);
  Object number(double v);
  Object string(std::string_view v);
  Object boolean(bool v);

  mvm::Interpreter* internals() { return impl_; }

 private:
  mvm::Interpreter* impl_;
};

// "minivm 0.1.0 (Python 3.12 subset, free-threading: yes)"
std::string version_string();
// Whether this build can run without the GIL.
bool build_supports_free_threading();
// The bytecode of a source file as text (like `python -m dis`), or the SyntaxError.
std::string disassemble(std::string_view source, const std::string& filename);

}  // namespace minivm
