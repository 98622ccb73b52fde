#include "shared/recorder/recorder.h"

#include "shared/recorder/child_tid_log.h"
#include "shared/recorder/memory_log.h"
#include "shared/recorder/register_log.h"
#include "shared/recorder/thread_name_log.h"
#include "shared/recorder/trace_output.h"
#include "shared/recorder/translation_log.h"
#include "shared/rt/string_builder.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/trace/event_records.h"
#include "shared/trace/header_writer.h"
#include "shared/vg/core_events.h"

extern "C" {
#include "pub_tool_xarray.h"
#include "valgrind.h"
}

namespace unstuck::recorder {
namespace {

using trace::EventKind;
using trace::HeaderField;

struct Options {
  Int record;  // -1: as the tool decides, 0: no, 1: yes
  const HChar* trace_dir;
  Long check_every;
};

Options g_options = {-1, nullptr, 10 * 1000 * 1000};
const char* g_tool_name = "";
bool g_on = false;
bool g_started = false;      // the first instruction has been reached
Int g_exit_status = -1;      // from exit_group, when the program called it
Int g_parent_pid = 0;        // in a forked child: the parent's pid
StringBuilder* g_parent_trace = nullptr;

// ---- where traces go -----------------------------------------------------

// --trace-dir, else $UNSTUCK_TRACE_DIR, else ~/.local/share/unstuck.
void choose_root(StringBuilder* root) {
  if (g_options.trace_dir != nullptr) {
    root->append(g_options.trace_dir);
  } else if (const HChar* env = VG_(getenv)("UNSTUCK_TRACE_DIR")) {
    root->append(env);
  } else {
    const HChar* home = VG_(getenv)("HOME");
    root->append(home != nullptr ? home : VG_(tmpdir)());
    root->append("/.local/share/unstuck");
  }
}

// ---- the header -------------------------------------------------------------

void add_strings(trace::HeaderWriter& h, HeaderField field, XArray* strings) {
  for (Word i = 0; strings != nullptr && i < VG_(sizeXA)(strings); ++i)
    h.text(field, *(HChar**)VG_(indexXA)(strings, i));
}

void add_auxv(trace::HeaderWriter& h) {
  UWord* auxv = VG_(client_auxv);
  if (auxv == nullptr) return;
  SizeT words = 0;
  const UWord kAuxvEnd = 0;  // AT_NULL
  while (auxv[words] != kAuxvEnd) words += 2;
  h.bytes(HeaderField::Auxv, auxv, (words + 2) * sizeof(UWord));
}

// The ABI settings Valgrind 3.19 translates amd64-linux code with
// (coregrind/m_translate.c).
VexAbiInfo translation_abi() {
  VexAbiInfo abi;
  LibVEX_default_VexAbiInfo(&abi);
  abi.guest_stack_redzone_size = 128;
  abi.guest_amd64_assume_fs_is_const = True;
  abi.guest_amd64_assume_gs_is_const = True;
  return abi;
}

void build_header(trace::HeaderWriter& h) {
  StringBuilder version;
  version.append_unsigned(__VALGRIND_MAJOR__).append('.').append_unsigned(__VALGRIND_MINOR__);
  h.text(HeaderField::ValgrindVersion, version.c_str());
  h.text(HeaderField::ToolName, g_tool_name);
  h.number(HeaderField::Pid, VG_(getpid)());
  if (g_parent_pid != 0) {
    h.number(HeaderField::ParentPid, g_parent_pid);
    h.text(HeaderField::ParentTrace, g_parent_trace->c_str());
  }
  h.number(HeaderField::StartTime, timeline::now());
  h.text(HeaderField::WorkingDirectory, VG_(get_startup_wd)());
  h.text(HeaderField::Executable, VG_(args_the_exename));
  add_strings(h, HeaderField::Argument, VG_(args_for_client));
  for (HChar** env = VG_(client_envp); env != nullptr && *env != nullptr; ++env)
    h.text(HeaderField::Environment, *env);
  add_auxv(h);
  VexArch arch;
  VexArchInfo arch_info;
  VG_(machine_get_VexArchInfo)(&arch, &arch_info);
  h.bytes(HeaderField::VexArchInfo, &arch_info, sizeof arch_info);
  VexAbiInfo abi = translation_abi();
  h.bytes(HeaderField::VexAbiInfo, &abi, sizeof abi);
  h.bytes(HeaderField::VexControl, &VG_(clo_vex_control), sizeof(VexControl));
  h.number(HeaderField::GuestStateSize, sizeof(VexGuestAMD64State));
  h.number(HeaderField::CheckEvery, (ULong)g_options.check_every);
  add_strings(h, HeaderField::ToolOptions, VG_(args_for_valgrind));
}

bool open_new_trace() {
  StringBuilder root;
  choose_root(&root);
  trace::HeaderWriter header;
  build_header(header);
  TraceLocation where{root.c_str(), VG_(basename)(VG_(args_the_exename))};
  if (!open_trace(where, header)) return false;
  // Informational, like Valgrind's own preamble: silenced by -q.
  if (VG_(clo_verbosity) > 0) VG_(umsg)("Recording to %s\n", trace_folder());
  return true;
}

// ---- events at the edges of guest code --------------------------------------

// The address space is logged when the first instruction is about to run:
// by then the core has built the whole initial image.
void on_start(ThreadId, ULong) {
  if (g_started || !is_recording()) return;
  g_started = true;
  log_whole_address_space();
}

void on_signal(ThreadId tid, Int signal, Bool) {
  if (!is_recording()) return;
  trace::SignalRecord{timeline::thread_number(tid), signal}.write(events(), timeline::now());
  event_written();
}

void write_text_event(EventKind kind, ThreadId tid, const char* text) {
  trace::TextRecord{timeline::thread_number(tid),
                    {reinterpret_cast<const uint8_t*>(text), VG_(strlen)(text)}}
      .write(events(), kind, timeline::now());
  event_written();
}

// Things the replayer cannot reproduce: warned about, and marked in the
// trace with the syscall and the time.
void warn_unreplayable(ThreadId tid, const char* what) {
  StringBuilder text;
  text.append(what).append(" at time ").append_unsigned(timeline::now());
  VG_(umsg)("Warning: %s: this part of the run will not replay exactly\n",
            text.c_str());
  write_text_event(EventKind::Warning, tid, what);
}

bool names_proc_mem(const HChar* path) {
  if (path == nullptr) return false;
  SizeT n = VG_(strlen)(path);
  return VG_(strncmp)(path, "/proc/", 6) == 0 && n > 4 &&
         VG_(strcmp)(path + n - 4, "/mem") == 0;
}

void check_replayability(ThreadId tid, UInt number, const UWord* args) {
  switch (number) {
    case __NR_mmap:
      if ((args[3] & VKI_MAP_SHARED) && (args[2] & VKI_PROT_WRITE) &&
          !(args[3] & VKI_MAP_ANONYMOUS))
        warn_unreplayable(tid, "mmap MAP_SHARED|PROT_WRITE of a file (other "
                               "processes may write it)");
      break;
    case __NR_open:
      if (names_proc_mem((const HChar*)args[0]) && (args[1] & VKI_O_ACCMODE))
        warn_unreplayable(tid, "open of /proc/.../mem for writing");
      break;
    case __NR_openat:
      if (names_proc_mem((const HChar*)args[1]) && (args[2] & VKI_O_ACCMODE))
        warn_unreplayable(tid, "openat of /proc/.../mem for writing");
      break;
    case __NR_shmat:
      warn_unreplayable(tid, "shmat (other processes may write the segment)");
      break;
  }
}

// True when one thread is alive: its exit() ends the process with that
// status, as exit_group() would (a program without libc may end so).
bool only_thread_left() {
  ThreadId tid;
  Addr low, high;
  int alive = 0;
  VG_(thread_stack_reset_iter)(&tid);
  while (VG_(thread_stack_next)(&tid, &low, &high)) ++alive;
  return alive == 1;
}

void on_pre_syscall(ThreadId tid, UInt number, UWord* args, UInt) {
  if (!is_recording()) return;
  trace::SyscallRecord{timeline::thread_number(tid), number, 0}
      .write(events(), EventKind::SyscallEnter, timeline::now());
  event_written();
  log_register_digest(tid);
  check_replayability(tid, number, args);
  if (number == __NR_exit_group || (number == __NR_exit && only_thread_left()))
    g_exit_status = (Int)args[0];
  if (number == __NR_execve) {
    // If the exec succeeds nothing more of this process is seen: the trace
    // must be complete on disk now.
    write_text_event(EventKind::Exec, tid, (const HChar*)args[0]);
    flush_events();
    if (VG_(clo_verbosity) > 0 && core_events::exec_may_succeed((const HChar*)args[0]))
      VG_(umsg)("The program called execve(\"%s\"): the recording of this "
                "process ends here\n", (const HChar*)args[0]);
  }
}

bool creates_process(UInt number, const UWord* args) {
  return number == __NR_fork || number == __NR_vfork ||
         (number == __NR_clone && !(args[0] & VKI_CLONE_THREAD));
}

void on_post_syscall(ThreadId tid, UInt number, UWord* args, UInt,
                     SysRes result) {
  if (!is_recording()) return;
  Long value = sr_isError(result) ? -(Long)sr_Err(result) : (Long)sr_Res(result);
  trace::SyscallRecord{timeline::thread_number(tid), number, value}
      .write(events(), EventKind::SyscallExit, timeline::now());
  event_written();
  // In the parent: which process continues in a trace of its own.
  if (creates_process(number, args) && value > 0) {
    trace::ForkRecord{timeline::thread_number(tid), (uint64_t)value}
        .write(events(), timeline::now());
    event_written();
  }
}

// ---- fork -------------------------------------------------------------------

// The parent keeps its trace, and notes the child in a Fork event after
// the syscall returns.
void on_fork_parent(ThreadId) {}

// The child gets a trace of its own, starting from a full image of its
// memory and registers at the time of the fork: the two processes never
// write into one trace.
void on_fork_child(ThreadId tid) {
  if (!g_on) return;
  if (g_parent_trace == nullptr) g_parent_trace = new StringBuilder();
  g_parent_trace->clear();
  if (is_recording()) g_parent_trace->append(trace_folder());
  abandon_trace();
  g_parent_pid = VG_(getppid)();
  if (!open_new_trace()) return;
  forget_register_states();
  log_whole_address_space();
  // The child's first event: the registers it resumes with come at its
  // next start, like any thread's.
  (void)tid;
}

// Nothing the parent buffered may be inherited by the child's copy of the
// buffer (the child drops it, but the parent must not lose it either).
void on_fork_prepare(ThreadId) { flush_events(); }

const char* human_size(StringBuilder* out, ULong bytes) {
  out->clear();
  if (bytes < 10 * 1024) return out->append_unsigned(bytes).append(" B").c_str();
  if (bytes < 10 * 1024 * 1024)
    return out->append_unsigned(bytes / 1024).append(" KB").c_str();
  return out->append_unsigned(bytes / (1024 * 1024)).append(" MB").c_str();
}

}  // namespace

void install() {
  install_memory_log();
  install_register_log();
  install_child_tid_log();
  install_thread_name_log();
  core_events::on_start_client_code(on_start);
  core_events::on_pre_deliver_signal(on_signal);
  core_events::on_pre_syscall(on_pre_syscall);
  core_events::on_post_syscall(on_post_syscall);
  VG_(atfork)(on_fork_prepare, on_fork_parent, on_fork_child);
}

bool process_option(const HChar* arg) {
  Bool record = False;
  if VG_BOOL_CLO (arg, "--record", record) {
    g_options.record = record ? 1 : 0;
  } else if VG_STR_CLO (arg, "--trace-dir", g_options.trace_dir) {
  } else if VG_BINT_CLO (arg, "--record-check-every", g_options.check_every, 1,
                         (Long)1 << 50) {
  } else {
    return False;
  }
  return True;
}

void print_usage() {
  VG_(printf)(
      "    --record=no|yes           record the run for unstuck replay\n"
      "    --trace-dir=DIR           where traces go [$UNSTUCK_TRACE_DIR,\n"
      "                              else ~/.local/share/unstuck]\n"
      "    --record-check-every=N    register digest every N instructions,\n"
      "                              besides one at every syscall [10000000]\n");
}

void start(const char* tool_name, bool on_by_default) {
  g_tool_name = tool_name;
  g_on = g_options.record < 0 ? on_by_default : g_options.record == 1;
  if (!g_on) return;
  set_register_check_interval((uint64_t)g_options.check_every);
  open_new_trace();
}

bool is_on() { return g_on; }

IRSB* instrument(IRSB* sb, const VgCallbackClosure* closure) {
  return g_on ? add_translation_log(sb, closure) : sb;
}

void note_memory_written(Addr a, SizeT len) { log_memory_written(a, len); }

const char* trace_path() {
  if (!is_recording()) return nullptr;
  const char* folder = trace_folder();
  if (folder[0] == '/') return folder;
  // A relative --trace-dir: relative to where Valgrind started.
  static StringBuilder* absolute = nullptr;
  if (absolute == nullptr) absolute = new StringBuilder();
  absolute->clear();
  absolute->append(VG_(get_startup_wd)()).append('/').append(folder);
  return absolute->c_str();
}

void finish() {
  if (!is_recording()) return;
  trace::ExitKind kind = g_exit_status >= 0 ? trace::ExitKind::Exited
                                            : trace::ExitKind::Unknown;
  trace::ExitRecord{kind, g_exit_status}.write(events(), timeline::now());
  event_written();
  close_trace();
  StringBuilder events_size, blobs_size;
  if (VG_(clo_verbosity) > 0)
    VG_(umsg)("Recorded %'llu instructions: %s of events, %s of new blobs, in %s\n",
              (ULong)timeline::now(), human_size(&events_size, event_bytes()),
              human_size(&blobs_size, new_blob_bytes()), trace_folder());
}

}  // namespace unstuck::recorder
