#include "gdbstub/replay/guest_memory.h"

#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "gdbstub/replay/fault_handler.h"

namespace unstuck::replay {
namespace {

class RecordingListener final : public CodePageListener {
 public:
  void code_page_written(GuestAddr page) override { pages.push_back(page); }
  std::vector<GuestAddr> pages;
};

TEST_CASE("guest memory reads zero until written, at any address") {
  GuestMemory memory;
  uint64_t value = 1;
  for (GuestAddr a : {GuestAddr{0}, GuestAddr{0x400000}, GuestAddr{0x1fff000ff8},
                      kGuestLimit - 8}) {
    CHECK(memory.read(a, &value, 8));
    CHECK(value == 0);
  }
  CHECK(GuestMemory::host(0x1234) ==
        reinterpret_cast<uint8_t*>(kGuestBase + 0x1234));
}

TEST_CASE("guest memory writes, reads back and zeroes ranges") {
  GuestMemory memory;
  std::vector<uint8_t> bytes(3 * kPageSize + 100);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7 + 1);
  const GuestAddr at = 0x10000 - 50;  // straddles page boundaries
  REQUIRE(memory.write(at, bytes.data(), bytes.size()));
  std::vector<uint8_t> back(bytes.size());
  REQUIRE(memory.read(at, back.data(), back.size()));
  CHECK(back == bytes);

  // Zero a range with partial pages at both ends and whole pages inside.
  REQUIRE(memory.zero(at + 10, 2 * kPageSize + 30));
  REQUIRE(memory.read(at, back.data(), back.size()));
  for (size_t i = 0; i < back.size(); ++i) {
    const bool zeroed = i >= 10 && i < 10 + 2 * kPageSize + 30;
    CHECK(back[i] == (zeroed ? 0 : bytes[i]));
  }
}

TEST_CASE("guest memory refuses ranges outside the window") {
  GuestMemory memory;
  uint8_t byte = 0;
  CHECK(GuestMemory::contains(kGuestLimit - 1, 1));
  CHECK_FALSE(GuestMemory::contains(kGuestLimit - 1, 2));
  CHECK_FALSE(GuestMemory::contains(~uint64_t{0}, 2));  // wraps
  CHECK_FALSE(memory.write(kGuestLimit, &byte, 1));
  CHECK_FALSE(memory.read(0xffffffffff600000ULL, &byte, 1));
  CHECK_FALSE(memory.zero(kGuestLimit - 4096, 8192));
  CHECK(GuestMemory::describe_out_of_range(kGuestLimit, 1).find("outside") !=
        std::string::npos);
}

TEST_CASE("writing a code page tells the listener first, then makes it writable") {
  GuestMemory memory;
  RecordingListener listener;
  memory.set_code_page_listener(&listener);
  memory.protect_code(0x401ff0, 0x20);  // two pages
  CHECK(memory.is_code_page(0x401000));
  CHECK(memory.is_code_page(0x402000));
  CHECK_FALSE(memory.is_code_page(0x403000));

  const uint32_t value = 0xdeadbeef;
  REQUIRE(memory.write(0x402008, &value, 4));
  CHECK(listener.pages == std::vector<GuestAddr>{0x402000});
  CHECK_FALSE(memory.is_code_page(0x402000));
  CHECK(memory.is_code_page(0x401000));

  REQUIRE(memory.zero(0x401000, 16));
  CHECK(listener.pages == std::vector<GuestAddr>{0x402000, 0x401000});
  memory.set_code_page_listener(nullptr);
}

TEST_CASE("zeroing gigabytes releases just the code pages inside") {
  GuestMemory memory;
  RecordingListener listener;
  memory.set_code_page_listener(&listener);
  memory.protect_code(0x40000000, 1);
  memory.protect_code(0x13ffff000, 1);
  memory.protect_code(0x140000000, 1);  // just past the range
  REQUIRE(memory.zero(0x1000, 0x13ffff000));
  CHECK(listener.pages == std::vector<GuestAddr>{0x40000000, 0x13ffff000});
  CHECK(memory.is_code_page(0x140000000));
  memory.set_code_page_listener(nullptr);
}

TEST_CASE("a store through host() to a code page is caught and retried") {
  install_fault_handlers();
  GuestMemory memory;
  RecordingListener listener;
  memory.set_code_page_listener(&listener);
  memory.protect_code(0x500000, 1);
  volatile uint32_t* p =
      reinterpret_cast<volatile uint32_t*>(GuestMemory::host(0x500010));
  *p = 42;  // faults once; the handler releases the page
  CHECK(*p == 42);
  CHECK(listener.pages == std::vector<GuestAddr>{0x500000});
  CHECK_FALSE(memory.is_code_page(0x500000));
  memory.set_code_page_listener(nullptr);
}

}  // namespace
}  // namespace unstuck::replay
