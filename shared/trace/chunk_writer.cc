#include "shared/trace/chunk_writer.h"

#include "shared/rt/file_io.h"
#include "shared/rt/string_builder.h"
#include "shared/trace/content_hash.h"

namespace unstuck::trace {
namespace {

// Creates `<folder>/<name>` and writes the intro every trace file starts
// with; a descriptor or -errno.
int create_with_intro(const char* folder, const char* name,
                      const char (&magic)[16]) {
  StringBuilder path;
  path.append(folder).append('/').append(name);
  int fd = files::create(path.c_str());
  if (fd < 0) return fd;
  FileIntro intro = {};
  platform::copy_bytes(intro.magic, magic, sizeof intro.magic);
  intro.version = kFormatVersion;
  int r = files::write_all(fd, &intro, sizeof intro);
  if (r < 0) {
    files::close(fd);
    return r;
  }
  return fd;
}

}  // namespace

int ChunkWriter::open(const char* folder) {
  int fd = create_with_intro(folder, "events", kEventsMagic);
  if (fd < 0) return fd;
  fd_ = fd;
  offset_ = sizeof(FileIntro);
  size_t n = string_length(folder);
  UNSTUCK_CHECK(n < sizeof folder_);
  platform::copy_bytes(folder_, folder, n + 1);
  return 0;
}

int ChunkWriter::chunk_if_full() {
  return encoder_.payload().size() >= kChunkBytes ? flush() : 0;
}

int ChunkWriter::flush() {
  if (fd_ < 0 || encoder_.event_count() == 0) return 0;
  const Vector<uint8_t>& payload = encoder_.payload();
  ChunkHeader header = {};
  header.magic = kChunkMagic;
  header.payload_bytes = static_cast<uint32_t>(payload.size());
  header.sequence = sequence_++;
  header.first_time = encoder_.first_time();
  header.last_time = encoder_.last_time();
  header.event_count = encoder_.event_count();
  header.checksum =
      static_cast<uint32_t>(hash_content(payload.data(), payload.size()).low);
  // Header and payload in one write, so that a chunk is either whole in the
  // file or, if the process dies mid-write, visibly cut short.
  Vector<uint8_t> chunk;
  chunk.resize(sizeof header + payload.size());
  platform::copy_bytes(chunk.data(), &header, sizeof header);
  platform::copy_bytes(chunk.data() + sizeof header, payload.data(),
                       payload.size());
  int r = files::write_all(fd_, chunk.data(), chunk.size());
  if (r < 0) return r;
  index_.push_back(IndexEntry{header.first_time, header.last_time, offset_});
  offset_ += chunk.size();
  last_time_ = header.last_time;
  encoder_.reset();
  return 0;
}

int ChunkWriter::write_index() {
  int fd = create_with_intro(folder_, "index", kIndexMagic);
  if (fd < 0) return fd;
  int r = files::write_all(fd, index_.data(), index_.size() * sizeof(IndexEntry));
  files::close(fd);
  return r;
}

int ChunkWriter::close() {
  if (fd_ < 0) return 0;
  int r = flush();
  files::close(fd_);
  fd_ = -1;
  int ri = write_index();
  return r < 0 ? r : ri;
}

void ChunkWriter::abandon() {
  if (fd_ >= 0) files::close(fd_);
  fd_ = -1;
  encoder_.reset();
  index_.clear();
  offset_ = sequence_ = last_time_ = 0;
}

}  // namespace unstuck::trace
