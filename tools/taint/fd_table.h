// What the tool knows about the program's file descriptors: for each, its
// open file description (shared by dups, as in the kernel), which source
// its bytes come from and at which offset, or which in-process pipe or
// socketpair it is an end of.
//
// Kept up to date from the syscalls that make, copy and close
// descriptors (open, openat, creat, dup, dup2, dup3, fcntl F_DUPFD,
// pipe, socketpair, socket, accept, close) by syscall_sources.cc.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"
#include "tools/taint/kernel_flows.h"
#include "tools/taint/labels.h"

namespace unstuck::taint {

inline constexpr SourceId kNoSource = ~SourceId{0};

struct Description {
  int references;
  // Bytes read come from this source, at `offset` for sequential reads
  // (files are re-synchronised with the kernel's offset at each read).
  SourceId source;
  uint64_t offset;
  bool is_file;    // a regular file: the kernel keeps the offset
  bool is_socket;  // a source is chosen per connection at the first read
  bool checked;    // an inherited descriptor whose path has been looked at
  // An end of an in-process pipe or socketpair: reads take labels from
  // `incoming`, writes feed `outgoing` (either may be null).
  KernelQueue* incoming;
  KernelQueue* outgoing;
};

// The description of `fd`, or null when the tool does not track it.
Description* description_of(int fd);
// `fd` now refers to a new description (the old one, if any, is closed).
Description* open_description(int fd);
// `to` refers to the description of `from` (dup).  No-op if untracked.
void duplicate_fd(int from, int to);
void close_fd(int fd);

}  // namespace unstuck::taint
