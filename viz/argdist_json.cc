#include "viz/argdist_json.h"

#include "viz/input_error.h"

namespace unstuck::viz {

using Json = nlohmann::ordered_json;

namespace {

// Numbers as the text report writes them; strings ("nan", "inf") as they are.
std::string as_text(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// A name or type; argdist writes null when it knows none.
std::string name_field(const Json& object, const char* key) {
  const Json& value = object.at(key);
  return value.is_string() ? value.get<std::string>() : "?";
}

bool is_negative(const Json& value) {
  return value.is_number() && value.get<double>() < 0;
}

// A bucket [low, high] is labelled, as in DTrace, by its bound nearest zero.
std::string bucket_label(const Json& bucket) {
  const Json& high = bucket.at(1);
  return as_text(is_negative(high) ? high : bucket.at(0));
}

// As the text report names a function: "name (ifunc: impl) in object
// (file:line)".
std::string display_name(const Json& f) {
  std::string name = name_field(f, "name");
  if (f.contains("implementation"))
    name += " (ifunc: " + f.at("implementation").get<std::string>() + ")";
  const std::string object = f.value("object", "?");
  name += " in " + object.substr(object.rfind('/') + 1);
  if (f.contains("file"))
    name += " (" + f.at("file").get<std::string>() + ":" + f.at("line").dump() + ")";
  return name;
}

Json value_of(const std::string& name, const std::string& type, const Json& d) {
  Json v = {{"name", name}, {"type", type}, {"count", d.value("count", 0ULL)},
            {"histogram", Json::array()}};
  for (const char* key : {"min", "max", "mean", "stddev"})
    if (d.contains(key)) v[key] = as_text(d.at(key));
  for (const char* key : {"first_min_time", "first_max_time"})
    if (d.contains(key)) v[key] = d.at(key);
  for (const Json& bucket : d.value("histogram", Json::array()))
    v["histogram"].push_back({bucket_label(bucket), bucket.at(2)});
  return v;
}

Json function_of(const Json& f) {
  Json out = {{"name", display_name(f)}, {"calls", f.at("calls")}, {"values", Json::array()}};
  for (const Json& arg : f.at("args")) {
    if (!arg.contains("count")) continue;  // not a scalar: not aggregated
    out["values"].push_back(value_of("arg" + arg.at("index").dump() + " " + name_field(arg, "name"),
                                     name_field(arg, "type"), arg));
  }
  if (f.contains("ret") && f.at("ret").is_object())
    out["values"].push_back(value_of("ret", name_field(f.at("ret"), "type"), f.at("ret")));
  // The text report gives no times for durations, nor does this.
  Json duration = f.at("duration");
  duration.erase("first_min_time");
  duration.erase("first_max_time");
  out["values"].push_back(value_of("duration", "instructions", duration));
  return out;
}

}  // namespace

bool is_argdist_json(const Json& json) {
  return json.is_object() && json.contains("argdistFileVersion");
}

Json argdist_json_to_report(const std::string& path, const Json& json) {
  const Json& version = json.at("argdistFileVersion");
  if (!version.is_number_integer() || version.get<long long>() != kArgdistFileVersion) {
    throw InputError(path, "argdist file version " + version.dump() +
                               ", this report reads version " +
                               std::to_string(kArgdistFileVersion));
  }
  Json report = {{"tool", "argdist"}, {"unstuckReportFormat", 1},
                 {"command", json.value("command", "")}, {"functions", Json::array()}};
  if (json.contains("trace")) report["trace"] = json.at("trace");
  try {
    for (const Json& f : json.at("functions")) report["functions"].push_back(function_of(f));
  } catch (const Json::exception& e) {
    throw InputError(path, std::string("malformed argdist file (") + e.what() + ")");
  }
  if (report["functions"].empty())
    throw InputError(path, "an argdist file without any function (was --fn= given?)");
  return report;
}

}  // namespace unstuck::viz
