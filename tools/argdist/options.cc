#include "tools/argdist/options.h"

#include "shared/rt/file_io.h"
#include "shared/rt/string_builder.h"
#include "tools/argdist/text_utils.h"

namespace unstuck::argdist {
namespace {

Options g_options = {
    /*patterns=*/nullptr,   /*objects=*/nullptr,
    /*signatures=*/nullptr, /*linear=*/nullptr,
    /*max_functions=*/100,  /*default_args=*/6,
    /*top=*/10,             /*top_pointers=*/false,
    /*strings=*/false,
    /*string_max=*/64,      /*sites=*/true,
    /*heap_blocks=*/false,  /*text_report=*/true,
    /*out_file=*/"argdist.out.%p", /*aggregation_thread=*/true,
};

// The position of the ':' that ends a scope, or -1: a colon that is not
// half of C++'s "::".
long scope_colon(const char* text) {
  for (long i = 0; text[i] != '\0'; ++i) {
    if (text[i] != ':') continue;
    if (text[i + 1] == ':') {
      ++i;
      continue;
    }
    return i;
  }
  return -1;
}

void add_pattern(const char* text) {
  long colon = scope_colon(text);
  if (colon < 0)
    g_options.patterns->push_back({nullptr, text});
  else
    g_options.patterns->push_back({copy_text(text, colon), text + colon + 1});
}

// --fn-file=FILE: one --fn pattern a line; blank lines and lines starting
// with '#' are skipped.
bool add_pattern_file(const HChar* arg, const char* path) {
  int fd = files::open_for_reading(path);
  if (fd < 0) {
    VG_(fmsg_bad_option)(arg, "cannot read %s (error %d)\n", path, -fd);
    return false;
  }
  Vector<char> text;
  char chunk[4096];
  for (long n; (n = files::read_some(fd, chunk, sizeof chunk)) > 0;)
    for (long i = 0; i < n; ++i) text.push_back(chunk[i]);
  files::close(fd);
  text.push_back('\n');
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    size_t end = i;
    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\r')) --end;
    while (start < end && text[start] == ' ') ++start;
    if (end > start && text[start] != '#') add_pattern(copy_text(&text[start], end - start));
    start = i + 1;
  }
  return true;
}

bool add_signature(const HChar* arg, const char* text) {
  long colon = scope_colon(text);
  if (colon <= 0) {
    VG_(fmsg_bad_option)(arg, "expected NAME:TYPES, e.g. memcpy:ptr,ptr,u64->ptr\n");
    return false;
  }
  Signature* signature = new Signature();
  const char* error = nullptr;
  if (!parse_type_list(text + colon + 1, signature, &error)) {
    VG_(fmsg_bad_option)(arg, "unknown type at '%s' (types: i8 i16 i32 i64 u8 "
                              "u16 u32 u64 ptr str f32 f64, and void after ->)\n",
                         error);
    return false;
  }
  g_options.signatures->push_back({copy_text(text, colon), signature});
  return true;
}

// Reads a whole signed decimal number.
bool parse_number(const char* text, size_t n, int64_t* value) {
  if (n == 0) return false;
  char* copy = copy_text(text, n);
  HChar* end = nullptr;
  *value = VG_(strtoll10)(copy, &end);
  bool ok = end == copy + n;
  delete[] copy;
  return ok;
}

// [FUNCTION.]ARG:MIN:MAX:STEP, read from the right (a function name may
// hold colons).
bool add_linear(const HChar* arg, const char* text) {
  size_t n = string_length(text);
  size_t colons[3];
  int found = 0;
  for (size_t i = n; i-- > 0 && found < 3;)
    if (text[i] == ':') colons[found++] = i;
  int64_t min = 0, max = 0, step = 0;
  bool ok = found == 3 && colons[2] > 0 &&
            parse_number(text + colons[2] + 1, colons[1] - colons[2] - 1, &min) &&
            parse_number(text + colons[1] + 1, colons[0] - colons[1] - 1, &max) &&
            parse_number(text + colons[0] + 1, n - colons[0] - 1, &step) &&
            step > 0 && max > min;
  if (!ok) {
    VG_(fmsg_bad_option)(arg, "expected [FUNCTION.]ARG:MIN:MAX:STEP with "
                              "MIN < MAX and STEP > 0\n");
    return false;
  }
  size_t value_end = colons[2];
  size_t dot = value_end;
  while (dot > 0 && text[dot - 1] != '.') --dot;
  LinearRequest request;
  request.function = dot > 0 ? copy_text(text, dot - 1) : nullptr;
  request.value = copy_text(text + dot, value_end - dot);
  request.spec = {min, max, step};
  if (request.value[0] == '\0') {
    VG_(fmsg_bad_option)(arg, "no argument named before MIN\n");
    return false;
  }
  g_options.linear->push_back(request);
  return true;
}

// "3" or "arg3" names parameter 3.
bool names_index(const char* value, int index) {
  if (index < 0) return false;
  if (value[0] == 'a' && value[1] == 'r' && value[2] == 'g') value += 3;
  if (value[0] == '\0') return false;
  int64_t n = 0;
  return parse_number(value, string_length(value), &n) && n == index;
}

}  // namespace

