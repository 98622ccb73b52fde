// The dispatcher (dispatcher.S): the only way into and out of generated
// code.
//
// unstuck_replay_enter saves the host's callee-saved registers, clears the
// direction flag, loads the guest state pointer into %rbp and jumps to the
// host code.  The x87 control word (0x027F) and MXCSR (0x1F80) that VEX's
// code expects are the caller's business (VexFpMode below): loading them
// costs more than a short block, so it happens once per run, not per entry.
// Translations leave through one of the continuation points below, which
// return to C++ with an ExitKind:
//
//   chain_me_to_slowEP / _fastEP  called by a direct exit not yet chained;
//                                 `word` is the patch site (the call's
//                                 return address minus the 13 bytes of
//                                 "movabsq $target, %r11; call *%r11")
//   xindir                        an indirect exit whose target is not in
//                                 the fast table (see fast_table.h)
//   xassisted                     an exit the C++ side must handle; %rbp
//                                 held a VEX_TRC_* code, now in `word`
//   evcheck_fail                  a translation's event check found
//                                 host_EvC_COUNTER exhausted (the block did
//                                 not start)
//
// In every case guest_RIP holds the next guest address.
#pragma once

#include <stdint.h>

namespace unstuck::replay {

enum class ExitKind : uint64_t {
  ChainMeToSlowEP = 1,
  ChainMeToFastEP = 2,
  Indirect = 3,
  Assisted = 4,
  EventCheckFailed = 5,
};

struct DispatchExit {
  ExitKind kind;
  uint64_t word;  // the patch site or the VEX_TRC_* code, else 0
};

extern "C" {
void unstuck_replay_enter(DispatchExit* exit, void* guest_state,
                          const void* host_code);
void unstuck_replay_chain_me_to_slowEP(void);
void unstuck_replay_chain_me_to_fastEP(void);
void unstuck_replay_xindir(void);
void unstuck_replay_xassisted(void);
void unstuck_replay_evcheck_fail(void);
}

// Bytes from a chain-me patch site to the call's return address.
inline constexpr uint64_t kChainMeCallBytes = 13;

}  // namespace unstuck::replay
