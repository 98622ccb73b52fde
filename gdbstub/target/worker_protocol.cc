#include "gdbstub/target/worker_protocol.h"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace unstuck::target {
namespace {

bool write_all(int fd, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool read_all(int fd, void* data, size_t n) {
  char* p = static_cast<char*>(data);
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

}  // namespace

MessageWriter& MessageWriter::raw(const void* data, uint64_t n) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  body_.insert(body_.end(), p, p + n);
  return *this;
}

void MessageReader::raw(void* out, uint64_t n) {
  if (!ok_ || static_cast<uint64_t>(end_ - p_) < n) {
    ok_ = false;
    return;
  }
  std::memcpy(out, p_, n);
  p_ += n;
}

std::vector<uint8_t> MessageReader::bytes() {
  uint64_t n = u64();
  if (!ok_ || static_cast<uint64_t>(end_ - p_) < n) {
    ok_ = false;
    return {};
  }
  std::vector<uint8_t> out(p_, p_ + n);
  p_ += n;
  return out;
}

std::string MessageReader::text() {
  std::vector<uint8_t> b = bytes();
  return std::string(b.begin(), b.end());
}

bool send_message(int socket, const MessageWriter& message) {
  uint32_t length = static_cast<uint32_t>(message.body().size());
  return write_all(socket, &length, sizeof length) &&
         write_all(socket, message.body().data(), length);
}

bool receive_message(int socket, std::vector<uint8_t>* body) {
  uint32_t length = 0;
  if (!read_all(socket, &length, sizeof length)) return false;
  body->resize(length);
  return read_all(socket, body->data(), length);
}

// One byte of payload with room for one descriptor: the message both
// directions of a descriptor hand-over use.
struct DescriptorMessage {
  char byte = 0;
  iovec io{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr header{};

  DescriptorMessage() {
    header.msg_iov = &io;
    header.msg_iovlen = 1;
    header.msg_control = control;
    header.msg_controllen = sizeof control;
  }
};

bool send_descriptor(int socket, int fd) {
  DescriptorMessage m;
  cmsghdr* c = CMSG_FIRSTHDR(&m.header);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  return ::sendmsg(socket, &m.header, MSG_NOSIGNAL) == 1;
}

int receive_descriptor(int socket) {
  DescriptorMessage m;
  if (::recvmsg(socket, &m.header, 0) != 1) return -1;
  cmsghdr* c = CMSG_FIRSTHDR(&m.header);
  if (c == nullptr || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd = -1;
  std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

}  // namespace unstuck::target
