// Values as text, for the stderr report and the JSON file: integers in
// their kind's domain, pointers in hex, doubles with up to 10 significant
// digits (shortest form: 0.25, 1024, 1.5e-07), without libc.
#pragma once

#include <stdint.h>

#include "shared/rt/string_builder.h"
#include "tools/argdist/signature.h"

namespace unstuck::argdist {

void append_double(StringBuilder* out, double value);

// A normalised value (see aggregate.h) of `kind`; pointers as "0x..." when
// `hex_pointers`, else as unsigned decimal (JSON numbers).
void append_value(StringBuilder* out, uint64_t bits, ValueKind kind,
                  bool hex_pointers);

// 1234567 as "1,234,567".
void append_grouped(StringBuilder* out, uint64_t value);

}  // namespace unstuck::argdist
