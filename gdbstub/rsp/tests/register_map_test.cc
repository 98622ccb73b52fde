#include "gdbstub/rsp/register_map.h"

#include <doctest/doctest.h>

#include <cstring>
#include <regex>

#include "gdbstub/rsp/target_description.h"

using namespace unstuck::rsp;

namespace {

VexGuestAMD64State initial_state() {
  VexGuestAMD64State state;
  LibVEX_GuestAMD64_initialise(&state);
  return state;
}

uint64_t as_number(std::span<const uint8_t> bytes) {
  uint64_t value = 0;
  std::memcpy(&value, bytes.data(), std::min<size_t>(bytes.size(), 8));
  return value;
}

size_t number_of(std::string_view name) {
  auto registers = amd64_registers();
  for (size_t n = 0; n < registers.size(); ++n) {
    if (registers[n].name == name) return n;
  }
  FAIL("no register " << name);
  return 0;
}

uint64_t value_of(const RegisterValues& values, std::string_view name) {
  return as_number(values.value(number_of(name)));
}

}  // namespace

TEST_CASE("the register layout is GDB's amd64-linux one") {
  auto registers = amd64_registers();
  REQUIRE(registers.size() == 76);
  CHECK(registers[0].name == "rax");
  CHECK(registers[7].name == "rsp");
  CHECK(registers[16].name == "rip");
  CHECK(registers[17].name == "eflags");
  CHECK(registers[24].name == "st0");
  CHECK(registers[40].name == "xmm0");
  CHECK(registers[56].name == "mxcsr");
  CHECK(registers[57].name == "orig_rax");
  CHECK(registers[58].name == "fs_base");
  CHECK(registers[59].name == "gs_base");
  CHECK(registers[60].name == "ymm0h");
  CHECK(registers[75].name == "ymm15h");
  RegisterValues values(initial_state());
  size_t total = 0;
  for (size_t n = 0; n < registers.size(); ++n) {
    CHECK(values.value(n).size() * 8 == registers[n].bits);
    total += registers[n].bits / 8;
  }
  CHECK(total == 816);
  CHECK(values.all_as_hex().size() == 2 * total);
  CHECK(values.value(76).empty());
}

TEST_CASE("integer registers come from their VEX fields in GDB's order") {
  VexGuestAMD64State state = initial_state();
  state.guest_RAX = 1;
  state.guest_RBX = 2;
  state.guest_RCX = 3;
  state.guest_RSP = 0x7fff0000;
  state.guest_R15 = 0xf15;
  state.guest_RIP = 0x401000;
  state.guest_FS_CONST = 0x7ffff7d8a740;
  state.guest_GS_CONST = 0x1234;
  RegisterValues values(state);
  CHECK(value_of(values, "rax") == 1);
  CHECK(value_of(values, "rbx") == 2);
  CHECK(value_of(values, "rcx") == 3);
  CHECK(value_of(values, "rsp") == 0x7fff0000);
  CHECK(value_of(values, "r15") == 0xf15);
  CHECK(value_of(values, "rip") == 0x401000);
  CHECK(value_of(values, "fs_base") == 0x7ffff7d8a740);
  CHECK(value_of(values, "gs_base") == 0x1234);
  CHECK(value_of(values, "orig_rax") == UINT64_MAX);
  CHECK(values.all_as_hex().starts_with("0100000000000000" "0200000000000000" "0300000000000000"));
}

TEST_CASE("eflags is computed from the lazy flag thunk") {
  VexGuestAMD64State state = initial_state();
  CHECK(value_of(RegisterValues(state), "eflags") == 0x202);  // reserved bit 1 and IF
  state.guest_CC_DEP1 = 0x44 | 0x1;                           // CC_OP is COPY: ZF PF CF
  state.guest_DFLAG = ~0ull;                                  // -1: DF set
  CHECK(value_of(RegisterValues(state), "eflags") == (0x202 | 0x45 | 0x400));
}

