#include "tools/argdist/monitor_command.h"

#include "tools/argdist/call_tracker.h"
#include "tools/argdist/report_text.h"

namespace unstuck::argdist {
namespace {

void to_gdb(const char* text) { VG_(gdb_printf)("%s", text); }

bool is_space(char c) { return c == ' ' || c == '\t'; }

// "argdist", then an optional glob; false for any other command.
bool run(const HChar* command) {
  static const char kWord[] = "argdist";
  const HChar* p = command;
  while (is_space(*p)) ++p;
  for (const char* w = kWord; *w != '\0'; ++w, ++p)
    if (*p != *w) return false;
  if (*p != '\0' && !is_space(*p)) return false;
  while (is_space(*p)) ++p;
  print_text_report(to_gdb, *p == '\0' ? nullptr : p);
  return true;
}

void print_help() {
  VG_(gdb_printf)(
      "argdist monitor commands:\n"
      "  argdist [FN]   the distributions so far, of every traced function\n"
      "                 or of those whose name matches the glob FN\n");
}

Bool handle_client_request(ThreadId /*tid*/, UWord* args, UWord* result) {
  if (args[0] != VG_USERREQ__GDB_MONITOR_COMMAND) return False;
  const HChar* command = reinterpret_cast<const HChar*>(args[1]);
  if (VG_(strcmp)(command, "help") == 0) {
    print_help();
    *result = 1;
    return True;
  }
  bool handled = run(command);
  *result = handled ? 1 : 0;
  return handled ? True : False;
}

}  // namespace

void install_monitor_command() {
  VG_(needs_client_requests)(handle_client_request);
}

}  // namespace unstuck::argdist
