// Valgrind's tool interface, made includable from C++.
//
// The pub_tool_*.h headers are C; this is the one place that includes them.
// Only code that runs inside Valgrind (tools/ and the tool half of shared/)
// may include this header.
#pragma once

extern "C" {
#include "pub_tool_basics.h"
}
// The kernel-interface headers declare only types, and contain C++ of their
// own (a static-assert template), so they stay outside extern "C".
#include "pub_tool_vki.h"

extern "C" {
#include "pub_tool_tooliface.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_gdbserver.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_machine.h"
#include "pub_tool_options.h"
#include "pub_tool_seqmatch.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_xarray.h"
#include "pub_tool_execontext.h"
#include "pub_tool_stacktrace.h"
#include "libvex_guest_amd64.h"
// The client-request codes (VG_USERREQ__*), for tools that handle some of
// the core's (MALLOCLIKE_BLOCK, GDB_MONITOR_COMMAND...).
#include "valgrind.h"

// Symbols of Valgrind 3.19's core that its tool headers do not declare but
// that its static core library exports.  Keep this list short and explain
// each use where it is made.
SysRes VG_(do_syscall)(UWord sysno, RegWord, RegWord, RegWord, RegWord,
                       RegWord, RegWord, RegWord, RegWord);
extern UWord* VG_(client_auxv);
// The tool API's VG_(discard_translations_safely) runs only inside client
// requests; the core's own may run from a helper called by generated code,
// which then finishes its superblock (the code stays until its sector is
// reused, at a later translation) and never runs again.
void VG_(discard_translations)(Addr start, ULong range, const HChar* who);
// A thread's ThreadState, whose guest state generated code updates in
// place: shared/vg/guest_state.cc finds it there (and checks that it did).
void* VG_(get_ThreadState)(ThreadId tid);
extern Addr VG_(trampoline_stuff_start);  // a label: use its address
extern Addr VG_(trampoline_stuff_end);    // a label: use its address

// An object's symbol table, as the core's own tools see it (argdist selects
// functions by every name of a symbol, aliases included, and by whether the
// symbol is global).  SymAVMAs is pub_core_debuginfo.h's, on amd64: the
// symbol's lowest address only.
struct SymAVMAs {
  Addr main;
};
Int VG_(DebugInfo_syms_howmany)(const DebugInfo* di);
void VG_(DebugInfo_syms_getidx)(const DebugInfo* di, Int idx, SymAVMAs* avmas,
                                UInt* size, const HChar** pri_name,
                                const HChar*** sec_names, Bool* isText,
                                Bool* isIFunc, Bool* isGlobal);
// Symbol tables hold mangled names; argdist matches demangled ones.
void VG_(demangle)(Bool do_cxx_demangling, Bool do_z_demangling,
                   const HChar* orig, const HChar** result);
}

// The C headers define NULL as ((void*)0), which C++ will not convert.
#undef NULL
#define NULL nullptr
