#include <doctest/doctest.h>

#include "viz/input_error.h"
#include "viz/merge.h"

namespace unstuck::viz::test {

namespace {

ToolFile taint_run() {
  return {"t1", Tool::Taint, Json::parse(R"js({
    "tool": "taint", "format": 1, "instructions": 100, "dropped_occurrences": 0,
    "sources": [{"id": 0, "name": "in", "kind": "file", "labelled": [[0, 8]]}],
    "sinks": [{"kind": "branch", "detail": "conditional branch", "time": 50, "thread": 1,
               "address": "0x10", "function": "main", "file": "m.c", "line": 3, "count": 2,
               "inputs": [{"source": "in", "ranges": [[0, 2]]}]}],
    "counts": {"branch": {"findings": 1, "occurrences": 2}},
    "graph": {"nodes": [{"id": 0, "type": "source", "name": "in"},
                        {"id": 1, "type": "site", "function": "main", "address": "0x10"},
                        {"id": 2, "type": "sink", "kind": "branch", "detail": "conditional branch"}],
              "edges": [{"from": 0, "to": 1, "count": 2}, {"from": 1, "to": 2, "count": 2}]}})js")};
}

}  // namespace

TEST_CASE("merging a taint run with itself doubles every count, keeping the findings") {
  const Json merged = merge_files({taint_run(), taint_run()});
  CHECK(merged["merged_runs"] == 2);
  CHECK(merged["instructions"] == 200);
  REQUIRE(merged["sinks"].size() == 1);
  CHECK(merged["sinks"][0]["count"] == 4);
  CHECK(merged["counts"]["branch"]["findings"] == 1);
  CHECK(merged["counts"]["branch"]["occurrences"] == 4);
  CHECK(merged["graph"]["nodes"].size() == 3);
  CHECK(merged["graph"]["edges"][0]["count"] == 4);
  CHECK(merged["graph"]["edges"][1]["count"] == 4);
}

TEST_CASE("merging taint runs unites their graphs; other inputs make other findings") {
  ToolFile other = taint_run();
  other.json["sinks"][0]["inputs"][0]["ranges"] = Json::parse("[[2, 4]]");
  other.json["graph"]["nodes"][1]["function"] = "parse";
  const Json merged = merge_files({taint_run(), other});
  CHECK(merged["sinks"].size() == 2);
  CHECK(merged["counts"]["branch"]["findings"] == 2);
  CHECK(merged["graph"]["nodes"].size() == 4);
  CHECK(merged["graph"]["edges"].size() == 4);  // in->main, main->sink, in->parse, parse->sink
}

TEST_CASE("merging lifetime runs adds sites' counts and functions' accesses") {
  const Json run = Json::parse(R"js({
    "tool": "lifetime", "lifetimeFileVersion": 1, "time_end": 10, "time_gmax": 5,
    "totals": {"blocks": 1, "bytes": 16, "gmax_blocks": 1, "gmax_bytes": 16, "end_blocks": 0,
               "end_bytes": 0, "reads": 4, "writes": 8, "misuse_counts": {"use_after_free": 1}},
    "sites": [{"id": 0, "stack": ["0x1: main (m.c:1)"], "blocks": 1, "bytes": 16,
               "total_lifetime": 6, "avg_lifetime": 6, "max_live_bytes": 16, "reads": 4,
               "writes": 8, "utilisation": 0.5, "acc": [-4, 1, -12, 0],
               "functions": [{"name": "main", "reads": 1, "writes": 2}],
               "misuse_counts": {"use_after_free": 1}, "flags": ["short_lived"]}]})js");
  const Json merged = merge_files({{"a", Tool::Lifetime, run}, {"b", Tool::Lifetime, run}});
  CHECK(merged["totals"]["blocks"] == 2);
  CHECK(merged["totals"]["gmax_bytes"] == 16);
  CHECK(merged["totals"]["misuse_counts"]["use_after_free"] == 2);
  REQUIRE(merged["sites"].size() == 1);
  const Json& site = merged["sites"][0];
  CHECK(site["bytes"] == 32);
  CHECK(site["avg_lifetime"] == 6);
  CHECK(site["max_live_bytes"] == 16);
  CHECK(site["utilisation"] == 0.5);
  CHECK(site["acc"] == Json::parse("[-4, 2, -12, 0]"));
  CHECK(site["functions"][0]["writes"] == 4);
}

TEST_CASE("merging argdist reports adds histograms and pools the moments") {
  const Json a = Json::parse(R"js({"tool": "argdist", "unstuckReportFormat": 1, "functions": [
    {"name": "f", "calls": 2, "values": [{"name": "arg0 x", "type": "int", "count": 2,
     "min": "1", "max": "3", "mean": "2", "stddev": "1", "first_min_time": 5, "first_max_time": 6,
     "histogram": [["1", 1], ["2", 1]]}]}]})js");
  Json b = a;
  b["functions"][0]["values"][0] = Json::parse(R"js({"name": "arg0 x", "type": "int", "count": 2,
     "min": "5", "max": "7", "mean": "6", "stddev": "1", "histogram": [["4", 2]]})js");
  const Json merged = merge_files({{"a", Tool::Argdist, a}, {"b", Tool::Argdist, b}});
  const Json& v = merged["functions"][0]["values"][0];
  CHECK(merged["functions"][0]["calls"] == 4);
  CHECK(v["count"] == 4);
  CHECK(v["min"] == "1");
  CHECK(v["max"] == "7");
  CHECK(v["mean"] == "4");
  CHECK(v["stddev"] == "2.236067977");
  CHECK(v["histogram"] == Json::parse(R"js([["1", 1], ["2", 1], ["4", 2]])js"));
  CHECK(!v.contains("first_min_time"));
}

TEST_CASE("a merge takes the files of one tool") {
  const ToolFile lifetime{"l.json", Tool::Lifetime, Json::object()};
  CHECK_THROWS_AS(merge_files({taint_run(), lifetime}), InputError);
}

}  // namespace unstuck::viz::test
