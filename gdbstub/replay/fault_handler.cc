#include "gdbstub/replay/fault_handler.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "gdbstub/replay/guest_memory.h"
#include "shared/rt/check.h"

namespace unstuck::replay {
namespace {

// Written by the one thread that runs generated code, read by its own
// synchronous signal handler.
jmp_buf* g_landing = nullptr;
HostFault g_last_fault = {0, 0};

void say(const char* text) {
  ssize_t ignored = ::write(2, text, std::strlen(text));
  (void)ignored;
}

// Not a fault of guest code: fall back to the default action, which the
// kernel takes when the faulting instruction runs again on return.
void give_up(int signal) {
  say("unstuck replay: host fault outside generated code (a replayer bug)\n");
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigaction(signal, &dfl, nullptr);
}

void on_fault(int signal, siginfo_t* info, void*) {
  const uintptr_t address = reinterpret_cast<uintptr_t>(info->si_addr);
  GuestMemory* memory = GuestMemory::current();
  if (signal == SIGSEGV && memory != nullptr &&
      memory->handle_write_fault(address))
    return;  // the store runs again, now on a writable page
  if (g_landing == nullptr) return give_up(signal);
  g_last_fault = {signal, address};
  jmp_buf* landing = g_landing;
  g_landing = nullptr;
  longjmp(*landing, 1);
}

void install(int signal) {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = &on_fault;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  int rc = sigaction(signal, &sa, nullptr);
  UNSTUCK_CHECK(rc == 0);
}

}  // namespace

void install_fault_handlers() {
  for (int signal : {SIGSEGV, SIGBUS, SIGFPE}) {
    struct sigaction current;
    sigaction(signal, nullptr, &current);
    if ((current.sa_flags & SA_SIGINFO) == 0 ||
        current.sa_sigaction != &on_fault)
      install(signal);
  }
}

void arm_fault_landing(jmp_buf* landing) {
  UNSTUCK_CHECK(g_landing == nullptr);
  g_landing = landing;
}

void disarm_fault_landing() { g_landing = nullptr; }

HostFault last_host_fault() { return g_last_fault; }

}  // namespace unstuck::replay
