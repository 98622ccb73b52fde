// argdist's JSON results (argdist.out.<pid>, "argdistFileVersion": 1, see
// docs/argdist.md) read into the report's own form of an argdist report,
// the one argdist_text.h describes: each argument, result and duration a
// "value" with its summary as text and its power-of-two histogram as
// [label, count] rows labelled as the text report labels them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace unstuck::viz {

// The version of argdist's JSON file this report reads.
constexpr int kArgdistFileVersion = 1;

bool is_argdist_json(const nlohmann::ordered_json& json);

// Throws InputError naming PATH on a file of another version or with a
// field missing.
nlohmann::ordered_json argdist_json_to_report(const std::string& path,
                                              const nlohmann::ordered_json& json);

}  // namespace unstuck::viz
