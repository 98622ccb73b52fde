#include "shared/vg/client_command.h"

#include "shared/vg/valgrind_api.h"

namespace unstuck::client_command {

size_t word_count() {
  XArray* args = VG_(args_for_client);
  return 1 + (args != nullptr ? static_cast<size_t>(VG_(sizeXA)(args)) : 0);
}

const char* word(size_t index) {
  if (index == 0) return VG_(args_the_exename);
  return *static_cast<HChar**>(VG_(indexXA)(VG_(args_for_client), static_cast<Word>(index - 1)));
}

void append_line(StringBuilder& out) {
  for (size_t i = 0; i < word_count(); ++i) {
    if (i > 0) out.append(' ');
    out.append(word(i));
  }
}

}  // namespace unstuck::client_command