TEST_CASE("segment selectors are Linux's user-space constants") {
  RegisterValues values(initial_state());
  CHECK(value_of(values, "cs") == 0x33);
  CHECK(value_of(values, "ss") == 0x2b);
  CHECK(value_of(values, "ds") == 0);
  CHECK(value_of(values, "fs") == 0);
}

TEST_CASE("the x87 state comes through an FXSAVE image") {
  VexGuestAMD64State state = initial_state();
  RegisterValues empty(state);
  CHECK(value_of(empty, "fctrl") == 0x37f);
  CHECK(value_of(empty, "fstat") == 0);
  CHECK(value_of(empty, "ftag") == 0xffff);
  CHECK(value_of(empty, "mxcsr") == 0x1f80);

  double one_and_a_half = 1.5;  // pushed: the stack top becomes physical register 7
  state.guest_FTOP = 7;
  state.guest_FPTAG[7] = 1;
  std::memcpy(&state.guest_FPREG[7], &one_and_a_half, sizeof one_and_a_half);
  state.guest_FPROUND = 3;  // round toward zero
  state.guest_SSEROUND = 1;
  RegisterValues pushed(state);
  auto st0 = pushed.value(number_of("st0"));
  const uint8_t expected[10] = {0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0x3f};  // 1.5 as an 80-bit float
  CHECK(std::equal(st0.begin(), st0.end(), expected));
  CHECK(value_of(pushed, "fstat") == 7u << 11);
  CHECK(value_of(pushed, "ftag") == 0x3fff);  // physical 7 valid, the rest empty
  CHECK(value_of(pushed, "fctrl") == (0x37f | 3u << 10));
  CHECK(value_of(pushed, "mxcsr") == (0x1f80 | 1u << 13));
}

TEST_CASE("xmm registers are the low halves of VEX's ymm, ymmNh the high") {
  VexGuestAMD64State state = initial_state();
  for (unsigned i = 0; i < 8; ++i) state.guest_YMM15[i] = 0x01010101u * (i + 1);
  RegisterValues values(state);
  auto low = values.value(number_of("xmm15"));
  auto high = values.value(number_of("ymm15h"));
  CHECK(low.size() == 16);
  CHECK(as_number(low) == 0x0202020201010101);
  CHECK(as_number(high) == 0x0606060605050505);
  CHECK(as_number(values.value(number_of("xmm14"))) == 0);
}

TEST_CASE("the target description includes one annex per feature") {
  auto main = target_description_annex("target.xml");
  REQUIRE(main);
  CHECK(main->find("<architecture>i386:x86-64</architecture>") != std::string::npos);
  CHECK(main->find("<osabi>GNU/Linux</osabi>") != std::string::npos);
  CHECK_FALSE(target_description_annex("nonsense.xml"));

  // Every register, in number order, with its regnum, across the annexes
  // in the order target.xml includes them.
  std::regex include("href=\"([^\"]+)\"");
  std::regex reg("<reg name=\"([^\"]+)\" bitsize=\"(\\d+)\" type=\"[^\"]+\" regnum=\"(\\d+)\"");
  std::vector<std::string> names;
  for (std::sregex_iterator it(main->begin(), main->end(), include), end; it != end; ++it) {
    auto annex = target_description_annex((*it)[1].str());
    REQUIRE(annex);
    CHECK(annex->find("<feature name=\"org.gnu.gdb.i386.") != std::string::npos);
    for (std::sregex_iterator r(annex->begin(), annex->end(), reg); r != end; ++r) {
      CHECK(std::stoul((*r)[3].str()) == names.size());
      CHECK(std::stoul((*r)[2].str()) == amd64_registers()[names.size()].bits);
      names.push_back((*r)[1].str());
    }
  }
  REQUIRE(names.size() == amd64_registers().size());
  for (size_t n = 0; n < names.size(); ++n) CHECK(names[n] == amd64_registers()[n].name);
}
