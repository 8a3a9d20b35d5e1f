// Reports of GIL activity for people learning why threads do not speed up CPU work: a
// table of held/waiting time per thread, a terminal timeline, and Chrome trace JSON that
// Perfetto or chrome://tracing open.
#include "vm/gil_report.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "vm/interpreter.h"

namespace mvm {

namespace {

std::string thread_label(const GilThreadStats& s, size_t index) {
  if (!s.name.empty()) return s.name;
  return index == 0 ? "MainThread" : "Thread-" + std::to_string(index);
}

void print_stats(Gil& gil, uint64_t wall_ns) {
  std::vector<GilThreadStats> stats = gil.stats_snapshot();
  std::fprintf(stderr, "\nGIL statistics (switch interval %.1f ms, %.3f s wall time)\n",
               gil.switch_interval() * 1e3, double(wall_ns) / 1e9);
  std::fprintf(stderr, "  %-24s %12s %6s %12s %11s %13s\n", "thread", "bytecode", "share", "waiting", "hand-overs",
               "forced drops");
  uint64_t total_held = 0;
  for (size_t i = 0; i < stats.size(); i++) {
    const GilThreadStats& s = stats[i];
    total_held += s.held_ns;
    std::fprintf(stderr, "  %-24s %10.3f s %5.1f%% %10.3f s %11llu %13llu\n", thread_label(s, i).c_str(),
                 double(s.held_ns) / 1e9, wall_ns ? 100.0 * double(s.held_ns) / double(wall_ns) : 0.0,
                 double(s.wait_ns) / 1e9, static_cast<unsigned long long>(s.acquisitions),
                 static_cast<unsigned long long>(s.forced_drops));
  }
  std::fprintf(stderr, "  utilisation: the GIL was held %.1f%% of the wall time (at most 100%%: one thread at a time)\n",
               wall_ns ? 100.0 * double(total_held) / double(wall_ns) : 0.0);
}

// One row per thread: a column is a slice of wall time, dark where the thread held the GIL
// for most of it.
void print_timeline(Gil& gil, uint64_t wall_ns) {
  constexpr int kColumns = 64;
  std::vector<GilThreadStats> stats = gil.stats_snapshot();
  std::vector<GilEvent> events = gil.events_snapshot();
  if (wall_ns == 0) wall_ns = 1;
  std::fprintf(stderr, "\nGIL timeline (%d columns of %.2f ms; ▓ = holds the GIL, ░ = does not)\n", kColumns,
               double(wall_ns) / kColumns / 1e6);
  for (size_t t = 0; t < stats.size(); t++) {
    std::vector<uint64_t> held(kColumns, 0);
    for (const GilEvent& e : events) {
      if (size_t(e.thread_index) != t) continue;
      for (int c = 0; c < kColumns; c++) {
        uint64_t lo = wall_ns * uint64_t(c) / kColumns, hi = wall_ns * uint64_t(c + 1) / kColumns;
        uint64_t a = std::max(lo, e.start_ns), b = std::min(hi, e.end_ns);
        if (b > a) held[size_t(c)] += b - a;
      }
    }
    std::string row;
    for (int c = 0; c < kColumns; c++) {
      uint64_t width = wall_ns / kColumns + 1;
      row += held[size_t(c)] * 2 >= width ? "▓" : "░";
    }
    std::fprintf(stderr, "  %-16s %s\n", thread_label(stats[t], t).c_str(), row.c_str());
  }
}

// Thread names come from scripts: escape them for a JSON string.
std::string json_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

void write_trace_json(Gil& gil, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) {
    std::fprintf(stderr, "minivm: cannot write GIL trace to '%s'\n", path.c_str());
    return;
  }
  std::vector<GilThreadStats> stats = gil.stats_snapshot();
  std::vector<GilEvent> events = gil.events_snapshot();
  std::fputs("{\"traceEvents\": [\n", f);
  bool first = true;
  for (size_t t = 0; t < stats.size(); t++) {
    std::fprintf(f, "%s  {\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": %zu, \"args\": {\"name\": \"%s\"}}",
                 first ? "" : ",\n", t, json_escape(thread_label(stats[t], t)).c_str());
    first = false;
  }
  for (const GilEvent& e : events)
    std::fprintf(f, ",\n  {\"name\": \"holds GIL\", \"ph\": \"X\", \"pid\": 1, \"tid\": %d, \"ts\": %.3f, \"dur\": %.3f}",
                 e.thread_index, double(e.start_ns) / 1e3, double(e.end_ns - e.start_ns) / 1e3);
  std::fputs("\n], \"displayTimeUnit\": \"ms\"}\n", f);
  std::fclose(f);
  std::fprintf(stderr, "minivm: GIL trace written to %s (open it in Perfetto or chrome://tracing)\n", path.c_str());
}

}  // namespace

void report_gil_activity(Interpreter* interp) {
  Gil& gil = interp->gil;
  if (!gil.recording()) return;
  uint64_t wall_ns = monotonic_ns() - gil.start_time_ns();
  if (interp->config.gil_stats) print_stats(gil, wall_ns);
  if (interp->config.gil_trace == "-") print_timeline(gil, wall_ns);
  else if (!interp->config.gil_trace.empty()) write_trace_json(gil, interp->config.gil_trace);
}

}  // namespace mvm
