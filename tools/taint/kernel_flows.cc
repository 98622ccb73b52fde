#include "tools/taint/kernel_flows.h"

#include "tools/taint/shadow_state.h"

namespace unstuck::taint {

void KernelQueue::append_run(Segment& s, uint32_t label, uint32_t length) {
  if (!s.runs.empty()) {
    Run& last = s.runs.back();
    bool byte_label = (label & shadow::kByteLabelFlag) != 0;
    if (!last.sequential && last.first == label) {
      last.length += length;
      return;
    }
    // Consecutive bytes of one input: extend a sequential run.
    if (byte_label && length == 1 && label == last.first + last.length &&
        (last.sequential || last.length == 1)) {
      last.sequential = true;
      ++last.length;
      return;
    }
  }
  s.runs.push_back(Run{label, length, false});
}

void KernelQueue::push(uint64_t write_id, Addr a, SizeT n) {
  if (n == 0) return;
  // The pieces of one writev or sendmsg go into one segment.
  Segment* s = segments_.size() > head_ && segments_.back()->write_id == write_id
                   ? segments_.back()
                   : nullptr;
  if (s == nullptr) {
    s = new Segment{write_id, {}, 0, 0, 0};
    segments_.push_back(s);
  }
  s->bytes_left += n;
  queued_ += n;
  Addr cursor = a;
  memory_labels().for_each_run(a, n, [&](uint64_t start, uint64_t size, uint32_t label) {
    if (start > cursor) append_run(*s, kEmptyLabelSet, static_cast<uint32_t>(start - cursor));
    if ((label & shadow::kByteLabelFlag) != 0) {
      // Each byte is its own run of the map: keep them as one sequence.
      for (uint64_t i = 0; i < size; ++i) append_run(*s, label, 1);
    } else {
      append_run(*s, label, static_cast<uint32_t>(size));
    }
    cursor = start + size;
  });
  if (a + n > cursor) append_run(*s, kEmptyLabelSet, static_cast<uint32_t>(a + n - cursor));
}

void KernelQueue::trim(uint64_t write_id, SizeT taken) {
  for (size_t i = segments_.size(); i > head_; --i) {
    Segment& s = *segments_[i - 1];
    if (s.write_id != write_id) continue;
    // Bytes of the segment not yet consumed beyond `taken` never entered
    // the kernel: cut them from the end.
    uint64_t total = 0;
    for (const Run& r : s.runs) total += r.length;
    if (taken >= total) return;
    uint64_t cut = total - taken;
    if (cut > s.bytes_left) cut = s.bytes_left;
    s.bytes_left -= cut;
    queued_ -= cut;
    while (cut > 0 && !s.runs.empty()) {
      Run& last = s.runs.back();
      uint64_t n = last.length < cut ? last.length : cut;
      last.length -= static_cast<uint32_t>(n);
      cut -= n;
      if (last.length == 0) s.runs.pop_back();
    }
    return;
  }
}

void KernelQueue::pop(Addr a, SizeT n) {
  LabelMap& map = memory_labels();
  SizeT done = 0;
  while (done < n && head_ < segments_.size()) {
    Segment& s = *segments_[head_];
    if (s.next_run >= s.runs.size() || s.bytes_left == 0) {
      delete segments_[head_];
      segments_[head_++] = nullptr;
      continue;
    }
    Run& r = s.runs[s.next_run];
    uint32_t available = r.length - s.consumed;
    SizeT take = available < n - done ? available : n - done;
    if (r.sequential) {
      for (SizeT i = 0; i < take; ++i) map.set(a + done + i, r.first + s.consumed + i);
    } else {
      map.set_range(a + done, take, r.first);
    }
    s.consumed += static_cast<uint32_t>(take);
    s.bytes_left -= take;
    queued_ -= take;
    done += take;
    if (s.consumed == r.length) {
      ++s.next_run;
      s.consumed = 0;
    }
  }
  if (done < n) map.clear_range(a + done, n - done);
  // Compact the list of segments now and then.
  if (head_ > 64 && head_ * 2 > segments_.size()) {
    size_t kept = 0;
    for (size_t i = head_; i < segments_.size(); ++i) segments_[kept++] = segments_[i];
    segments_.resize(kept);
    head_ = 0;
  }
}

}  // namespace unstuck::taint
