#include "tools/taint/client_requests.h"

#include "include/unstuck/taint.h"
#include "shared/recorder/recorder.h"
#include "shared/rt/string_builder.h"
#include "shared/timeline/instruction_clock.h"
#include "tools/taint/client_memory.h"
#include "tools/taint/findings.h"
#include "tools/taint/label_text.h"
#include "tools/taint/monitor_commands.h"
#include "tools/taint/shadow_state.h"
#include "tools/taint/sources.h"

namespace unstuck::taint {
namespace {

// The client-request sequence VEX lifts as one instruction: four rotates
// and an xchg, 19 bytes, ending its superblock.
constexpr Addr kRequestBytes = 19;
constexpr uint64_t kMaxName = 4096;

Addr request_instruction(ThreadId tid) { return VG_(get_IP)(tid) - kRequestBytes; }

UWord mark(UWord* args) {
  Addr name = args[3];
  uint64_t n = string_bytes(name, kMaxName);
  if (n == 0) return 0;
  StringBuilder copy;
  copy.append(reinterpret_cast<const char*>(name), n - 1);
  SourceId source = source_for(SourceKind::kClientRequest, copy.c_str());
  label_memory_bytes(args[1], args[2], source, 0);
  return 1;
}

UWord clear(UWord* args) {
  set_memory_label(args[1], args[2], kEmptyLabelSet);
  return 1;
}

// Writes the text into the program's buffer like snprintf, and tells the
// recorder (the replay must see the same bytes).
UWord query(UWord* args) {
  StringBuilder text;
  LabelSetId labels = memory_label(args[1], args[2]);
  if (labels == kEmptyLabelSet) text.append("{}");
  else append_labels(labels, text);
  Addr buffer = args[3];
  SizeT capacity = args[4];
  if (capacity > 0 && VG_(am_is_valid_for_client)(buffer, capacity, VKI_PROT_WRITE)) {
    SizeT n = text.size() < capacity - 1 ? text.size() : capacity - 1;
    VG_(memcpy)(reinterpret_cast<void*>(buffer), text.c_str(), n);
    reinterpret_cast<char*>(buffer)[n] = '\0';
    set_memory_label(buffer, n + 1, kEmptyLabelSet);
    recorder::note_memory_written(buffer, n + 1);
  }
  return text.size();
}

UWord check(ThreadId tid, UWord* args, bool want_tainted) {
  LabelSetId labels = memory_label(args[1], args[2]);
  bool tainted = labels != kEmptyLabelSet;
  if (tainted == want_tainted) return 1;
  const char* detail = want_tainted ? "UNSTUCK_TAINT_ASSERT_TAINTED failed"
                                    : "UNSTUCK_TAINT_ASSERT_UNTAINTED failed";
  report_finding(SinkKind::kCheck, detail, labels, request_instruction(tid),
                 timeline::time_of_instruction(1), tid, nullptr);
  return 0;
}

}  // namespace

Bool handle_client_request(ThreadId tid, UWord* args, UWord* result) {
  switch (args[0]) {
    case UNSTUCK_TAINT_REQ_MARK: *result = mark(args); return True;
    case UNSTUCK_TAINT_REQ_CLEAR: *result = clear(args); return True;
    case UNSTUCK_TAINT_REQ_QUERY: *result = query(args); return True;
    case UNSTUCK_TAINT_REQ_ASSERT_TAINTED: *result = check(tid, args, true); return True;
    case UNSTUCK_TAINT_REQ_ASSERT_UNTAINTED: *result = check(tid, args, false); return True;
    case VG_USERREQ__GDB_MONITOR_COMMAND: {
      Bool handled = handle_monitor_command(tid, reinterpret_cast<HChar*>(args[1]));
      *result = handled ? 1 : 0;
      return handled;
    }
    default:
      return False;
  }
}

}  // namespace unstuck::taint
