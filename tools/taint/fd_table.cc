#include "tools/taint/fd_table.h"

#include "shared/rt/vector.h"

namespace unstuck::taint {
namespace {

// Indexed by fd; descriptors are small numbers.
Vector<Description*>* g_fds = nullptr;

Description*& slot(int fd) {
  if (g_fds == nullptr) g_fds = new Vector<Description*>();
  if (static_cast<size_t>(fd) >= g_fds->size()) {
    size_t old = g_fds->size();
    g_fds->resize(fd + 1);
    for (size_t i = old; i < g_fds->size(); ++i) (*g_fds)[i] = nullptr;
  }
  return (*g_fds)[fd];
}

void release(Description* d) {
  if (d != nullptr && --d->references == 0) delete d;
}

}  // namespace

Description* description_of(int fd) {
  if (fd < 0) return nullptr;
  return slot(fd);
}

Description* open_description(int fd) {
  Description*& s = slot(fd);
  release(s);
  s = new Description{1, kNoSource, 0, false, false, false, nullptr, nullptr};
  return s;
}

void duplicate_fd(int from, int to) {
  if (from < 0 || to < 0 || from == to) return;
  Description* d = description_of(from);
  Description*& s = slot(to);
  release(s);
  s = d;
  if (d != nullptr) ++d->references;
}

void close_fd(int fd) {
  if (fd < 0) return;
  Description*& s = slot(fd);
  release(s);
  s = nullptr;
}

}  // namespace unstuck::taint
