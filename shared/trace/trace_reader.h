// Reads a trace on the host (the replayer, `unstuck dump`, `unstuck ps`).
// Every chunk is validated when the trace is opened: a trace cut short by a
// crash or kill -9 is readable up to its last complete chunk, and says so;
// a corrupt one is an error with a message, never a crash.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

extern "C" {
#include "libvex.h"
}

#include "shared/trace/content_hash.h"
#include "shared/trace/events.h"
#include "shared/trace/format.h"

namespace unstuck::trace {

struct TraceHeader {
  uint32_t version = 0;
  std::string valgrind_version, tool, working_directory, executable;
  std::string parent_trace;
  uint64_t pid = 0, parent_pid = 0, start_time = 0, check_every = 0;
  uint64_t guest_state_size = 0;
  std::vector<std::string> arguments, environment, tool_options;
  std::vector<uint8_t> auxv;
  VexArchInfo arch_info{};
  VexAbiInfo abi_info{};
  VexControl vex_control{};
};

struct ChunkInfo {
  ChunkHeader header;
  uint64_t offset;  // of the payload in the events file
};

class TraceReader {
 public:
  // Opens the trace folder (or the folder a latest-trace link names).
  static std::unique_ptr<TraceReader> open(const std::string& folder,
                                           std::string* error);

  const TraceHeader& header() const { return header_; }
  const std::string& folder() const { return folder_; }
  const std::vector<ChunkInfo>& chunks() const { return chunks_; }
  // Empty for a whole trace, else why the events stop early.
  const std::string& damage() const { return damage_; }
  uint64_t last_time() const;
  uint64_t events_file_bytes() const { return events_bytes_; }

  // The payload of chunk `i`, checked.
  std::vector<uint8_t> read_chunk(size_t i, std::string* error) const;
  // A blob's contents from the store beside the trace.
  std::optional<std::vector<uint8_t>> read_blob(const ContentHash& hash,
                                                std::string* error) const;
  std::string blob_root() const;

 private:
  bool read_header(std::string* error);
  bool scan_chunks(std::string* error);

  std::string folder_;
  TraceHeader header_;
  std::vector<ChunkInfo> chunks_;
  std::string damage_;
  uint64_t events_bytes_ = 0;
};

// Walks the events of a trace in order, across chunks.
class EventStream {
 public:
  explicit EventStream(const TraceReader& reader) : reader_(reader) {}
  // The next event: its kind and time, and a decoder positioned at its
  // fields.  False at the end, or on an error (then error() says what).
  bool next(EventKind* kind, uint64_t* time, EventDecoder** fields);
  const std::string& error() const { return error_; }
  // The chunk index of the event returned last.
  size_t chunk() const { return chunk_ - 1; }

 private:
  bool load_next_chunk();

  const TraceReader& reader_;
  size_t chunk_ = 0;
  std::vector<uint8_t> payload_;
  std::optional<EventDecoder> decoder_;
  std::string error_;
};

}  // namespace unstuck::trace
