#include "shared/trace/blob_store.h"

#include "shared/rt/check.h"
#include "shared/rt/file_io.h"
#include "shared/rt/string_builder.h"

namespace unstuck::trace {

int BlobStore::open(const char* root) {
  StringBuilder folder;
  folder.append(root).append("/blobs");
  UNSTUCK_CHECK(folder.size() < sizeof folder_);
  int r = files::make_directories(folder.c_str());
  if (r < 0) return r;
  platform::copy_bytes(folder_, folder.c_str(), folder.size() + 1);
  return 0;
}

int BlobStore::store(const void* data, size_t bytes, ContentHash* hash) {
  *hash = hash_content(data, bytes);
  char hex[33];
  hash->to_hex(hex);
  StringBuilder path;
  path.append(folder_).append('/').append(hex);
  if (files::exists(path.c_str())) return 0;
  // Written under a temporary name and renamed: a reader (or another
  // recording storing the same blob) never sees half a blob.
  StringBuilder temporary;
  temporary.append(path.c_str()).append(".partial");
  int fd = files::create(temporary.c_str());
  if (fd < 0) return fd;
  int r = files::write_all(fd, data, bytes);
  files::close(fd);
  if (r == 0) r = files::rename_path(temporary.c_str(), path.c_str());
  if (r == 0) new_bytes_ += bytes;
  return r;
}

void blob_path(const char* root, const ContentHash& hash, char* out) {
  char hex[33];
  hash.to_hex(hex);
  StringBuilder path;
  path.append(root).append("/blobs/").append(hex);
  UNSTUCK_CHECK(path.size() < 4096);
  platform::copy_bytes(out, path.c_str(), path.size() + 1);
}

}  // namespace unstuck::trace
