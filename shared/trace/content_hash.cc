#include "shared/trace/content_hash.h"

#include "shared/rt/hash.h"
#include "shared/rt/platform.h"

namespace unstuck::trace {
namespace {

// Two 64-bit lanes take 16 bytes per round, each multiplied, rotated and
// folded into both lanes (the round structure of MurmurHash3's 128-bit
// variant); a final avalanche (mix64) mixes every input bit into every
// output bit.
constexpr uint64_t kMulA = 0x87c37b91114253d5ULL;
constexpr uint64_t kMulB = 0x4cf5ad432745937fULL;

uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

uint64_t load64(const uint8_t* p) {
  uint64_t v;
  platform::copy_bytes(&v, p, 8);
  return v;
}

void absorb(uint64_t* a, uint64_t* b, uint64_t k1, uint64_t k2) {
  *a ^= rotl(k1 * kMulA, 31) * kMulB;
  *a = (rotl(*a, 27) + *b) * 5 + 0x52dce729;
  *b ^= rotl(k2 * kMulB, 33) * kMulA;
  *b = (rotl(*b, 31) + *a) * 5 + 0x38495ab5;
}

}  // namespace

ContentHash hash_content(const void* data, size_t bytes) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  uint64_t a = 0x9368e53c2f6af274ULL, b = 0x586dcd208f7cd3fdULL;
  size_t whole = bytes & ~static_cast<size_t>(15);
  for (size_t i = 0; i < whole; i += 16) absorb(&a, &b, load64(p + i), load64(p + i + 8));
  uint8_t tail[16] = {};
  platform::copy_bytes(tail, p + whole, bytes - whole);
  absorb(&a, &b, load64(tail), load64(tail + 8) ^ bytes);
  a += b;
  b += a;
  a = mix64(a);
  b = mix64(b);
  a += b;
  b += a;
  return ContentHash{a, b};
}

void ContentHash::to_hex(char out[33]) const {
  const char* digits = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) {
    out[i] = digits[(high >> (60 - 4 * i)) & 15];
    out[16 + i] = digits[(low >> (60 - 4 * i)) & 15];
  }
  out[32] = '\0';
}

}  // namespace unstuck::trace
