// Files inside a Valgrind tool: Valgrind's own file calls, and raw system
// calls for what Valgrind does not wrap (mkdir, symlink).
#include "shared/rt/file_io.h"

#include "shared/rt/string_builder.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::files {

static int result_of(SysRes r) {
  return sr_isError(r) ? -static_cast<int>(sr_Err(r))
                       : static_cast<int>(sr_Res(r));
}

int create(const char* path) {
  return result_of(VG_(open)(path, VKI_O_WRONLY | VKI_O_CREAT | VKI_O_TRUNC,
                             0644));
}

int open_for_reading(const char* path) {
  return result_of(VG_(open)(path, VKI_O_RDONLY, 0));
}

int write_all(int fd, const void* data, size_t bytes) {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    // VG_(write) takes an Int count: write large buffers in pieces.
    Int piece = bytes > (1u << 30) ? (1 << 30) : static_cast<Int>(bytes);
    Int n = VG_(write)(fd, p, piece);
    if (n == -VKI_EINTR) continue;
    if (n <= 0) return n < 0 ? n : -VKI_EIO;
    p += n;
    bytes -= static_cast<size_t>(n);
  }
  return 0;
}

long read_some(int fd, void* data, size_t bytes) {
  Int piece = bytes > (1u << 30) ? (1 << 30) : static_cast<Int>(bytes);
  return VG_(read)(fd, data, piece);
}

void close(int fd) { VG_(close)(fd); }

int make_directory(const char* path) {
  int r = result_of(VG_(do_syscall)(__NR_mkdir, (RegWord)path, 0755, 0, 0, 0,
                                    0, 0, 0));
  return r < 0 ? r : 0;
}

int replace_symlink(const char* target, const char* link) {
  StringBuilder temporary;
  temporary.append(link).append(".new");
  VG_(unlink)(temporary.c_str());
  int r = result_of(VG_(do_syscall)(__NR_symlink, (RegWord)target,
                                    (RegWord)temporary.c_str(), 0, 0, 0, 0, 0,
                                    0));
  if (r < 0) return r;
  return rename_path(temporary.c_str(), link);
}

int rename_path(const char* from, const char* to) {
  return VG_(rename)(from, to) == 0 ? 0 : -VKI_EIO;
}

bool exists(const char* path) {
  struct vg_stat st;
  return !sr_isError(VG_(stat)(path, &st));
}

}  // namespace unstuck::files
