// Taint sources in system calls: bytes read from files matching
// --taint-file, from stdin (--taint-stdin) and from sockets (--taint-net)
// get labels (source, offset); bytes that moved through an in-process
// pipe or socketpair get back the labels they were written with; and the
// core's own writes into the program (syscall results, signal frames)
// clear labels.
//
// File descriptors are followed through open, openat, creat, dup, dup2,
// dup3, fcntl(F_DUPFD), close and lseek (fd_table.h); data through read,
// pread64, readv, preadv, preadv2, recvfrom, recvmsg and mmap of a file.
#pragma once

namespace unstuck::taint {

// Subscribes to the core's events.  Call from pre_clo_init.
void install_syscall_sources();
// Call from post_clo_init, when the options are known (stdin's
// description).
void start_syscall_sources();

}  // namespace unstuck::taint
