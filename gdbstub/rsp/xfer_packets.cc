// qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH for the objects announced in
// qSupported: features (the target description), auxv (the recorded
// auxiliary vector, for shared-library discovery), exec-file (the recorded
// program, so GDB loads its symbols) and threads (with their names).
// Replies are "m" (more follows) or "l" (last) plus escaped binary data.
#include <string>

#include "gdbstub/rsp/executable_path.h"
#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/session.h"
#include "gdbstub/rsp/target_description.h"
#include "shared/output/xml_escape.h"

namespace unstuck::rsp {

namespace {

struct XferRequest {
  std::string_view object, annex;
  uint64_t offset = 0, length = 0;
};

// After "qXfer:": OBJECT:read:ANNEX:OFFSET,LENGTH.
std::optional<XferRequest> parse_xfer_read(std::string_view text) {
  XferRequest request;
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  request.object = text.substr(0, colon);
  text.remove_prefix(colon + 1);
  if (!text.starts_with("read:")) return std::nullopt;
  text.remove_prefix(5);
  size_t last_colon = text.rfind(':');
  if (last_colon == std::string_view::npos) return std::nullopt;
  request.annex = text.substr(0, last_colon);
  auto range = parse_address_length(text.substr(last_colon + 1));
  if (!range) return std::nullopt;
  request.offset = range->address;
  request.length = range->length;
  return request;
}

std::string xfer_slice(std::string_view data, uint64_t offset, uint64_t length) {
  if (offset >= data.size()) return "l";
  std::string_view slice = data.substr(offset, length);
  bool last = offset + slice.size() >= data.size();
  return (last ? "l" : "m") + escape_binary(slice);
}

std::string threads_document(Session& session) {
  std::string xml = "<?xml version=\"1.0\"?>\n<threads>\n";
  for (const auto& info : session.live_threads()) {
    xml += "  <thread id=\"" + hex_number(info.number) + "\" name=\"" +
           xml_escape(info.name) + "\"/>\n";
  }
  return xml + "</threads>\n";
}

// The object's contents, or nothing (E reply) for an unknown annex.
std::optional<std::string> xfer_object(Session& session, const XferRequest& request) {
  if (request.object == "features") return target_description_annex(request.annex);
  if (request.object == "auxv") {
    const auto auxv = session.target().summary().auxv;
    return std::string(auxv.begin(), auxv.end());
  }
  if (request.object == "exec-file") {
    std::string executable = recorded_executable(session.target().summary());
    if (executable.empty()) return std::nullopt;  // unknown: GDB carries on without
    return executable;
  }
  return threads_document(session);
}

bool is_known_object(std::string_view object) {
  return object == "features" || object == "auxv" || object == "exec-file" || object == "threads";
}

}  // namespace

bool handle_xfer_packet(Session& session, std::string_view packet) {
  if (!packet.starts_with("qXfer:")) return false;
  auto request = parse_xfer_read(packet.substr(6));
  if (!request) {
    // A malformed read is an error; writes are "not supported" (empty).
    session.reply(packet.find(":read:") != std::string_view::npos ? "E00" : "");
    return true;
  }
  if (!is_known_object(request->object)) {
    session.reply("");
    return true;
  }
  auto contents = xfer_object(session, *request);
  if (!contents) {
    session.reply("E00");
    return true;
  }
  session.reply(xfer_slice(*contents, request->offset, request->length));
  return true;
}

}  // namespace unstuck::rsp
