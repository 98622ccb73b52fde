#include "tools/taint/syscall_sources.h"

#include "shared/rt/hash_map.h"
#include "shared/rt/string_builder.h"
#include "shared/shadow/shadow_registers_ir.h"
#include "shared/vg/core_events.h"
#include "tools/taint/fd_table.h"
#include "tools/taint/options.h"
#include "tools/taint/shadow_state.h"
#include "tools/taint/sources.h"

extern "C" {
#include "pub_tool_seqmatch.h"
}

namespace unstuck::taint {
namespace {

constexpr UInt kOpenat2 = 437;  // not in Valgrind 3.19's syscall list

// ---- Which files are sources ----------------------------------------------------

bool glob_matches(const char* path) {
  if (path == nullptr) return false;
  const char* base = VG_(strrchr)(path, '/');
  base = base != nullptr ? base + 1 : path;
  for (const HChar* glob : options().taint_files)
    if (VG_(string_match)(glob, path) || VG_(string_match)(glob, base)) return true;
  return false;
}

// The path the kernel has for `fd` (absolute, symlinks resolved).
bool path_of_fd(int fd, StringBuilder& out) {
  StringBuilder link;
  link.append("/proc/self/fd/").append_unsigned(static_cast<uint64_t>(fd));
  HChar buffer[4096];
  SSizeT n = VG_(readlink)(link.c_str(), buffer, sizeof buffer - 1);
  if (n <= 0) return false;
  out.append(buffer, static_cast<size_t>(n));
  return true;
}

// `folder` + "/" + `relative` with "." and ".." components resolved, as
// the kernel's absolute paths have them (symbolic links aside).
void append_normalised_path(StringBuilder& out, const char* folder, const char* relative) {
  StringBuilder joined;
  joined.append(folder).append('/').append(relative);
  const char* p = joined.c_str();
  Vector<size_t> starts;  // where each component written so far begins in `out`
  while (*p != '\0') {
    while (*p == '/') ++p;
    const char* end = p;
    while (*end != '\0' && *end != '/') ++end;
    const size_t length = static_cast<size_t>(end - p);
    if (length == 0 || (length == 1 && p[0] == '.')) {
      // nothing: an empty or "." component
    } else if (length == 2 && p[0] == '.' && p[1] == '.') {
      if (!starts.empty()) {
        out.truncate(starts[starts.size() - 1]);
        starts.pop_back();
      }
    } else {
      starts.push_back(out.size());
      out.append('/').append(p, length);
    }
    p = end;
  }
  if (out.size() == 0) out.append('/');
}

// A relative glob names files relative to where Valgrind started: matched
// against the absolute path, it is taken from there ("input/*.bin" matches
// a file the program opened as "*.bin" from the folder "input").
bool relative_glob_matches(const char* absolute) {
  for (const HChar* glob : options().taint_files) {
    if (glob[0] == '/') continue;
    StringBuilder full;
    append_normalised_path(full, VG_(get_startup_wd)(), glob);
    if (VG_(string_match)(full.c_str(), absolute)) return true;
  }
  return false;
}

bool is_tainted_file(int fd, const char* path_as_opened) {
  if (options().taint_files.empty()) return false;
  if (glob_matches(path_as_opened)) return true;
  StringBuilder absolute;
  return path_of_fd(fd, absolute) &&
         (glob_matches(absolute.c_str()) || relative_glob_matches(absolute.c_str()));
}

void make_file_source(Description* d, const char* name) {
  d->source = source_for(SourceKind::kFile, name);
  d->is_file = true;
  d->offset = 0;
}

void on_open(int fd, const char* path) {
  Description* d = open_description(fd);
  d->checked = true;
  if (is_tainted_file(fd, path)) make_file_source(d, path);
}

bool is_socket(int fd) {
  struct vg_stat st;
  return VG_(fstat)(fd, &st) == 0 && VKI_S_ISSOCK(st.mode);
}

// A descriptor the program did not open while we watched (inherited, or
// made by a syscall the tool does not follow): looked at once.
Description* description_for_read(int fd) {
  Description* d = description_of(fd);
  if (d != nullptr && d->checked) return d;
  if (d == nullptr) d = open_description(fd);
  d->checked = true;
  StringBuilder path;
  if (d->source == kNoSource && path_of_fd(fd, path) &&
      (glob_matches(path.c_str()) || relative_glob_matches(path.c_str())))
    make_file_source(d, path.c_str());
  if (is_socket(fd)) d->is_socket = true;
  return d;
}

// ---- Network sources ---------------------------------------------------------

void append_peer(int fd, StringBuilder& name) {
  struct {
    vki_sa_family_t family;
    uint8_t rest[126];
  } address;
  Int length = sizeof address;
  SysRes r = VG_(do_syscall)(__NR_getpeername, fd, reinterpret_cast<RegWord>(&address),
                             reinterpret_cast<RegWord>(&length), 0, 0, 0, 0, 0);
  if (!sr_isError(r) && address.family == VKI_AF_INET) {
    const auto* in = reinterpret_cast<const struct vki_sockaddr_in*>(&address);
    const uint8_t* ip = reinterpret_cast<const uint8_t*>(&in->sin_addr);
    for (int i = 0; i < 4; ++i) name.append_unsigned(ip[i]).append(i < 3 ? "." : "");
    uint16_t port = static_cast<uint16_t>((in->sin_port >> 8) | (in->sin_port << 8));
    name.append(':').append_unsigned(port);
    return;
  }
  if (!sr_isError(r) && address.family == VKI_AF_INET6) {
    const auto* in6 = reinterpret_cast<const struct vki_sockaddr_in6*>(&address);
    const uint8_t* ip = reinterpret_cast<const uint8_t*>(&in6->sin6_addr);
    name.append('[');
    for (int i = 0; i < 16; i += 2)
      name.append_hex((ip[i] << 8) | ip[i + 1]).append(i < 14 ? ":" : "");
    uint16_t port = static_cast<uint16_t>((in6->sin6_port >> 8) | (in6->sin6_port << 8));
    name.append("]:").append_unsigned(port);
    return;
  }
  name.append("fd").append_unsigned(static_cast<uint64_t>(fd));
}

// One source per connection, named after the peer, made at its first read.
void choose_net_source(int fd, Description* d) {
  if (!options().taint_net || !d->is_socket || d->source != kNoSource) return;
  StringBuilder name;
  name.append("net:");
  append_peer(fd, name);
  d->source = source_for(SourceKind::kNet, name.c_str());
  d->offset = 0;
}

// ---- Reads ---------------------------------------------------------------------

// Labels `n` bytes at `a` read from `fd` at `offset` (sequential reads
// pass the description's own offset).
void label_read(Description* d, Addr a, SizeT n, uint64_t offset) {
  if (d->incoming != nullptr) {
    d->incoming->pop(a, n);
  } else if (d->source != kNoSource) {
    label_memory_bytes(a, n, d->source, offset);
  }
}

uint64_t sequential_offset(int fd, Description* d, SizeT n) {
  if (d->is_file) {
    // The kernel's offset after the read: right even when the program
    // moved it in ways the tool does not follow.
    Off64T now = VG_(lseek)(fd, 0, VKI_SEEK_CUR);
    if (now >= 0 && static_cast<uint64_t>(now) >= n) d->offset = now - n;
  }
  uint64_t start = d->offset;
  d->offset += n;
  return start;
}

void on_read(int fd, Addr buffer, SizeT n) {
  if (n == 0) return;
  Description* d = description_for_read(fd);
  choose_net_source(fd, d);
  label_read(d, buffer, n, sequential_offset(fd, d, n));
}

void on_read_at(int fd, Addr buffer, SizeT n, uint64_t offset) {
  if (n == 0) return;
  Description* d = description_for_read(fd);
  label_read(d, buffer, n, offset);
}

// Bytes spread over an iovec array in order.
void on_scatter(int fd, const struct vki_iovec* iov, SizeT count, SizeT n,
                bool at_offset, uint64_t offset) {
  if (n == 0 || iov == nullptr) return;
  Description* d = description_for_read(fd);
  choose_net_source(fd, d);
  uint64_t start = at_offset ? offset : sequential_offset(fd, d, n);
  for (SizeT i = 0; i < count && n > 0; ++i) {
    SizeT piece = iov[i].iov_len < n ? iov[i].iov_len : n;
    label_read(d, reinterpret_cast<Addr>(iov[i].iov_base), piece, start);
    start += piece;
    n -= piece;
  }
}

void on_mmap(Addr at, SizeT length, UWord flags, int fd, uint64_t offset) {
  if ((flags & VKI_MAP_ANONYMOUS) || fd < 0) return;
  Description* d = description_for_read(fd);
  if (d->source == kNoSource || !d->is_file) return;
  struct vg_stat st;
  if (VG_(fstat)(fd, &st) != 0 || st.size <= 0 ||
      offset >= static_cast<uint64_t>(st.size))
    return;
  uint64_t in_file = static_cast<uint64_t>(st.size) - offset;
  label_memory_bytes(at, length < in_file ? length : in_file, d->source, offset);
}

// ---- Pipes and socketpairs --------------------------------------------------------

void make_channel(int a, int b, bool both_ways) {
  KernelChannel* channel = new KernelChannel();
  Description* first = open_description(a);
  Description* second = open_description(b);
  first->checked = second->checked = true;
  // a writes to b (socketpair: both ways); a pipe's fds[0] reads, fds[1] writes.
  if (both_ways) {
    first->outgoing = second->incoming = &channel->forward;
    second->outgoing = first->incoming = &channel->backward;
  } else {
    second->outgoing = first->incoming = &channel->forward;
  }
}

// Writes in flight, by thread: queued at the syscall's start, trimmed at
// its end.
HashMap<ThreadId, uint64_t>* g_writes = nullptr;
uint64_t g_next_write = 1;

void queue_write(ThreadId tid, int fd, Addr a, SizeT n) {
  Description* d = description_of(fd);
  if (d == nullptr || d->outgoing == nullptr) return;
  uint64_t id = (*g_writes)[tid];
  if (id == 0) (*g_writes)[tid] = id = g_next_write++;
  d->outgoing->push(id, a, n);
}

void queue_iovecs(ThreadId tid, int fd, const struct vki_iovec* iov, SizeT count) {
  if (iov == nullptr || !VG_(am_is_valid_for_client)(reinterpret_cast<Addr>(iov),
                                                      count * sizeof *iov, VKI_PROT_READ))
    return;
  for (SizeT i = 0; i < count; ++i)
    queue_write(tid, fd, reinterpret_cast<Addr>(iov[i].iov_base), iov[i].iov_len);
}

void finish_write(ThreadId tid, int fd, SizeT taken) {
  uint64_t* id = g_writes->find(tid);
  if (id == nullptr || *id == 0) return;
  Description* d = description_of(fd);
  if (d != nullptr && d->outgoing != nullptr) d->outgoing->trim(*id, taken);
  *id = 0;
}

// ---- The core's events ---------------------------------------------------------

void on_pre_syscall(ThreadId tid, UInt number, UWord* args, UInt) {
  int fd = static_cast<int>(args[0]);
  switch (number) {
    case __NR_write:
    case __NR_sendto:
      queue_write(tid, fd, args[1], args[2]);
      break;
    case __NR_writev:
      queue_iovecs(tid, fd, reinterpret_cast<const struct vki_iovec*>(args[1]), args[2]);
      break;
    case __NR_sendmsg: {
      const auto* msg = reinterpret_cast<const struct vki_msghdr*>(args[1]);
      if (msg != nullptr && VG_(am_is_valid_for_client)(args[1], sizeof *msg, VKI_PROT_READ))
        queue_iovecs(tid, fd, msg->msg_iov, msg->msg_iovlen);
      break;
    }
  }
}

void after_success(UInt number, UWord* args, UWord result) {
  int fd = static_cast<int>(args[0]);
  switch (number) {
    case __NR_open:
    case __NR_creat:
      on_open(static_cast<int>(result), reinterpret_cast<const char*>(args[0]));
      break;
    case __NR_openat:
    case kOpenat2:
      on_open(static_cast<int>(result), reinterpret_cast<const char*>(args[1]));
      break;
    case __NR_close:
      close_fd(fd);
      break;
    case __NR_dup:
      duplicate_fd(fd, static_cast<int>(result));
      break;
    case __NR_dup2:
    case __NR_dup3:
      duplicate_fd(fd, static_cast<int>(args[1]));
      break;
    case __NR_fcntl:
      if (args[1] == VKI_F_DUPFD || args[1] == VKI_F_DUPFD_CLOEXEC)
        duplicate_fd(fd, static_cast<int>(result));
      break;
    case __NR_lseek:
      if (Description* d = description_of(fd)) d->offset = result;
      break;
    case __NR_read:
      on_read(fd, args[1], result);
      break;
    case __NR_pread64:
      on_read_at(fd, args[1], result, args[3]);
      break;
    case __NR_readv:
      on_scatter(fd, reinterpret_cast<const struct vki_iovec*>(args[1]), args[2], result,
                 false, 0);
      break;
    case __NR_preadv:
    case __NR_preadv2:
      on_scatter(fd, reinterpret_cast<const struct vki_iovec*>(args[1]), args[2], result,
                 true, args[3]);
      break;
    case __NR_recvfrom:
      on_read(fd, args[1], result);
      break;
    case __NR_recvmsg: {
      const auto* msg = reinterpret_cast<const struct vki_msghdr*>(args[1]);
      on_scatter(fd, msg->msg_iov, msg->msg_iovlen, result, false, 0);
      break;
    }
    case __NR_mmap:
      on_mmap(result, args[1], args[3], static_cast<int>(args[4]), args[5]);
      break;
    case __NR_pipe:
    case __NR_pipe2: {
      const int* fds = reinterpret_cast<const int*>(args[0]);
      make_channel(fds[0], fds[1], /*both_ways=*/false);
      break;
    }
    case __NR_socketpair: {
      const int* sv = reinterpret_cast<const int*>(args[3]);
      make_channel(sv[0], sv[1], /*both_ways=*/true);
      break;
    }
    case __NR_socket:
    case __NR_accept:
    case __NR_accept4: {
      Description* d = open_description(static_cast<int>(result));
      d->checked = true;
      d->is_socket = true;
      break;
    }
  }
}

void on_post_syscall(ThreadId tid, UInt number, UWord* args, UInt, SysRes result) {
  UWord value = sr_isError(result) ? 0 : sr_Res(result);
  switch (number) {
    case __NR_write:
    case __NR_writev:
    case __NR_sendto:
    case __NR_sendmsg:
      finish_write(tid, static_cast<int>(args[0]), value);
      break;
  }
  if (!sr_isError(result)) after_success(number, args, value);
}

// What the core writes into the program is not derived from its input
// (syscall output is labelled afterwards, in on_post_syscall).
void on_post_mem_write(CorePart, ThreadId, Addr a, SizeT size) {
  memory_labels().clear_range(a, size);
}

void on_post_reg_write(CorePart, ThreadId tid, PtrdiffT offset, SizeT size) {
  set_register_label(tid, static_cast<int32_t>(offset), static_cast<int32_t>(size),
                     kEmptyLabelSet);
}

void on_new_mapping(Addr a, SizeT len, Bool, Bool, Bool, ULong) {
  memory_labels().clear_range(a, len);
}
void on_unmapped(Addr a, SizeT len) { memory_labels().clear_range(a, len); }
// The core reports the old range's unmapping separately.
void on_remapped(Addr from, Addr to, SizeT len) {
  memory_labels().copy_range(from, to, len);
}
void on_new_brk(Addr a, SizeT len, ThreadId) { memory_labels().clear_range(a, len); }

}  // namespace

void install_syscall_sources() {
  g_writes = new HashMap<ThreadId, uint64_t>();
  core_events::on_pre_syscall(on_pre_syscall);
  core_events::on_post_syscall(on_post_syscall);
  core_events::on_post_mem_write(on_post_mem_write);
  core_events::on_post_reg_write(on_post_reg_write);
  core_events::on_new_mem_mmap(on_new_mapping);
  core_events::on_new_mem_startup(on_new_mapping);
  core_events::on_die_mem_munmap(on_unmapped);
  core_events::on_copy_mem_remap(on_remapped);
  core_events::on_new_mem_brk(on_new_brk);
  core_events::on_die_mem_brk(on_unmapped);
}

void start_syscall_sources() {
  if (!options().taint_stdin) return;
  Description* d = open_description(0);
  d->checked = true;
  d->source = source_for(SourceKind::kStdin, "stdin");
  d->offset = 0;
}

}  // namespace unstuck::taint
