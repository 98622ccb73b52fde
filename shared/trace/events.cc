#include "shared/trace/events.h"

#include "shared/rt/check.h"
#include "shared/rt/string_builder.h"
#include "shared/trace/varint.h"

namespace unstuck::trace {

void EventEncoder::raw(const void* data, size_t size) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  payload_.reserve(payload_.size() + size);
  for (size_t i = 0; i < size; ++i) payload_.push_back(p[i]);
}

void EventEncoder::begin(EventKind kind, uint64_t time) {
  if (events_ == 0) first_time_ = last_time_ = time;
  UNSTUCK_CHECK_MSG(time >= last_time_, "events must not go back in time");
  uint8_t tag = static_cast<uint8_t>(kind);
  raw(&tag, 1);
  number(time - last_time_);
  last_time_ = time;
  ++events_;
}

void EventEncoder::number(uint64_t value) {
  uint8_t buffer[10];
  raw(buffer, encode_varint(value, buffer));
}

void EventEncoder::signed_number(int64_t value) { number(zigzag(value)); }

void EventEncoder::bytes(const void* data, size_t size) {
  number(size);
  raw(data, size);
}

void EventEncoder::text(const char* value) {
  bytes(value, string_length(value));
}

void EventEncoder::hash(const ContentHash& h) {
  raw(&h.low, 8);
  raw(&h.high, 8);
}

void EventEncoder::reset() {
  payload_.clear();
  first_time_ = last_time_ = 0;
  events_ = 0;
}

bool EventDecoder::next(EventKind* kind, uint64_t* time) {
  if (!ok_ || p_ == end_) return false;
  *kind = static_cast<EventKind>(*p_++);
  time_ += number();
  *time = time_;
  return ok_;
}

uint64_t EventDecoder::number() {
  uint64_t value = 0;
  if (ok_ && !decode_varint(&p_, end_, &value)) ok_ = false;
  return ok_ ? value : 0;
}

int64_t EventDecoder::signed_number() { return unzigzag(number()); }

ByteSpan EventDecoder::bytes() {
  uint64_t size = number();
  if (!ok_ || size > static_cast<uint64_t>(end_ - p_)) {
    ok_ = false;
    return ByteSpan{nullptr, 0};
  }
  ByteSpan span{p_, static_cast<size_t>(size)};
  p_ += size;
  return span;
}

ContentHash EventDecoder::hash() {
  ContentHash h{0, 0};
  if (!ok_ || end_ - p_ < 16) {
    ok_ = false;
    return h;
  }
  platform::copy_bytes(&h.low, p_, 8);
  platform::copy_bytes(&h.high, p_ + 8, 8);
  p_ += 16;
  return h;
}

}  // namespace unstuck::trace
