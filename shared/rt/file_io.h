// Files and folders, for code that has no libc inside Valgrind.  Calls
// return a negative errno on failure (Linux convention); the caller turns
// that into a message.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace unstuck::files {

// Creates (or truncates) a file for writing; returns a descriptor or -errno.
int create(const char* path);
// Opens an existing file for reading; returns a descriptor or -errno.
int open_for_reading(const char* path);
// Writes all bytes (retrying short writes); returns 0 or -errno.
int write_all(int fd, const void* data, size_t bytes);
// Reads up to `bytes`; returns the count read (0 at the end) or -errno.
long read_some(int fd, void* data, size_t bytes);
void close(int fd);

// 0 when the folder was made, -EEXIST when it was there already, else
// -errno.
int make_directory(const char* path);
// Makes `path` and any missing parents; 0 when it exists afterwards.
int make_directories(const char* path);
// Makes `link` a symbolic link to `target`, replacing what was there.
int replace_symlink(const char* target, const char* link);
int rename_path(const char* from, const char* to);
bool exists(const char* path);

}  // namespace unstuck::files
