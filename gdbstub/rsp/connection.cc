#include "gdbstub/rsp/connection.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace unstuck::rsp {

namespace {

// send() with MSG_NOSIGNAL, so a client that went away is an error return
// rather than a SIGPIPE; write() for pipes, which have no such flag.
long write_some(int fd, const char* data, size_t size) {
  long n = ::send(fd, data, size, MSG_NOSIGNAL);
  if (n < 0 && errno == ENOTSOCK) n = ::write(fd, data, size);
  return n;
}

std::string system_error(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

int listening_socket(uint16_t port, std::string* error) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = system_error("socket");
    return -1;
  }
  int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // never reachable from other machines
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, 1) != 0) {
    *error = system_error("bind 127.0.0.1");
    ::close(fd);
    return -1;
  }
  return fd;
}

uint16_t bound_port(int fd) {
  sockaddr_in address{};
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  return ntohs(address.sin_port);
}

}  // namespace

Connection::Connection(int input_fd, int output_fd, bool owns)
    : input_fd_(input_fd), output_fd_(output_fd), owns_(owns) {}

Connection::~Connection() {
  if (!owns_) return;
  ::close(input_fd_);
  if (output_fd_ != input_fd_) ::close(output_fd_);
}

long Connection::read_some(char* buffer, size_t size) {
  while (true) {
    long n = ::read(input_fd_, buffer, size);
    if (n >= 0 || errno != EINTR) return n;
  }
}

bool Connection::wait_for_input(int wake_fd) {
  pollfd fds[2] = {{input_fd_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  while (true) {
    int n = ::poll(fds, wake_fd < 0 ? 1 : 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return true;  // let the read report the error
    return fds[0].revents != 0;
  }
}

bool Connection::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    long n = write_some(output_fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::unique_ptr<Connection> stdio_connection() {
  return std::make_unique<Connection>(STDIN_FILENO, STDOUT_FILENO, false);
}

std::unique_ptr<Connection> accept_on_localhost(
    uint16_t port, const std::function<void(uint16_t)>& on_listening, std::string* error) {
  int listener = listening_socket(port, error);
  if (listener < 0) return nullptr;
  on_listening(bound_port(listener));
  int client;
  do {
    client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  } while (client < 0 && errno == EINTR);
  if (client < 0) *error = system_error("accept");
  ::close(listener);
  if (client < 0) return nullptr;
  // Packets are small and answered one at a time: send them at once.
  int yes = 1;
  ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  return std::make_unique<Connection>(client, client, true);
}

}  // namespace unstuck::rsp
