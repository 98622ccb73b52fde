#include "gdbstub/replay/nondet_helpers.h"

#include <cstring>

#include "gdbstub/replay/nondet_source.h"
#include "shared/rt/check.h"

namespace unstuck::replay {
namespace {

thread_local NondetSource* t_source = nullptr;

NondetSource& source() {
  UNSTUCK_CHECK_MSG(t_source != nullptr,
                    "generated code asked for a non-deterministic value "
                    "with no NondetSource bound");
  return *t_source;
}

// The replacements, called from generated code with the helpers' own
// signatures (see shared/vex/amd64_dirty_helpers.h).

ULong replay_rdtsc(void) { return source().rdtsc(); }

void replay_rdtscp(VexGuestAMD64State* st) {
  RdtscpResult r = source().rdtscp();
  st->guest_RAX = r.tsc & 0xffffffffu;
  st->guest_RDX = r.tsc >> 32;
  st->guest_RCX = r.aux;
}

ULong replay_rdrand(void) { return source().rdrand(); }

ULong replay_rdseed(void) { return source().rdseed(); }

// `address` is already a host address: the memory-rebase pass ran first.
void replay_sxdt(void* address, ULong op) {
  std::array<uint8_t, 10> bytes = source().sxdt(op);
  std::memcpy(address, bytes.data(), bytes.size());
}

void replay_cpuid_baseline(VexGuestAMD64State* st) {
  source().cpuid(*st, {CpuidVariant::Baseline, 0, 0, 0});
}

void replay_cpuid_sse3(VexGuestAMD64State* st) {
  source().cpuid(*st, {CpuidVariant::Sse3Cx16, 0, 0, 0});
}

void replay_cpuid_sse42(VexGuestAMD64State* st) {
  source().cpuid(*st, {CpuidVariant::Sse42Cx16, 0, 0, 0});
}

void replay_cpuid_avx(VexGuestAMD64State* st, ULong f16c, ULong rdrand,
                      ULong rdseed) {
  source().cpuid(*st, {CpuidVariant::AvxCx16, f16c, rdrand, rdseed});
}

void replay_cpuid_avx2(VexGuestAMD64State* st, ULong f16c, ULong rdrand,
                       ULong rdseed) {
  source().cpuid(*st, {CpuidVariant::Avx2, f16c, rdrand, rdseed});
}

struct Replacement {
  const char* vex_name;
  const char* our_name;
  void* function;
};

const Replacement kReplacements[] = {
    {"amd64g_dirtyhelper_RDTSC", "unstuck_replay_RDTSC",
     reinterpret_cast<void*>(&replay_rdtsc)},
    {"amd64g_dirtyhelper_RDTSCP", "unstuck_replay_RDTSCP",
     reinterpret_cast<void*>(&replay_rdtscp)},
    {"amd64g_dirtyhelper_RDRAND", "unstuck_replay_RDRAND",
     reinterpret_cast<void*>(&replay_rdrand)},
    {"amd64g_dirtyhelper_RDSEED", "unstuck_replay_RDSEED",
     reinterpret_cast<void*>(&replay_rdseed)},
    {"amd64g_dirtyhelper_SxDT", "unstuck_replay_SxDT",
     reinterpret_cast<void*>(&replay_sxdt)},
    {"amd64g_dirtyhelper_CPUID_baseline", "unstuck_replay_CPUID_baseline",
     reinterpret_cast<void*>(&replay_cpuid_baseline)},
    {"amd64g_dirtyhelper_CPUID_sse3_and_cx16", "unstuck_replay_CPUID_sse3",
     reinterpret_cast<void*>(&replay_cpuid_sse3)},
    {"amd64g_dirtyhelper_CPUID_sse42_and_cx16", "unstuck_replay_CPUID_sse42",
     reinterpret_cast<void*>(&replay_cpuid_sse42)},
    {"amd64g_dirtyhelper_CPUID_avx_and_cx16", "unstuck_replay_CPUID_avx",
     reinterpret_cast<void*>(&replay_cpuid_avx)},
    {"amd64g_dirtyhelper_CPUID_avx2", "unstuck_replay_CPUID_avx2",
     reinterpret_cast<void*>(&replay_cpuid_avx2)},
};

const Replacement* replacement_for(const char* name) {
  for (const Replacement& r : kReplacements)
    if (std::strcmp(r.vex_name, name) == 0) return &r;
  return nullptr;
}

}  // namespace

bool is_nondet_helper(const char* name) {
  return replacement_for(name) != nullptr;
}

int replace_nondet_helpers(IRSB* sb) {
  int rewritten = 0;
  for (Int i = 0; i < sb->stmts_used; ++i) {
    IRStmt* st = sb->stmts[i];
    if (st->tag != Ist_Dirty) continue;
    IRDirty* d = st->Ist.Dirty.details;
    const Replacement* r = replacement_for(d->cee->name);
    if (r == nullptr) continue;
    d->cee = mkIRCallee(d->cee->regparms, r->our_name, r->function);
    ++rewritten;
  }
  return rewritten;
}

NondetBinding::NondetBinding(NondetSource* source) : previous_(t_source) {
  t_source = source;
}

NondetBinding::~NondetBinding() { t_source = previous_; }

}  // namespace unstuck::replay
