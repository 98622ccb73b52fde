#include "tools/argdist/call_tracker.h"

#include "shared/rt/vector.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/vg/core_events.h"
#include "tools/argdist/call_log.h"
#include "tools/argdist/capture.h"
#include "tools/argdist/function_selection.h"
#include "tools/argdist/heap_blocks.h"
#include "tools/argdist/options.h"
#include "tools/argdist/value_stream.h"

namespace unstuck::argdist {
namespace {

struct Frame {
  uint64_t entry_sp;
  Addr return_address;
  uint64_t entry_time;
  FunctionRecord* function;
  SiteRecord* site;  // null with --sites=no, and for unreported functions
  AllocatorCall allocator;
};

Vector<Vector<Frame>*>* g_stacks = nullptr;  // by ThreadId
// The running thread's (set whenever a thread starts running client code):
// the log's events are this thread's.
Vector<Frame>* g_stack = nullptr;
ThreadId g_stack_owner = VG_INVALID_THREADID;
// The lowest size g_stack had since the mirror was last made equal to it:
// slots above it may differ.
size_t g_low_water = 0;

Vector<Frame>& stack_of(ThreadId tid) {
  while (g_stacks->size() <= tid) g_stacks->push_back(new Vector<Frame>());
  return *g_stacks->data()[tid];
}

Frame& top(Vector<Frame>& stack) { return stack.data()[stack.size() - 1]; }

void pop_frame(Vector<Frame>& stack) {
  stack.pop_back();
  if (stack.size() < g_low_water) g_low_water = stack.size();
}

// Makes the mirror and the return watch match the running thread's frames
// (the log replayed: they are its state).
void sync_mirror() {
  const Vector<Frame>& stack = *g_stack;
  const size_t size = stack.size();
  reserve_mirror(size);
  for (size_t i = g_low_water; i < size; ++i) {
    const Frame& f = stack.data()[i];
    g_call_log.mirror[i + 1] = {f.entry_sp, logs_calls(*f.function) ? 0ULL : 1ULL};
  }
  g_call_log.mirror_depth = size;
  g_low_water = size;
  g_call_log.return_watch = g_call_log.mirror[size].entry_sp;
}

// What must be taken from the value at once: what a pointer points to
// and the text of a string are the guest's state of the moment.
void note_now(const ValueRecord& record, uint64_t bits) {
  if (record.kinds != nullptr) record.kinds->add(bits);
  if (record.strings != nullptr) record.strings->add(bits);
}

// The aggregates of a function with too many parameters to hold its
// calls back.
void add_arguments_now(const ArgumentRegisters& registers, const Frame& frame) {
  FunctionRecord* f = frame.function;
  const size_t count = f->signature.params.size();
  const Parameter* params = f->signature.params.data();
  ValueRecord* records = f->args.data();
  if (frame.site != nullptr) ++frame.site->calls;
  for (size_t i = 0; i < count; ++i) {
    uint64_t raw;
    if (!is_aggregated(params[i].type.kind)) continue;
    if (!read_argument(registers, params[i].source, frame.entry_sp, &raw)) continue;
    uint64_t bits = normalize(raw, params[i].type);
    records[i].values.add(bits, frame.entry_time);
    if (frame.site != nullptr) frame.site->args[i].add(bits, params[i].type.kind);
    note_now(records[i], bits);
  }
}

// Writes an arguments record (value_stream.h) of the values in `values`,
// `mask`'s bits in increasing order.
void stream_arguments(const Frame& frame, uint64_t mask, const uint64_t* values,
                      uint32_t count) {
  const uint64_t header[kArgumentsRecordHeader] = {reinterpret_cast<uint64_t>(frame.function),
                                                   reinterpret_cast<uint64_t>(frame.site),
                                                   frame.entry_time, mask};
  uint64_t* record = value_stream_room(kArgumentsRecordHeader + count);
  put_value_words(record, header, kArgumentsRecordHeader);
  put_value_words(record + kArgumentsRecordHeader, values, count);
}

// (Raw pointers on the per-call paths: the vectors' bounds checks cost as
// much as the work, and the indices are in range by construction.)
void capture_arguments(const ArgumentRegisters& registers, const Frame& frame) {
  FunctionRecord* f = frame.function;
  const size_t count = f->signature.params.size();
  if (count > kMaxStreamedParams) {
    add_arguments_now(registers, frame);
    return;
  }
  const Parameter* params = f->signature.params.data();
  const ValueRecord* records = f->args.data();
  const uint64_t aggregated = f->aggregated_params;
  uint64_t values[kMaxStreamedParams];
  uint32_t taken = 0;
  uint64_t mask = 0;
  for (size_t i = 0; i < count; ++i) {
    uint64_t raw;
    if ((aggregated >> i & 1) == 0) continue;
    if (!read_argument(registers, params[i].source, frame.entry_sp, &raw)) continue;
    const uint64_t bits = normalize(raw, params[i].type);
    values[taken++] = bits;
    mask |= uint64_t{1} << i;
    note_now(records[i], bits);
  }
  stream_arguments(frame, mask, values, taken);
}

// capture_arguments for a logged entry, by the function's plan: the
// values' words and types side by side, and no other part of the record.
void capture_logged_arguments(const uint64_t* words, const Frame& frame) {
  const CallPlan& plan = frame.function->plan;
  uint64_t values[kMaxLoggedValues];
  uint64_t mask = 0;
  for (uint32_t k = 0; k < plan.count; ++k) {
    const LoggedValue& v = plan.values[k];
    values[k] = v.normalized(words[v.word]);
    mask |= uint64_t{1} << v.param;
  }
  if (plan.notes) {
    for (uint32_t k = 0; k < plan.count; ++k)
      if (plan.kinds[k] != nullptr) plan.kinds[k]->add(values[k]);
  }
  stream_arguments(frame, mask, values, plan.count);
}

// What a logged return saw: the stack pointer after the ret, where it
// went, the result registers and the time at the end of the ret's
// superblock (the ret is its last instruction).
struct ReturnEvent {
  uint64_t sp;
  Addr destination;
  ResultRegisters result;
  uint64_t now;
};

void end_with_return(const Frame& frame, const ReturnEvent& event) {
  FunctionRecord* f = frame.function;
  if (frame.allocator.role != AllocatorRole::kNone)
    allocator_returned(frame.allocator, event.result.rax);
  if (f->resolves != nullptr) ifunc_resolved(f->resolves, event.result.rax);
  if (!f->reported) return;
  ++f->returns;
  const CallPlan& plan = f->plan;
  uint64_t result = 0;
  if (plan.result) {
    const uint64_t raw = plan.result_in_xmm0 ? event.result.xmm0 : event.result.rax;
    result = normalize(raw, {plan.result_kind, plan.result_size, nullptr});
    if (plan.result_kinds != nullptr) plan.result_kinds->add(result);
    if (plan.result_strings != nullptr) plan.result_strings->add(result);
  }
  const uint64_t record[kReturnRecordWords] = {
      reinterpret_cast<uint64_t>(f) | kReturnRecord, reinterpret_cast<uint64_t>(frame.site),
      event.now - 1,  // the ret's time
      event.now - frame.entry_time, result};
  put_value_words(value_stream_room(kReturnRecordWords), record, kReturnRecordWords);
}

// Frames whose entry stack pointer is below `sp` (or at it, for `at_too`)
// have been left: the stack pointer only gets above a frame's entry by
// leaving it.
void pop_frames_left(Vector<Frame>& stack, uint64_t sp, bool at_too) {
  while (!stack.empty() &&
         (top(stack).entry_sp < sp || (at_too && top(stack).entry_sp == sp))) {
    ++top(stack).function->unwound;
    pop_frame(stack);
  }
}

// What a traced entry saw (logged, or read from the guest state by the
// slow path).
struct EntryEvent {
  FunctionRecord* function;
  uint64_t sp;
  Addr return_address;  // the word at sp: a call (or the caller's, for a
                        // tail call) just wrote it
  uint64_t time;
  uint64_t last_call_sp;
  ArgumentRegisters registers;
  bool logged;  // the registers are the log's words: capture by the plan
};

void enter(const EntryEvent& event) {
  Vector<Frame>& stack = *g_stack;
  FunctionRecord* function = event.function;
  const uint64_t sp = event.sp;
  const bool called = sp == event.last_call_sp;
  pop_frames_left(stack, sp, called);
  if (!called && !stack.empty() && top(stack).entry_sp == sp) ++top(stack).function->tail_calls;
  Frame& frame = stack.emplace_back();
  frame.entry_sp = sp;
  frame.entry_time = event.time;
  frame.function = function;
  frame.return_address = event.return_address;
  const uint64_t* integer = event.registers.integer;
  frame.allocator.role = function->allocator_role;
  if (frame.allocator.role != AllocatorRole::kNone) {
    for (int i = 0; i < 3; ++i) frame.allocator.args[i] = integer[i];
    allocator_entered(frame.allocator);
  }
  frame.site = nullptr;
  if (function->reported) {
    static const bool sites = options().sites;  // (read once: this runs at every call)
    if (sites) frame.site = site_for(function, frame.return_address);
    ++function->calls;
    if (event.logged)
      capture_logged_arguments(event.registers.integer, frame);
    else
      capture_arguments(event.registers, frame);
  }
}

void pass_return(const ReturnEvent& event) {
  Vector<Frame>& stack = *g_stack;
  while (!stack.empty() && top(stack).entry_sp < event.sp) {
    const Frame& frame = top(stack);
    if (frame.entry_sp + 8 == event.sp && event.destination == frame.return_address)
      end_with_return(frame, event);
    else
      ++frame.function->unwound;
    pop_frame(stack);  // (ending a frame pushes none)
  }
}

// Replays one logged entry.
void replay_entry(const uint64_t* e) {
  EntryEvent event;
  event.function = logged_function(e[0]);
  event.sp = e[1];
  event.return_address = e[2];
  event.time = e[3];
  event.last_call_sp = 0;  // not a call: see call_log.h
  event.registers.integer = e + kEntryHeaderWords;
  event.registers.sse = e + kEntryHeaderWords + kEntryIntegerWords;
  event.logged = true;
  enter(event);
}

void replay_return(const uint64_t* e) { pass_return({e[1], e[2], {e[3], e[4]}, e[5]}); }

// The log's events, in order, into the frames and the aggregates.
void replay_log() {
  const uint64_t* end = g_call_log.cursor;
  for (const uint64_t* e = log_start(); e < end; e += event_words(e[0])) {
    if (e[0] == kReturnEvent)
      replay_return(e);
    else
      replay_entry(e);
  }
  clear_log();
}

// Whenever a thread starts running client code, the log holds what ran
// before: replayed while the address space (which classifies pointers:
// stacks are refreshed next, by pointer_kinds.cc) is as it was.
void on_start_client_code(ThreadId tid, ULong /*blocks_done*/) {
  replay_log();  // the previous thread's
  if (tid == g_stack_owner) return;
  g_stack_owner = tid;
  g_stack = &stack_of(tid);
  g_low_water = 0;
  sync_mirror();
}

void end_unreturned(Vector<Frame>& stack) {
  for (const Frame& f : stack) ++f.function->unreturned;
  stack.clear();
}

// A system call may map or unmap memory, or start a thread: the pointers
// logged so far are classified before.
void on_pre_syscall(ThreadId, UInt, UWord*, UInt) { replay_log(); }

void on_thread_exit(ThreadId tid) {
  replay_log();
  end_unreturned(stack_of(tid));
  if (tid == g_stack_owner) {
    g_low_water = 0;
    sync_mirror();
  }
}

// The live guest state as an entry event.
void read_entry(const VexGuestAMD64State* state, uint64_t* integer, uint64_t* sse) {
  for (unsigned i = 0; i < kEntryIntegerWords; ++i) integer[i] = integer_argument_register(state, i);
  for (unsigned i = 0; i < kMaxSseWords; ++i) sse[i] = sse_register(state, i);
}

}  // namespace

bool logs_calls(const FunctionRecord& f) {
  if (!f.reported || f.allocator_role != AllocatorRole::kNone || f.resolves != nullptr) return false;
  if (f.signature.params.size() > kMaxStreamedParams) return false;
  if (f.result.strings != nullptr) return false;
  const size_t count = f.signature.params.size();
  for (size_t i = 0; i < count; ++i) {
    if (f.args.data()[i].strings != nullptr) return false;
    if (f.signature.params.data()[i].source.where == Where::kStack) return false;
  }
  return true;
}

uint32_t entry_words(const FunctionRecord& f) { return f.plan.entry_words; }

uint32_t sse_words(const FunctionRecord& f) {
  return entry_words(f) - kEntryHeaderWords - kEntryIntegerWords;
}

void install_call_tracker() {
  g_stacks = new Vector<Vector<Frame>*>();
  install_call_log();
  core_events::on_start_client_code(on_start_client_code);
  core_events::on_thread_exit(on_thread_exit);
  core_events::on_pre_syscall(on_pre_syscall);
}

void replay_call_log() {
  if (g_stack == nullptr) return;
  replay_log();
  sync_mirror();
}

void on_traced_entry(VexGuestAMD64State* state, FunctionRecord* function,
                     ULong instructions_left) {
  replay_log();
  uint64_t integer[kEntryIntegerWords], sse[kMaxSseWords];
  read_entry(state, integer, sse);
  EntryEvent event;
  event.function = function;
  event.sp = state->guest_RSP;
  event.return_address = *reinterpret_cast<const Addr*>(event.sp);
  event.time = timeline::time_of_instruction(instructions_left);
  event.last_call_sp = g_call_log.last_call_sp;
  event.registers = {integer, sse};
  event.logged = false;
  g_call_log.last_call_sp = 0;
  enter(event);
  sync_mirror();
}

void on_passing_return(VexGuestAMD64State* state, Addr destination) {
  const uint64_t sp = state->guest_RSP;
  uint64_t* e = g_call_log.cursor;
  e[0] = kReturnEvent;
  e[1] = sp;
  e[2] = destination;
  e[3] = state->guest_RAX;
  e[4] = sse_register(state, 0);
  e[5] = timeline::now();
  g_call_log.cursor = e + kReturnWords;
  // Every frame the stack pointer passed is over (pass_return's rule; the
  // sentinel in slot 0 stops the walk).
  bool replay_now = false;
  do {
    replay_now |= g_call_log.mirror[g_call_log.mirror_depth].replay_on_return != 0;
    --g_call_log.mirror_depth;
  } while (g_call_log.mirror[g_call_log.mirror_depth].entry_sp < sp);
  g_call_log.return_watch = g_call_log.mirror[g_call_log.mirror_depth].entry_sp;
  if (replay_now || g_call_log.cursor > g_call_log.limit) replay_call_log();
}

void finish_call_tracker() {
  replay_call_log();
  for (Vector<Frame>* stack : *g_stacks) end_unreturned(*stack);
}

}  // namespace unstuck::argdist
