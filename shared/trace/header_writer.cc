#include "shared/trace/header_writer.h"

#include "shared/rt/file_io.h"
#include "shared/rt/string_builder.h"
#include "shared/trace/varint.h"

namespace unstuck::trace {

HeaderWriter::HeaderWriter() {
  FileIntro intro = {};
  platform::copy_bytes(intro.magic, kHeaderMagic, sizeof intro.magic);
  intro.version = kFormatVersion;
  const uint8_t* p = reinterpret_cast<const uint8_t*>(&intro);
  for (size_t i = 0; i < sizeof intro; ++i) contents_.push_back(p[i]);
}

void HeaderWriter::varint(uint64_t value) {
  uint8_t buffer[10];
  size_t n = encode_varint(value, buffer);
  for (size_t i = 0; i < n; ++i) contents_.push_back(buffer[i]);
}

void HeaderWriter::bytes(HeaderField field, const void* data, size_t size) {
  varint(static_cast<uint64_t>(field));
  varint(size);
  const uint8_t* p = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < size; ++i) contents_.push_back(p[i]);
}

void HeaderWriter::text(HeaderField field, const char* value) {
  bytes(field, value, string_length(value));
}

void HeaderWriter::number(HeaderField field, uint64_t value) {
  uint8_t buffer[10];
  bytes(field, buffer, encode_varint(value, buffer));
}

int HeaderWriter::write(const char* folder) const {
  StringBuilder path;
  path.append(folder).append("/header");
  int fd = files::create(path.c_str());
  if (fd < 0) return fd;
  int r = files::write_all(fd, contents_.data(), contents_.size());
  files::close(fd);
  return r;
}

}  // namespace unstuck::trace
