// The replayed guest's memory: one flat window in the replaying process.
//
// Guest address A lives at host address A + kGuestBase.  Every guest address
// that matters under Valgrind is below kGuestLimit (128 GB: the client's
// main stack ends just below 0x1fff001000, Valgrind itself sits below
// 0x2000000000 too), so the whole window is reserved once, lazily backed by
// the kernel: any guest address reads as zero until written and no
// per-mapping bookkeeping is needed.  Generated code reaches guest memory
// with a single add (see memory_rebase.h).
//
// The window also tracks code pages for self-modifying code: a page from
// which code was translated is write-protected in the host; a write to it,
// by generated code (a host SIGSEGV, see fault_handler.h) or through write()
// and zero() below, first tells the CodePageListener, which drops the
// translations taken from the page, and then makes the page writable again.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>

namespace unstuck::replay {

using GuestAddr = uint64_t;

// 32 TB: far above the replayer's own text (0x400000, it is linked -no-pie
// because Debian's libvex is not position independent), its brk heap (just
// after its data) and far below where the kernel places mmaps, shared
// libraries and the stack (top-down from 0x7fxxxxxxxxxx).  A 128 GB window
// there clashes with nothing an ordinary process maps.
inline constexpr uint64_t kGuestBase = 0x200000000000ULL;
inline constexpr uint64_t kGuestLimit = 0x2000000000ULL;
inline constexpr uint64_t kPageSize = 4096;

inline constexpr GuestAddr page_of(GuestAddr addr) {
  return addr & ~(kPageSize - 1);
}

// Told before a code page becomes writable again: drop every translation
// whose guest code lies on `page`.  Called from a signal handler when the
// write comes from generated code (see GuestMemory::handle_write_fault).
class CodePageListener {
 public:
  virtual void code_page_written(GuestAddr page) = 0;

 protected:
  ~CodePageListener() = default;
};

class GuestMemory {
 public:
  // Reserves the window; ends the process with a message if something is
  // already mapped there.  At most one GuestMemory exists at a time.
  GuestMemory();
  ~GuestMemory();
  GuestMemory(const GuestMemory&) = delete;
  GuestMemory& operator=(const GuestMemory&) = delete;

  // True when [addr, addr + len) lies inside the window.
  static bool contains(GuestAddr addr, uint64_t len);
  // "guest address range [a, b) is outside the replayable window ..."
  static std::string describe_out_of_range(GuestAddr addr, uint64_t len);

  // Each returns false, touching nothing, when the range is out of the
  // window (a divergence for the replayer).
  [[nodiscard]] bool write(GuestAddr addr, const void* bytes, uint64_t n);
  [[nodiscard]] bool read(GuestAddr addr, void* out, uint64_t n) const;
  [[nodiscard]] bool zero(GuestAddr addr, uint64_t len);

  // Where guest address `addr` lives in this process; `addr` must be in the
  // window.  Writes through this pointer to a code page fault and are
  // handled like the guest's own stores.
  static uint8_t* host(GuestAddr addr);

  // Code pages (self-modifying code).
  void set_code_page_listener(CodePageListener* listener);
  // Write-protects the pages of [start, start + len): code was taken there.
  void protect_code(GuestAddr start, uint64_t len);
  bool is_code_page(GuestAddr page) const;
  // Tells the listener, then makes `page` writable.  No-op on other pages.
  void release_code_page(GuestAddr page);
  // For the SIGSEGV handler: true (and the page released, so that the
  // faulting store can be retried) when `host_address` is on a protected
  // code page of the window.  Async-signal-safe apart from the listener.
  bool handle_write_fault(uintptr_t host_address);

  // The one GuestMemory of the process, or null.
  static GuestMemory* current();

 private:
  void release_code_pages(GuestAddr addr, uint64_t len);
  void set_code_bit(GuestAddr page, bool on);

  uint64_t* code_bits_;  // one bit per page of the window
  CodePageListener* listener_ = nullptr;
};

}  // namespace unstuck::replay
