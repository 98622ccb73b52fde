// One struct per event kind, with its encoding and decoding side by side:
// the only place the fields of an event are laid out.  docs/trace-format.md
// describes the same records for people.
#pragma once

#include <stdint.h>

#include "shared/trace/events.h"

namespace unstuck::trace {

struct MapRecord {
  static constexpr EventKind kKind = EventKind::Map;
  uint64_t address, length;
  uint32_t protection;  // PROT_READ | PROT_WRITE | PROT_EXEC bits
  MapKind kind;
  uint64_t file_offset;
  ByteSpan path;  // empty for anonymous memory
  void write(EventEncoder& e, uint64_t time) const;
  bool read(EventDecoder& d);
};

// Unmap and Zero: a range.
struct RangeRecord {
  uint64_t address, length;
  void write(EventEncoder& e, EventKind kind, uint64_t time) const;
  bool read(EventDecoder& d);
};

struct ProtectRecord {
  static constexpr EventKind kKind = EventKind::Protect;
  uint64_t address, length;
  uint32_t protection;
  void write(EventEncoder& e, uint64_t time) const;
  bool read(EventDecoder& d);
};

struct RemapRecord {
  static constexpr EventKind kKind = EventKind::Remap;
  uint64_t from, to, length;
  void write(EventEncoder& e, uint64_t time) const;
  bool read(EventDecoder& d);
};

struct BytesRecord {
  static constexpr EventKind kKind = EventKind::Bytes;
  uint64_t address;
  ByteSpan data;
  void write(EventEncoder& e, uint64_t time) const;
  bool read(EventDecoder& d);
};

struct BlobRecord {
  static constexpr EventKind kKind = EventKind::Blob;
  uint64_t address, length;
  ContentHash hash;
  void write(EventEncoder& e, uint64_t time) const;
  bool read(EventDecoder& d);
};

// Registers and Digest: words of a thread's guest state, as (index delta,
// value) pairs.
// Registers: what changed outside guest code, against the state the thread
// stopped with; absolute values, so that a replay whose copy of the
// registers was right only where the recording's was precise (after a
// fault, see register_log.cc) still ends up exact.
// Digest: the whole state at a check point (every syscall, and every
// --record-check-every instructions), as differences from the thread's
// previous digest, so the replayer can name every register that differs.
struct RegistersRecord {
  static constexpr uint32_t kMaxWords = 256;  // > sizeof(VexGuestAMD64State)/8
  struct Change {
    uint32_t word;
    uint64_t value;  // Registers: the new value; Digest: added, modulo 2^64
  };
  EventKind kind;
  uint32_t thread;
  uint32_t count;
  Change changes[kMaxWords];

  // Writes the words of `now` that differ from `before` (both `words`
  // long), or every word when `all`.  Registers: false (and nothing
  // written) when none differ.  A Digest is always written.
  static bool write_delta(EventEncoder& e, EventKind kind, uint64_t time,
                          uint32_t thread, const uint64_t* before,
                          const uint64_t* now, uint32_t words, bool all = false);
  // Writes the changes as they are (the kind says how they are encoded).
  void write(EventEncoder& e, uint64_t time) const;
  bool read(EventDecoder& d, EventKind kind);
  // Applies the changes to `state` (`words` long); false if one is outside.
  bool apply(uint64_t* state, uint32_t words) const;
};

// Switch, ThreadStart and ThreadExit.
struct ThreadRecord {
  uint32_t thread;
  uint32_t parent;  // ThreadStart only
  void write(EventEncoder& e, EventKind kind, uint64_t time) const;
  bool read(EventDecoder& d, EventKind kind);
};

struct SyscallRecord {
  uint32_t thread;
  uint64_t number;
  int64_t result;  // SyscallExit only
  void write(EventEncoder& e, EventKind kind, uint64_t time) const;
  bool read(EventDecoder& d, EventKind kind);
};

struct SignalRecord {
  static constexpr EventKind kKind = EventKind::Signal;
  uint32_t thread;
  int32_t signal;
  void write(EventEncoder& e, uint64_t time) const;
  bool read(EventDecoder& d);
};

struct NondetRecord {
  static constexpr EventKind kKind = EventKind::Nondet;
  static constexpr uint32_t kMaxValues = 4;
  NondetKind kind;
  uint32_t count;
  uint64_t values[kMaxValues];
  void write(EventEncoder& e, uint64_t time) const;
  bool read(EventDecoder& d);
};

struct RedirectRecord {
  static constexpr EventKind kKind = EventKind::Redirect;
  uint64_t from, to;
  // Valgrind's preamble sets guest_NRADDR to `from` (a wrapper, which may
  // call the original) or to zero (a replacement).
  bool wrap;
  void write(EventEncoder& e, uint64_t time) const;
  bool read(EventDecoder& d);
};

// Warning, Exec and ThreadName: a thread and a text.
struct TextRecord {
  uint32_t thread;
  ByteSpan text;
  void write(EventEncoder& e, EventKind kind, uint64_t time) const;
  bool read(EventDecoder& d);
};

struct ExitRecord {
  static constexpr EventKind kKind = EventKind::Exit;
  ExitKind kind;
  int64_t value;  // the exit status, or the signal that killed the process
  void write(EventEncoder& e, uint64_t time) const;
  bool read(EventDecoder& d);
};

struct ForkRecord {
  static constexpr EventKind kKind = EventKind::Fork;
  uint32_t thread;
  uint64_t child_pid;
  void write(EventEncoder& e, uint64_t time) const;
  bool read(EventDecoder& d);
};

// Any event, decoded: the member named by `kind` is filled.
struct AnyEvent {
  EventKind kind;
  uint64_t time;
  MapRecord map;
  RangeRecord range;  // Unmap, Zero
  ProtectRecord protect;
  RemapRecord remap;
  BytesRecord bytes;
  BlobRecord blob;
  RegistersRecord registers;  // Registers, Digest
  ThreadRecord thread;  // Switch, ThreadStart, ThreadExit
  SyscallRecord syscall;  // SyscallEnter, SyscallExit
  SignalRecord signal;
  NondetRecord nondet;
  RedirectRecord redirect;
  TextRecord text;  // Warning, Exec, ThreadName
  ExitRecord exit;
  ForkRecord fork;
};

// Decodes the fields of an event of `kind`; false on a corrupt event or an
// unknown kind.
bool read_event(EventKind kind, EventDecoder& d, AnyEvent* out);
// Encodes a decoded event again (for tools that rewrite traces).
void write_event(EventEncoder& e, const AnyEvent& event);

// The name of an event kind, for dumps and messages.
const char* kind_name(EventKind kind);

}  // namespace unstuck::trace
