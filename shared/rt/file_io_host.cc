// Files on the host: POSIX.
#include "shared/rt/file_io.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace unstuck::files {

static int failed() { return -errno; }

int create(const char* path) {
  int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  return fd < 0 ? failed() : fd;
}

int open_for_reading(const char* path) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  return fd < 0 ? failed() : fd;
}

int write_all(int fd, const void* data, size_t bytes) {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    ssize_t n = ::write(fd, p, bytes);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? failed() : -EIO;
    p += n;
    bytes -= static_cast<size_t>(n);
  }
  return 0;
}

long read_some(int fd, void* data, size_t bytes) {
  ssize_t n;
  do n = ::read(fd, data, bytes);
  while (n < 0 && errno == EINTR);
  return n < 0 ? failed() : n;
}

void close(int fd) { ::close(fd); }

int make_directory(const char* path) {
  return ::mkdir(path, 0755) == 0 ? 0 : failed();
}

int replace_symlink(const char* target, const char* link) {
  std::string temporary = std::string(link) + ".new";
  ::unlink(temporary.c_str());
  if (::symlink(target, temporary.c_str()) != 0) return failed();
  return rename_path(temporary.c_str(), link);
}

int rename_path(const char* from, const char* to) {
  return ::rename(from, to) == 0 ? 0 : failed();
}

bool exists(const char* path) {
  struct stat st;
  return ::lstat(path, &st) == 0;
}

}  // namespace unstuck::files
