// The target description GDB reads with qXfer:features:read: an amd64
// GNU/Linux process with the core, SSE, AVX, orig_rax and fs_base/gs_base
// registers, numbered as register_map.h says.  "target.xml" includes one
// annex per feature, as GDB's own descriptions are split.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace unstuck::rsp {

// The annex's text, or nothing for an unknown annex name.
std::optional<std::string> target_description_annex(std::string_view name);

}  // namespace unstuck::rsp
