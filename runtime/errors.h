// Raising and inspecting exceptions from C++, and the built-in exception types.
// Convention: a function that fails sets the ThreadState's current exception and returns
// a null Value (or -1); `return raise(ts, &TypeError_type, "...")` does both at once.
#pragma once

#include <string>
#include <string_view>

#include "runtime/object.h"

namespace mvm {

// Every built-in exception type, as X(name, base). The order is a valid definition order.
#define MINIVM_EXCEPTION_TYPES(X)                       \
  X(BaseException, object)                              \
  X(BaseExceptionGroup, BaseException)                  \
  X(SystemExit, BaseException)                          \
  X(KeyboardInterrupt, BaseException)                   \
  X(GeneratorExit, BaseException)                       \
  X(Exception, BaseException)                           \
  X(StopIteration, Exception)                           \
  X(StopAsyncIteration, Exception)                      \
  X(ArithmeticError, Exception)                         \
  X(FloatingPointError, ArithmeticError)                \
  X(OverflowError, ArithmeticError)                     \
  X(ZeroDivisionError, ArithmeticError)                 \
  X(AssertionError, Exception)                          \
  X(AttributeError, Exception)                          \
  X(BufferError, Exception)                             \
  X(EOFError, Exception)                                \
  X(ImportError, Exception)                             \
  X(ModuleNotFoundError, ImportError)                   \
  X(LookupError, Exception)                             \
  X(IndexError, LookupError)                            \
  X(KeyError, LookupError)                              \
  X(MemoryError, Exception)                             \
  X(NameError, Exception)                               \
  X(UnboundLocalError, NameError)                       \
  X(OSError, Exception)                                 \
  X(FileNotFoundError, OSError)                         \
  X(FileExistsError, OSError)                           \
  X(PermissionError, OSError)                           \
  X(IsADirectoryError, OSError)                         \
  X(NotADirectoryError, OSError)                        \
  X(TimeoutError, OSError)                              \
  X(InterruptedError, OSError)                          \
  X(BrokenPipeError, OSError)                           \
  X(ReferenceError, Exception)                          \
  X(RuntimeError, Exception)                            \
  X(NotImplementedError, RuntimeError)                  \
  X(RecursionError, RuntimeError)                       \
  X(PythonFinalizationError, RuntimeError)              \
  X(SyntaxError, Exception)                             \
  X(IndentationError, SyntaxError)                      \
  X(TabError, IndentationError)                         \
  X(SystemError, Exception)                             \
  X(TypeError, Exception)                               \
  X(ValueError, Exception)                              \
  X(UnicodeError, ValueError)                           \
  X(UnicodeDecodeError, UnicodeError)                   \
  X(UnicodeEncodeError, UnicodeError)                   \
  X(Warning, Exception)                                 \
  X(UserWarning, Warning)                               \
  X(DeprecationWarning, Warning)                        \
  X(RuntimeWarning, Warning)

#define MINIVM_DECLARE_EXC(name, base) extern Type name##_type;
MINIVM_EXCEPTION_TYPES(MINIVM_DECLARE_EXC)
#undef MINIVM_DECLARE_EXC

// The layout of every exception instance. Like CPython's, exceptions have a __dict__, which
// also holds the extra attributes of OSError (errno, ...) and SyntaxError (lineno, ...).
struct ExceptionObject : Object {
  Dict* dict = nullptr;
  Tuple* args = nullptr;          // always a tuple once initialised
  Value traceback;                // a Traceback or null
  Value cause;                    // __cause__ (null: None)
  Value context;                  // __context__ (null: None)
  bool suppress_context = false;
  Value value;                    // StopIteration.value, SystemExit.code, or null
};

// Sets the current exception to type(message) and returns a null Value.
Value raise(ThreadState& ts, Type* type, std::string_view message);
// printf-style formatting of the message.
Value raise_fmt(ThreadState& ts, Type* type, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));
// Raises an exception instance or an exception class (instantiated with no arguments).
// Borrows exc. Raises TypeError if exc is neither.
Value raise_value(ThreadState& ts, Value exc);
// Raises type(*args).
Value raise_with_args(ThreadState& ts, Type* type, const Value* args, size_t nargs);
// KeyError(key), which needs the key itself rather than a message.
Value raise_key_error(ThreadState& ts, Value key);
Value raise_memory_error(ThreadState& ts);
// StopIteration(value) for generators that return a value.
Value raise_stop_iteration(ThreadState& ts, Value value);
// Replaces the pending exception with type(message), raised `from` it (its __cause__), as
// PEP 479 turns a StopIteration escaping a generator into RuntimeError.
void raise_from_pending(ThreadState& ts, Type* type, std::string_view message);
// If the pending exception is a StopIteration, takes it and returns its value (None when it
// has none) as a new reference; otherwise null, with the exception left pending.
Value take_stop_iteration_value(ThreadState& ts);

bool error_occurred(const ThreadState& ts);
// Whether the pending exception is an instance of type (or a subclass).
bool error_matches(const ThreadState& ts, Type* type);
// Clears the pending exception.
void clear_error(ThreadState& ts);
// Takes the pending exception out of the ThreadState (a new reference; null if none).
Value fetch_error(ThreadState& ts);
// Makes exc (stolen) the pending exception.
void restore_error(ThreadState& ts, Value exc);

// Makes an exception instance without raising it (new reference).
Value new_exception(ThreadState& ts, Type* type, std::string_view message);
bool is_exception_type(Value v);
bool is_exception_instance(Value v);

// For messages: the type name of a value ("int", "list", ...).
const char* type_name(Value v);
// repr(v) as a std::string; on failure clears the error and returns "<object>".
std::string repr_string(ThreadState& ts, Value v);
// str(v) as a std::string, likewise.
std::string str_string(ThreadState& ts, Value v);

}  // namespace mvm
