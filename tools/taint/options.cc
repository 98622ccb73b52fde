#include "tools/taint/options.h"

#include "shared/recorder/recorder.h"

namespace unstuck::taint {

// Constructed on first use: no global constructors run inside Valgrind.
Options* g_options = nullptr;

Options& mutable_options() {
  if (g_options == nullptr) g_options = new Options();
  return *g_options;
}

namespace {

// --sink-fn=system,memcpy: each name is kept as its own string.
void add_function_names(const HChar* list) {
  const HChar* start = list;
  for (const HChar* p = list;; ++p) {
    if (*p != ',' && *p != '\0') continue;
    if (p > start) {
      SizeT n = p - start;
      HChar* name = static_cast<HChar*>(VG_(malloc)("taint.options", n + 1));
      VG_(memcpy)(name, start, n);
      name[n] = '\0';
      mutable_options().sink_functions.push_back(name);
    }
    if (*p == '\0') break;
    start = p + 1;
  }
}

}  // namespace


bool process_option(const HChar* arg) {
  Options& o = mutable_options();
  const HChar* text = nullptr;
  Bool flag = False;
  Long number = 0;
  if (recorder::process_option(arg)) {
  } else if VG_STR_CLO (arg, "--taint-file", text) {
    o.taint_files.push_back(text);
  } else if VG_BOOL_CLO (arg, "--taint-stdin", flag) {
    o.taint_stdin = flag;
  } else if VG_BOOL_CLO (arg, "--taint-net", flag) {
    o.taint_net = flag;
  } else if VG_BOOL_CLO (arg, "--taint-argv", flag) {
    o.taint_argv = flag;
  } else if VG_BOOL_CLO (arg, "--taint-env", flag) {
    o.taint_env = flag;
  } else if VG_BOOL_CLO (arg, "--taint-addresses", flag) {
    o.taint_addresses = flag;
  } else if VG_STR_CLO (arg, "--propagation", text) {
    if (VG_(strcmp)(text, "union") == 0) o.propagation = Propagation::kUnion;
    else if (VG_(strcmp)(text, "copy-only") == 0) o.propagation = Propagation::kCopyOnly;
    else VG_(fmsg_bad_option)(arg, "expected union or copy-only\n");
  } else if VG_BOOL_CLO (arg, "--sink-addresses", flag) {
    o.sink_addresses = flag;
  } else if VG_STR_CLO (arg, "--sink-fn", text) {
    add_function_names(text);
  } else if VG_BINT_CLO (arg, "--sink-fn-bytes", number, 0, 1 << 20) {
    o.sink_function_bytes = static_cast<uint64_t>(number);
  } else if VG_STR_CLO (arg, "--sink-times", text) {
    if (VG_(strcmp)(text, "first") == 0) o.all_times = false;
    else if (VG_(strcmp)(text, "all") == 0) o.all_times = true;
    else VG_(fmsg_bad_option)(arg, "expected first or all\n");
  } else if VG_BINT_CLO (arg, "--max-findings", number, 1, 100000000) {
    o.max_findings = static_cast<uint64_t>(number);
  } else if VG_BINT_CLO (arg, "--label-budget", number, 1000, 1000000000) {
    o.label_budget = static_cast<uint64_t>(number);
  } else if VG_BOOL_CLO (arg, "--narrow-labels", flag) {
    o.narrow_labels = flag;
  } else if VG_BINT_CLO (arg, "--narrow-label-limit", number, 1, 61440) {
    o.narrow_label_limit = static_cast<uint32_t>(number);
  } else if VG_STR_CLO (arg, "--taint-out-file", text) {
    o.out_file = text;
  } else if VG_BINT_CLO (arg, "--summary-findings", number, 0, 100000) {
    o.summary_findings = static_cast<uint64_t>(number);
  } else {
    return false;
  }
  return true;
}

void print_usage() {
  VG_(printf)(
      "    sources:\n"
      "    --taint-file=GLOB         bytes read or mapped from files whose\n"
      "                              path (as opened, absolute, or base name)\n"
      "                              matches GLOB; repeatable\n"
      "    --taint-stdin=no|yes      bytes read from fd 0 and its dups [no]\n"
      "    --taint-net=no|yes        bytes received from sockets [no]\n"
      "    --taint-argv=no|yes       the program's arguments [no]\n"
      "    --taint-env=no|yes        the program's environment [no]\n"
      "    propagation:\n"
      "    --taint-addresses=no|yes  a load's or store's address taints the\n"
      "                              value (table lookups) [no]\n"
      "    --propagation=union|copy-only  copy-only follows unmodified bytes\n"
      "                              only: arithmetic results are clean [union]\n"
      "    --label-budget=N          label sets kept exact before ranges are\n"
      "                              coarsened [100000]\n"
      "    --narrow-labels=no|yes    2-byte labels in memory while the run has\n"
      "                              fewer than 61440 label sets [yes]\n"
      "    sinks (conditional branches, indirect jumps and calls, syscall\n"
      "    arguments and client-request checks are always on):\n"
      "    --sink-addresses=no|yes   loads and stores through tainted\n"
      "                              pointers [no]\n"
      "    --sink-fn=NAME,NAME,...   arguments of these functions at entry;\n"
      "                              NAME/N: a function of N arguments\n"
      "    --sink-fn-bytes=N         bytes checked behind a pointer argument\n"
      "                              of a function not known to the tool [64]\n"
      "    --sink-times=first|all    keep the first time of each finding, or\n"
      "                              every time [first]\n"
      "    --max-findings=N          findings (or times) kept [10000]\n"
      "    output:\n"
      "    --taint-out-file=FILE     the JSON results; %%p is the pid, %%q{VAR}\n"
      "                              an environment variable [taint.out.%%p]\n"
      "    --summary-findings=N      findings shown on stderr [10]\n");
  recorder::print_usage();
}

void print_debug_usage() {
  VG_(printf)(
      "    --narrow-label-limit=N    the label-set id at which narrow labels\n"
      "                              widen, 1..61440 [61440]\n");
}

}  // namespace unstuck::taint
