#include "viz/merge.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "viz/input_error.h"

namespace unstuck::viz {

namespace {

uint64_t as_count(const Json& value) { return value.is_number() ? value.get<uint64_t>() : 0; }

// a[key] += b[key] for counters.
void add_field(Json& a, const Json& b, const std::string& key) {
  if (!b.contains(key) || !b[key].is_number()) return;
  a[key] = as_count(a.value(key, Json(0))) + as_count(b[key]);
}

void add_object_fields(Json& a, const Json& b) {
  for (auto it = b.begin(); it != b.end(); ++it) add_field(a, b, it.key());
}

// other[key] of a const object, or an empty array: const operator[] on a
// missing key is undefined in nlohmann::json.
const Json& member(const Json& object, const char* key) {
  static const Json kEmpty = Json::array();
  auto it = object.find(key);
  return it == object.end() ? kEmpty : *it;
}

using JsonLists = std::initializer_list<const Json*>;

uint64_t runs_of(const Json& file) { return file.value("merged_runs", 1ULL); }

// [start, end) pairs, sorted and coalesced.
Json union_ranges(const Json& a, const Json& b) {
  std::vector<std::pair<uint64_t, uint64_t>> all;
  for (const Json* list : JsonLists{&a, &b}) {
    if (!list->is_array()) continue;
    for (const Json& r : *list) all.emplace_back(r.at(0).get<uint64_t>(), r.at(1).get<uint64_t>());
  }
  std::sort(all.begin(), all.end());
  Json out = Json::array();
  for (const auto& [start, end] : all) {
    if (!out.empty() && start <= out.back()[1].get<uint64_t>()) {
      out.back()[1] = std::max(out.back()[1].get<uint64_t>(), end);
    } else {
      out.push_back({start, end});
    }
  }
  return out;
}

// ---- taint ----------------------------------------------------------------

// The tool's identity of a finding: kind, address, detail and label set
// (docs/taint.md, Counting); the rest is of its first occurrence.
std::string sink_key(const Json& sink) {
  Json key = sink;
  for (const char* varying : {"time", "times", "count", "thread", "stack"}) key.erase(varying);
  return key.dump();
}

void merge_sink(Json& into, const Json& other) {
  add_field(into, other, "count");
  if (other.value("time", UINT64_MAX) < into.value("time", UINT64_MAX)) into["time"] = other.at("time");
  if (into.contains("times") && other.contains("times")) {
    std::set<uint64_t> times;
    for (const Json* list : JsonLists{&into["times"], &member(other, "times")}) {
      for (const Json& t : *list) times.insert(t.get<uint64_t>());
    }
    into["times"] = Json(std::vector<uint64_t>(times.begin(), times.end()));
  }
}

// Graph nodes are identified by what they say, not by their id.
std::string node_key(const Json& node) {
  Json key = node;
  key.erase("id");
  return key.dump();
}

void merge_graph(Json& into, const Json& other) {
  std::map<std::string, uint64_t> id_of;
  for (const Json& node : into["nodes"]) id_of[node_key(node)] = node.at("id").get<uint64_t>();
  std::map<uint64_t, uint64_t> renumber;
  for (const Json& node : other.at("nodes")) {
    auto [it, added] = id_of.emplace(node_key(node), into["nodes"].size());
    if (added) {
      Json copy = node;
      copy["id"] = it->second;
      into["nodes"].push_back(copy);
    }
    renumber[node.at("id").get<uint64_t>()] = it->second;
  }
  std::map<std::pair<uint64_t, uint64_t>, size_t> edge_at;
  for (size_t i = 0; i < into["edges"].size(); ++i) {
    edge_at[{into["edges"][i]["from"].get<uint64_t>(), into["edges"][i]["to"].get<uint64_t>()}] = i;
  }
  for (const Json& edge : other.at("edges")) {
    const std::pair<uint64_t, uint64_t> ends{renumber.at(edge.at("from").get<uint64_t>()),
                                             renumber.at(edge.at("to").get<uint64_t>())};
    auto it = edge_at.find(ends);
    if (it != edge_at.end()) {
      add_field(into["edges"][it->second], edge, "count");
    } else {
      edge_at[ends] = into["edges"].size();
      into["edges"].push_back({{"from", ends.first}, {"to", ends.second}, {"count", edge.at("count")}});
    }
  }
}

void merge_sources(Json& into, const Json& other) {
  for (const Json& source : other) {
    bool found = false;
    for (Json& mine : into) {
      if (mine["name"] == source.at("name")) {
        mine["labelled"] = union_ranges(mine["labelled"], source.at("labelled"));
        found = true;
      }
    }
    if (!found) {
      Json copy = source;
      copy["id"] = into.size();
      into.push_back(copy);
    }
  }
}

// Findings per kind are the distinct findings of the merged list;
// occurrences add up.
void recount_findings(Json& merged) {
  for (auto it = merged["counts"].begin(); it != merged["counts"].end(); ++it) {
    (*it)["findings"] = 0;
  }
  for (const Json& sink : merged["sinks"]) {
    Json& count = merged["counts"][sink.at("kind").get<std::string>()];
    count["findings"] = count.value("findings", 0ULL) + 1;
  }
}

// ---- lifetime -------------------------------------------------------------

// DHAT's run-length encoding of per-offset counts: -N, M is N counts of M.
std::vector<uint64_t> decode_acc(const Json& acc) {
  std::vector<uint64_t> counts;
  for (size_t i = 0; i < acc.size(); ++i) {
    const int64_t v = acc[i].get<int64_t>();
    if (v < 0 && i + 1 < acc.size()) {
      counts.insert(counts.end(), static_cast<size_t>(-v), acc[++i].get<uint64_t>());
    } else {
      counts.push_back(static_cast<uint64_t>(v));
    }
  }
  return counts;
}

Json encode_acc(const std::vector<uint64_t>& counts) {
  Json acc = Json::array();
  for (size_t i = 0; i < counts.size();) {
    size_t j = i;
    while (j < counts.size() && counts[j] == counts[i]) ++j;
    if (j - i > 1) acc.push_back(-static_cast<int64_t>(j - i));
    acc.push_back(counts[i]);
    i = j;
  }
  return acc;
}

void merge_site(Json& into, const Json& other) {
  const uint64_t bytes_a = as_count(into["bytes"]), bytes_b = as_count(other.at("bytes"));
  for (const char* key : {"blocks", "bytes", "total_lifetime", "gmax_bytes", "gmax_blocks",
                          "end_bytes", "end_blocks", "reads", "writes", "touched_bytes",
                          "versions", "short_lived_blocks", "low_utilisation_blocks",
                          "never_read_blocks", "write_only_blocks", "shared_blocks",
                          "uninitialised_reads", "objects_omitted"}) {
    add_field(into, other, key);
  }
  for (const char* key : {"max_live_bytes", "max_live_blocks"}) {
    into[key] = std::max(as_count(into.value(key, Json(0))), as_count(other.value(key, Json(0))));
  }
  const uint64_t blocks = as_count(into["blocks"]);
  into["avg_lifetime"] = blocks ? as_count(into["total_lifetime"]) / blocks : 0;
  if (bytes_a + bytes_b > 0) {
    // A fraction of the bytes allocated: weighted by them.
    const double a = into.value("utilisation", 0.0), b = other.value("utilisation", 0.0);
    into["utilisation"] = (a * static_cast<double>(bytes_a) + b * static_cast<double>(bytes_b)) /
                          static_cast<double>(bytes_a + bytes_b);
  }
  add_object_fields(into["misuse_counts"], other.value("misuse_counts", Json::object()));
  for (const char* set_key : {"flags", "threads"}) {
    std::set<Json> all;
    for (const Json* list : JsonLists{&member(into, set_key), &member(other, set_key)}) {
      all.insert(list->begin(), list->end());
    }
    into[set_key] = Json(std::vector<Json>(all.begin(), all.end()));
  }
  std::map<std::string, Json> functions;
  for (const Json* list : JsonLists{&into["functions"], &member(other, "functions")}) {
    if (!list->is_array()) continue;
    for (const Json& f : *list) {
      Json& mine = functions.try_emplace(f.value("name", "?"), Json{{"name", f.value("name", "?")}, {"reads", 0}, {"writes", 0}}).first->second;
      add_field(mine, f, "reads");
      add_field(mine, f, "writes");
    }
  }
  std::vector<Json> sorted;
  for (auto& [name, f] : functions) sorted.push_back(f);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Json& a, const Json& b) {
    return as_count(a["reads"]) + as_count(a["writes"]) > as_count(b["reads"]) + as_count(b["writes"]);
  });
  into["functions"] = sorted;
  for (const Json& object : other.value("objects", Json::array())) into["objects"].push_back(object);
  if (into.contains("acc") && other.contains("acc")) {
    std::vector<uint64_t> a = decode_acc(into["acc"]), b = decode_acc(other.at("acc"));
    if (a.size() == b.size()) {
      for (size_t i = 0; i < a.size(); ++i) a[i] += b[i];
      into["acc"] = encode_acc(a);
    } else {
      into.erase("acc");  // blocks of different sizes: no per-offset counts, as the tool does
    }
  } else {
    into.erase("acc");
  }
}

