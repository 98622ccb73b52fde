// unstuck ps [ROOT]: the traces under a root, newest last, like `rr ps`.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <dirent.h>
#include <sys/stat.h>

#include "gdbstub/commands/command.h"
#include "shared/trace/event_records.h"
#include "shared/trace/trace_reader.h"

namespace unstuck::commands {
namespace {

struct Row {
  time_t when;
  std::string name, command, instructions, size, ending;
};

std::string with_commas(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string human_bytes(uint64_t bytes) {
  char text[32];
  if (bytes < 10 * 1024) std::snprintf(text, sizeof text, "%" PRIu64 " B", bytes);
  else if (bytes < 10 * 1024 * 1024) std::snprintf(text, sizeof text, "%" PRIu64 " KB", bytes >> 10);
  else std::snprintf(text, sizeof text, "%" PRIu64 " MB", bytes >> 20);
  return text;
}

// How the recorded process ended, from the last chunk's events.
std::string ending_of(const trace::TraceReader& reader) {
  if (!reader.damage().empty()) return "interrupted";
  if (reader.chunks().empty()) return "empty";
  trace::EventStream stream(reader);
  trace::EventKind kind;
  uint64_t time;
  trace::EventDecoder* fields;
  static trace::AnyEvent event;
  std::string ending = "interrupted";
  while (stream.next(&kind, &time, &fields)) {
    if (!trace::read_event(kind, *fields, &event)) return "corrupt";
    if (kind == trace::EventKind::Exit)
      ending = event.exit.kind == trace::ExitKind::Exited
                   ? "exit " + std::to_string(event.exit.value)
                   : "killed";
    else if (kind == trace::EventKind::Exec)
      ending = "exec";
  }
  return ending;
}

// One line per trace: control characters in arguments are shown escaped.
std::string printable(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) out += '?';
    else out += static_cast<char>(c);
  }
  return out;
}

std::optional<Row> row_for(const std::string& root, const std::string& name) {
  std::string error;
  auto reader = trace::TraceReader::open(root + "/" + name, &error);
  if (!reader) return std::nullopt;
  const trace::TraceHeader& h = reader->header();
  Row row;
  struct stat st;
  row.when = stat((root + "/" + name + "/header").c_str(), &st) == 0 ? st.st_mtime : 0;
  row.name = name;
  row.command = printable(h.executable);
  for (const std::string& a : h.arguments) row.command += " " + printable(a);
  row.instructions = with_commas(reader->last_time());
  row.size = human_bytes(reader->events_file_bytes());
  row.ending = ending_of(*reader);
  return row;
}

}  // namespace

int ps_command(const Arguments& args) {
  if (args.size() > 1) {
    std::fprintf(stderr, "usage: unstuck ps [ROOT]\n");
    return 2;
  }
  std::string root = args.empty() ? default_trace_root() : args[0];
  DIR* dir = opendir(root.c_str());
  if (dir == nullptr) {
    std::fprintf(stderr, "unstuck ps: no traces at %s\n", root.c_str());
    return 1;
  }
  std::vector<Row> rows;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name == "." || name == ".." || name == "blobs" || name == "latest-trace") continue;
    if (auto row = row_for(root, name)) rows.push_back(*row);
  }
  closedir(dir);
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.when != b.when ? a.when < b.when : a.name < b.name;
  });
  std::printf("%-20s %-16s %16s %9s %-18s %s\n", "TRACE", "DATE", "INSTRUCTIONS",
              "EVENTS", "ENDED", "COMMAND");
  for (const Row& r : rows) {
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M", std::localtime(&r.when));
    std::printf("%-20s %-16s %16s %9s %-18s %s\n", r.name.c_str(), date,
                r.instructions.c_str(), r.size.c_str(), r.ending.c_str(),
                r.command.c_str());
  }
  return 0;
}

}  // namespace unstuck::commands
