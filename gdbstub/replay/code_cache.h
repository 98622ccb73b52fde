// Executable memory for generated code: one mapping, handed out in order.
//
// Translations are never freed one by one: a dropped translation may still
// be running (a store in it invalidated its own page), so its code must
// stay intact until the whole cache is flushed, which happens only between
// runs of generated code.  The mapping is read-write-execute because
// chaining patches jumps inside translations at any time, including from
// the code-page fault handler.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace unstuck::replay {

class CodeCache {
 public:
  explicit CodeCache(size_t capacity_bytes);
  ~CodeCache();
  CodeCache(const CodeCache&) = delete;
  CodeCache& operator=(const CodeCache&) = delete;

  // Copies `size` bytes of code in and returns where they now are, or null
  // when the cache is full (the caller flushes and retries).
  uint8_t* add(const uint8_t* code, size_t size);
  // Forgets every translation; their memory is reused.
  void flush();

  bool contains(const void* host_address) const;
  size_t bytes_used() const { return used_; }
  size_t capacity() const { return capacity_; }

 private:
  uint8_t* base_;
  size_t capacity_;
  size_t used_ = 0;
};

}  // namespace unstuck::replay
