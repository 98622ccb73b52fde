#include "gdbstub/replay/recorded_nondet.h"

#include <cstring>

namespace unstuck::replay {

using trace::NondetKind;

const trace::NondetRecord* RecordedNondet::take(NondetKind kind, const char* what) {
  if (!mismatch_.empty()) return nullptr;
  if (queue_.empty()) {
    mismatch_ = std::string("the replay executed ") + what +
                ", which the recording did not";
    return nullptr;
  }
  current_ = queue_.front();
  queue_.pop_front();
  if (current_.kind != kind) {
    mismatch_ = std::string("the replay executed ") + what +
                " where the recording executed another non-deterministic instruction";
    return nullptr;
  }
  return &current_;
}

uint64_t RecordedNondet::rdtsc() {
  const trace::NondetRecord* r = take(NondetKind::Rdtsc, "rdtsc");
  return r ? r->values[0] : 0;
}

RdtscpResult RecordedNondet::rdtscp() {
  // Logged as the guest's rax, rdx and rcx after the instruction.
  const trace::NondetRecord* r = take(NondetKind::Rdtscp, "rdtscp");
  if (r == nullptr) return {0, 0};
  uint64_t tsc = (r->values[0] & 0xffffffffULL) | (r->values[1] << 32);
  return {tsc, static_cast<uint32_t>(r->values[2])};
}

uint64_t RecordedNondet::rdrand() {
  const trace::NondetRecord* r = take(NondetKind::Rdrand, "rdrand");
  return r ? r->values[0] : 0;
}

uint64_t RecordedNondet::rdseed() {
  const trace::NondetRecord* r = take(NondetKind::Rdseed, "rdseed");
  return r ? r->values[0] : 0;
}

void RecordedNondet::cpuid(VexGuestAMD64State& state, const CpuidCall&) {
  const trace::NondetRecord* r = take(NondetKind::Cpuid, "cpuid");
  if (r == nullptr) return;
  state.guest_RAX = r->values[0];
  state.guest_RBX = r->values[1];
  state.guest_RCX = r->values[2];
  state.guest_RDX = r->values[3];
}

std::array<uint8_t, 10> RecordedNondet::sxdt(uint64_t) {
  std::array<uint8_t, 10> bytes{};
  const trace::NondetRecord* r = take(NondetKind::Sxdt, "sgdt/sidt");
  if (r != nullptr) {
    uint64_t words[2] = {r->values[1], r->values[2]};
    std::memcpy(bytes.data(), words, bytes.size());
  }
  return bytes;
}

}  // namespace unstuck::replay
