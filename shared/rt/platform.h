// The few services the shared core needs from whatever it runs on.
//
// Tools run inside Valgrind with no libc: there these are implemented on
// Valgrind's allocator and panic path (platform_valgrind.cc).  The same
// sources are compiled into ordinary host programs and unit tests, where
// they sit on libc (platform_host.cc).  Nothing else in shared/ may call an
// allocator or print directly.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace unstuck::platform {

// Never returns null: running out of memory ends the run with a message.
void* allocate(size_t bytes);
void* reallocate(void* block, size_t bytes);
void release(void* block);

// Fresh pages that read as zero: a page costs resident memory only once it
// is written, so a large table that stays mostly zero is nearly free.
// Never returns null; release_zero_pages takes the same size back.
void* allocate_zero_pages(size_t bytes);
void release_zero_pages(void* pages, size_t bytes);
// Gives whole pages of such a block back: they read as zero again and stop
// costing resident memory, and the block stays usable.
void discard_pages(void* pages, size_t bytes);

// Fills / copies raw bytes; the tool build has no libc to call.
void fill_bytes(void* dst, uint8_t value, size_t bytes);
void copy_bytes(void* dst, const void* src, size_t bytes);

// Writes text to the user's error stream (Valgrind's log inside a tool).
void write_error(const char* text);

// Ends the process after reporting a broken invariant.
[[noreturn]] void fail_check(const char* condition, const char* file, int line,
                             const char* function, const char* message);

}  // namespace unstuck::platform
