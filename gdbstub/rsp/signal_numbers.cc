#include "gdbstub/rsp/signal_numbers.h"

namespace unstuck::rsp {

namespace {

constexpr int kGdbSignalUnknown = 143;
constexpr int kGdbSignalRealtime32 = 77;
constexpr int kGdbSignalRealtime33 = 45;  // 33..63 are consecutive from here
constexpr int kGdbSignalRealtime64 = 78;

// Index: Linux number 0..31.
constexpr int kClassic[32] = {
    0,  1,  2,  3,  4,  5,  6,  10,  // 0, HUP INT QUIT ILL TRAP ABRT BUS
    8,  9,  30, 11, 31, 13, 14, 15,  // FPE KILL USR1 SEGV USR2 PIPE ALRM TERM
    kGdbSignalUnknown,               // STKFLT: GDB has none
    20, 19, 17, 18, 21, 22, 16,      // CHLD CONT STOP TSTP TTIN TTOU URG
    24, 25, 26, 27, 28, 23, 32, 12,  // XCPU XFSZ VTALRM PROF WINCH IO PWR SYS
};

}  // namespace

int gdb_signal_from_linux(int linux_signal) {
  if (linux_signal >= 0 && linux_signal < 32) return kClassic[linux_signal];
  if (linux_signal == 32) return kGdbSignalRealtime32;
  if (linux_signal >= 33 && linux_signal <= 63) {
    return kGdbSignalRealtime33 + (linux_signal - 33);
  }
  if (linux_signal == 64) return kGdbSignalRealtime64;
  return kGdbSignalUnknown;
}

}  // namespace unstuck::rsp
