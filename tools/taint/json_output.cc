#include "tools/taint/json_output.h"

#include "shared/output/json_writer.h"
#include "shared/recorder/recorder.h"
#include "shared/rt/hash.h"
#include "shared/rt/hash_map.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/vg/client_command.h"
#include "tools/taint/findings.h"
#include "tools/taint/labels.h"
#include "tools/taint/options.h"
#include "tools/taint/sources.h"


namespace unstuck::taint {
namespace {

constexpr SourceId kNoSourceYet = ~SourceId{0};

void write_ranges(JsonWriter& json, LabelSetId labels, SourceId source) {
  json.begin_array(JsonWriter::kInline);
  label_sets().for_each_range(labels, [&](const shadow::LabelRange& r) {
    if (r.source == source) json.begin_array().number(r.start).number(r.end).end_array();
  });
  json.end_array();
}

// [{"source": "input.bin", "ranges": [[0, 2]]}, ...]
void write_inputs(JsonWriter& json, LabelSetId labels) {
  json.begin_array();
  SourceId previous = kNoSourceYet;
  label_sets().for_each_range(labels, [&](const shadow::LabelRange& r) {
    if (r.source == previous) return;
    previous = r.source;
    json.begin_object(JsonWriter::kInline);
    json.field("source", label_sets().source_name(r.source));
    json.key("ranges");
    write_ranges(json, labels, r.source);
    json.end_object();
  });
  json.end_array();
}

void write_command(JsonWriter& json) {
  json.key("command").begin_array(JsonWriter::kInline);
  for (size_t i = 0; i < client_command::word_count(); ++i) json.string(client_command::word(i));
  json.end_array();
}

void write_options(JsonWriter& json) {
  const Options& o = options();
  json.key("options").begin_object(JsonWriter::kInline);
  json.field("taint_addresses", o.taint_addresses);
  json.field("propagation", o.propagation == Propagation::kCopyOnly ? "copy-only" : "union");
  json.field("sink_addresses", o.sink_addresses);
  json.field("sink_times", o.all_times ? "all" : "first");
  json.field("max_findings", o.max_findings);
  json.end_object();
}

void write_sources(JsonWriter& json) {
  json.key("sources").begin_array();
  for (SourceId id = 0; id < source_count(); ++id) {
    json.begin_object(JsonWriter::kInline);
    json.field("id", uint64_t{id});
    json.field("name", label_sets().source_name(id));
    json.field("kind", source_kind_name(source_kind(id)));
    json.key("labelled");
    write_ranges(json, labelled_ranges(id), id);
    if (part_count(id) > 0) {
      json.key("parts").begin_array();
      for (size_t i = 0; i < part_count(id); ++i) {
        const SourcePart& p = part(id, i);
        json.begin_object().field("name", p.name).field("start", p.start);
        json.field("end", p.end).end_object();
      }
      json.end_array();
    }
    json.end_object();
  }
  json.end_array();
}

void write_frame(JsonWriter& json, const StackFrame& frame) {
  json.begin_object(JsonWriter::kInline);
  json.hex_field("address", frame.pc);
  json.field("function", frame.function);
  json.field("file", frame.file);
  if (frame.file != nullptr) json.field("line", uint64_t{frame.line});
  json.end_object();
}

void write_finding(JsonWriter& json, const Finding& f) {
  json.begin_object();
  json.field("kind", sink_kind_name(f.kind));
  json.field("detail", f.detail);
  json.field("time", f.time);
  if (f.times != nullptr) {
    json.key("times").begin_array(JsonWriter::kInline);
    for (uint64_t t : *f.times) json.number(t);
    json.end_array();
  }
  json.field("thread", uint64_t{f.thread});
  json.hex_field("address", f.pc);
  json.field("function", f.frames[0].function);
  json.field("file", f.frames[0].file);
  if (f.frames[0].file != nullptr) json.field("line", uint64_t{f.frames[0].line});
  else json.key("line").null();
  json.key("stack").begin_array();
  for (uint32_t i = 0; i < f.frame_count; ++i) write_frame(json, f.frames[i]);
  json.end_array();
  json.field("count", f.count);
  json.key("inputs");
  write_inputs(json, f.labels);
  json.end_object();
}

// Findings in order of their first time.
Vector<uint32_t> findings_by_time() {
  Vector<uint32_t> order;
  for (size_t i = 0; i < finding_count(); ++i) order.push_back(static_cast<uint32_t>(i));
  // Insertion order is nearly time order already: an insertion sort.
  for (size_t i = 1; i < order.size(); ++i) {
    uint32_t x = order[i];
    size_t j = i;
    while (j > 0 && finding(order[j - 1]).time > finding(x).time) {
      order[j] = order[j - 1];
      --j;
    }
    order[j] = x;
  }
  return order;
}

void write_counts(JsonWriter& json) {
  uint64_t kept[kSinkKinds] = {};
  for (size_t i = 0; i < finding_count(); ++i) ++kept[static_cast<int>(finding(i).kind)];
  json.key("counts").begin_object();
  for (int k = 0; k < kSinkKinds; ++k) {
    SinkKind kind = static_cast<SinkKind>(k);
    json.key(sink_kind_name(kind)).begin_object(JsonWriter::kInline);
    json.field("findings", kept[k]).field("occurrences", occurrences(kind));
    json.end_object();
  }
  json.end_object();
  json.field("dropped_occurrences", dropped_occurrences());
}

// ---- The graph: sources -> code sites -> sinks --------------------------------------

struct SiteKey {
  const char* function;
  const char* file;
  uint32_t line;
  Addr pc;  // only when there is no function name
  bool operator==(const SiteKey& o) const {
    return function == o.function && file == o.file && line == o.line && pc == o.pc;
  }
};
struct SiteKeyHash {
  uint64_t operator()(const SiteKey& k) const {
    uint64_t h = hash_combine(reinterpret_cast<uint64_t>(k.function),
                              reinterpret_cast<uint64_t>(k.file));
    return hash_combine(hash_combine(h, k.line), k.pc);
  }
};
struct SinkKey {
  SinkKind kind;
  const char* detail;
  bool operator==(const SinkKey& o) const { return kind == o.kind && detail == o.detail; }
};
struct SinkKeyHash {
  uint64_t operator()(const SinkKey& k) const {
    return hash_combine(static_cast<uint64_t>(k.kind), reinterpret_cast<uint64_t>(k.detail));
  }
};

struct Graph {
  Vector<uint32_t> source_nodes;  // by SourceId, ~0 when absent
  HashMap<SiteKey, uint32_t, SiteKeyHash> sites;
  HashMap<SinkKey, uint32_t, SinkKeyHash> sinks;
  HashMap<uint64_t, uint64_t> edges;  // from << 32 | to -> count
  Vector<uint64_t> edge_order;        // first-seen order, for stable output
  uint32_t nodes = 0;
};

void add_edge(Graph& g, uint32_t from, uint32_t to, uint64_t count) {
  uint64_t key = (uint64_t{from} << 32) | to;
  auto [value, inserted] = g.edges.insert(key, 0);
  if (inserted) g.edge_order.push_back(key);
  *value += count;
}

void write_graph(JsonWriter& json, const Vector<uint32_t>& order) {
  Graph g;
  g.source_nodes.resize(source_count());
  for (uint32_t& n : g.source_nodes) n = ~0u;
  json.key("graph").begin_object();
  json.key("nodes").begin_array();
  for (uint32_t index : order) {
    const Finding& f = finding(index);
    const StackFrame& top = f.frames[0];
    SiteKey site{top.function, top.file, top.line, top.function == nullptr ? f.pc : 0};
    auto [site_node, new_site] = g.sites.insert(site, g.nodes);
    if (new_site) {
      ++g.nodes;
      json.begin_object(JsonWriter::kInline).field("id", uint64_t{*site_node});
      json.field("type", "site").field("function", top.function).field("file", top.file);
      if (top.file != nullptr) json.field("line", uint64_t{top.line});
      json.hex_field("address", f.pc).end_object();
    }
    auto [sink_node, new_sink] = g.sinks.insert(SinkKey{f.kind, f.detail}, g.nodes);
    if (new_sink) {
      ++g.nodes;
      json.begin_object(JsonWriter::kInline).field("id", uint64_t{*sink_node});
      json.field("type", "sink").field("kind", sink_kind_name(f.kind));
      json.field("detail", f.detail).end_object();
    }
    SourceId previous = kNoSourceYet;
    label_sets().for_each_range(f.labels, [&](const shadow::LabelRange& r) {
      if (r.source == previous) return;
      previous = r.source;
      uint32_t& node = g.source_nodes[r.source];
      if (node == ~0u) {
        node = g.nodes++;
        json.begin_object(JsonWriter::kInline).field("id", uint64_t{node});
        json.field("type", "source").field("name", label_sets().source_name(r.source));
        json.end_object();
      }
      add_edge(g, node, *site_node, f.count);
    });
    add_edge(g, *site_node, *sink_node, f.count);
  }
  json.end_array();
  json.key("edges").begin_array();
  for (uint64_t key : g.edge_order) {
    json.begin_object(JsonWriter::kInline);
    json.field("from", key >> 32).field("to", key & 0xffffffffu);
    json.field("count", *g.edges.find(key)).end_object();
  }
  json.end_array();
  json.end_object();
}

}  // namespace

const char* write_json_output() {
  StringBuilder text;
  JsonWriter json(text);
  json.begin_object();
  json.field("tool", "taint");
  json.field("format", uint64_t{1});
  json.field("pid", static_cast<uint64_t>(VG_(getpid)()));
  write_command(json);
  json.field("instructions", timeline::now());
  json.field("recorded", recorder::is_on());
  if (const char* trace = recorder::trace_path()) json.field("trace", trace);
  write_options(json);
  if (coarsening_shift() > 0) {
    json.key("coarsening").begin_object(JsonWriter::kInline);
    json.field("block_bytes", uint64_t{1} << coarsening_shift());
    json.field("since", coarsened_since()).end_object();
  } else {
    json.key("coarsening").null();
  }
  write_sources(json);
  Vector<uint32_t> order = findings_by_time();
  json.key("sinks").begin_array();
  for (uint32_t index : order) write_finding(json, finding(index));
  json.end_array();
  write_counts(json);
  write_graph(json, order);
  json.end_object();

  HChar* path = VG_(expand_file_name)("--taint-out-file", options().out_file);
  int status = write_text_file(path, text);
  if (status < 0) {
    VG_(umsg)("taint: cannot write %s (error %d)\n", path, -status);
    return nullptr;
  }
  return path;
}

}  // namespace unstuck::taint
