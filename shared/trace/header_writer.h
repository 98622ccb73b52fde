// Builds the header file of a trace (see format.h, HeaderField).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/trace/format.h"

namespace unstuck::trace {

class HeaderWriter {
 public:
  HeaderWriter();
  void text(HeaderField field, const char* value);
  void number(HeaderField field, uint64_t value);
  void bytes(HeaderField field, const void* data, size_t size);
  // Writes `<folder>/header`; 0 or -errno.
  int write(const char* folder) const;

 private:
  void varint(uint64_t value);
  Vector<uint8_t> contents_;
};

}  // namespace unstuck::trace
