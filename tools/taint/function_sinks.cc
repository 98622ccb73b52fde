#include "tools/taint/function_sinks.h"

#include "shared/rt/arena.h"
#include "shared/rt/string_builder.h"
#include "shared/timeline/instruction_clock.h"
#include "tools/taint/client_memory.h"
#include "tools/taint/findings.h"
#include "tools/taint/options.h"
#include "tools/taint/shadow_state.h"

extern "C" {
#include "pub_tool_debuginfo.h"
}

namespace unstuck::taint {
namespace {

constexpr int kArgs = 6;
constexpr int32_t kArea = shadow::kAmd64GuestStateBytes;
const int32_t kArgOffsets[kArgs] = {
    offsetof(VexGuestAMD64State, guest_RDI), offsetof(VexGuestAMD64State, guest_RSI),
    offsetof(VexGuestAMD64State, guest_RDX), offsetof(VexGuestAMD64State, guest_RCX),
    offsetof(VexGuestAMD64State, guest_R8),  offsetof(VexGuestAMD64State, guest_R9)};

// Bytes looked at behind a pointer at most (strings, sized buffers).
constexpr uint64_t kMaxPointedBytes = 1 << 20;

enum class Arg : uint8_t {
  kUnused,
  kValue,    // the register alone (sizes, flags, output pointers)
  kString,   // and the NUL-terminated string it points to
  kStringN,  // a string of at most `size_arg`'s value bytes
  kBuffer,   // and the `size_arg`'s value bytes it points to
  kPointer,  // and --sink-fn-bytes bytes (functions not in the table)
};

struct ArgSpec {
  Arg kind;
  int8_t size_arg;
  const char* role;
};

struct KnownFunction {
  const char* name;
  ArgSpec args[kArgs];
};

constexpr ArgSpec V(const char* role) { return {Arg::kValue, -1, role}; }
constexpr ArgSpec S(const char* role) { return {Arg::kString, -1, role}; }
constexpr ArgSpec SN(int8_t n, const char* role) { return {Arg::kStringN, n, role}; }
constexpr ArgSpec B(int8_t n, const char* role) { return {Arg::kBuffer, n, role}; }
constexpr ArgSpec X() { return {Arg::kUnused, -1, nullptr}; }

const KnownFunction kKnown[] = {
    {"memcpy", {V("destination"), B(2, "source"), V("size"), X(), X(), X()}},
    {"memmove", {V("destination"), B(2, "source"), V("size"), X(), X(), X()}},
    {"mempcpy", {V("destination"), B(2, "source"), V("size"), X(), X(), X()}},
    {"memset", {V("destination"), V("byte"), V("size"), X(), X(), X()}},
    {"memcmp", {B(2, "first"), B(2, "second"), V("size"), X(), X(), X()}},
    {"memchr", {B(2, "buffer"), V("byte"), V("size"), X(), X(), X()}},
    {"strcpy", {V("destination"), S("source"), X(), X(), X(), X()}},
    {"stpcpy", {V("destination"), S("source"), X(), X(), X(), X()}},
    {"strncpy", {V("destination"), SN(2, "source"), V("size"), X(), X(), X()}},
    {"strcat", {S("destination"), S("source"), X(), X(), X(), X()}},
    {"strncat", {S("destination"), SN(2, "source"), V("size"), X(), X(), X()}},
    {"strcmp", {S("first"), S("second"), X(), X(), X(), X()}},
    {"strncmp", {SN(2, "first"), SN(2, "second"), V("size"), X(), X(), X()}},
    {"strcasecmp", {S("first"), S("second"), X(), X(), X(), X()}},
    {"strlen", {S("string"), X(), X(), X(), X(), X()}},
    {"strnlen", {SN(1, "string"), V("size"), X(), X(), X(), X()}},
    {"strchr", {S("string"), V("character"), X(), X(), X(), X()}},
    {"strrchr", {S("string"), V("character"), X(), X(), X(), X()}},
    {"strdup", {S("string"), X(), X(), X(), X(), X()}},
    {"system", {S("command"), X(), X(), X(), X(), X()}},
    {"popen", {S("command"), S("mode"), X(), X(), X(), X()}},
    {"execv", {S("path"), V("argv"), X(), X(), X(), X()}},
    {"execvp", {S("file"), V("argv"), X(), X(), X(), X()}},
    {"execve", {S("path"), V("argv"), V("envp"), X(), X(), X()}},
    {"printf", {S("format"), X(), X(), X(), X(), X()}},
    {"fprintf", {V("stream"), S("format"), X(), X(), X(), X()}},
    {"sprintf", {V("destination"), S("format"), X(), X(), X(), X()}},
    {"snprintf", {V("destination"), V("size"), S("format"), X(), X(), X()}},
    {"puts", {S("string"), X(), X(), X(), X(), X()}},
    {"fputs", {S("string"), V("stream"), X(), X(), X(), X()}},
    {"malloc", {V("size"), X(), X(), X(), X(), X()}},
    {"calloc", {V("count"), V("size"), X(), X(), X(), X()}},
    {"realloc", {V("pointer"), V("size"), X(), X(), X(), X()}},
    {"free", {V("pointer"), X(), X(), X(), X(), X()}},
    {"alloca", {V("size"), X(), X(), X(), X(), X()}},
    {"read", {V("fd"), V("buffer"), V("size"), X(), X(), X()}},
    {"write", {V("fd"), B(2, "buffer"), V("size"), X(), X(), X()}},
    {"open", {S("path"), V("flags"), V("mode"), X(), X(), X()}},
    {"fopen", {S("path"), S("mode"), X(), X(), X(), X()}},
    {"atoi", {S("string"), X(), X(), X(), X(), X()}},
    {"strtol", {S("string"), V("end"), V("base"), X(), X(), X()}},
};

const KnownFunction kUnknown = {
    nullptr,
    {{Arg::kPointer, -1, nullptr}, {Arg::kPointer, -1, nullptr},
     {Arg::kPointer, -1, nullptr}, {Arg::kPointer, -1, nullptr},
     {Arg::kPointer, -1, nullptr}, {Arg::kPointer, -1, nullptr}}};

// Per translated entry: what to check and the details of its findings.
struct FunctionSite {
  Addr pc;
  uint32_t instructions_left;
  const KnownFunction* spec;
  int arguments;  // at most this many are checked
  const char* details[kArgs];
  FindingCache caches[kArgs];
};

Arena* g_sites = nullptr;

bool starts_with(const char* s, const char* prefix) {
  return VG_(strncmp)(s, prefix, VG_(strlen)(prefix)) == 0;
}

// glibc's names for an implementation of `wanted`.
bool names_variant(const char* symbol, const char* wanted) {
  if (VG_(strchr)(symbol, '@') != nullptr) return false;  // PLT stubs and versions
  if (VG_(strcmp)(symbol, wanted) == 0) return true;
  StringBuilder prefix;
  prefix.append("__").append(wanted);
  if (VG_(strcmp)(symbol, prefix.c_str()) == 0) return true;
  prefix.append('_');
  if (starts_with(symbol, prefix.c_str())) return true;
  prefix.clear();
  prefix.append("__libc_").append(wanted);
  return VG_(strcmp)(symbol, prefix.c_str()) == 0;
}

// --sink-fn=NAME/N: a function of N arguments.  The name is the part
// before the '/'.
size_t name_length(const char* wanted) {
  const char* slash = VG_(strchr)(wanted, '/');
  return slash != nullptr ? static_cast<size_t>(slash - wanted) : VG_(strlen)(wanted);
}

int declared_arguments(const char* wanted) {
  const char* slash = VG_(strchr)(wanted, '/');
  if (slash == nullptr) return kArgs;
  Long n = VG_(strtoll10)(slash + 1, nullptr);
  return n < 0 ? 0 : n > kArgs ? kArgs : static_cast<int>(n);
}

bool matches(const char* symbol, const char* wanted_with_arity) {
  StringBuilder name;
  name.append(wanted_with_arity, name_length(wanted_with_arity));
  const char* wanted = name.c_str();
  if (names_variant(symbol, wanted)) return true;
  // glibc implements memcpy with memmove's code, under either name.
  if (VG_(strcmp)(wanted, "memcpy") == 0) return names_variant(symbol, "memmove");
  if (VG_(strcmp)(wanted, "memmove") == 0) return names_variant(symbol, "memcpy");
  return false;
}

const KnownFunction* spec_for(const char* wanted) {
  size_t n = name_length(wanted);
  for (const KnownFunction& f : kKnown)
    if (VG_(strlen)(f.name) == n && VG_(strncmp)(f.name, wanted, n) == 0) return &f;
  return &kUnknown;
}

// The requested name that `pc` is the entry of, or null.
const char* wanted_at(Addr pc) {
  const Vector<const HChar*>& wanted = options().sink_functions;
  const HChar* symbol = nullptr;
  if (!VG_(get_fnname_if_entry)(VG_(current_DiEpoch)(), pc, &symbol)) return nullptr;
  for (const HChar* name : wanted)
    if (matches(symbol, name)) return name;
  return nullptr;
}

FunctionSite* make_function_site(Addr pc, uint32_t left, const char* wanted) {
  if (g_sites == nullptr) g_sites = new Arena();
  FunctionSite* site = g_sites->make<FunctionSite>();
  site->pc = pc;
  site->instructions_left = left;
  site->spec = spec_for(wanted);
  site->arguments = declared_arguments(wanted);
  for (int i = 0; i < kArgs; ++i) {
    site->caches[i] = FindingCache{kEmptyLabelSet, 0};
    const ArgSpec& a = site->spec->args[i];
    StringBuilder detail;
    detail.append(wanted, name_length(wanted)).append(": arg ").append_unsigned(i + 1);
    if (a.role != nullptr) detail.append(" (").append(a.role).append(')');
    site->details[i] = a.kind == Arg::kUnused ? nullptr : intern_detail(detail.c_str());
  }
  return site;
}

// ---- At run time ---------------------------------------------------------------

uint64_t register_value(const uint8_t* guest_state, int arg) {
  return *reinterpret_cast<const uint64_t*>(guest_state + kArgOffsets[arg]);
}

// The bytes behind argument `arg` that count, as [a, a + n).
uint64_t pointed_bytes(const ArgSpec& spec, const uint8_t* guest_state, Addr a) {
  switch (spec.kind) {
    case Arg::kString:
      return string_bytes(a, kMaxPointedBytes);
    case Arg::kStringN: {
      uint64_t limit = register_value(guest_state, spec.size_arg);
      return string_bytes(a, limit < kMaxPointedBytes ? limit : kMaxPointedBytes);
    }
    case Arg::kBuffer: {
      uint64_t n = register_value(guest_state, spec.size_arg);
      if (n > kMaxPointedBytes) n = kMaxPointedBytes;
      return is_readable(a, n) ? n : 0;
    }
    case Arg::kPointer: {
      uint64_t n = options().sink_function_bytes;
      return is_readable(a, n) ? n : 0;
    }
    default:
      return 0;
  }
}

void helper_function_entry(HWord site_word, HWord guest_state_word) {
  FunctionSite* site = reinterpret_cast<FunctionSite*>(site_word);
  const uint8_t* guest_state = reinterpret_cast<const uint8_t*>(guest_state_word);
  uint64_t time = timeline::time_of_instruction(site->instructions_left);
  ThreadId tid = VG_(get_running_tid)();
  for (int i = 0; i < site->arguments; ++i) {
    const ArgSpec& spec = site->spec->args[i];
    if (spec.kind == Arg::kUnused) continue;
    LabelSetId label = register_label_in(guest_state, kArgOffsets[i], 8);
    Addr pointer = register_value(guest_state, i);
    uint64_t n = pointed_bytes(spec, guest_state, pointer);
    if (n > 0) label = union_labels(label, memory_label(pointer, n));
    if (label != kEmptyLabelSet)
      report_finding(SinkKind::kFunction, site->details[i], label, site->pc, time, tid,
                     &site->caches[i]);
  }
}

void declare_state(IRDirty* call, int i, int32_t offset, int32_t size) {
  call->fxState[i].fx = Ifx_Read;
  call->fxState[i].offset = static_cast<UShort>(offset);
  call->fxState[i].size = static_cast<UShort>(size);
  call->fxState[i].nRepeats = 0;
  call->fxState[i].repeatLen = 0;
}

}  // namespace

void emit_function_sink_check(LabelIR& ir, Addr pc, uint32_t instructions_left) {
  if (options().sink_functions.empty()) return;
  const char* wanted = wanted_at(pc);
  if (wanted == nullptr) return;
  FunctionSite* site = make_function_site(pc, instructions_left, wanted);
  IRDirty* call = ir.helper_call(
      nullptr, "taint_function_entry", reinterpret_cast<void*>(&helper_function_entry),
      mkIRExprVec_2(ir.word(reinterpret_cast<HWord>(site)), IRExpr_GSPTR()), false);
  // rcx, rdx; rsi, rdi, r8, r9; and their labels in shadow area 1.
  const int32_t kRcx = offsetof(VexGuestAMD64State, guest_RCX);
  const int32_t kRsi = offsetof(VexGuestAMD64State, guest_RSI);
  call->nFxState = 4;
  declare_state(call, 0, kRcx, 16);
  declare_state(call, 1, kRsi, 32);
  declare_state(call, 2, kArea + kRcx, 16);
  declare_state(call, 3, kArea + kRsi, 32);
  ir.add_call(call);
}

}  // namespace unstuck::taint
