// The messages between the time machine (coordinator) and its replay
// worker processes, over a Unix stream socket: a u32 length, then a body
// that starts with the request or response type.  A worker can also hand
// over a socket (SCM_RIGHTS): how a forked worker's channel reaches the
// coordinator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace unstuck::target {

enum class WorkerRequest : uint8_t {
  RunUntil = 1,   // until, ignore_breakpoints_at, conditions -> RunResult
  State = 2,      // -> time, running thread, live threads
  Registers = 3,  // thread -> found, VexGuestAMD64State bytes
  ReadMemory = 4, // address, length -> ok, bytes
  Fork = 5,       // -> pid; the new worker's channel follows as a file descriptor
  Quit = 6,       // no answer: the worker exits
  // until, ignore_breakpoints_at, conditions -> RunResult of the last
  // condition met before `until` (the worker runs on through every hit:
  // no round trip per hit), then the worker's time.
  LastHit = 7,
};

class MessageWriter {
 public:
  MessageWriter& u8(uint8_t v) { return raw(&v, 1); }
  MessageWriter& u32(uint32_t v) { return raw(&v, 4); }
  MessageWriter& u64(uint64_t v) { return raw(&v, 8); }
  MessageWriter& bytes(const void* data, uint64_t n) { return u64(n).raw(data, n); }
  MessageWriter& text(const std::string& s) { return bytes(s.data(), s.size()); }
  const std::vector<uint8_t>& body() const { return body_; }

 private:
  MessageWriter& raw(const void* data, uint64_t n);
  std::vector<uint8_t> body_;
};

class MessageReader {
 public:
  explicit MessageReader(const std::vector<uint8_t>& body)
      : p_(body.data()), end_(body.data() + body.size()) {}
  uint8_t u8() { uint8_t v = 0; raw(&v, 1); return v; }
  uint32_t u32() { uint32_t v = 0; raw(&v, 4); return v; }
  uint64_t u64() { uint64_t v = 0; raw(&v, 8); return v; }
  std::vector<uint8_t> bytes();
  std::string text();
  bool ok() const { return ok_; }

 private:
  void raw(void* out, uint64_t n);
  const uint8_t* p_;
  const uint8_t* end_;
  bool ok_ = true;
};

// False when the peer is gone (or the message is malformed).
bool send_message(int socket, const MessageWriter& message);
bool receive_message(int socket, std::vector<uint8_t>* body);
bool send_descriptor(int socket, int fd);
int receive_descriptor(int socket);  // -1 on failure

}  // namespace unstuck::target
