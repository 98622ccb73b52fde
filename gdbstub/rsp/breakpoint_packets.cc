// Z/z: breakpoints (Z0 software, Z1 hardware) and watchpoints (Z2 write,
// Z3 read, Z4 access) of any number and length.  They are kept here and
// handed to the target with every resume: the replay engine checks them,
// so nothing is ever written into the recorded memory.
#include <algorithm>

#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/session.h"

namespace unstuck::rsp {

namespace {

struct ZPacket {
  bool insert = true;
  int type = 0;
  uint64_t address = 0;
  uint64_t kind = 0;  // breakpoint: instruction length; watchpoint: bytes watched
};

// Z TYPE,ADDR,KIND[;conditions...]: conditions and commands are not
// announced in qSupported, so GDB does not send them; they are ignored.
std::optional<ZPacket> parse_z_packet(std::string_view packet) {
  if (packet.size() < 3 || packet[2] != ',' || packet[1] < '0' || packet[1] > '4') {
    return std::nullopt;
  }
  ZPacket z;
  z.insert = packet[0] == 'Z';
  z.type = packet[1] - '0';
  auto range = parse_address_length(packet.substr(3, packet.find(';') - 3));
  if (!range) return std::nullopt;
  z.address = range->address;
  z.kind = range->length;
  return z;
}

target::WatchKind watch_kind(int type) {
  if (type == 3) return target::WatchKind::Read;
  if (type == 4) return target::WatchKind::Access;
  return target::WatchKind::Write;
}

void update_breakpoints(std::set<uint64_t>& addresses, const ZPacket& z) {
  if (z.insert) {
    addresses.insert(z.address);
  } else {
    addresses.erase(z.address);
  }
}

bool update_watchpoints(std::vector<target::Watchpoint>& watchpoints, const ZPacket& z) {
  if (z.kind == 0) return false;
  target::Watchpoint watchpoint{z.address, z.kind, watch_kind(z.type)};
  auto found = std::find(watchpoints.begin(), watchpoints.end(), watchpoint);
  if (z.insert) {
    // Inserting twice is harmless, as removing an absent one is.
    if (found == watchpoints.end()) watchpoints.push_back(watchpoint);
  } else if (found != watchpoints.end()) {
    watchpoints.erase(found);
  }
  return true;
}

}  // namespace

bool handle_breakpoint_packet(Session& session, std::string_view packet) {
  if (packet.empty() || (packet[0] != 'Z' && packet[0] != 'z')) return false;
  auto z = parse_z_packet(packet);
  if (!z) {
    session.reply("E01");
    return true;
  }
  auto& conditions = session.state().stop_conditions;
  bool ok = true;
  if (z->type == 0) {
    update_breakpoints(conditions.software_breakpoints, *z);
  } else if (z->type == 1) {
    update_breakpoints(conditions.hardware_breakpoints, *z);
  } else {
    ok = update_watchpoints(conditions.watchpoints, *z);
  }
  session.reply(ok ? "OK" : "E01");
  return true;
}

}  // namespace unstuck::rsp
