// Valgrind's redirections, as recorded: when the guest enters a block at
// guest address `from` normally, the code is really taken from `to`.  (On
// amd64-linux Valgrind redirects, for instance, ld.so's strlen and the
// vsyscall page to code of its own.)  A block entered right after an
// Ijk_NoRedir jump is taken from its own address.
//
// Replace-style redirections set guest_NRADDR to 0 at the block start,
// wrap-style ones set it to `from` (function wrapping reads it back), as
// Valgrind's translation preambles do.
#pragma once

#include <stdint.h>

#include <unordered_map>

namespace unstuck::replay {

enum class RedirectKind : uint8_t { None, Replace, Wrap };

struct Redirect {
  uint64_t to;
  RedirectKind kind;
};

class RedirectTable {
 public:
  void add(uint64_t from, uint64_t to, RedirectKind kind);
  void remove(uint64_t from);
  // {from, None} when no redirection is in force at `from`.
  Redirect lookup(uint64_t from) const;
  bool empty() const { return table_.empty(); }

 private:
  std::unordered_map<uint64_t, Redirect> table_;
};

}  // namespace unstuck::replay
