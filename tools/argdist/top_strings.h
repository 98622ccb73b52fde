// The most frequent strings passed as a char pointer argument (or
// returned), with --strings=yes: the guest's text read safely (every page
// checked readable first), cut at --string-max bytes, counted by the same
// Space-Saving counters as values (heavy_hitters.h).
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/vg/valgrind_api.h"
#include "tools/argdist/heavy_hitters.h"

namespace unstuck::argdist {

// Reads the NUL-terminated guest string at `address` into buffer[0, max)
// (always NUL-terminated, so at most max - 1 characters).  Returns false
// when some byte before the end or the cut is not readable client memory;
// *truncated when the string is longer than the cut.
bool read_guest_string(Addr address, char* buffer, size_t max, bool* truncated);

class TopStrings {
 public:
  TopStrings(uint32_t top, uint32_t max_length);
  void add(Addr address);

  struct Entry {
    const char* text;
    bool special;  // text is "(null)" or "(unreadable)", not the guest's
    bool truncated;
    uint64_t count;
    uint64_t error;
  };
  // The `top` most frequent, most frequent first.
  void sorted(Vector<Entry>* out) const;
  bool exact() const { return hitters_.exact(); }

 private:
  uint32_t top_;
  uint32_t max_length_;
  HeavyHitters hitters_;
  Vector<char*> texts_;        // per counter
  Vector<bool> truncated_;     // per counter
  Vector<bool> special_;       // per counter
  Vector<char> buffer_;
};

}  // namespace unstuck::argdist