// ---- argdist --------------------------------------------------------------

double as_double(const Json& value) {
  return value.is_string() ? std::strtod(value.get<std::string>().c_str(), nullptr) : 0.0;
}

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", v);
  return text;
}

void merge_value(Json& into, const Json& other) {
  const double n1 = as_count(into["count"]), n2 = as_count(other.at("count"));
  add_field(into, other, "count");
  if (into.contains("mean") && other.contains("mean") && n1 + n2 > 0) {
    const double m1 = as_double(into["mean"]), m2 = as_double(other.at("mean"));
    const double s1 = as_double(into["stddev"]), s2 = as_double(other.at("stddev"));
    const double mean = (n1 * m1 + n2 * m2) / (n1 + n2);
    // Population variances pool through E[x^2] = variance + mean^2.
    const double square = (n1 * (s1 * s1 + m1 * m1) + n2 * (s2 * s2 + m2 * m2)) / (n1 + n2);
    into["mean"] = number_text(mean);
    into["stddev"] = number_text(std::sqrt(std::max(0.0, square - mean * mean)));
    if (as_double(other.at("min")) < as_double(into["min"])) into["min"] = other.at("min");
    if (as_double(other.at("max")) > as_double(into["max"])) into["max"] = other.at("max");
  }
  // The times of the extremes belong to one run each: they do not merge.
  into.erase("first_min_time");
  into.erase("first_max_time");
  std::map<double, std::pair<std::string, uint64_t>> buckets;
  for (const Json* list : JsonLists{&into["histogram"], &member(other, "histogram")}) {
    for (const Json& b : *list) {
      auto& bucket = buckets[as_double(b.at(0))];
      bucket.first = b.at(0).get<std::string>();
      bucket.second += b.at(1).get<uint64_t>();
    }
  }
  into["histogram"] = Json::array();
  for (auto& [at, bucket] : buckets) into["histogram"].push_back({bucket.first, bucket.second});
}

