// The on-disk layout of a trace (docs/trace-format.md is the
// specification; this header is its code).  Portable: the recorder writes it
// inside Valgrind, the replayer and `unstuck dump` read it on the host.
//
// A trace is a folder:
//   header   who ran what, with which VEX settings (HeaderField records)
//   events   the event stream: a file header, then checksummed chunks
//   index    (written at the end) the time range and offset of every chunk
// plus the blob store shared by the traces of one root, <root>/blobs/<hash>.
#pragma once

#include <stdint.h>

namespace unstuck::trace {

// Bumped whenever the layout or the meaning of any field changes.
constexpr uint32_t kFormatVersion = 2;

constexpr char kHeaderMagic[16] = "UNSTUCK HEADER\n";
constexpr char kEventsMagic[16] = "UNSTUCK EVENTS\n";
constexpr char kIndexMagic[16] = "UNSTUCK INDEX\n";

// After the 16-byte magic of each file: the format version, little endian.
struct FileIntro {
  char magic[16];
  uint32_t version;
  uint32_t reserved;
};
static_assert(sizeof(FileIntro) == 24);

// The header file: after the intro, a sequence of (field varint,
// length varint, bytes).  Text is UTF-8 without a terminator; numbers are
// varints; VEX structures are copied raw (the replayer links the same VEX
// and checks the sizes).
enum class HeaderField : uint32_t {
  ValgrindVersion = 1,
  ToolName = 2,
  Pid = 3,
  ParentPid = 4,       // for a trace started at a fork
  ParentTrace = 5,     // folder of the parent's trace
  StartTime = 6,       // the time of the first event (non-zero after fork)
  WorkingDirectory = 7,
  Executable = 8,
  Argument = 9,        // repeated, argv[1..]
  Environment = 10,    // repeated, NAME=VALUE
  Auxv = 11,           // the client's auxiliary vector, raw
  VexArchInfo = 12,    // raw VexArchInfo
  VexAbiInfo = 13,     // raw VexAbiInfo
  VexControl = 14,     // raw VexControl
  GuestStateSize = 15, // sizeof(VexGuestAMD64State)
  CheckEvery = 16,     // --record-check-every
  ToolOptions = 17,    // repeated, the tool's command-line options
};

// Every chunk of the events file starts with this.  A chunk holds whole
// events only, so a trace cut short (kill -9, a crash of Valgrind) is
// readable up to its last complete chunk.
constexpr uint32_t kChunkMagic = 0x4b484355;  // "UCHK"
struct ChunkHeader {
  uint32_t magic;
  uint32_t payload_bytes;
  uint64_t sequence;     // 0, 1, 2, ...
  uint64_t first_time;   // time of the first event in the chunk
  uint64_t last_time;    // time of the last event
  uint32_t event_count;
  uint32_t checksum;     // low 32 bits of hash_content(payload)
};
static_assert(sizeof(ChunkHeader) == 40);

// One index entry per chunk (the index file: intro, then entries).
struct IndexEntry {
  uint64_t first_time;
  uint64_t last_time;
  uint64_t offset;  // of the chunk header in the events file
};
static_assert(sizeof(IndexEntry) == 24);

// Events.  Each starts with its kind (one byte) and the time since the
// previous event of the chunk (a varint; the first event's is relative to
// the chunk's first_time).  Fields follow, as event_records.h encodes them.
// Every event happens where no guest code runs (between the core stopping
// and restarting a thread), at exactly its time, except Nondet: those are
// results consumed inside guest code, in order; their time is that of the
// event before them.
enum class EventKind : uint8_t {
  Map = 1,           // the address space gained a mapping
  Unmap = 2,         // a range was unmapped: it reads as zero from now on
  Protect = 3,       // permissions changed
  Remap = 4,         // contents moved (mremap); an Unmap of the source follows
  Bytes = 5,         // memory written by the kernel or Valgrind's core
  Blob = 6,          // the same, the contents in the blob store
  Zero = 7,          // memory set to zero by the kernel or the core
  Registers = 8,     // a thread's registers changed outside guest code
  Switch = 9,        // this thread runs from now on
  ThreadStart = 10,  // a thread was created
  ThreadExit = 11,   // a thread ended
  SyscallEnter = 12, // a thread's syscall instruction has retired
  SyscallExit = 13,  // ... and the syscall returned
  Signal = 14,       // a signal is being delivered to a thread
  Nondet = 15,       // the result of a non-deterministic instruction
  Digest = 16,       // a thread's full registers at a check point
  Redirect = 17,     // code at `from` is taken from `to` from now on
  Warning = 18,      // something that cannot be replayed happened
  Exec = 19,         // the program called execve: the recording ends
  Exit = 20,         // the process ended
  Fork = 21,         // the process forked; the child records its own trace
  ThreadName = 22,   // a thread's name changed (prctl, /proc/.../comm)
};

// Kinds of mapping in Map events.
// StackReserve: the reservation below a stack, which Valgrind maps as the
// stack grows into it without telling tools (a debugger may read it).
enum class MapKind : uint8_t {
  Anonymous = 1, File = 2, Shared = 3, Heap = 4, StackReserve = 5
};

// Which helper a Nondet event stands for.
enum class NondetKind : uint8_t {
  Rdtsc = 1,   // value
  Rdtscp = 2,  // rax, rdx, rcx after the instruction
  Rdrand = 3,  // the helper's result (carry << 32 | value)
  Rdseed = 4,  // likewise
  Cpuid = 5,   // rax, rbx, rcx, rdx after the instruction
  Sxdt = 6,    // address, 10 bytes written (as two words)
};

// How the process ended, in Exit events.
enum class ExitKind : uint8_t { Exited = 1, Killed = 2, Unknown = 3 };

// Guest-state words never recorded or compared: the dispatcher's event
// counter and failure address (the first 16 bytes), which belong to the
// host that runs the code, not to the guest.
constexpr uint32_t kFirstGuestWord = 2;

}  // namespace unstuck::trace
