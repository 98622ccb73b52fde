// Writes the events file of a trace: the intro, then one checksummed chunk
// per flush, and at the end the index file.  Portable (tool and host).
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/trace/events.h"
#include "shared/trace/format.h"

namespace unstuck::trace {

class ChunkWriter {
 public:
  // A chunk is written once its payload reaches this size (or on flush()).
  static constexpr size_t kChunkBytes = 64 * 1024;

  // Creates `<folder>/events`; 0 or -errno.
  int open(const char* folder);
  bool is_open() const { return fd_ >= 0; }

  // Where events are appended; call chunk_if_full() after each event.
  EventEncoder& events() { return encoder_; }
  // Writes the pending chunk if it is big enough; 0 or -errno.
  int chunk_if_full();
  // Writes the pending events as a chunk; 0 or -errno.
  int flush();
  // Flushes, writes `<folder>/index` and closes; 0 or -errno.
  int close();
  // Forgets the file without writing (in a forked child: the parent owns it).
  void abandon();

  uint64_t bytes_written() const { return offset_; }
  uint64_t last_time() const { return last_time_; }

 private:
  int write_index();

  int fd_ = -1;
  char folder_[4096] = {};
  EventEncoder encoder_;
  Vector<IndexEntry> index_;
  uint64_t offset_ = 0;
  uint64_t sequence_ = 0;
  uint64_t last_time_ = 0;
};

}  // namespace unstuck::trace
