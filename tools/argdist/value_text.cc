#include "tools/argdist/value_text.h"

namespace unstuck::argdist {
namespace {

constexpr int kSignificantDigits = 10;

// Positional notation of digits[0, count) with the leading digit at power
// of ten `exponent`.
void append_positional(StringBuilder* out, const char* digits, int count,
                       int exponent) {
  if (exponent < 0) {
    out->append("0.");
    for (int i = -1; i > exponent; --i) out->append('0');
    out->append(digits, count);
    return;
  }
  for (int i = 0; i <= exponent; ++i) out->append(i < count ? digits[i] : '0');
  if (count > exponent + 1) {
    out->append('.');
    out->append(digits + exponent + 1, count - exponent - 1);
  }
}

void append_scientific(StringBuilder* out, const char* digits, int count,
                       int exponent) {
  out->append(digits[0]);
  if (count > 1) {
    out->append('.');
    out->append(digits + 1, count - 1);
  }
  out->append(exponent < 0 ? "e-" : "e+");
  int magnitude = exponent < 0 ? -exponent : exponent;
  if (magnitude < 10) out->append('0');
  out->append_unsigned(magnitude);
}

}  // namespace

void append_double(StringBuilder* out, double value) {
  if (value != value) {
    out->append("nan");
    return;
  }
  if (value < 0) {
    out->append('-');
    value = -value;
  }
  if (value > 1.7976931348623157e308) {
    out->append("inf");
    return;
  }
  if (value < 1e15 && value == static_cast<double>(static_cast<uint64_t>(value))) {
    out->append_unsigned(static_cast<uint64_t>(value));
    return;
  }
  // Scale to ten integer digits, then round.
  long double scaled = value;
  int exponent = kSignificantDigits - 1;
  while (scaled >= 1e10L) {
    scaled /= 10;
    ++exponent;
  }
  while (scaled < 1e9L) {
    scaled *= 10;
    --exponent;
  }
  uint64_t mantissa = static_cast<uint64_t>(scaled + 0.5L);
  if (mantissa >= 10000000000ULL) {
    mantissa /= 10;
    ++exponent;
  }
  char digits[kSignificantDigits];
  for (int i = kSignificantDigits - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + mantissa % 10);
    mantissa /= 10;
  }
  int count = kSignificantDigits;
  while (count > 1 && digits[count - 1] == '0') --count;
  if (exponent >= -5 && exponent < 15)
    append_positional(out, digits, count, exponent);
  else
    append_scientific(out, digits, count, exponent);
}

void append_value(StringBuilder* out, uint64_t bits, ValueKind kind,
                  bool hex_pointers) {
  switch (kind) {
    case ValueKind::kSigned:
      out->append_signed(static_cast<int64_t>(bits));
      return;
    case ValueKind::kFloat:
      append_double(out, __builtin_bit_cast(double, bits));
      return;
    case ValueKind::kPointer:
    case ValueKind::kString:
      if (hex_pointers) {
        out->append("0x").append_hex(bits);
        return;
      }
      break;
    default:
      break;
  }
  out->append_unsigned(bits);
}

void append_grouped(StringBuilder* out, uint64_t value) {
  char digits[32];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (int i = n - 1; i >= 0; --i) {
    out->append(digits[i]);
    if (i > 0 && i % 3 == 0) out->append(',');
  }
}

}  // namespace unstuck::argdist
