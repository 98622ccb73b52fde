// General queries: qSupported (what this stub offers, including reverse
// execution), QStartNoAckMode, qAttached and qSymbol.  Every other query
// gets the empty "not supported" reply from the session.
#include <algorithm>
#include <string>

#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/packet_io.h"
#include "gdbstub/rsp/session.h"

namespace unstuck::rsp {

namespace {

std::string supported_features() {
  return "PacketSize=" + hex_number(kMaxPacketSize) +
         ";QStartNoAckMode+;qXfer:features:read+;qXfer:auxv:read+"
         ";qXfer:exec-file:read+;qXfer:threads:read+;swbreak+;hwbreak+"
         ";vContSupported+;ReverseContinue+;ReverseStep+";
}

// GDB lists its own features; the stop reasons swbreak/hwbreak may only be
// sent to a client that announced it understands them.
bool client_has_feature(std::string_view features, std::string_view feature) {
  while (!features.empty()) {
    size_t end = features.find(';');
    if (features.substr(0, end) == feature) return true;
    if (end == std::string_view::npos) break;
    features.remove_prefix(end + 1);
  }
  return false;
}

void answer_supported(Session& session, std::string_view client_features) {
  session.state().client_knows_break_reasons =
      client_has_feature(client_features, "swbreak+") && client_has_feature(client_features, "hwbreak+");
  session.reply(supported_features());
}

}  // namespace

bool handle_query_packet(Session& session, std::string_view packet) {
  if (packet == "qSupported" || packet.starts_with("qSupported:")) {
    answer_supported(session, packet.substr(std::min<size_t>(packet.size(), 11)));
  } else if (packet == "QStartNoAckMode") {
    session.reply("OK");  // still acknowledged: acks stop after this reply
    session.io().disable_acks();
  } else if (packet == "qAttached" || packet.starts_with("qAttached:")) {
    // "Attached": GDB detaches rather than kills when it quits.  Either
    // way the recording is untouched.
    session.reply("1");
  } else if (packet == "qSymbol::" || packet.starts_with("qSymbol:")) {
    session.reply("OK");  // no symbols needed
  } else {
    return false;
  }
  return true;
}

}  // namespace unstuck::rsp
