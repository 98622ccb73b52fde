// LEB128 variable-length integers: small values (time deltas, thread
// numbers, lengths) take one or two bytes in the trace.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace unstuck::trace {

// Writes `value` at `out` (at most 10 bytes); returns the bytes written.
inline size_t encode_varint(uint64_t value, uint8_t* out) {
  size_t n = 0;
  while (value >= 0x80) {
    out[n++] = static_cast<uint8_t>(value | 0x80);
    value >>= 7;
  }
  out[n++] = static_cast<uint8_t>(value);
  return n;
}

// Reads a varint from [*p, end); advances *p.  False if it is cut short or
// longer than 64 bits.
inline bool decode_varint(const uint8_t** p, const uint8_t* end,
                          uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*p == end) return false;
    uint8_t byte = *(*p)++;
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

// Signed values as varints: 0, -1, 1, -2, ... map to 0, 1, 2, 3, ...
inline uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t unzigzag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

}  // namespace unstuck::trace
