// The parts of file_io that need no system calls of their own.
#include "shared/rt/file_io.h"

#include <errno.h>

#include "shared/rt/string_builder.h"

namespace unstuck::files {

int make_directories(const char* path) {
  StringBuilder prefix;
  for (const char* p = path; *p != '\0'; ++p) {
    if (*p == '/' && p != path) {
      int r = make_directory(prefix.c_str());
      if (r < 0 && r != -EEXIST) return r;
    }
    prefix.append(*p);
  }
  int r = make_directory(prefix.c_str());
  return r == -EEXIST ? 0 : r;
}

}  // namespace unstuck::files
