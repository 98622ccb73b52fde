#include "gdbstub/replay/translation_cache.h"

#include <algorithm>

#include "gdbstub/replay/fast_table.h"
#include "shared/rt/check.h"

extern "C" {
#include "libvex.h"
}

namespace unstuck::replay {
namespace {

// The fast table is global (the dispatcher reads it by symbol), so there is
// one cache at a time.
bool g_cache_exists = false;

constexpr size_t kRecentSlots = 4096;  // a power of two

void remove_edge(std::vector<ChainEdge>& edges, const uint8_t* site) {
  auto it = std::find_if(edges.begin(), edges.end(),
                         [site](const ChainEdge& e) { return e.site == site; });
  UNSTUCK_CHECK(it != edges.end());
  edges.erase(it);
}

bool overlaps(const Translation& t, uint64_t start, uint64_t len) {
  return t.code_base < start + len && start < t.code_base + t.code_len;
}

}  // namespace

TranslationCache::TranslationCache(GuestMemory& memory, size_t code_bytes,
                                   uint32_t full_block_insns)
    : memory_(memory),
      code_(code_bytes),
      full_block_insns_(full_block_insns),
      recent_(kRecentSlots, nullptr) {
  UNSTUCK_CHECK_MSG(!g_cache_exists, "one TranslationCache at a time");
  g_cache_exists = true;
  fast_table_clear();
  memory_.set_code_page_listener(this);
}

TranslationCache::~TranslationCache() {
  memory_.set_code_page_listener(nullptr);
  fast_table_clear();
  g_cache_exists = false;
}

const uint8_t* TranslationCache::fast_entry(const Translation& t) {
  return t.host + LibVEX_evCheckSzB(VexArchAMD64);
}

size_t TranslationCache::recent_slot(const BlockKey& key) {
  return BlockKeyHash()(key) & (kRecentSlots - 1);
}

Translation* TranslationCache::find(const BlockKey& key) {
  Translation*& recent = recent_[recent_slot(key)];
  if (recent != nullptr && recent->key == key) return recent;
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return nullptr;
  recent = it->second;
  return recent;
}

Translation* TranslationCache::add(const BlockKey& key,
                                   const uint8_t* host_code,
                                   uint32_t host_size, uint64_t code_base,
                                   uint32_t code_len, uint32_t guest_insns,
                                   bool chainable) {
  UNSTUCK_CHECK(find(key) == nullptr);
  uint8_t* host = code_.add(host_code, host_size);
  if (host == nullptr) return nullptr;
  auto owned = std::make_unique<Translation>();
  Translation* t = owned.get();
  // An undecodable first instruction yields an empty extent; its page still
  // decides what the block does.
  *t = {key, code_base, std::max<uint32_t>(code_len, 1), host, host_size,
        guest_insns, chainable, true, {}, {}};
  UNSTUCK_CHECK(all_.empty() || all_.back()->host < host);
  all_.push_back(std::move(owned));
  by_key_[key] = t;
  index_pages(t);
  ++made_;
  if (chainable && !key.no_redirect && key.max_insns == full_block_insns_)
    fast_table_set(key.guest, t->host);
  return t;
}

void TranslationCache::index_pages(Translation* t) {
  for (GuestAddr page = page_of(t->code_base);
       page < t->code_base + t->code_len; page += kPageSize)
    by_page_[page].push_back(t);
  memory_.protect_code(t->code_base, t->code_len);
}

Translation* TranslationCache::containing(const uint8_t* host_address) const {
  auto after = std::upper_bound(
      all_.begin(), all_.end(), host_address,
      [](const uint8_t* p, const std::unique_ptr<Translation>& t) {
        return p < t->host;
      });
  if (after == all_.begin()) return nullptr;
  Translation* t = std::prev(after)->get();
  return host_address < t->host + t->host_size ? t : nullptr;
}

void TranslationCache::chain(uint8_t* site, const void* chain_me,
                             Translation* to) {
  Translation* from = containing(site);
  if (from == nullptr || !from->alive || !to->alive) return;
  UNSTUCK_CHECK(to->chainable && !to->key.no_redirect);
  LibVEX_Chain(VexArchAMD64, VexEndnessLE, site, chain_me, to->host);
  ChainEdge edge{site, chain_me, from, to};
  from->outgoing.push_back(edge);
  to->incoming.push_back(edge);
  ++chained_;
}

void TranslationCache::unchain(const ChainEdge& edge) {
  LibVEX_UnChain(VexArchAMD64, VexEndnessLE, edge.site, edge.to->host,
                 edge.chain_me);
}

// Both ends are unchained, the outgoing ones too: `t` may be the running
// translation (a store in it wrote its own page), and it must then leave
// through the dispatcher rather than into a block dropped with it.
void TranslationCache::drop(Translation* t) {
  if (!t->alive) return;
  t->alive = false;
  auto it = by_key_.find(t->key);
  if (it != by_key_.end() && it->second == t) by_key_.erase(it);
  Translation*& recent = recent_[recent_slot(t->key)];
  if (recent == t) recent = nullptr;
  fast_table_forget(t->key.guest, t->host);
  std::vector<ChainEdge> incoming = std::move(t->incoming);
  t->incoming.clear();
  for (const ChainEdge& e : incoming) {
    unchain(e);
    remove_edge(e.from->outgoing, e.site);
  }
  std::vector<ChainEdge> outgoing = std::move(t->outgoing);
  t->outgoing.clear();
  for (const ChainEdge& e : outgoing) {
    unchain(e);
    remove_edge(e.to->incoming, e.site);
  }
}

// Drops the live translations of `page` for which doomed(t) holds.
template <typename Doomed>
void TranslationCache::drop_on_page(GuestAddr page, Doomed doomed) {
  auto it = by_page_.find(page);
  if (it == by_page_.end()) return;
  std::vector<Translation*>& list = it->second;
  for (Translation* t : list)
    if (t->alive && doomed(*t)) drop(t);
  std::erase_if(list, [](const Translation* t) { return !t->alive; });
  if (list.empty()) by_page_.erase(it);
}

void TranslationCache::invalidate(uint64_t start, uint64_t len) {
  if (len == 0) return;
  for (GuestAddr page = page_of(start); page < start + len; page += kPageSize)
    drop_on_page(page, [&](const Translation& t) {
      return overlaps(t, start, len);
    });
}

void TranslationCache::invalidate_ending_at(uint64_t end) {
  drop_on_page(page_of(end - 1), [end](const Translation& t) {
    return t.code_base + t.code_len == end;
  });
}

void TranslationCache::invalidate_entry(uint64_t guest) {
  std::vector<Translation*> doomed;
  for (const auto& [key, t] : by_key_)
    if (key.guest == guest && !key.no_redirect) doomed.push_back(t);
  for (Translation* t : doomed) drop(t);
}

void TranslationCache::code_page_written(GuestAddr page) {
  auto it = by_page_.find(page);
  if (it == by_page_.end()) return;
  std::vector<Translation*> list = std::move(it->second);
  by_page_.erase(it);
  for (Translation* t : list) drop(t);
}

void TranslationCache::flush() {
  fast_table_clear();
  std::fill(recent_.begin(), recent_.end(), nullptr);
  by_key_.clear();
  by_page_.clear();
  all_.clear();
  code_.flush();
  ++flushes_;
}

}  // namespace unstuck::replay