Json& find_or_append(Json& list, const Json& item, const char* key) {
  for (Json& mine : list) {
    if (mine[key] == item[key]) return mine;
  }
  list.push_back(item);
  return list.back();
}

}  // namespace

Json merge_taint(const std::vector<ToolFile>& files) {
  Json merged = files[0].json;
  std::map<std::string, size_t> sink_at;
  for (size_t i = 0; i < merged["sinks"].size(); ++i) sink_at[sink_key(merged["sinks"][i])] = i;
  for (size_t f = 1; f < files.size(); ++f) {
    const Json& other = files[f].json;
    add_field(merged, other, "instructions");
    add_field(merged, other, "dropped_occurrences");
    merge_sources(merged["sources"], other.at("sources"));
    for (const Json& sink : other.at("sinks")) {
      auto [it, added] = sink_at.emplace(sink_key(sink), merged["sinks"].size());
      if (added) merged["sinks"].push_back(sink);
      else merge_sink(merged["sinks"][it->second], sink);
    }
    for (auto it = other.at("counts").begin(); it != other.at("counts").end(); ++it) {
      add_object_fields(merged["counts"][it.key()], it.value());
    }
    merge_graph(merged["graph"], other.at("graph"));
  }
  std::stable_sort(merged["sinks"].begin(), merged["sinks"].end(),
                   [](const Json& a, const Json& b) { return a.value("time", 0ULL) < b.value("time", 0ULL); });
  recount_findings(merged);
  return merged;
}

