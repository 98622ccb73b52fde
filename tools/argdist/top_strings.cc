#include "tools/argdist/top_strings.h"

#include "shared/rt/hash.h"
#include "shared/rt/string_builder.h"
#include "tools/argdist/aggregate.h"

namespace unstuck::argdist {
namespace {

constexpr const char* kNullText = "(null)";
constexpr const char* kUnreadableText = "(unreadable)";

Addr page_of(Addr a) { return a & ~static_cast<Addr>(VKI_PAGE_SIZE - 1); }

void copy_text(char* to, const char* from, size_t n) {
  for (size_t i = 0; i < n; ++i) to[i] = from[i];
  to[n] = '\0';
}

}  // namespace

bool read_guest_string(Addr address, char* buffer, size_t max, bool* truncated) {
  *truncated = false;
  Addr checked_page = 0;
  bool any_checked = false;
  for (size_t i = 0; i + 1 < max; ++i) {
    Addr a = address + i;
    if (!any_checked || page_of(a) != checked_page) {
      if (!VG_(am_is_valid_for_client)(page_of(a), VKI_PAGE_SIZE, VKI_PROT_READ))
        return false;
      checked_page = page_of(a);
      any_checked = true;
    }
    char c = *reinterpret_cast<const char*>(a);
    buffer[i] = c;
    if (c == '\0') return true;
  }
  buffer[max - 1] = '\0';
  *truncated = true;
  return true;
}

TopStrings::TopStrings(uint32_t top, uint32_t max_length)
    : top_(top), max_length_(max_length), hitters_(heavy_hitter_capacity(top)) {
  buffer_.resize(max_length + 1);
}

void TopStrings::add(Addr address) {
  const char* text = buffer_.data();
  bool truncated = false;
  if (address == 0)
    text = kNullText;
  else if (!read_guest_string(address, buffer_.data(), buffer_.size(), &truncated))
    text = kUnreadableText;
  size_t n = string_length(text);
  uint64_t key = hash_combine(hash_bytes(text, n), truncated);
  // The special texts are their own keys, apart from real strings that
  // happen to read "(null)".
  if (text != buffer_.data()) key = hash_combine(key, 1);
  bool taken_over;
  uint32_t slot = hitters_.add(key, &taken_over);
  if (!taken_over) return;
  while (texts_.size() <= slot) {
    texts_.push_back(nullptr);
    truncated_.push_back(false);
    special_.push_back(false);
  }
  // Room for the text or for the longest special text.
  if (texts_[slot] == nullptr)
    texts_[slot] = new char[(max_length_ > 16 ? max_length_ : 16) + 1];
  copy_text(texts_[slot], text, n);
  truncated_[slot] = truncated;
  special_[slot] = text != buffer_.data();
}

void TopStrings::sorted(Vector<Entry>* out) const {
  Vector<HeavyHitters::Counter> counters;
  Vector<uint32_t> slots;
  hitters_.sorted(&counters, &slots);
  out->clear();
  for (size_t i = 0; i < counters.size() && i < top_; ++i)
    out->push_back({texts_[slots[i]], special_[slots[i]], truncated_[slots[i]],
                    counters[i].count, counters[i].error});
}

}  // namespace unstuck::argdist
