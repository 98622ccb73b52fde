#include "tools/lifetime/options.h"

#include "shared/recorder/recorder.h"

namespace unstuck::lifetime {

Options g_options = {
    /*out_file=*/"lifetime.out.%p",
    /*histogram_max=*/4096,
    /*objects=*/ObjectListing::kSuspicious,
    /*max_objects_per_site=*/20,
    /*freed_window=*/20 * 1000 * 1000,
    /*short_lived=*/500,
    /*low_utilisation=*/25,
    /*top_functions=*/5,
    /*summary_sites=*/5,
    /*show_misuse=*/True,
};

namespace {

bool process_objects_option(const HChar* arg) {
  if VG_XACT_CLO (arg, "--objects=none", g_options.objects, ObjectListing::kNone) {
  } else if VG_XACT_CLO (arg, "--objects=suspicious", g_options.objects,
                         ObjectListing::kSuspicious) {
  } else if VG_XACT_CLO (arg, "--objects=all", g_options.objects, ObjectListing::kAll) {
  } else {
    return false;
  }
  return true;
}

}  // namespace

bool process_option(const HChar* arg) {
  const Long kMany = (Long)1 << 40;
  if (recorder::process_option(arg)) {
  } else if (process_objects_option(arg)) {
  } else if VG_STR_CLO (arg, "--lifetime-out-file", g_options.out_file) {
  } else if VG_BINT_CLO (arg, "--histogram-max", g_options.histogram_max, 0, 1 << 24) {
  } else if VG_BINT_CLO (arg, "--max-objects-per-site", g_options.max_objects_per_site,
                         0, kMany) {
  } else if VG_BINT_CLO (arg, "--freed-window", g_options.freed_window, 0, kMany) {
  } else if VG_BINT_CLO (arg, "--short-lived", g_options.short_lived, 0, kMany) {
  } else if VG_BINT_CLO (arg, "--low-utilisation", g_options.low_utilisation, 0, 100) {
  } else if VG_BINT_CLO (arg, "--top-functions", g_options.top_functions, 0, 16) {
  } else if VG_BINT_CLO (arg, "--summary-sites", g_options.summary_sites, 0, kMany) {
  } else if VG_BOOL_CLO (arg, "--show-misuse", g_options.show_misuse) {
  } else {
    return false;
  }
  return true;
}

void print_usage() {
  VG_(printf)(
      "    --lifetime-out-file=<file>    output file name [lifetime.out.%%p]\n"
      "    --objects=none|suspicious|all per-object records in the output\n"
      "                                  [suspicious]\n"
      "    --max-objects-per-site=<n>    objects listed per site, the rest\n"
      "                                  counted [20]\n"
      "    --histogram-max=<n>           per-offset access counts for blocks\n"
      "                                  of up to n bytes [4096]\n"
      "    --freed-window=<bytes>        freed blocks watched for use after\n"
      "                                  free [20000000]\n"
      "    --short-lived=<instrs>        blocks living fewer instructions are\n"
      "                                  short-lived [500]\n"
      "    --low-utilisation=<percent>   blocks used below this are under-\n"
      "                                  used [25]\n"
      "    --top-functions=<n>           functions listed per object and site,\n"
      "                                  0-16 [5]\n"
      "    --summary-sites=<n>           sites per section of the summary [5]\n"
      "    --show-misuse=no|yes          report misuse as it happens [yes]\n");
  recorder::print_usage();
}

void print_debug_usage() { VG_(printf)("    (none)\n"); }

}  // namespace unstuck::lifetime
