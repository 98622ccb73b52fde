// Names for the words of VexGuestAMD64State, to say which registers differ
// when a replay diverges.
#pragma once

#include <cstdint>
#include <string>

namespace unstuck::replay {

// "rax", "ymm3[64:127]", "fpreg2", ... for the 8-byte word at `word`.
std::string guest_word_name(uint32_t word);

}  // namespace unstuck::replay
