// A reference model of the shadow map for the differential test: obviously
// correct rather than fast.  The non-default contents are a std::map of
// disjoint granule ("unit") ranges, so huge ranges cost nothing.
#pragma once

#include <stdint.h>

#include <map>
#include <vector>

namespace unstuck::shadow::testing {

struct ModelRun {
  uint64_t start;  // bytes
  uint64_t size;
  uint64_t value;
  bool operator==(const ModelRun&) const = default;
};

class ShadowModel {
 public:
  ShadowModel(unsigned granule_shift, uint64_t default_value)
      : shift_(granule_shift),
        mask_(~uint64_t{0} >> granule_shift),
        default_(default_value) {}

  uint64_t get(uint64_t addr) const { return unit_value(addr >> shift_); }

  void set_range(uint64_t start, uint64_t size, uint64_t value) {
    for (const Span& span : spans_of(start, size)) assign(span, value);
  }

  // The map's documented semantics, restated: destination granule k gets
  // source granule k counted from the granule of src - (dst mod G).
  void copy_range(uint64_t src, uint64_t dst, uint64_t size) {
    if (size == 0) return;
    uint64_t slack = dst & ((uint64_t{1} << shift_) - 1);
    uint64_t d0 = dst >> shift_;
    uint64_t count = ((((dst + (size - 1)) >> shift_) - d0) & mask_) + 1;
    uint64_t s0 = (src - slack) >> shift_;
    struct Moved {
      uint64_t offset, count, value;
    };
    std::vector<Moved> moved;  // read everything before writing anything
    for (const Span& span : wrap_split(s0, count))
      for (const Piece& p : extract(span))
        moved.push_back({(p.first - s0) & mask_, p.last - p.first + 1, p.value});
    for (const Span& span : wrap_split(d0, count)) assign(span, default_);
    for (const Moved& m : moved)
      for (const Span& span : wrap_split((d0 + m.offset) & mask_, m.count))
        assign(span, m.value);
  }

  // Maximal runs of one non-default value in [start, start + size).
  std::vector<ModelRun> runs(uint64_t start, uint64_t size) const {
    std::vector<ModelRun> out;
    for (const Span& span : spans_of(start, size)) append_runs(span, out);
    return out;
  }
  std::vector<ModelRun> all_runs() const {
    std::vector<ModelRun> out;
    append_runs({0, mask_}, out);
    return out;
  }
  bool is_default(uint64_t start, uint64_t size) const {
    return runs(start, size).empty();
  }
  // Chunks (of 64 KB) that hold at least one non-default granule.
  size_t chunks_in_use() const {
    const unsigned unit_chunk_shift = 16 - shift_;
    size_t count = 0;
    uint64_t last_chunk = ~uint64_t{0};
    for (const auto& [first, run] : runs_) {
      uint64_t a = first >> unit_chunk_shift, b = run.last >> unit_chunk_shift;
      if (a == last_chunk) ++a;
      if (b >= a) count += b - a + 1;
      last_chunk = b;
    }
    return count;
  }
  void clear() { runs_.clear(); }

 private:
  struct Span {  // inclusive units
    uint64_t first, last;
  };
  struct Run {
    uint64_t last, value;
  };
  struct Piece {
    uint64_t first, last, value;
  };

  uint64_t unit_value(uint64_t unit) const {
    auto it = runs_.upper_bound(unit);
    if (it == runs_.begin()) return default_;
    --it;
    return unit <= it->second.last ? it->second.value : default_;
  }

  // The granules any byte of the range falls in.  A wrapping range is the
  // granules of [start, 2^64) and of [0, last byte]; if those meet, all.
  std::vector<Span> spans_of(uint64_t start, uint64_t size) const {
    if (size == 0) return {};
    uint64_t last_byte = start + (size - 1);
    Span low = {0, last_byte >> shift_}, high = {start >> shift_, mask_};
    if (last_byte >= start) return {{high.first, low.last}};
    if (low.last + 1 >= high.first) return {{0, mask_}};
    return {high, low};
  }
  // `count` units from `first`, wrapping at the top; count == 0 means all.
  std::vector<Span> wrap_split(uint64_t first, uint64_t count) const {
    uint64_t to_top = mask_ - first;  // units after `first`
    if (count == 0 || count - 1 <= to_top) {
      if (count == 0) return {{0, mask_}};
      return {{first, first + count - 1}};
    }
    uint64_t rest = count - 1 - to_top;  // units from 0
    if (rest >= first) return {{0, mask_}};
    return {{first, mask_}, {0, rest - 1}};
  }

  // Cuts the run containing `unit` so that a run starts there.
  void split_at(uint64_t unit) {
    auto it = runs_.upper_bound(unit);
    if (it == runs_.begin()) return;
    --it;
    if (it->first == unit || it->second.last < unit) return;
    Run tail = {it->second.last, it->second.value};
    it->second.last = unit - 1;
    runs_[unit] = tail;
  }

  void assign(const Span& span, uint64_t value) {
    split_at(span.first);
    if (span.last < mask_) split_at(span.last + 1);
    runs_.erase(runs_.lower_bound(span.first),
                span.last == mask_ ? runs_.end()
                                   : runs_.lower_bound(span.last + 1));
    if (value != default_) runs_[span.first] = {span.last, value};
  }

  std::vector<Piece> extract(const Span& span) const {
    std::vector<Piece> out;
    auto it = runs_.upper_bound(span.first);
    if (it != runs_.begin()) --it;
    for (; it != runs_.end() && it->first <= span.last; ++it) {
      uint64_t a = it->first > span.first ? it->first : span.first;
      uint64_t b = it->second.last < span.last ? it->second.last : span.last;
      if (a <= b) out.push_back({a, b, it->second.value});
    }
    return out;
  }

  void append_runs(const Span& span, std::vector<ModelRun>& out) const {
    std::vector<Piece> pieces = extract(span);
    std::vector<Piece> merged;
    for (const Piece& p : pieces) {
      if (!merged.empty() && merged.back().value == p.value &&
          merged.back().last + 1 == p.first)
        merged.back().last = p.last;
      else
        merged.push_back(p);
    }
    for (const Piece& p : merged)
      out.push_back({p.first << shift_, (p.last - p.first + 1) << shift_,
                     p.value});
  }

  unsigned shift_;
  uint64_t mask_;
  uint64_t default_;
  std::map<uint64_t, Run> runs_;  // first unit -> run
};

}  // namespace unstuck::shadow::testing
