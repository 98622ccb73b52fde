// The byte stream to GDB: stdin/stdout (for `target extended-remote | ...`)
// or one TCP connection accepted on 127.0.0.1.  Both are file descriptors,
// so the interrupt watcher can poll the input while a resume runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace unstuck::rsp {

class Connection {
 public:
  // Takes ownership of the descriptors when `owns` (a socket); stdin and
  // stdout stay open.
  Connection(int input_fd, int output_fd, bool owns);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Blocks until some input arrives; returns the count, 0 at the end of
  // the input, or -1 on an error.
  long read_some(char* buffer, size_t size);
  // Waits until input is readable or `wake_fd` becomes readable (when not
  // -1).  True when the input is readable (data or end of input).
  bool wait_for_input(int wake_fd);
  bool write_all(std::string_view bytes);
  int input_fd() const { return input_fd_; }

 private:
  int input_fd_, output_fd_;
  bool owns_;
};

std::unique_ptr<Connection> stdio_connection();

// Listens on 127.0.0.1:`port` (0 picks a free port), tells `on_listening`
// the port, and accepts one client.  Null with `error` set on failure.
std::unique_ptr<Connection> accept_on_localhost(
    uint16_t port, const std::function<void(uint16_t)>& on_listening, std::string* error);

}  // namespace unstuck::rsp
