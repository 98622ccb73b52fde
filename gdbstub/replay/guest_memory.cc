#include "gdbstub/replay/guest_memory.h"

#include <sys/mman.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "shared/rt/check.h"

namespace unstuck::replay {
namespace {

constexpr uint64_t kPageCount = kGuestLimit / kPageSize;
constexpr uint64_t kCodeBitsBytes = kPageCount / 8;

GuestMemory* g_current = nullptr;

void* map_or_die(void* where, uint64_t bytes, int extra_flags,
                 const char* what) {
  void* got = mmap(where, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | extra_flags,
                   -1, 0);
  if (got == MAP_FAILED) {
    std::fprintf(stderr,
                 "unstuck replay: cannot reserve %s (%" PRIu64
                 " bytes at %p): %s\n",
                 what, bytes, where, std::strerror(errno));
    if (errno == EEXIST)
      std::fprintf(stderr,
                   "unstuck replay: something in this process is already "
                   "mapped inside the guest window [%#" PRIx64 ", %#" PRIx64
                   ")\n",
                   kGuestBase, kGuestBase + kGuestLimit);
    std::exit(2);
  }
  return got;
}

bool in_window(uintptr_t host_address) {
  return host_address >= kGuestBase && host_address < kGuestBase + kGuestLimit;
}

}  // namespace

GuestMemory::GuestMemory() {
  UNSTUCK_CHECK_MSG(g_current == nullptr, "one GuestMemory per process");
  void* window = map_or_die(reinterpret_cast<void*>(kGuestBase), kGuestLimit,
                            MAP_FIXED_NOREPLACE, "the guest memory window");
  // Kernels before 4.17 ignore MAP_FIXED_NOREPLACE and may map elsewhere.
  UNSTUCK_CHECK(window == reinterpret_cast<void*>(kGuestBase));
  code_bits_ = static_cast<uint64_t*>(
      map_or_die(nullptr, kCodeBitsBytes, 0, "the code-page bitmap"));
  g_current = this;
}

GuestMemory::~GuestMemory() {
  munmap(reinterpret_cast<void*>(kGuestBase), kGuestLimit);
  munmap(code_bits_, kCodeBitsBytes);
  g_current = nullptr;
}

GuestMemory* GuestMemory::current() { return g_current; }

bool GuestMemory::contains(GuestAddr addr, uint64_t len) {
  return addr < kGuestLimit && len <= kGuestLimit - addr;
}

std::string GuestMemory::describe_out_of_range(GuestAddr addr, uint64_t len) {
  char text[160];
  std::snprintf(text, sizeof text,
                "guest address range [%#" PRIx64 ", +%#" PRIx64
                ") is outside the replayable window [0, %#" PRIx64 ")",
                addr, len, kGuestLimit);
  return text;
}

uint8_t* GuestMemory::host(GuestAddr addr) {
  UNSTUCK_CHECK(addr < kGuestLimit);
  return reinterpret_cast<uint8_t*>(addr + kGuestBase);
}

bool GuestMemory::write(GuestAddr addr, const void* bytes, uint64_t n) {
  if (!contains(addr, n)) return false;
  release_code_pages(addr, n);
  std::memcpy(host(addr), bytes, n);
  return true;
}

bool GuestMemory::read(GuestAddr addr, void* out, uint64_t n) const {
  if (!contains(addr, n)) return false;
  std::memcpy(out, host(addr), n);
  return true;
}

// Whole pages go back to the kernel (they read as zero afterwards, and cost
// no memory); the partial pages at either end are cleared by hand.
bool GuestMemory::zero(GuestAddr addr, uint64_t len) {
  if (!contains(addr, len)) return false;
  if (len == 0) return true;
  release_code_pages(addr, len);
  GuestAddr first_whole = page_of(addr + kPageSize - 1);
  GuestAddr end = addr + len;
  GuestAddr end_whole = page_of(end);
  if (first_whole >= end_whole) {
    std::memset(host(addr), 0, len);
    return true;
  }
  std::memset(host(addr), 0, first_whole - addr);
  int rc = madvise(host(first_whole), end_whole - first_whole, MADV_DONTNEED);
  UNSTUCK_CHECK(rc == 0);
  std::memset(host(end_whole), 0, end - end_whole);
  return true;
}

void GuestMemory::set_code_page_listener(CodePageListener* listener) {
  listener_ = listener;
}

bool GuestMemory::is_code_page(GuestAddr page) const {
  uint64_t index = page / kPageSize;
  return (code_bits_[index / 64] >> (index % 64)) & 1;
}

void GuestMemory::set_code_bit(GuestAddr page, bool on) {
  uint64_t index = page / kPageSize;
  uint64_t mask = uint64_t{1} << (index % 64);
  if (on)
    code_bits_[index / 64] |= mask;
  else
    code_bits_[index / 64] &= ~mask;
}

void GuestMemory::protect_code(GuestAddr start, uint64_t len) {
  UNSTUCK_CHECK(len > 0 && contains(start, len));
  for (GuestAddr page = page_of(start); page < start + len;
       page += kPageSize) {
    if (is_code_page(page)) continue;
    int rc = mprotect(host(page), kPageSize, PROT_READ);
    UNSTUCK_CHECK(rc == 0);
    set_code_bit(page, true);
  }
}

void GuestMemory::release_code_page(GuestAddr page) {
  if (!is_code_page(page)) return;
  // Drop the translations first: the page must never be writable while a
  // translation of its old bytes can still be entered.
  if (listener_ != nullptr) listener_->code_page_written(page);
  int rc = mprotect(host(page), kPageSize, PROT_READ | PROT_WRITE);
  UNSTUCK_CHECK(rc == 0);
  set_code_bit(page, false);
}

// Scans the bitmap a word (64 pages) at a time: unmapping gigabytes must
// not cost a check per page.
void GuestMemory::release_code_pages(GuestAddr addr, uint64_t len) {
  if (len == 0) return;
  const uint64_t first = addr / kPageSize;
  const uint64_t last = (addr + len - 1) / kPageSize;
  for (uint64_t index = first; index <= last;) {
    if (code_bits_[index / 64] == 0) {
      index = (index / 64 + 1) * 64;
      continue;
    }
    release_code_page(index * kPageSize);
    ++index;
  }
}

bool GuestMemory::handle_write_fault(uintptr_t host_address) {
  if (!in_window(host_address)) return false;
  GuestAddr page = page_of(host_address - kGuestBase);
  if (!is_code_page(page)) return false;
  release_code_page(page);
  return true;
}

}  // namespace unstuck::replay
