#include "tools/argdist/capture.h"

namespace unstuck::argdist {

bool read_guest_word(Addr address, uint64_t* word) {
  if (!VG_(am_is_valid_for_client)(address, sizeof(uint64_t), VKI_PROT_READ))
    return false;
  *word = *reinterpret_cast<const uint64_t*>(address);
  return true;
}

}  // namespace unstuck::argdist
