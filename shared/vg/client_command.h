// The command line Valgrind started: the executable and the client's
// arguments, as every tool's results file records it (taint as a list of
// words, lifetime and argdist as one line).
#pragma once

#include <stddef.h>

#include "shared/rt/string_builder.h"

namespace unstuck::client_command {

// Words of the command: word 0 is the executable.
size_t word_count();
const char* word(size_t index);

// Appends the words separated by spaces.
void append_line(StringBuilder& out);

}  // namespace unstuck::client_command