Json merge_lifetime(const std::vector<ToolFile>& files) {
  Json merged = files[0].json;
  std::map<std::string, size_t> site_at;
  uint64_t next_id = 0;
  for (size_t i = 0; i < merged["sites"].size(); ++i) {
    site_at[merged["sites"][i]["stack"].dump()] = i;
    next_id = std::max(next_id, as_count(merged["sites"][i]["id"]) + 1);
  }
  for (size_t f = 1; f < files.size(); ++f) {
    const Json& other = files[f].json;
    Json& totals = merged["totals"];
    for (const char* key : {"blocks", "bytes", "end_blocks", "end_bytes", "reads", "writes"}) {
      add_field(totals, other.at("totals"), key);
    }
    add_object_fields(totals["misuse_counts"], other.at("totals").value("misuse_counts", Json::object()));
    // The global peak is a moment of one run: keep the highest.
    if (as_count(other.at("totals").at("gmax_bytes")) > as_count(totals["gmax_bytes"])) {
      totals["gmax_bytes"] = other.at("totals").at("gmax_bytes");
      totals["gmax_blocks"] = other.at("totals").at("gmax_blocks");
      merged["time_gmax"] = other.at("time_gmax");
    }
    merged["time_end"] = std::max(as_count(merged["time_end"]), as_count(other.at("time_end")));
    for (const Json& site : other.at("sites")) {
      auto [it, added] = site_at.emplace(site.at("stack").dump(), merged["sites"].size());
      if (added) {
        Json copy = site;
        copy["id"] = next_id++;
        merged["sites"].push_back(copy);
      } else {
        merge_site(merged["sites"][it->second], site);
      }
    }
  }
  std::stable_sort(merged["sites"].begin(), merged["sites"].end(),
                   [](const Json& a, const Json& b) { return as_count(a["bytes"]) > as_count(b["bytes"]); });
  return merged;
}

Json merge_argdist(const std::vector<ToolFile>& files) {
  Json merged = files[0].json;
  for (size_t f = 1; f < files.size(); ++f) {
    for (const Json& function : files[f].json.at("functions")) {
      const size_t before = merged["functions"].size();
      Json& mine = find_or_append(merged["functions"], function, "name");
      if (merged["functions"].size() > before) continue;
      add_field(mine, function, "calls");
      for (const Json& value : function.at("values")) {
        const size_t values_before = mine["values"].size();
        Json& v = find_or_append(mine["values"], value, "name");
        if (mine["values"].size() == values_before) merge_value(v, value);
      }
    }
  }
  return merged;
}

Json merge_files(const std::vector<ToolFile>& files) {
  for (const ToolFile& file : files) {
    if (file.tool != files[0].tool) {
      throw InputError(file.path, std::string("a ") + tool_name(file.tool) +
                                      " file; a merge takes the files of one tool (" +
                                      files[0].path + " is a " + tool_name(files[0].tool) + " file)");
    }
  }
  Json merged;
  try {
    switch (files[0].tool) {
      case Tool::Taint: merged = merge_taint(files); break;
      case Tool::Lifetime: merged = merge_lifetime(files); break;
      case Tool::Argdist: merged = merge_argdist(files); break;
    }
  } catch (const Json::exception& e) {
    throw InputError(files[0].path + " ...", std::string("malformed input to merge (") + e.what() + ")");
  }
  uint64_t runs = 0;
  for (const ToolFile& file : files) runs += runs_of(file.json);
  merged["merged_runs"] = runs;
  // Times belong to one recording: a merge of several names none.
  for (const ToolFile& file : files)
    if (file.json.value("trace", Json()) != files[0].json.value("trace", Json())) merged.erase("trace");
  return merged;
}

}  // namespace unstuck::viz
