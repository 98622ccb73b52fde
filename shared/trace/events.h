// The fields of each event, encoded and decoded in one place so that the
// recorder and the readers can never disagree on a layout.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/trace/content_hash.h"
#include "shared/trace/format.h"

namespace unstuck::trace {

// Bytes inside a payload (not NUL-terminated).
struct ByteSpan {
  const uint8_t* data;
  size_t size;
};

// Appends events to a chunk payload.
class EventEncoder {
 public:
  // Starts an event at `time` (never earlier than the previous one).
  void begin(EventKind kind, uint64_t time);
  void number(uint64_t value);
  void signed_number(int64_t value);
  void bytes(const void* data, size_t size);  // length, then the bytes
  void text(const char* text);
  void hash(const ContentHash& h);

  // The finished payload, and the chunk's statistics.
  const Vector<uint8_t>& payload() const { return payload_; }
  uint64_t first_time() const { return first_time_; }
  uint64_t last_time() const { return last_time_; }
  uint32_t event_count() const { return events_; }
  void reset();

 private:
  void raw(const void* data, size_t size);
  Vector<uint8_t> payload_;
  uint64_t first_time_ = 0;
  uint64_t last_time_ = 0;
  uint32_t events_ = 0;
};

// Reads the events of one chunk's payload.  Every read checks bounds: a
// corrupt payload makes ok() false, never a crash.
class EventDecoder {
 public:
  EventDecoder(const uint8_t* data, size_t size, uint64_t first_time)
      : p_(data), end_(data + size), time_(first_time) {}

  // Moves to the next event; false at the end of the payload or on error.
  bool next(EventKind* kind, uint64_t* time);
  uint64_t number();
  int64_t signed_number();
  ByteSpan bytes();
  ContentHash hash();
  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
  uint64_t time_;
  bool ok_ = true;
};

}  // namespace unstuck::trace
