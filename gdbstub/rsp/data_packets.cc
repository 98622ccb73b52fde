// Registers and memory: g, p read the selected thread's registers; m (hex)
// and x (binary) read memory, as much of the range as is readable.  The
// writes G, P, M, X are refused: the history is read-only.
#include <algorithm>
#include <string>
#include <vector>

#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/packet_io.h"
#include "gdbstub/rsp/register_map.h"
#include "gdbstub/rsp/session.h"

namespace unstuck::rsp {

namespace {

constexpr uint64_t kPageSize = 4096;
// Replies must fit in PacketSize: hex doubles the size, escaping at worst
// doubles it too.
constexpr uint64_t kMaxReadLength = kMaxPacketSize / 2 - 16;

std::optional<RegisterValues> selected_registers(Session& session) {
  if (session.state().process != ProcessState::Alive) return std::nullopt;
  uint32_t thread = session.resolve_thread(session.state().general_thread);
  auto state = session.target().registers(thread);
  if (!state) return std::nullopt;
  return RegisterValues(*state);
}

void read_all_registers(Session& session) {
  auto values = selected_registers(session);
  session.reply(values ? values->all_as_hex() : "E01");
}

void read_one_register(Session& session, std::string_view number_text) {
  auto number = parse_hex(number_text);
  auto values = selected_registers(session);
  if (!number || !values || values->value(*number).empty()) {
    session.reply("E01");
    return;
  }
  session.reply(to_hex(values->value(*number)));
}

// The readable prefix of [address, address + length): everything when the
// whole range reads, else page by page (readability changes only at page
// boundaries) up to the first unreadable page.
std::vector<uint8_t> read_readable_prefix(target::ReplayTarget& target, uint64_t address,
                                          uint64_t length) {
  std::vector<uint8_t> bytes(length);
  if (length == 0 || target.read_memory(address, bytes.data(), length)) return bytes;
  uint64_t done = 0;
  while (done < length) {
    uint64_t at = address + done;
    uint64_t chunk = std::min(length - done, kPageSize - at % kPageSize);
    if (!target.read_memory(at, bytes.data() + done, chunk)) break;
    done += chunk;
  }
  bytes.resize(done);
  return bytes;
}

// m ADDR,LENGTH and x ADDR,LENGTH.
void read_memory(Session& session, std::string_view arguments, bool binary) {
  auto range = parse_address_length(arguments);
  if (!range || session.state().process != ProcessState::Alive) {
    session.reply("E01");
    return;
  }
  uint64_t length = std::min(range->length, kMaxReadLength);
  auto bytes = read_readable_prefix(session.target(), range->address, length);
  if (bytes.empty() && length != 0) {
    session.reply("E14");  // EFAULT, as gdbserver answers
    return;
  }
  if (!binary) {
    session.reply(to_hex(bytes));
    return;
  }
  std::string_view raw(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  session.reply("b" + escape_binary(raw));
}

}  // namespace

bool handle_data_packet(Session& session, std::string_view packet) {
  if (packet.empty()) return false;
  std::string_view arguments = packet.substr(1);
  switch (packet[0]) {
    case 'g':
      if (!arguments.empty()) return false;
      read_all_registers(session);
      return true;
    case 'p':
      read_one_register(session, arguments);
      return true;
    case 'm':
      read_memory(session, arguments, false);
      return true;
    case 'x':
      read_memory(session, arguments, true);
      return true;
    case 'G':
    case 'P':
    case 'M':
    case 'X':
      session.reply(kReadOnlyReply);
      return true;
    default:
      return false;
  }
}

}  // namespace unstuck::rsp
