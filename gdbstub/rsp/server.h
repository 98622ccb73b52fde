// The server loop: reads packets from one client, lets the Session answer
// them, and runs resumes with Ctrl-C watching.  Ends when the client
// disconnects (even mid-packet), detaches, or kills outside extended mode.
#pragma once

#include "gdbstub/rsp/connection.h"
#include "gdbstub/target/replay_target.h"

namespace unstuck::rsp {

struct ServerOptions {
  // Log every packet to stderr (unstuck-gdbstub --log-packets).
  bool log_packets = false;
};

void serve(target::ReplayTarget& target, Connection& connection, const ServerOptions& options = {});

}  // namespace unstuck::rsp
