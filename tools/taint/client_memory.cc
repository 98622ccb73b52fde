#include "tools/taint/client_memory.h"

namespace unstuck::taint {

bool is_readable(Addr a, SizeT n) {
  return n == 0 || VG_(am_is_valid_for_client)(a, n, VKI_PROT_READ);
}

uint64_t string_bytes(Addr a, uint64_t limit) {
  uint64_t n = 0;
  while (n < limit) {
    Addr at = a + n;
    if (!is_readable(at, 1)) return n;
    SizeT page_left = VKI_PAGE_SIZE - (at & (VKI_PAGE_SIZE - 1));
    for (SizeT i = 0; i < page_left && n < limit; ++i, ++n)
      if (reinterpret_cast<const char*>(a)[n] == '\0') return n + 1;
  }
  return n;
}

}  // namespace unstuck::taint
