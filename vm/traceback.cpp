// Tracebacks and exception printing in CPython's format.
#include "vm/traceback.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "runtime/abstract.h"
#include "runtime/alloc.h"
#include "runtime/code.h"
#include "runtime/dict.h"
#include "runtime/errors.h"
#include "runtime/int.h"
#include "runtime/module.h"
#include "runtime/str.h"
#include "runtime/type.h"
#include "vm/frame.h"
#include "vm/interpreter.h"
#include "vm/thread_state.h"

namespace mvm {

static void tb_dealloc(Object* o) {
  Traceback* tb = static_cast<Traceback*>(o);
  decref(Value::from_obj(tb->next));
  decref(Value::from_obj(tb->code));
  free_object(o);
}
static Value tb_next(ThreadState&, Value self) {
  Traceback* n = self.as<Traceback>()->next;
  return newref(n ? Value::from_obj(n) : none());
}
static Value tb_lineno(ThreadState&, Value self) { return int_from_int64(self.as<Traceback>()->lineno); }
static Value tb_frame(ThreadState&, Value) { return newref(none()); }
static const GetSetDef tb_getsets[] = {
    {"tb_next", tb_next},
    {"tb_lineno", tb_lineno},
    {"tb_frame", tb_frame},
    {nullptr, nullptr},
};

Type traceback_type;
MINIVM_TYPE_SETUP(traceback_type) {
  t.name = "traceback";
  t.basic_size = sizeof(Traceback);
  t.flags = kTypeImmutable;
  t.dealloc = tb_dealloc;
  t.getsets = tb_getsets;
}

void traceback_add(ThreadState& ts, Frame* frame, uint32_t instr_index) {
  Value exc = ts.current_exception;
  if (!exc || !is_exception_instance(exc)) return;
  ExceptionObject* e = exc.as<ExceptionObject>();
  Traceback* tb = new_object<Traceback>(&traceback_type);
  tb->code = static_cast<Code*>(newref(Value::from_obj(frame->code)).obj());
  tb->lineno = frame->code->line_of(instr_index);
  tb->next = e->traceback ? e->traceback.as<Traceback>() : nullptr;   // takes the old reference
  e->traceback = Value::from_obj(tb);
}

void remember_source(ThreadState& ts, const std::string& filename, std::string_view source) {
  std::lock_guard<std::mutex> guard(ts.interp->sources_mutex);
  ts.interp->sources[filename] = std::string(source);
}

// Line `lineno` of a file, from the remembered sources or the file system; "" if unknown.
// Code without a file ("<string>" from -c, "<stdin>") shows no lines, as in CPython 3.11.
static std::string source_line(ThreadState& ts, const std::string& filename, int lineno) {
  if (filename.empty() || filename[0] == '<') return "";
  std::string text;
  {
    std::lock_guard<std::mutex> guard(ts.interp->sources_mutex);
    auto it = ts.interp->sources.find(filename);
    if (it != ts.interp->sources.end()) text = it->second;
  }
  if (text.empty()) {
    std::ifstream in(filename);
    if (!in) return "";
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  std::istringstream lines(text);
  std::string line;
  for (int i = 1; std::getline(lines, line); i++)
    if (i == lineno) return line;
  return "";
}

static std::string strip(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\f\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\f\r\n");
  return s.substr(a, b - a + 1);
}

static std::string exception_name(Value exc) {
  Type* t = type_of(exc);
  std::string name = t->qualname ? std::string(str_view(t->qualname)) : t->name;
  if (t->flags & kTypeHeap) {
    Value module = dict_get_str(t->dict, intern("__module__"));
    if (module && is_str(module)) {
      std::string_view m = str_view(module);
      if (m != "__main__" && m != "builtins") name = std::string(m) + "." + name;
    }
  }
  return name;
}

static void format_traceback_entries(ThreadState& ts, Traceback* tb, std::string& out) {
  std::string last_key;
  int repeats = 0;
  auto flush_repeats = [&] {
    if (repeats > 3)
      out += "  [Previous line repeated " + std::to_string(repeats - 3) + " more time" +
             (repeats - 3 == 1 ? "" : "s") + "]\n";
  };
  for (; tb; tb = tb->next) {
    std::string filename(str_view(tb->code->filename));
    std::string key = filename + ":" + std::to_string(tb->lineno) + ":" + std::string(str_view(tb->code->name));
    if (key == last_key) {
      repeats++;
      if (repeats > 3) continue;
    } else {
      flush_repeats();
      last_key = key;
      repeats = 1;
    }
    out += "  File \"" + filename + "\", line " + std::to_string(tb->lineno) + ", in " +
           std::string(str_view(tb->code->name)) + "\n";
    std::string line = strip(source_line(ts, filename, tb->lineno));
    if (!line.empty()) out += "    " + line + "\n";
  }
  flush_repeats();
}

// SyntaxError shows the offending line with a caret under the error.
static void format_syntax_error_detail(ThreadState& ts, Value exc, std::string& out) {
  Dict** slot = instance_dict_slot(exc);
  if (!slot || !*slot) return;
  Dict* d = *slot;
  Value filename = dict_get_str(d, intern("filename"));
  Value lineno = dict_get_str(d, intern("lineno"));
  Value offset = dict_get_str(d, intern("offset"));
  Value end_offset = dict_get_str(d, intern("end_offset"));
  Value end_lineno = dict_get_str(d, intern("end_lineno"));
  Value text = dict_get_str(d, intern("text"));
  if (!filename || is_none(filename) || !lineno || is_none(lineno)) return;
  out += "  File \"" + str_string(ts, filename) + "\", line " + str_string(ts, lineno) + "\n";
  if (!text || !is_str(text)) return;
  std::string line(str_view(text));
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  size_t indent = line.find_first_not_of(" \t\f");
  if (indent == std::string::npos) return;
  std::string stripped = line.substr(indent);
  out += "    " + stripped + "\n";
  if (!offset || !offset.is_small_int()) return;
  // CPython prints no caret when the error points into the stripped indentation, and a
  // single caret for indentation errors.
  int64_t col = offset.as_small_int() - 1 - int64_t(indent);
  if (col < 0) return;
  int64_t width = 1;
  bool same_line = end_lineno && end_lineno.is_small_int() && end_lineno == lineno;
  bool indentation_error = is_instance_of(exc, &IndentationError_type);
  if (!indentation_error && same_line && end_offset && end_offset.is_small_int() &&
      end_offset.as_small_int() > offset.as_small_int())
    width = end_offset.as_small_int() - offset.as_small_int();
  // Columns count code points; the caret line is made of spaces, so count them the same way.
  std::string pad;
  size_t cp = 0;
  for (size_t i = 0; i < stripped.size() && int64_t(cp) < col; i++)
    if ((stripped[i] & 0xC0) != 0x80) {
      pad += ' ';
      cp++;
    }
  out += "    " + pad + std::string(size_t(width), '^') + "\n";
}

static void format_one(ThreadState& ts, Value exc, std::string& out) {
  ExceptionObject* e = exc.as<ExceptionObject>();
  if (e->traceback && type_of(e->traceback) == &traceback_type) {
    out += "Traceback (most recent call last):\n";
    format_traceback_entries(ts, e->traceback.as<Traceback>(), out);
  }
  if (is_instance_of(exc, &SyntaxError_type)) format_syntax_error_detail(ts, exc, out);
  std::string name = exception_name(exc);
  Value msg_value = is_instance_of(exc, &SyntaxError_type) && instance_dict_slot(exc) && *instance_dict_slot(exc)
                        ? dict_get_str(*instance_dict_slot(exc), intern("msg"))
                        : Value();
  std::string message;
  if (msg_value && is_str(msg_value)) {
    message = std::string(str_view(msg_value));
  } else {
    Ref s(object_str(ts, exc));
    if (!s) {
      clear_error(ts);
      message = "<exception str() failed>";
    } else {
      message = std::string(str_view(s.get()));
    }
  }
  out += message.empty() ? name + "\n" : name + ": " + message + "\n";
}

static void format_chain(ThreadState& ts, Value exc, std::string& out, std::unordered_set<Object*>& seen) {
  seen.insert(exc.obj());
  ExceptionObject* e = exc.as<ExceptionObject>();
  if (e->cause && is_exception_instance(e->cause) && !seen.count(e->cause.obj())) {
    format_chain(ts, e->cause, out, seen);
    out += "\nThe above exception was the direct cause of the following exception:\n\n";
  } else if (e->context && !e->suppress_context && is_exception_instance(e->context) && !seen.count(e->context.obj())) {
    format_chain(ts, e->context, out, seen);
    out += "\nDuring handling of the above exception, another exception occurred:\n\n";
  }
  format_one(ts, exc, out);
}

std::string format_exception(ThreadState& ts, Value exc) {
  std::string out;
  if (!is_exception_instance(exc)) return repr_string(ts, exc) + "\n";
  std::unordered_set<Object*> seen;
  format_chain(ts, exc, out, seen);
  return out;
}

void write_to_stderr(ThreadState& ts, std::string_view text) {
  Value pending = fetch_error(ts);
  Value err = ts.interp && ts.interp->sys ? module_get(ts.interp->sys, "stderr") : Value();
  bool written = false;
  if (err && !is_none(err)) {
    Ref s(str_value(text));
    Ref r(call_method(ts, err, "write", {s.get()}));
    if (r) {
      Ref f(call_method(ts, err, "flush", {}));
      written = true;
    }
    clear_error(ts);
  }
  if (!written) {
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
  }
  restore_error(ts, pending);
}

void print_exception(ThreadState& ts, Value exc) {
  Value pending = fetch_error(ts);
  std::string text = format_exception(ts, exc);
  restore_error(ts, pending);
  write_to_stderr(ts, text);
}

}  // namespace mvm
