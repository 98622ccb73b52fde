// Small string helpers for argdist (the tool has no libc).
#pragma once

#include <stddef.h>

namespace unstuck::argdist {

// A heap copy of text[0, n), NUL-terminated; kept for the run.
char* copy_text(const char* text, size_t n);
// A heap copy of a NUL-terminated text, or null for null.
char* copy_text(const char* text);

// The part of a path after its last '/'.
const char* base_name(const char* path);

}  // namespace unstuck::argdist
