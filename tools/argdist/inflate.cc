#include "tools/argdist/inflate.h"

namespace unstuck::argdist {
namespace {

constexpr int kMaxBits = 15;
constexpr int kMaxLiteralCodes = 288;
constexpr int kMaxDistanceCodes = 30;

// Lengths 257..285 and distances 0..29: a base plus extra bits (RFC 1951,
// 3.2.5).
constexpr uint16_t kLengthBase[29] = {3,  4,  5,  6,  7,  8,  9,  10,  11,  13,
                                      15, 17, 19, 23, 27, 31, 35, 43,  51,  59,
                                      67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr uint8_t kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr uint16_t kDistanceBase[30] = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr uint8_t kDistanceExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                        6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
// The order code-length code lengths are stored in (3.2.7).
constexpr uint8_t kCodeLengthOrder[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                          11, 4,  12, 3, 13, 2, 14, 1, 15};

class BitReader {
 public:
  BitReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // The next `n` bits (n <= 16) without taking them, zeros past the end.
  uint32_t peek(int n) {
    if (count_ < n) refill();
    return static_cast<uint32_t>(buffer_ & ((uint64_t{1} << n) - 1));
  }

  // Takes `n` bits already peeked.
  void skip(int n) {
    if (count_ < n) {
      failed_ = true;
      return;
    }
    buffer_ >>= n;
    count_ -= n;
  }

  // `n` bits (n <= 16), least significant first.
  uint32_t bits(int n) {
    uint32_t value = peek(n);
    skip(n);
    return failed_ ? 0 : value;
  }

  void align_to_byte() {
    // Whole bytes already in the buffer go back to the input.
    position_ -= static_cast<size_t>(count_ / 8);
    buffer_ = 0;
    count_ = 0;
  }

  // Whole bytes, after align_to_byte().
  bool copy_bytes(uint8_t* out, size_t n) {
    if (size_ - position_ < n) return false;
    for (size_t i = 0; i < n; ++i) out[i] = data_[position_ + i];
    position_ += n;
    return true;
  }

  bool failed() const { return failed_; }

 private:
  // Whole bytes up to 56 bits.
  void refill() {
    while (count_ <= 48 && position_ < size_) {
      buffer_ |= static_cast<uint64_t>(data_[position_++]) << count_;
      count_ += 8;
    }
  }

  const uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
  uint64_t buffer_ = 0;
  int count_ = 0;
  bool failed_ = false;
};

// Codes of up to kFastBits bits are decoded by one look-up of the next
// kFastBits bits (reading bit by bit took most of the time of inflating
// libc's debug information, a tenth of a second at every start).
constexpr int kFastBits = 9;

// A canonical Huffman code: how many codes of each length, the symbols in
// code order, and for each value of the next kFastBits bits of input the
// symbol whose code they begin with, as symbol << 4 | code length (0: a
// longer code, or none).
struct Huffman {
  uint16_t count[kMaxBits + 1];
  uint16_t symbol[kMaxLiteralCodes];
  uint16_t fast[1 << kFastBits];
};

uint32_t reversed(uint32_t code, int length) {
  uint32_t r = 0;
  for (int i = 0; i < length; ++i, code >>= 1) r = r << 1 | (code & 1);
  return r;
}

// Codes are stored most significant bit first, in a stream read least
// significant bit first: a code's entries are its reversed bits followed
// by every value of the bits after it.
void fill_fast_table(Huffman* h) {
  for (uint16_t& entry : h->fast) entry = 0;
  int index = 0;
  uint32_t code = 0;
  for (int len = 1; len <= kFastBits; ++len) {
    for (int k = 0; k < h->count[len]; ++k) {
      const uint16_t entry = static_cast<uint16_t>(h->symbol[index + k] << 4 | len);
      for (uint32_t fill = reversed(code + k, len); fill < (1u << kFastBits); fill += 1u << len)
        h->fast[fill] = entry;
    }
    index += h->count[len];
    code = (code + h->count[len]) << 1;
  }
}

// False for an over-subscribed code (an incomplete one is allowed: a
// single distance code is legal).
bool build(Huffman* h, const uint8_t* lengths, int n) {
  for (int len = 0; len <= kMaxBits; ++len) h->count[len] = 0;
  for (int s = 0; s < n; ++s) ++h->count[lengths[s]];
  int left = 1;
  for (int len = 1; len <= kMaxBits; ++len) {
    left = 2 * left - h->count[len];
    if (left < 0) return false;
  }
  uint16_t offset[kMaxBits + 1];
  offset[1] = 0;
  for (int len = 1; len < kMaxBits; ++len) offset[len + 1] = offset[len] + h->count[len];
  for (int s = 0; s < n; ++s)
    if (lengths[s] != 0) h->symbol[offset[lengths[s]]++] = static_cast<uint16_t>(s);
  fill_fast_table(h);
  return true;
}

// Longer codes bit by bit: at each length, compare with the range of codes
// of that length.
int decode_slowly(BitReader* in, const Huffman& h) {
  int code = 0, first = 0, index = 0;
  for (int len = 1; len <= kMaxBits; ++len) {
    code |= static_cast<int>(in->bits(1));
    int count = h.count[len];
    if (code - first < count) return h.symbol[index + code - first];
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  return -1;
}

int decode(BitReader* in, const Huffman& h) {
  const uint16_t entry = h.fast[in->peek(kFastBits)];
  if (entry == 0) return decode_slowly(in, h);
  in->skip(entry & 15);
  return entry >> 4;
}

class Output {
 public:
  Output(uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool put(uint8_t byte) {
    if (position_ >= size_) return false;
    data_[position_++] = byte;
    return true;
  }
  bool copy_back(size_t distance, size_t length) {
    if (distance == 0 || distance > position_ || size_ - position_ < length) return false;
    for (size_t i = 0; i < length; ++i, ++position_) data_[position_] = data_[position_ - distance];
    return true;
  }
  uint8_t* tail(size_t n) { return size_ - position_ >= n ? data_ + position_ : nullptr; }
  void advance(size_t n) { position_ += n; }
  bool full() const { return position_ == size_; }

 private:
  uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
};

bool inflate_stored(BitReader* in, Output* out) {
  in->align_to_byte();
  uint8_t header[4];
  if (!in->copy_bytes(header, 4)) return false;
  size_t length = header[0] | header[1] << 8;
  size_t check = header[2] | header[3] << 8;
  if ((length ^ 0xffff) != check) return false;
  uint8_t* to = out->tail(length);
  if (to == nullptr || !in->copy_bytes(to, length)) return false;
  out->advance(length);
  return true;
}

bool inflate_codes(BitReader* in, Output* out, const Huffman& literals,
                   const Huffman& distances) {
  for (;;) {
    int symbol = decode(in, literals);
    if (symbol < 0 || in->failed()) return false;
    if (symbol < 256) {
      if (!out->put(static_cast<uint8_t>(symbol))) return false;
      continue;
    }
    if (symbol == 256) return true;
    symbol -= 257;
    if (symbol >= 29) return false;
    size_t length = kLengthBase[symbol] + in->bits(kLengthExtra[symbol]);
    int d = decode(in, distances);
    if (d < 0 || d >= kMaxDistanceCodes) return false;
    size_t distance = kDistanceBase[d] + in->bits(kDistanceExtra[d]);
    if (in->failed() || !out->copy_back(distance, length)) return false;
  }
}

bool inflate_fixed(BitReader* in, Output* out) {
  uint8_t lengths[kMaxLiteralCodes];
  int s = 0;
  for (; s < 144; ++s) lengths[s] = 8;
  for (; s < 256; ++s) lengths[s] = 9;
  for (; s < 280; ++s) lengths[s] = 7;
  for (; s < kMaxLiteralCodes; ++s) lengths[s] = 8;
  Huffman literals, distances;
  build(&literals, lengths, kMaxLiteralCodes);
  for (s = 0; s < kMaxDistanceCodes; ++s) lengths[s] = 5;
  build(&distances, lengths, kMaxDistanceCodes);
  return inflate_codes(in, out, literals, distances);
}

// The literal/length and distance code lengths, themselves coded (3.2.7).
bool read_dynamic_lengths(BitReader* in, uint8_t* lengths, int total) {
  int code_length_count = static_cast<int>(in->bits(4)) + 4;
  uint8_t code_lengths[19] = {};
  for (int i = 0; i < code_length_count; ++i)
    code_lengths[kCodeLengthOrder[i]] = static_cast<uint8_t>(in->bits(3));
  Huffman code_length_code;
  if (!build(&code_length_code, code_lengths, 19)) return false;
  for (int i = 0; i < total;) {
    int symbol = decode(in, code_length_code);
    if (symbol < 0 || in->failed()) return false;
    if (symbol < 16) {
      lengths[i++] = static_cast<uint8_t>(symbol);
      continue;
    }
    uint8_t repeated = 0;
    int times;
    if (symbol == 16) {
      if (i == 0) return false;
      repeated = lengths[i - 1];
      times = 3 + static_cast<int>(in->bits(2));
    } else if (symbol == 17) {
      times = 3 + static_cast<int>(in->bits(3));
    } else {
      times = 11 + static_cast<int>(in->bits(7));
    }
    if (i + times > total) return false;
    while (times-- > 0) lengths[i++] = repeated;
  }
  return true;
}

bool inflate_dynamic(BitReader* in, Output* out) {
  int literal_count = static_cast<int>(in->bits(5)) + 257;
  int distance_count = static_cast<int>(in->bits(5)) + 1;
  if (literal_count > kMaxLiteralCodes || distance_count > kMaxDistanceCodes) return false;
  uint8_t lengths[kMaxLiteralCodes + kMaxDistanceCodes];
  if (!read_dynamic_lengths(in, lengths, literal_count + distance_count)) return false;
  if (lengths[256] == 0) return false;  // no end-of-block code
  Huffman literals, distances;
  if (!build(&literals, lengths, literal_count) ||
      !build(&distances, lengths + literal_count, distance_count))
    return false;
  return inflate_codes(in, out, literals, distances);
}

}  // namespace

bool zlib_inflate(const uint8_t* in, size_t in_size, uint8_t* out,
                  size_t out_size) {
  // The zlib header: deflate, no preset dictionary, a valid check.
  if (in_size < 2 || (in[0] & 0x0f) != 8 || (in[1] & 0x20) != 0 ||
      ((in[0] << 8) | in[1]) % 31 != 0)
    return false;
  BitReader bits(in + 2, in_size - 2);
  Output output(out, out_size);
  for (bool last = false; !last;) {
    last = bits.bits(1) != 0;
    uint32_t type = bits.bits(2);
    bool ok = type == 0   ? inflate_stored(&bits, &output)
              : type == 1 ? inflate_fixed(&bits, &output)
              : type == 2 ? inflate_dynamic(&bits, &output)
                          : false;
    if (!ok || bits.failed()) return false;
  }
  return output.full();
}

}  // namespace unstuck::argdist
