// Hash functions for the shared containers: cheap, well-mixed, no libc.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace unstuck {

// The finaliser of MurmurHash3: every input bit affects every output bit,
// which open addressing with power-of-two tables needs.
inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline uint64_t hash_combine(uint64_t seed, uint64_t value) {
  return mix64(seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6)));
}

// FNV-1a over bytes, for strings and small blobs.
inline uint64_t hash_bytes(const void* data, size_t n) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

template <typename K>
struct Hash {
  uint64_t operator()(const K& key) const {
    return mix64(static_cast<uint64_t>(key));
  }
};

}  // namespace unstuck
