// The content-addressed blob store shared by all traces under one root:
// <root>/blobs/<32 hex digits>.  Mapped files (the executable, its
// libraries) are stored once however many traces map them.
#pragma once

#include <stddef.h>

#include "shared/trace/content_hash.h"

namespace unstuck::trace {

class BlobStore {
 public:
  // Uses (and creates) `<root>/blobs`; 0 or -errno.
  int open(const char* root);

  // Stores `bytes` unless a blob with the same contents is there; returns
  // its hash in *hash.  0 or -errno.  `new_bytes` grows by what was written.
  int store(const void* data, size_t bytes, ContentHash* hash);

  size_t new_bytes() const { return new_bytes_; }

 private:
  char folder_[4096] = {};
  size_t new_bytes_ = 0;
};

// `<root>/blobs/<hex>` into `out` (which must hold 4096 bytes).
void blob_path(const char* root, const ContentHash& hash, char* out);

}  // namespace unstuck::trace
