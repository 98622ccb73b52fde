// Logs every change to the client's memory that re-executing guest code
// cannot compute: the address space (maps, unmaps, remaps, protections, the
// heap's break), mapped file contents, and memory written by the kernel or
// by Valgrind's core (syscall output buffers, signal frames, client
// requests).  The replayer's memory reads as zero where nothing was written,
// so zero pages are never logged.
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::recorder {

// Subscribes to the core's address-space and memory-write events.
void install_memory_log();

// Logs every client mapping and its non-zero contents, and Valgrind's
// trampoline code, which the guest executes too.  At the first instruction
// and at the start of a forked child's trace.
void log_whole_address_space();

// Logs `len` bytes at `a` as written outside guest code (by a tool into the
// client, for instance).
void log_memory_written(Addr a, SizeT len);

}  // namespace unstuck::recorder
