#include "shared/trace/event_records.h"

namespace unstuck::trace {

void MapRecord::write(EventEncoder& e, uint64_t time) const {
  e.begin(kKind, time);
  e.number(address);
  e.number(length);
  e.number(protection);
  e.number(static_cast<uint64_t>(kind));
  e.number(file_offset);
  e.bytes(path.data, path.size);
}
bool MapRecord::read(EventDecoder& d) {
  address = d.number();
  length = d.number();
  protection = static_cast<uint32_t>(d.number());
  kind = static_cast<MapKind>(d.number());
  file_offset = d.number();
  path = d.bytes();
  return d.ok();
}

void RangeRecord::write(EventEncoder& e, EventKind kind, uint64_t time) const {
  e.begin(kind, time);
  e.number(address);
  e.number(length);
}
bool RangeRecord::read(EventDecoder& d) {
  address = d.number();
  length = d.number();
  return d.ok();
}

void ProtectRecord::write(EventEncoder& e, uint64_t time) const {
  e.begin(kKind, time);
  e.number(address);
  e.number(length);
  e.number(protection);
}
bool ProtectRecord::read(EventDecoder& d) {
  address = d.number();
  length = d.number();
  protection = static_cast<uint32_t>(d.number());
  return d.ok();
}

void RemapRecord::write(EventEncoder& e, uint64_t time) const {
  e.begin(kKind, time);
  e.number(from);
  e.number(to);
  e.number(length);
}
bool RemapRecord::read(EventDecoder& d) {
  from = d.number();
  to = d.number();
  length = d.number();
  return d.ok();
}

void BytesRecord::write(EventEncoder& e, uint64_t time) const {
  e.begin(kKind, time);
  e.number(address);
  e.bytes(data.data, data.size);
}
bool BytesRecord::read(EventDecoder& d) {
  address = d.number();
  data = d.bytes();
  return d.ok();
}

void BlobRecord::write(EventEncoder& e, uint64_t time) const {
  e.begin(kKind, time);
  e.number(address);
  e.number(length);
  e.hash(hash);
}
bool BlobRecord::read(EventDecoder& d) {
  address = d.number();
  length = d.number();
  hash = d.hash();
  return d.ok();
}

bool RegistersRecord::write_delta(EventEncoder& e, EventKind kind,
                                  uint64_t time, uint32_t thread,
                                  const uint64_t* before, const uint64_t* now,
                                  uint32_t words, bool all) {
  uint32_t changed = 0;
  for (uint32_t i = kFirstGuestWord; i < words; ++i)
    if (all || before[i] != now[i]) ++changed;
  if (changed == 0 && kind == EventKind::Registers) return false;
  e.begin(kind, time);
  e.number(thread);
  e.number(changed);
  uint32_t previous = 0;
  for (uint32_t i = kFirstGuestWord; i < words; ++i) {
    if (!all && before[i] == now[i]) continue;
    e.number(i - previous);
    if (kind == EventKind::Digest)
      e.signed_number(static_cast<int64_t>(now[i] - before[i]));
    else
      e.number(now[i]);
    previous = i;
  }
  return true;
}

void RegistersRecord::write(EventEncoder& e, uint64_t time) const {
  e.begin(kind, time);
  e.number(thread);
  e.number(count);
  uint32_t previous = 0;
  for (uint32_t k = 0; k < count; ++k) {
    e.number(changes[k].word - previous);
    if (kind == EventKind::Digest)
      e.signed_number(static_cast<int64_t>(changes[k].value));
    else
      e.number(changes[k].value);
    previous = changes[k].word;
  }
}

bool RegistersRecord::read(EventDecoder& d, EventKind event_kind) {
  kind = event_kind;
  thread = static_cast<uint32_t>(d.number());
  uint64_t changed = d.number();
  if (changed > kMaxWords) return false;
  count = static_cast<uint32_t>(changed);
  uint64_t index = 0;
  for (uint32_t k = 0; k < count && d.ok(); ++k) {
    index += d.number();
    if (index >= kMaxWords) return false;
    uint64_t value = kind == EventKind::Digest
                         ? static_cast<uint64_t>(d.signed_number())
                         : d.number();
    changes[k] = Change{static_cast<uint32_t>(index), value};
  }
  return d.ok();
}

bool RegistersRecord::apply(uint64_t* state, uint32_t words) const {
  for (uint32_t k = 0; k < count; ++k) {
    if (changes[k].word < kFirstGuestWord || changes[k].word >= words) return false;
    if (kind == EventKind::Digest)
      state[changes[k].word] += changes[k].value;
    else
      state[changes[k].word] = changes[k].value;
  }
  return true;
}

void ThreadRecord::write(EventEncoder& e, EventKind kind, uint64_t time) const {
  e.begin(kind, time);
  e.number(thread);
  if (kind == EventKind::ThreadStart) e.number(parent);
}
bool ThreadRecord::read(EventDecoder& d, EventKind kind) {
  thread = static_cast<uint32_t>(d.number());
  parent = kind == EventKind::ThreadStart ? static_cast<uint32_t>(d.number()) : 0;
  return d.ok();
}

void SyscallRecord::write(EventEncoder& e, EventKind kind, uint64_t time) const {
  e.begin(kind, time);
  e.number(thread);
  e.number(number);
  if (kind == EventKind::SyscallExit) e.signed_number(result);
}
bool SyscallRecord::read(EventDecoder& d, EventKind kind) {
  thread = static_cast<uint32_t>(d.number());
  number = d.number();
  result = kind == EventKind::SyscallExit ? d.signed_number() : 0;
  return d.ok();
}

void SignalRecord::write(EventEncoder& e, uint64_t time) const {
  e.begin(kKind, time);
  e.number(thread);
  e.signed_number(signal);
}
bool SignalRecord::read(EventDecoder& d) {
  thread = static_cast<uint32_t>(d.number());
  signal = static_cast<int32_t>(d.signed_number());
  return d.ok();
}

void NondetRecord::write(EventEncoder& e, uint64_t time) const {
  e.begin(kKind, time);
  e.number(static_cast<uint64_t>(kind));
  e.number(count);
  for (uint32_t i = 0; i < count; ++i) e.number(values[i]);
}
bool NondetRecord::read(EventDecoder& d) {
  kind = static_cast<NondetKind>(d.number());
  uint64_t n = d.number();
  if (n > kMaxValues) return false;
  count = static_cast<uint32_t>(n);
  for (uint32_t i = 0; i < count; ++i) values[i] = d.number();
  return d.ok();
}

void RedirectRecord::write(EventEncoder& e, uint64_t time) const {
  e.begin(kKind, time);
  e.number(from);
  e.number(to);
  e.number(wrap ? 1 : 0);
}
bool RedirectRecord::read(EventDecoder& d) {
  from = d.number();
  to = d.number();
  wrap = d.number() != 0;
  return d.ok();
}

void TextRecord::write(EventEncoder& e, EventKind kind, uint64_t time) const {
  e.begin(kind, time);
  e.number(thread);
  e.bytes(text.data, text.size);
}
bool TextRecord::read(EventDecoder& d) {
  thread = static_cast<uint32_t>(d.number());
  text = d.bytes();
  return d.ok();
}

void ExitRecord::write(EventEncoder& e, uint64_t time) const {
  e.begin(kKind, time);
  e.number(static_cast<uint64_t>(kind));
  e.signed_number(value);
}
bool ExitRecord::read(EventDecoder& d) {
  kind = static_cast<ExitKind>(d.number());
  value = d.signed_number();
  return d.ok();
}

void ForkRecord::write(EventEncoder& e, uint64_t time) const {
  e.begin(kKind, time);
  e.number(thread);
  e.number(child_pid);
}
bool ForkRecord::read(EventDecoder& d) {
  thread = static_cast<uint32_t>(d.number());
  child_pid = d.number();
  return d.ok();
}

bool read_event(EventKind kind, EventDecoder& d, AnyEvent* out) {
  out->kind = kind;
  switch (kind) {
    case EventKind::Map: return out->map.read(d);
    case EventKind::Unmap:
    case EventKind::Zero: return out->range.read(d);
    case EventKind::Protect: return out->protect.read(d);
    case EventKind::Remap: return out->remap.read(d);
    case EventKind::Bytes: return out->bytes.read(d);
    case EventKind::Blob: return out->blob.read(d);
    case EventKind::Registers:
    case EventKind::Digest: return out->registers.read(d, kind);
    case EventKind::Switch:
    case EventKind::ThreadStart:
    case EventKind::ThreadExit: return out->thread.read(d, kind);
    case EventKind::SyscallEnter:
    case EventKind::SyscallExit: return out->syscall.read(d, kind);
    case EventKind::Signal: return out->signal.read(d);
    case EventKind::Nondet: return out->nondet.read(d);
    case EventKind::Redirect: return out->redirect.read(d);
    case EventKind::Warning:
    case EventKind::Exec:
    case EventKind::ThreadName: return out->text.read(d);
    case EventKind::Exit: return out->exit.read(d);
    case EventKind::Fork: return out->fork.read(d);
  }
  return false;
}

void write_event(EventEncoder& e, const AnyEvent& ev) {
  const uint64_t t = ev.time;
  switch (ev.kind) {
    case EventKind::Map: ev.map.write(e, t); break;
    case EventKind::Unmap:
    case EventKind::Zero: ev.range.write(e, ev.kind, t); break;
    case EventKind::Protect: ev.protect.write(e, t); break;
    case EventKind::Remap: ev.remap.write(e, t); break;
    case EventKind::Bytes: ev.bytes.write(e, t); break;
    case EventKind::Blob: ev.blob.write(e, t); break;
    case EventKind::Registers:
    case EventKind::Digest: ev.registers.write(e, t); break;
    case EventKind::Switch:
    case EventKind::ThreadStart:
    case EventKind::ThreadExit: ev.thread.write(e, ev.kind, t); break;
    case EventKind::SyscallEnter:
    case EventKind::SyscallExit: ev.syscall.write(e, ev.kind, t); break;
    case EventKind::Signal: ev.signal.write(e, t); break;
    case EventKind::Nondet: ev.nondet.write(e, t); break;
    case EventKind::Redirect: ev.redirect.write(e, t); break;
    case EventKind::Warning:
    case EventKind::Exec:
    case EventKind::ThreadName: ev.text.write(e, ev.kind, t); break;
    case EventKind::Exit: ev.exit.write(e, t); break;
    case EventKind::Fork: ev.fork.write(e, t); break;
  }
}

const char* kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::Map: return "map";
    case EventKind::Unmap: return "unmap";
    case EventKind::Protect: return "protect";
    case EventKind::Remap: return "remap";
    case EventKind::Bytes: return "bytes";
    case EventKind::Blob: return "blob";
    case EventKind::Zero: return "zero";
    case EventKind::Registers: return "registers";
    case EventKind::Switch: return "switch";
    case EventKind::ThreadStart: return "thread-start";
    case EventKind::ThreadExit: return "thread-exit";
    case EventKind::SyscallEnter: return "syscall";
    case EventKind::SyscallExit: return "syscall-exit";
    case EventKind::Signal: return "signal";
    case EventKind::Nondet: return "nondet";
    case EventKind::Digest: return "digest";
    case EventKind::Redirect: return "redirect";
    case EventKind::Warning: return "warning";
    case EventKind::Exec: return "exec";
    case EventKind::ThreadName: return "thread-name";
    case EventKind::Exit: return "exit";
    case EventKind::Fork: return "fork";
  }
  return "unknown";
}


}  // namespace unstuck::trace
