// The minivm command line: a thin client of the embedding API (include/minivm/minivm.h).
//   minivm [options] script.py [args]   run a script
//   minivm -c 'code' [args]               run a string
//   minivm - [args]                       run standard input
//   minivm                                start the REPL
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "cli/repl.h"
#include "minivm/minivm.h"

namespace {

const char kUsage[] =
    "usage: minivm [option] ... [-c cmd | file | -] [arg] ...\n"
    "Options:\n"
    "  -c cmd        program passed in as string (terminates option list)\n"
    "  -h, --help    print this help message and exit\n"
    "  -V, --version print the version number and exit\n"
    "  --dis         print the bytecode of the program instead of running it\n"
    "  -u, -B, -E, -s, -S  accepted for compatibility with python; no effect\n"
    "  -X gil=0|1    run without (0) or with (1) the global interpreter lock; the default is 0\n"
    "                in a free-threading build, 1 in a GIL-only one\n"
    "  -X gilstats   print GIL statistics per thread at exit\n"
    "  -X giltrace[=FILE]  draw a GIL timeline at exit, or write Chrome trace JSON to FILE\n"
    "  file          program read from script file\n"
    "  -             program read from stdin\n"
    "  arg ...       arguments passed to program in sys.argv[1:]\n"
    "Environment:\n"
    "  MINIVM_GIL    0 or 1, like -X gil (the flag wins)\n"
    "  MINIVMPATH    ':'-separated directories added to sys.path\n";

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "minivm: %s\n%s", message.c_str(), "usage: minivm [option] ... [-c cmd | file | -] [arg] ...\nTry `minivm -h' for more information.\n");
  std::exit(2);
}

// Parses the value of -X gil / MINIVM_GIL; exits with status 2 on a bad value.
int parse_gil(const std::string& value, const char* where) {
  if (value == "0" || value == "1") {
    int gil = value[0] - '0';
    if (gil == 0 && !minivm::build_supports_free_threading()) {
      std::fprintf(stderr,
                   "minivm: %s: the GIL cannot be disabled: this minivm was built without "
                   "free-threading support (configure with -DMINIVM_FREE_THREADING=ON)\n",
                   where);
      std::exit(2);
    }
    return gil;
  }
  std::fprintf(stderr, "minivm: %s: invalid value '%s' for the gil (expected 0 or 1)\n", where, value.c_str());
  std::exit(2);
}

bool read_all(std::FILE* f, std::string* out) {
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  return !std::ferror(f);
}

}  // namespace

int main(int argc, char** argv) {
  minivm::Config config;
  config.handle_sigint = true;
  bool dis = false;
  std::string command;
  bool have_command = false;
  int i = 1;
  for (; i < argc; i++) {
    std::string arg = argv[i];
    if (arg == "-c") {
      if (i + 1 >= argc) usage_error("Argument expected for the -c option");
      command = argv[++i];
      have_command = true;
      i++;
      break;
    } else if (arg == "-h" || arg == "--help" || arg == "-?") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "-V" || arg == "--version") {
      std::printf("%s\n", minivm::version_string().c_str());
      return 0;
    } else if (arg == "--dis") {
      dis = true;
    } else if (arg == "-X") {
      if (i + 1 >= argc) usage_error("Argument expected for the -X option");
      std::string opt = argv[++i];
      if (opt.rfind("gil=", 0) == 0) config.gil = parse_gil(opt.substr(4), "-X gil");
      else if (opt == "gilstats") config.gil_stats = true;
      else if (opt == "giltrace") config.gil_trace = "-";
      else if (opt.rfind("giltrace=", 0) == 0) config.gil_trace = opt.substr(9);
      else if (opt == "gil") usage_error("-X gil needs a value: -X gil=0 or -X gil=1");
      else usage_error("unknown -X option '" + opt + "' (known: gil=0|1, gilstats, giltrace[=FILE])");
    } else if (arg == "-u" || arg == "-B" || arg == "-E" || arg == "-s" || arg == "-S") {
      // Accepted for compatibility with python's command line.
    } else if (arg == "-") {
      break;
    } else if (arg.size() > 1 && arg[0] == '-') {
      usage_error("unknown option " + arg);
    } else {
      break;
    }
  }
  if (config.gil < 0) {
    if (const char* env = std::getenv("MINIVM_GIL"); env && *env) config.gil = parse_gil(env, "MINIVM_GIL");
  }
  if (const char* env = std::getenv("MINIVMPATH"); env && *env) {
    std::string paths = env;
    size_t start = 0;
    while (start <= paths.size()) {
      size_t colon = paths.find(':', start);
      std::string p = paths.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!p.empty()) config.module_path.push_back(p);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }

  // What to run, and sys.argv.
  std::string script;
  if (have_command) {
    config.argv.push_back("-c");
  } else if (i < argc) {
    script = argv[i++];
    config.argv.push_back(script);
  } else {
    config.argv.push_back("");
  }
  for (; i < argc; i++) config.argv.push_back(argv[i]);

  if (dis) {
    std::string source, filename;
    if (have_command) {
      source = command;
      filename = "<string>";
    } else if (script.empty() || script == "-") {
      read_all(stdin, &source);
      filename = "<stdin>";
    } else {
      std::FILE* f = std::fopen(script.c_str(), "rb");
      if (!f) {
        std::fprintf(stderr, "minivm: can't open file '%s': [Errno %d] %s\n", script.c_str(), errno, std::strerror(errno));
        return 2;
      }
      read_all(f, &source);
      std::fclose(f);
      filename = script;
    }
    std::fputs(minivm::disassemble(source, filename).c_str(), stdout);
    return 0;
  }

  minivm::Interpreter vm(config);
  if (have_command) return vm.run_string(command, "<string>");
  if (script == "-") {
    std::string source;
    read_all(stdin, &source);
    return vm.run_string(source, "<stdin>");
  }
  if (!script.empty()) return vm.run_file(script);
  if (!isatty(STDIN_FILENO)) {
    // `echo code | minivm` runs the whole input like python does.
    std::string source;
    read_all(stdin, &source);
    return vm.run_string(source, "<stdin>");
  }
  return run_repl(vm);
}
