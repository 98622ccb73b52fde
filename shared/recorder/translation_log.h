// Logs how guest code was translated, so the replayer lifts identical IR
// and feeds it identical values:
// - redirections (the guest jumped to `nraddr`, the code came from
//   `readdr`), with the kind of preamble Valgrind added (wrap or replace);
// - the results of instructions whose results re-execution cannot
//   reproduce (rdtsc, rdtscp, rdrand, rdseed, cpuid, sgdt/sidt): their VEX
//   helper calls are rewritten to call a logging wrapper.
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::recorder {

// The recorder's instrumentation pass.  Runs after a tool's analysis
// passes and before the clock pass.
IRSB* add_translation_log(IRSB* sb, const VgCallbackClosure* closure);

}  // namespace unstuck::recorder
