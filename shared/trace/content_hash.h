// A 128-bit content hash: names blobs in the trace's blob store (so equal
// contents are stored once, across traces) and checks chunks.  Not
// cryptographic; 128 bits make an accidental collision between two blobs
// of one store negligible.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace unstuck::trace {

struct ContentHash {
  uint64_t low;
  uint64_t high;

  bool operator==(const ContentHash& other) const {
    return low == other.low && high == other.high;
  }
  // 32 lowercase hex digits and a NUL.
  void to_hex(char out[33]) const;
};

ContentHash hash_content(const void* data, size_t bytes);

}  // namespace unstuck::trace
