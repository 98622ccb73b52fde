// The NondetSource of a replay: answers each rdtsc, rdtscp, rdrand, rdseed,
// cpuid and sgdt/sidt with the next value the recording logged, in order.
// A request the recording does not explain (the queue is empty, or its head
// is another instruction's result) is a divergence: the source answers
// zeros and remembers it, and the replayer reports it after the run.
#pragma once

#include <deque>
#include <string>

#include "gdbstub/replay/nondet_source.h"
#include "shared/trace/event_records.h"

namespace unstuck::replay {

class RecordedNondet final : public NondetSource {
 public:
  void push(const trace::NondetRecord& record) { queue_.push_back(record); }
  size_t pending() const { return queue_.size(); }

  // Empty while every request matched the recording.
  const std::string& mismatch() const { return mismatch_; }

  uint64_t rdtsc() override;
  RdtscpResult rdtscp() override;
  uint64_t rdrand() override;
  uint64_t rdseed() override;
  void cpuid(VexGuestAMD64State& state, const CpuidCall& call) override;
  std::array<uint8_t, 10> sxdt(uint64_t op) override;

 private:
  // The next recorded result, which must be of `kind`; null on a mismatch.
  const trace::NondetRecord* take(trace::NondetKind kind, const char* what);

  std::deque<trace::NondetRecord> queue_;
  trace::NondetRecord current_{};
  std::string mismatch_;
};

}  // namespace unstuck::replay
