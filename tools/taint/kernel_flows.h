// Data that travels through the kernel inside the process keeps its
// labels: what one end of a pipe or socketpair writes, the other end
// reads.  Each direction is a KernelQueue of the labels of the bytes in
// flight, in order.
//
// A write is queued when the syscall starts (another thread may read the
// data before the writer's syscall returns) and trimmed to what the
// kernel took when it returns.
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/vg/valgrind_api.h"
#include "tools/taint/labels.h"

namespace unstuck::taint {

class KernelQueue {
 public:
  // Queues the labels of [a, a + n) as write `write_id`.
  void push(uint64_t write_id, Addr a, SizeT n);
  // The write took only `taken` bytes (0 when it failed).
  void trim(uint64_t write_id, SizeT taken);
  // Labels the `n` bytes at `a` with the oldest bytes in flight; bytes
  // beyond what is queued (written by another process) are unlabelled.
  void pop(Addr a, SizeT n);
  uint64_t bytes_queued() const { return queued_; }

 private:
  // Labels run-length encoded: `length` bytes labelled `first`, or, for a
  // run of single-byte labels of consecutive input bytes, first,
  // first + 1, ... (what a buffer read from a file holds).
  struct Run {
    uint32_t first;
    uint32_t length;
    bool sequential;
  };
  struct Segment {
    uint64_t write_id;
    Vector<Run> runs;
    size_t next_run;       // runs before this are consumed
    uint32_t consumed;     // bytes of runs[next_run] consumed
    uint64_t bytes_left;
  };
  void append_run(Segment& s, uint32_t label, uint32_t length);

  Vector<Segment*> segments_;  // oldest first
  size_t head_ = 0;            // segments before this are gone
  uint64_t queued_ = 0;
};

// A pipe or a socketpair: two directions.
struct KernelChannel {
  KernelQueue forward;   // pipe: write end to read end; socketpair: sv[0] -> sv[1]
  KernelQueue backward;  // socketpair: sv[1] -> sv[0]
};

}  // namespace unstuck::taint
