#include "tools/argdist/call_tracker.h"

#include "shared/rt/vector.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/vg/core_events.h"
#include "tools/argdist/capture.h"
#include "tools/argdist/function_selection.h"
#include "tools/argdist/heap_blocks.h"
#include "tools/argdist/options.h"

namespace unstuck::argdist {

uint64_t g_return_watch = ~0ULL;
uint64_t g_last_call_sp = 0;

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
// The running thread's (set whenever a thread starts running client code,
// as g_return_watch is): the helpers run in every traced call.
Vector<Frame>* g_stack = nullptr;

Vector<Frame>& stack_of(ThreadId tid) {
  while (g_stacks->size() <= tid) g_stacks->push_back(new Vector<Frame>());
  return *g_stacks->data()[tid];
}

void watch(const Vector<Frame>& stack) {
  g_return_watch = stack.empty() ? ~0ULL : stack.data()[stack.size() - 1].entry_sp;
}

// What must be taken from the value at once: what a pointer points to
// and the text of a string are the guest's state of the moment.
void note_now(const ValueRecord& record, uint64_t bits) {
  if (record.kinds != nullptr) record.kinds->add(bits);
  if (record.strings != nullptr) record.strings->add(bits);
}

// The aggregates of a function with too many parameters to hold its
// calls back.
void add_arguments_now(const VexGuestAMD64State* state, const Frame& frame) {
  FunctionRecord* f = frame.function;
  const size_t count = f->signature.params.size();
  const Parameter* params = f->signature.params.data();
  ValueRecord* records = f->args.data();
  for (size_t i = 0; i < count; ++i) {
    uint64_t raw;
    if (!is_aggregated(params[i].type.kind)) continue;
    if (!read_argument(state, params[i].source, frame.entry_sp, &raw)) continue;
    uint64_t bits = normalize(raw, params[i].type);
    records[i].values.add(bits, frame.entry_time);
    if (frame.site != nullptr) frame.site->args[i].add(bits, params[i].type.kind);
    note_now(records[i], bits);
  }
}

// (Raw pointers on the per-call paths: the vectors' bounds checks cost as
// much as the work, and the indices are in range by construction.)
void capture_arguments(const VexGuestAMD64State* state, const Frame& frame) {
  FunctionRecord* f = frame.function;
  PendingCalls& pending = f->pending_args;
  if (pending.words == nullptr) {
    add_arguments_now(state, frame);
    return;
  }
  uint64_t* call = pending.next();
  call[0] = frame.entry_time;
  call[1] = reinterpret_cast<uint64_t>(frame.site);
  uint64_t* values = call + kArgsHeader;
  const size_t count = f->signature.params.size();
  const Parameter* params = f->signature.params.data();
  const ValueRecord* records = f->args.data();
  const uint64_t aggregated = f->aggregated_params;
  uint64_t mask = 0;
  for (size_t i = 0; i < count; ++i) {
    uint64_t raw;
    if ((aggregated >> i & 1) == 0) continue;
    if (!read_argument(state, params[i].source, frame.entry_sp, &raw)) continue;
    uint64_t bits = normalize(raw, params[i].type);
    values[i] = bits;
    mask |= uint64_t{1} << i;
    note_now(records[i], bits);
  }
  call[2] = mask;
  if (pending.commit()) settle_arguments(f);
}

Frame& top(Vector<Frame>& stack) { return stack.data()[stack.size() - 1]; }

void end_with_return(const Frame& frame, const VexGuestAMD64State* state) {
  FunctionRecord* f = frame.function;
  if (frame.allocator.role != AllocatorRole::kNone)
    allocator_returned(frame.allocator, state->guest_RAX);
  if (f->resolves != nullptr) ifunc_resolved(f->resolves, state->guest_RAX);
  if (!f->reported) return;
  ++f->returns;
  // This helper runs at the end of the superblock the ret ends: the ret is
  // the one instruction left, and the call lasted up to now().
  uint64_t ret_time = timeline::time_of_instruction(1);
  uint64_t duration = timeline::now() - frame.entry_time;
  const Signature& s = f->signature;
  PendingCalls& pending = f->pending_returns;
  uint64_t* call = pending.next();
  call[0] = ret_time;
  call[1] = reinterpret_cast<uint64_t>(frame.site);
  call[2] = duration;
  if (s.result_source.where != Where::kNowhere && is_aggregated(s.result.kind)) {
    uint64_t bits = normalize(read_result(state, s.result_source), s.result);
    call[3] = bits;
    note_now(f->result, bits);
  }
  if (frame.site != nullptr) ++frame.site->returns;
  if (pending.commit()) settle_returns(f);
}

// Frames whose entry stack pointer is below `sp` (or at it, for `at_too`)
// have been left: the stack pointer only gets above a frame's entry by
// leaving it.
void pop_frames_left(Vector<Frame>& stack, uint64_t sp, bool at_too) {
  while (!stack.empty() &&
         (top(stack).entry_sp < sp || (at_too && top(stack).entry_sp == sp))) {
    ++top(stack).function->unwound;
    stack.pop_back();
  }
}

void on_start_client_code(ThreadId tid, ULong /*blocks_done*/) {
  g_stack = &stack_of(tid);
  watch(*g_stack);
}

void end_unreturned(Vector<Frame>& stack) {
  for (const Frame& f : stack) ++f.function->unreturned;
  stack.clear();
}

void on_thread_exit(ThreadId tid) {
  end_unreturned(stack_of(tid));
  g_return_watch = ~0ULL;
}

}  // namespace

void install_call_tracker() {
  g_stacks = new Vector<Vector<Frame>*>();
  core_events::on_start_client_code(on_start_client_code);
  core_events::on_thread_exit(on_thread_exit);
}

void on_traced_entry(VexGuestAMD64State* state, FunctionRecord* function,
                     ULong instructions_left) {
  Vector<Frame>& stack = *g_stack;
  uint64_t sp = state->guest_RSP;
  const bool called = sp == g_last_call_sp;
  g_last_call_sp = 0;
  pop_frames_left(stack, sp, called);
  if (!called && !stack.empty() && top(stack).entry_sp == sp) ++top(stack).function->tail_calls;
  Frame& frame = stack.emplace_back();
  frame.entry_sp = sp;
  frame.entry_time = timeline::time_of_instruction(instructions_left);
  frame.function = function;
  // The word at the stack pointer on entry is the return address a call
  // (or the caller's call, for a tail call) just wrote: readable.
  frame.return_address = *reinterpret_cast<const Addr*>(sp);
  frame.allocator = {function->allocator_role,
                     {state->guest_RDI, state->guest_RSI, state->guest_RDX}};
  if (frame.allocator.role != AllocatorRole::kNone) allocator_entered(frame.allocator);
  frame.site = nullptr;
  if (function->reported) {
    if (options().sites) frame.site = site_for(function, frame.return_address);
    ++function->calls;
    if (frame.site != nullptr) ++frame.site->calls;
    capture_arguments(state, frame);
  }
  g_return_watch = sp;
}

void on_passing_return(VexGuestAMD64State* state, Addr destination) {
  Vector<Frame>& stack = *g_stack;
  uint64_t sp = state->guest_RSP;
  while (!stack.empty() && top(stack).entry_sp < sp) {
    Frame frame = top(stack);
    stack.pop_back();
    if (frame.entry_sp + 8 == sp && destination == frame.return_address)
      end_with_return(frame, state);
    else
      ++frame.function->unwound;
  }
  watch(stack);
}

void finish_call_tracker() {
  for (Vector<Frame>* stack : *g_stacks) end_unreturned(*stack);
}

}  // namespace unstuck::argdist