const Options& options() { return g_options; }

void install_options() {
  g_options.patterns = new Vector<FunctionPattern>();
  g_options.objects = new Vector<const char*>();
  g_options.signatures = new Vector<UserSignature>();
  g_options.linear = new Vector<LinearRequest>();
}

bool parse_option(const HChar* arg) {
  const HChar* text = nullptr;
  Long number = 0;
  if VG_STR_CLO (arg, "--fn", text) {
    add_pattern(text);
  } else if VG_STR_CLO (arg, "--fn-file", text) {
    return add_pattern_file(arg, text);
  } else if VG_STR_CLO (arg, "--fn-object", text) {
    g_options.objects->push_back(text);
  } else if VG_BINT_CLO (arg, "--max-functions", number, 1, 100000) {
    g_options.max_functions = number;
  } else if VG_BINT_CLO (arg, "--args", number, 0, 64) {
    g_options.default_args = number;
  } else if VG_STR_CLO (arg, "--signature", text) {
    return add_signature(arg, text);
  } else if VG_STR_CLO (arg, "--lhist", text) {
    return add_linear(arg, text);
  } else if VG_BINT_CLO (arg, "--top", number, 0, 10000) {
    g_options.top = number;
  } else if VG_BOOL_CLO (arg, "--top-pointers", g_options.top_pointers) {
  } else if VG_BOOL_CLO (arg, "--strings", g_options.strings) {
  } else if VG_BINT_CLO (arg, "--string-max", number, 1, 4096) {
    g_options.string_max = number;
  } else if VG_BOOL_CLO (arg, "--sites", g_options.sites) {
  } else if VG_BOOL_CLO (arg, "--heap-blocks", g_options.heap_blocks) {
  } else if VG_BOOL_CLO (arg, "--histograms", g_options.text_report) {
  } else if VG_STR_CLO (arg, "--argdist-out-file", g_options.out_file) {
  } else if VG_BOOL_CLO (arg, "--aggregation-thread", g_options.aggregation_thread) {
  } else {
    return false;
  }
  return true;
}

void print_option_usage() {
  VG_(printf)(
      "    --fn=[SCOPE:]NAME         trace functions whose name matches the\n"
      "                              glob NAME (SCOPE: a glob on the soname,\n"
      "                              object file or source file); repeatable\n"
      "    --fn-file=FILE            --fn patterns, one a line (# comments)\n"
      "    --fn-object=SONAME        trace every exported function of the\n"
      "                              objects matching SONAME; repeatable\n"
      "    --max-functions=N         trace at most N functions [100]\n"
      "    --args=N                  without DWARF, take N integer arguments\n"
      "                              [6]\n"
      "    --signature=NAME:TYPES    without DWARF, the arguments and result of\n"
      "                              NAME, e.g. memcpy:ptr,ptr,u64->ptr (types:\n"
      "                              i8..i64 u8..u64 ptr str f32 f64 void)\n"
      "    --lhist=[FN.]ARG:MIN:MAX:STEP  a linear histogram of ARG (a name,\n"
      "                              an index, ret or duration)\n"
      "    --top=K                   keep the K most frequent values [10]\n"
      "    --top-pointers=no|yes     the most frequent values of pointer\n"
      "                              arguments too (slower) [no]\n"
      "    --strings=no|yes          the most frequent strings of char*\n"
      "                              arguments [no]\n"
      "    --string-max=N            compare strings up to N bytes [64]\n"
      "    --sites=no|yes            aggregate per call site too [yes]\n"
      "    --heap-blocks=no|yes      follow malloc's blocks, to give heap\n"
      "                              pointers their block's size [no]\n"
      "    --histograms=no|yes       print histograms on stderr at exit [yes]\n"
      "    --argdist-out-file=FILE   the JSON results [argdist.out.%%p]\n"
      "    --aggregation-thread=no|yes  aggregate on a thread of argdist's\n"
      "                              own when a second CPU is free [yes]\n");
}

// (Called from post_clo_init, where VG_(fmsg_bad_option) only warns: the
// exit is ours, with the status Valgrind gives a bad option.)
void check_options() {
  if (!g_options.patterns->empty() || !g_options.objects->empty()) return;
  VG_(fmsg_bad_option)("--fn", "argdist needs at least one --fn=PATTERN or "
                               "--fn-object=SONAME\n");
  VG_(exit)(1);
}

const Signature* user_signature_for(const char* name) {
  for (const UserSignature& s : *g_options.signatures)
    if (VG_(string_match)(s.name, name)) return s.signature;
  return nullptr;
}

const LinearSpec* linear_spec_for(const char* function, const char* value,
                                  int index) {
  for (const LinearRequest& r : *g_options.linear) {
    if (r.function != nullptr && !VG_(string_match)(r.function, function))
      continue;
    if (strings_equal(r.value, value) || names_index(r.value, index))
      return &r.spec;
  }
  return nullptr;
}

}  // namespace unstuck::argdist
