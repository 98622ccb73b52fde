// operator new and delete for tools, on Valgrind's allocator (through the
// platform layer).  Host programs use the standard library's instead, so
// this file is compiled into tools only.  Exceptions are off: allocation
// never fails (the platform ends the run instead).
#include <new>

#include "shared/rt/platform.h"

using unstuck::platform::allocate;
using unstuck::platform::release;

void* operator new(size_t bytes) { return allocate(bytes); }
void* operator new[](size_t bytes) { return allocate(bytes); }
void* operator new(size_t bytes, const std::nothrow_t&) noexcept {
  return allocate(bytes);
}
void* operator new[](size_t bytes, const std::nothrow_t&) noexcept {
  return allocate(bytes);
}
void operator delete(void* block) noexcept { release(block); }
void operator delete[](void* block) noexcept { release(block); }
void operator delete(void* block, size_t) noexcept { release(block); }
void operator delete[](void* block, size_t) noexcept { release(block); }

// A pure virtual called through a half-built object is a bug in unstuck.
extern "C" void __cxa_pure_virtual() {
  unstuck::platform::fail_check("pure virtual called", __FILE__, __LINE__,
                                __func__, "");
}
