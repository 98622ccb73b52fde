#include "tools/lifetime/json_output.h"

#include "shared/output/json_writer.h"
#include "shared/recorder/recorder.h"
#include "shared/rt/string_builder.h"
#include "shared/rt/vector.h"
#include "shared/shadow/heap_sort.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/vg/client_command.h"
#include "tools/lifetime/functions.h"
#include "tools/lifetime/options.h"
#include "tools/lifetime/sites.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {
namespace {

constexpr uint64_t kFileVersion = 1;

// ---- Small pieces ------------------------------------------------------------

void write_time(JsonWriter& json, const char* name, uint64_t time) {
  json.key(name);
  if (time == kNever)
    json.null();
  else
    json.number(time);
}

// A fraction from 0 to 1 given in thousandths (touched / size, three
// decimals): 250 is written 0.25.
void write_fraction(JsonWriter& json, const char* name, uint64_t permille) {
  StringBuilder text;
  text.append_unsigned(permille / 1000);
  uint64_t rest = permille % 1000;
  if (rest != 0) {
    text.append('.');
    for (uint64_t digit = 100; rest != 0; digit /= 10) {
      text.append(static_cast<char>('0' + rest / digit));
      rest %= digit;
    }
  }
  json.key(name).formatted_number(text.c_str());
}

// Frames as DHAT writes them ("0x4011D6: main (prog.c:12)"), inlined calls
// expanded.
void write_frame(UInt, DiEpoch epoch, Addr ip, void* opaque) {
  JsonWriter& json = *static_cast<JsonWriter*>(opaque);
  InlIPCursor* cursor = VG_(new_IIPC)(epoch, ip);
  do {
    json.string(VG_(describe_IP)(epoch, ip, cursor));
  } while (VG_(next_IIPC)(cursor));
  VG_(delete_IIPC)(cursor);
}

void write_stack(JsonWriter& json, const char* name, ExeContext* stack) {
  json.key(name);
  if (stack == nullptr) {
    json.null();
    return;
  }
  json.begin_array();
  VG_(apply_ExeContext)(write_frame, &json, stack);
  json.end_array();
}

void write_threads(JsonWriter& json, uint64_t threads) {
  json.key("threads").begin_array(JsonWriter::kInline);
  for (int n = 1; n <= 64; ++n)
    if (threads & (uint64_t{1} << (n - 1))) json.number(n);
  json.end_array();
}

void write_misuse_counts(JsonWriter& json, const uint64_t (&counts)[kMisuseKinds]) {
  json.key("misuse_counts").begin_object(JsonWriter::kInline);
  for (int k = 0; k < kMisuseKinds; ++k)
    json.field(misuse_name(static_cast<Misuse>(k)), counts[k]);
  json.end_object();
}

// DHAT's run-length encoding: N > 1 equal values M in a row are "-N, M".
template <typename Count>
void write_histogram(JsonWriter& json, const Count* counts, uint64_t size) {
  json.key("acc").begin_array(JsonWriter::kInline);
  for (uint64_t i = 0; i < size;) {
    uint64_t run = 1;
    while (i + run < size && counts[i + run] == counts[i]) ++run;
    if (run > 1) json.signed_number(-static_cast<int64_t>(run));
    json.number(counts[i]);
    i += run;
  }
  json.end_array();
}

// ---- Objects --------------------------------------------------------------------

bool is_low_utilisation(const ShadowObject& o) {
  return o.touched_end * 100 < o.size * g_options.low_utilisation;
}

void write_object_flags(JsonWriter& json, const ShadowObject& o, uint64_t end) {
  json.key("flags").begin_array(JsonWriter::kInline);
  if (o.lifetime(end) < g_options.short_lived) json.string("short_lived");
  if (is_low_utilisation(o)) json.string("low_utilisation");
  if (o.bytes_read == 0) json.string("never_read");
  if (o.bytes_read == 0 && o.bytes_written != 0) json.string("write_only");
  if (o.free_time == kNever) json.string("leaked");
  if (o.thread_count() >= 2 || o.more_threads) json.string("shared");
  for (int k = 0; k < kMisuseKinds; ++k)
    if (o.misuse_counts[k] != 0) json.string(misuse_name(static_cast<Misuse>(k)));
  json.end_array();
}

// The most used first, --top-functions of them.
void write_functions(JsonWriter& json, const FunctionCount* counts, uint8_t count,
                     bool approximate) {
  FunctionCount sorted[kSiteFunctions];
  for (uint8_t i = 0; i < count; ++i) sorted[i] = counts[i];
  shadow::heap_sort(sorted, count, [](const FunctionCount& a, const FunctionCount& b) {
    uint64_t ua = uint64_t{a.reads} + a.writes, ub = uint64_t{b.reads} + b.writes;
    return ua != ub ? ua > ub : a.function < b.function;
  });
  json.key("functions").begin_array();
  for (uint8_t i = 0; i < count && i < g_options.top_functions; ++i)
    json.begin_object(JsonWriter::kInline)
        .field("name", function_name(sorted[i].function))
        .field("reads", uint64_t{sorted[i].reads})
        .field("writes", uint64_t{sorted[i].writes})
        .end_object();
  json.end_array();
  json.field("functions_approximate", approximate);
}

void write_misuse_events(JsonWriter& json, const ShadowObject& o) {
  json.key("misuse").begin_array();
  if (o.misuse != nullptr) {
    for (const MisuseEvent& e : *o.misuse) {
      json.begin_object();
      json.field("kind", misuse_name(e.kind));
      json.field("access", e.kind == Misuse::kMismatchedFree ? "free"
                           : e.is_write                      ? "write"
                                                              : "read");
      json.field("size", uint64_t{e.size});
      json.key("offset").signed_number(e.offset);
      json.field("time", e.time);
      json.field("thread", uint64_t{e.thread});
      write_stack(json, "stack", e.stack);
      json.end_object();
    }
  }
  json.end_array();
  write_misuse_counts(json, o.misuse_counts);
}

void write_chain(JsonWriter& json, const ShadowObject& o) {
  json.key("realloc_chain").begin_object(JsonWriter::kInline);
  json.field("chain", o.chain);
  json.field("index", uint64_t{o.chain_index});
  json.key("previous");
  if (o.resized_from != 0) json.number(o.resized_from); else json.null();
  json.key("next");
  if (o.resized_to != 0) json.number(o.resized_to); else json.null();
  json.field("started", o.chain_start_time);
  json.end_object();
}

void write_object(JsonWriter& json, const ShadowObject& o, uint64_t end) {
  json.begin_object();
  json.field("serial", o.serial);
  json.hex_field("address", o.base);
  json.field("size", o.size);
  json.field("requested", o.requested);
  json.field("kind", allocation_kind_name(o.alloc_kind));
  json.field("alloc_time", o.alloc_time);
  json.field("alloc_thread", uint64_t{o.alloc_thread});
  write_stack(json, "alloc_stack", o.alloc_stack);
  write_time(json, "free_time", o.free_time);
  json.key("free_kind");
  if (o.free_time == kNever) json.null(); else json.string(deallocation_kind_name(o.free_kind));
  json.key("free_thread");
  if (o.free_time == kNever) json.null(); else json.number(o.free_thread);
  write_stack(json, "free_stack", o.free_stack);
  json.field("lifetime", o.lifetime(end));
  json.field("reads", o.bytes_read);
  json.field("writes", o.bytes_written);
  write_time(json, "first_read", o.first_read);
  write_time(json, "last_read", o.last_read);
  write_time(json, "first_write", o.first_write);
  write_time(json, "last_write", o.last_write);
  json.field("touched", o.touched_end);
  write_fraction(json, "utilisation", o.size == 0 ? 0 : o.touched_end * 1000 / o.size);
  write_threads(json, o.threads);
  write_functions(json, o.functions, o.function_count, o.approximate_functions);
  json.field("uninitialised_reads", o.uninitialised_reads);
  write_misuse_events(json, o);
  write_chain(json, o);
  write_object_flags(json, o, end);
  if (o.histogram != nullptr) write_histogram(json, o.histogram, o.size);
  json.end_object();
}

// ---- Sites ------------------------------------------------------------------------

void write_site_flags(JsonWriter& json, const Site& s) {
  json.key("flags").begin_array(JsonWriter::kInline);
  const uint32_t flags = s.flags();
  for (int bit = 0; bit < kSiteFlagCount; ++bit)
    if (flags & (1u << bit)) json.string(site_flag_name(bit));
  json.end_array();
}

void write_site(JsonWriter& json, const Site& s, uint64_t end) {
  json.begin_object();
  json.field("id", uint64_t{s.index});
  write_stack(json, "stack", s.stack);
  json.field("blocks", s.total_blocks);
  json.field("bytes", s.total_bytes);
  json.field("avg_lifetime", s.average_lifetime());
  json.field("total_lifetime", s.total_lifetimes);
  json.field("max_live_bytes", s.max_live_bytes);
  json.field("max_live_blocks", s.max_live_blocks);
  json.field("gmax_bytes", s.gmax_bytes);
  json.field("gmax_blocks", s.gmax_blocks);
  json.field("end_bytes", s.live_bytes);
  json.field("end_blocks", s.live_blocks);
  json.field("reads", s.bytes_read);
  json.field("writes", s.bytes_written);
  write_fraction(json, "utilisation", s.utilisation_permille());
  json.field("touched_bytes", s.touched_ended);
  json.field("versions", s.versions_ended);
  write_site_flags(json, s);
  json.field("short_lived_blocks", s.short_lived_blocks);
  json.field("low_utilisation_blocks", s.low_utilisation_blocks);
  json.field("never_read_blocks", s.never_read_blocks);
  json.field("write_only_blocks", s.write_only_blocks);
  json.field("shared_blocks", s.shared_blocks);
  write_threads(json, s.threads);
  write_functions(json, s.functions, s.function_count, s.approximate_functions);
  json.field("uninitialised_reads", s.uninitialised_reads);
  write_misuse_counts(json, s.misuse_counts);
  if (s.histogram_state == Site::HistogramState::kSameSize && s.histogram != nullptr)
    write_histogram(json, s.histogram, s.histogram_size);
  json.key("objects").begin_array();
  if (s.objects != nullptr)
    for (const ShadowObject* o : *s.objects) write_object(json, *o, end);
  json.end_array();
  json.field("objects_omitted", s.objects_omitted);
  json.end_object();
}

// ---- The file ----------------------------------------------------------------------

void write_command(JsonWriter& json) {
  StringBuilder command;
  client_command::append_line(command);
  json.field("command", command.c_str());
}

const char* listing_name(ObjectListing listing) {
  switch (listing) {
    case ObjectListing::kNone: return "none";
    case ObjectListing::kSuspicious: return "suspicious";
    case ObjectListing::kAll: return "all";
  }
  return "?";
}

void write_options(JsonWriter& json) {
  json.key("options").begin_object(JsonWriter::kInline);
  json.field("objects", listing_name(g_options.objects));
  json.field("max_objects_per_site", g_options.max_objects_per_site);
  json.field("histogram_max", g_options.histogram_max);
  json.field("freed_window", g_options.freed_window);
  json.field("short_lived", g_options.short_lived);
  json.field("low_utilisation", g_options.low_utilisation);
  json.field("num_callers", static_cast<uint64_t>(VG_(clo_backtrace_size)));
  json.end_object();
}

void write_totals(JsonWriter& json, SiteTable& sites) {
  const HeapTotals& t = sites.totals();
  uint64_t misuse[kMisuseKinds] = {};
  for (size_t i = 0; i < sites.size(); ++i)
    for (int k = 0; k < kMisuseKinds; ++k) misuse[k] += sites.site(i).misuse_counts[k];
  json.key("totals").begin_object();
  json.field("blocks", t.blocks);
  json.field("bytes", t.bytes);
  json.field("gmax_blocks", t.gmax_blocks);
  json.field("gmax_bytes", t.gmax_bytes);
  json.field("end_blocks", t.live_blocks);
  json.field("end_bytes", t.live_bytes);
  json.field("reads", t.bytes_read);
  json.field("writes", t.bytes_written);
  write_misuse_counts(json, misuse);
  json.end_object();
}

// Sites by bytes allocated, the most first; ties in order of appearance.
Vector<Site*> sites_in_order(SiteTable& sites) {
  Vector<Site*> order;
  for (size_t i = 0; i < sites.size(); ++i) order.push_back(&sites.site(i));
  shadow::heap_sort(order.data(), order.size(), [](Site* a, Site* b) {
    return a->total_bytes != b->total_bytes ? a->total_bytes > b->total_bytes
                                            : a->index < b->index;
  });
  return order;
}


// The highest live bytes of each interval, with its time (live_bytes_series.h).
void write_live_bytes(JsonWriter& json, const LiveBytesSeries& series) {
  json.key("live_bytes").begin_object();
  json.field("interval", series.interval());
  json.key("points").begin_array(JsonWriter::kInline);
  series.for_each([&](uint64_t time, uint64_t bytes) {
    json.begin_array().number(time).number(bytes).end_array();
  });
  json.end_array().end_object();
}

}  // namespace

bool write_json_output(const char* path, SiteTable& sites) {
  const uint64_t end = timeline::now();
  StringBuilder text;
  JsonWriter json(text);
  json.begin_object();
  json.field("lifetimeFileVersion", kFileVersion);
  json.field("tool", "lifetime");
  write_command(json);
  json.field("pid", static_cast<uint64_t>(VG_(getpid)()));
  json.field("time_unit", "instructions");
  json.field("time_end", end);
  json.field("time_gmax", sites.totals().gmax_time);
  if (const char* trace = recorder::trace_path()) json.field("trace", trace);
  write_options(json);
  write_totals(json, sites);
  write_live_bytes(json, sites.live_bytes());
  json.key("sites").begin_array();
  for (Site* site : sites_in_order(sites)) write_site(json, *site, end);
  json.end_array();
  json.end_object();
  int status = write_text_file(path, text);
  if (status < 0) {
    VG_(umsg)("error: cannot write the lifetime profile %s (errno %d)\n", path, -status);
    return false;
  }
  return true;
}

}  // namespace unstuck::lifetime
