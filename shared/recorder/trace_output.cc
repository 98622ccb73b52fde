#include "shared/recorder/trace_output.h"

#include "shared/rt/file_io.h"
#include "shared/rt/string_builder.h"
#include "shared/trace/blob_store.h"
#include "shared/trace/chunk_writer.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::recorder {
namespace {

trace::ChunkWriter* g_writer = nullptr;
trace::BlobStore* g_blobs = nullptr;
StringBuilder* g_folder = nullptr;
StringBuilder* g_root = nullptr;
bool g_failed = false;

// A recording that cannot be written stops, with one message; the program
// itself runs on.
void fail(const char* what, int error) {
  if (!g_failed)
    VG_(umsg)("unstuck: %s failed (error %d): the recording stops here\n",
              what, -error);
  g_failed = true;
  if (g_writer != nullptr) g_writer->abandon();
}

// <root>/<program>-<n> for the first n whose folder did not exist.
int make_numbered_folder(const TraceLocation& where) {
  for (int n = 0; n < 1000000; ++n) {
    g_folder->clear();
    g_folder->append(where.root).append('/').append(where.program).append('-');
    g_folder->append_unsigned(n);
    int r = files::make_directory(g_folder->c_str());
    if (r != -VKI_EEXIST) return r;
  }
  return -VKI_EEXIST;
}

void point_latest_link_at(const char* program_folder_name) {
  StringBuilder link;
  link.append(g_root->c_str()).append("/latest-trace");
  files::replace_symlink(program_folder_name, link.c_str());
}

}  // namespace

bool open_trace(const TraceLocation& where, const trace::HeaderWriter& header) {
  if (g_writer == nullptr) {
    g_writer = new trace::ChunkWriter();
    g_blobs = new trace::BlobStore();
    g_folder = new StringBuilder();
    g_root = new StringBuilder();
  }
  g_failed = false;
  g_root->clear();
  g_root->append(where.root);
  int r = files::make_directories(where.root);
  if (r < 0) return fail("creating the trace root", r), false;
  r = make_numbered_folder(where);
  if (r < 0) return fail("creating the trace folder", r), false;
  r = g_blobs->open(where.root);
  if (r < 0) return fail("creating the blob store", r), false;
  r = header.write(g_folder->c_str());
  if (r < 0) return fail("writing the trace header", r), false;
  r = g_writer->open(g_folder->c_str());
  if (r < 0) return fail("creating the event stream", r), false;
  point_latest_link_at(VG_(basename)(g_folder->c_str()));
  return true;
}

bool is_recording() { return g_writer != nullptr && g_writer->is_open(); }
const char* trace_folder() { return g_folder->c_str(); }
const char* trace_root() { return g_root->c_str(); }
trace::EventEncoder& events() { return g_writer->events(); }

void event_written() {
  int r = g_writer->chunk_if_full();
  if (r < 0) fail("writing the event stream", r);
}

uint64_t last_event_time() {
  const trace::EventEncoder& e = g_writer->events();
  return e.event_count() > 0 ? e.last_time() : g_writer->last_time();
}

bool store_blob(const void* data, size_t bytes, trace::ContentHash* hash) {
  int r = g_blobs->store(data, bytes, hash);
  if (r < 0) fail("writing a blob", r);
  return r == 0;
}

void flush_events() {
  if (!is_recording()) return;
  int r = g_writer->flush();
  if (r < 0) fail("writing the event stream", r);
}

void close_trace() {
  if (!is_recording()) return;
  int r = g_writer->close();
  if (r < 0) fail("closing the trace", r);
}

void abandon_trace() {
  if (g_writer != nullptr) g_writer->abandon();
}

uint64_t event_bytes() { return g_writer ? g_writer->bytes_written() : 0; }
uint64_t new_blob_bytes() { return g_blobs ? g_blobs->new_bytes() : 0; }

}  // namespace unstuck::recorder
