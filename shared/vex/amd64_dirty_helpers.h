// VEX's amd64 dirty helpers for the instructions whose results re-execution
// cannot reproduce: the recorder wraps them to log their results
// (shared/recorder/translation_log.cc), the replayer calls or replaces them
// (gdbstub/replay/nondet_*).  They live in libvex but are declared only in
// VEX's private headers
// (priv/guest_amd64_defs.h), which Debian does not ship; these declarations
// follow the signatures of Valgrind 3.19.
#pragma once

extern "C" {
#include "libvex_basictypes.h"
#include "libvex_guest_amd64.h"

ULong amd64g_dirtyhelper_RDTSC(void);
void amd64g_dirtyhelper_RDTSCP(VexGuestAMD64State* st);
ULong amd64g_dirtyhelper_RDRAND(void);
ULong amd64g_dirtyhelper_RDSEED(void);
void amd64g_dirtyhelper_SxDT(void* address, ULong op);
void amd64g_dirtyhelper_CPUID_baseline(VexGuestAMD64State* st);
void amd64g_dirtyhelper_CPUID_sse3_and_cx16(VexGuestAMD64State* st);
void amd64g_dirtyhelper_CPUID_sse42_and_cx16(VexGuestAMD64State* st);
void amd64g_dirtyhelper_CPUID_avx_and_cx16(VexGuestAMD64State* st,
                                           ULong hasF16C, ULong hasRDRAND,
                                           ULong hasRDSEED);
void amd64g_dirtyhelper_CPUID_avx2(VexGuestAMD64State* st, ULong hasF16C,
                                   ULong hasRDRAND, ULong hasRDSEED);
}
