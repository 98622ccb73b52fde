// Every translation made, looked up by how the guest enters it, with the
// bookkeeping that keeps stale code from running:
//
// - by key (guest address, instruction limit, no-redirect flag): blocks cut
//   short before a stop time are separate translations of the same address;
// - by guest code page: a write to a page drops the translations lifted from
//   it (GuestMemory write-protects those pages and reports writes here);
// - by host address: to find the translation a chain-me exit came from;
// - chain edges: a dropped translation is unchained from both ends, so no
//   patched jump leads into it, and it leaves its fast-table slot.
//
// Dropped translations stay in the code cache (one may still be running)
// until flush(), which happens only between runs of generated code.
#pragma once

#include <stdint.h>

#include <memory>
#include <unordered_map>
#include <vector>

#include "gdbstub/replay/code_cache.h"
#include "gdbstub/replay/guest_memory.h"

namespace unstuck::replay {

struct BlockKey {
  uint64_t guest;
  uint32_t max_insns;
  bool no_redirect;
  bool operator==(const BlockKey&) const = default;
};

struct BlockKeyHash {
  size_t operator()(const BlockKey& k) const {
    return (k.guest * 0x9E3779B97F4A7C15ULL) ^ (uint64_t{k.max_insns} << 1) ^
           (k.no_redirect ? 1 : 0);
  }
};

struct Translation;

// A patched jump: the direct exit at `site` (inside `from`) now jumps to
// `to`'s slow entry point instead of calling the dispatcher's chain-me
// point `chain_me`.
struct ChainEdge {
  uint8_t* site;
  const void* chain_me;
  Translation* from;
  Translation* to;
};

struct Translation {
  BlockKey key;
  uint64_t code_base;  // guest code lifted (after redirection)
  uint32_t code_len;
  uint8_t* host;  // slow entry point: the event check comes first
  uint32_t host_size;
  uint32_t guest_insns;
  bool chainable;
  bool alive;
  std::vector<ChainEdge> incoming;
  std::vector<ChainEdge> outgoing;
};

class TranslationCache final : public CodePageListener {
 public:
  TranslationCache(GuestMemory& memory, size_t code_bytes,
                   uint32_t full_block_insns);
  ~TranslationCache();
  TranslationCache(const TranslationCache&) = delete;
  TranslationCache& operator=(const TranslationCache&) = delete;

  Translation* find(const BlockKey& key);
  // Copies the host code in, write-protects the guest code's pages.  Returns
  // null when the code cache is full: flush() and translate again.
  Translation* add(const BlockKey& key, const uint8_t* host_code,
                   uint32_t host_size, uint64_t code_base, uint32_t code_len,
                   uint32_t guest_insns, bool chainable);

  // Patches the chain-me exit at `site` (which called `chain_me`) to jump
  // to `to`.  Does nothing when the exit's translation was dropped.
  void chain(uint8_t* site, const void* chain_me, Translation* to);

  // Drops translations whose guest code overlaps [start, start + len).
  void invalidate(uint64_t start, uint64_t len);
  // Drops the translations entered at `guest` through redirection.
  void invalidate_entry(uint64_t guest);
  // Drops translations whose guest code ends just before `end` (those cut
  // short before a breakpoint there).
  void invalidate_ending_at(uint64_t end);
  // CodePageListener: drops every translation lifted from `page`.
  void code_page_written(GuestAddr page) override;

  // Forgets everything; only between runs of generated code.
  void flush();

  static const uint8_t* fast_entry(const Translation& t);
  uint64_t translations_made() const { return made_; }
  uint64_t chains_made() const { return chained_; }
  uint64_t flushes() const { return flushes_; }

 private:
  void drop(Translation* t);
  template <typename Doomed>
  void drop_on_page(GuestAddr page, Doomed doomed);
  void unchain(const ChainEdge& edge);
  Translation* containing(const uint8_t* host_address) const;
  void index_pages(Translation* t);
  static size_t recent_slot(const BlockKey& key);

  GuestMemory& memory_;
  CodeCache code_;
  uint32_t full_block_insns_;
  std::vector<std::unique_ptr<Translation>> all_;  // in host address order
  std::unordered_map<BlockKey, Translation*, BlockKeyHash> by_key_;
  // A direct-mapped cache in front of by_key_: the dispatcher loop looks a
  // block up at every return to C++.  Holds live translations only.
  std::vector<Translation*> recent_;
  std::unordered_map<GuestAddr, std::vector<Translation*>> by_page_;
  uint64_t made_ = 0;
  uint64_t chained_ = 0;
  uint64_t flushes_ = 0;
};

}  // namespace unstuck::replay
