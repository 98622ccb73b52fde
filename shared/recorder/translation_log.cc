#include "shared/recorder/translation_log.h"

#include "shared/recorder/trace_output.h"
#include "shared/rt/hash_map.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/trace/event_records.h"
#include "shared/vex/amd64_dirty_helpers.h"

namespace unstuck::recorder {
namespace {

using trace::NondetKind;

void log_values(NondetKind kind, ULong a, ULong b = 0, ULong c = 0,
                ULong d = 0, uint32_t count = 1) {
  if (!is_recording()) return;
  // Stamped with the previous event's time: the clock already counts the
  // whole superblock, which may yet leave early (see format.h).
  trace::NondetRecord{kind, count, {a, b, c, d}}.write(events(), last_event_time());
  event_written();
}

void log_cpuid(const VexGuestAMD64State* st) {
  log_values(NondetKind::Cpuid, st->guest_RAX, st->guest_RBX, st->guest_RCX,
             st->guest_RDX, 4);
}

// The wrappers: same signatures as the helpers they stand for.
ULong record_rdtsc() {
  ULong v = amd64g_dirtyhelper_RDTSC();
  log_values(NondetKind::Rdtsc, v);
  return v;
}
void record_rdtscp(VexGuestAMD64State* st) {
  amd64g_dirtyhelper_RDTSCP(st);
  log_values(NondetKind::Rdtscp, st->guest_RAX, st->guest_RDX, st->guest_RCX, 0, 3);
}
ULong record_rdrand() {
  ULong v = amd64g_dirtyhelper_RDRAND();
  log_values(NondetKind::Rdrand, v);
  return v;
}
ULong record_rdseed() {
  ULong v = amd64g_dirtyhelper_RDSEED();
  log_values(NondetKind::Rdseed, v);
  return v;
}
void record_cpuid_baseline(VexGuestAMD64State* st) {
  amd64g_dirtyhelper_CPUID_baseline(st);
  log_cpuid(st);
}
void record_cpuid_sse3(VexGuestAMD64State* st) {
  amd64g_dirtyhelper_CPUID_sse3_and_cx16(st);
  log_cpuid(st);
}
void record_cpuid_sse42(VexGuestAMD64State* st) {
  amd64g_dirtyhelper_CPUID_sse42_and_cx16(st);
  log_cpuid(st);
}
void record_cpuid_avx(VexGuestAMD64State* st, ULong f16c, ULong rdrand, ULong rdseed) {
  amd64g_dirtyhelper_CPUID_avx_and_cx16(st, f16c, rdrand, rdseed);
  log_cpuid(st);
}
void record_cpuid_avx2(VexGuestAMD64State* st, ULong f16c, ULong rdrand, ULong rdseed) {
  amd64g_dirtyhelper_CPUID_avx2(st, f16c, rdrand, rdseed);
  log_cpuid(st);
}
void record_sxdt(void* address, ULong op) {
  amd64g_dirtyhelper_SxDT(address, op);
  ULong words[2] = {0, 0};
  VG_(memcpy)(words, address, 10);
  log_values(NondetKind::Sxdt, (ULong)address, words[0], words[1], 0, 3);
}

struct Wrapper {
  const char* helper;
  const char* name;
  void* function;
};

const Wrapper kWrappers[] = {
    {"amd64g_dirtyhelper_RDTSC", "unstuck_record_rdtsc", (void*)record_rdtsc},
    {"amd64g_dirtyhelper_RDTSCP", "unstuck_record_rdtscp", (void*)record_rdtscp},
    {"amd64g_dirtyhelper_RDRAND", "unstuck_record_rdrand", (void*)record_rdrand},
    {"amd64g_dirtyhelper_RDSEED", "unstuck_record_rdseed", (void*)record_rdseed},
    {"amd64g_dirtyhelper_CPUID_baseline", "unstuck_record_cpuid", (void*)record_cpuid_baseline},
    {"amd64g_dirtyhelper_CPUID_sse3_and_cx16", "unstuck_record_cpuid", (void*)record_cpuid_sse3},
    {"amd64g_dirtyhelper_CPUID_sse42_and_cx16", "unstuck_record_cpuid", (void*)record_cpuid_sse42},
    {"amd64g_dirtyhelper_CPUID_avx_and_cx16", "unstuck_record_cpuid", (void*)record_cpuid_avx},
    {"amd64g_dirtyhelper_CPUID_avx2", "unstuck_record_cpuid", (void*)record_cpuid_avx2},
    {"amd64g_dirtyhelper_SxDT", "unstuck_record_sxdt", (void*)record_sxdt},
};

const Wrapper* wrapper_for(const IRCallee* callee) {
  for (const Wrapper& w : kWrappers)
    if (VG_(strcmp)(callee->name, w.helper) == 0) return &w;
  return nullptr;
}

void rewrite_helper_calls(IRSB* sb) {
  for (Int i = 0; i < sb->stmts_used; ++i) {
    IRStmt* st = sb->stmts[i];
    if (st->tag != Ist_Dirty) continue;
    const Wrapper* w = wrapper_for(st->Ist.Dirty.details->cee);
    if (w == nullptr) continue;
    IRCallee* old = st->Ist.Dirty.details->cee;
    st->Ist.Dirty.details->cee = mkIRCallee(old->regparms, w->name, w->function);
  }
}

// ---- redirections ----------------------------------------------------------

// Per guest address, the code address last logged for it.
HashMap<Addr, Addr>* g_redirects = nullptr;

// Valgrind starts a redirected translation with "guest_NRADDR = value":
// zero for a replacement, the original address for a wrapper that calls it.
bool is_wrap(const IRSB* sb) {
  const Int nraddr = offsetof(VexGuestAMD64State, guest_NRADDR);
  for (Int i = 0; i < sb->stmts_used; ++i) {
    const IRStmt* st = sb->stmts[i];
    if (st->tag == Ist_IMark) break;
    if (st->tag == Ist_Put && st->Ist.Put.offset == nraddr &&
        st->Ist.Put.data->tag == Iex_Const)
      return st->Ist.Put.data->Iex.Const.con->Ico.U64 != 0;
  }
  return false;
}

void log_redirect(const IRSB* sb, const VgCallbackClosure* closure) {
  if (closure->nraddr == closure->readdr || !is_recording()) return;
  if (g_redirects == nullptr) g_redirects = new HashMap<Addr, Addr>();
  Addr* known = g_redirects->find(closure->nraddr);
  if (known != nullptr && *known == closure->readdr) return;
  (*g_redirects)[closure->nraddr] = closure->readdr;
  trace::RedirectRecord{closure->nraddr, closure->readdr, is_wrap(sb)}
      .write(events(), timeline::now());
  event_written();
}

}  // namespace

IRSB* add_translation_log(IRSB* sb, const VgCallbackClosure* closure) {
  log_redirect(sb, closure);
  rewrite_helper_calls(sb);
  return sb;
}

}  // namespace unstuck::recorder
