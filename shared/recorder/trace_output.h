// The trace being written: its folder, event stream and blob store.  One
// per process; a forked child opens its own.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "shared/trace/content_hash.h"
#include "shared/trace/events.h"
#include "shared/trace/header_writer.h"

namespace unstuck::recorder {

struct TraceLocation {
  const char* root;     // --trace-dir, else $UNSTUCK_TRACE_DIR, else the default
  const char* program;  // names the folder: <root>/<program>-<n>
};

// Creates the folder, writes `header` into it and opens the event stream.
// On failure prints why and returns false (the run goes on unrecorded).
bool open_trace(const TraceLocation& where, const trace::HeaderWriter& header);
bool is_recording();
const char* trace_folder();
const char* trace_root();

// The stream to append an event to; call event_written() after each.
trace::EventEncoder& events();
void event_written();

// The time of the last event written (for events that must not claim a
// later one, see Nondet in format.h).
uint64_t last_event_time();

// Stores bytes in the blob store; false (after a message) on failure.
bool store_blob(const void* data, size_t bytes, trace::ContentHash* hash);

// Writes buffered events now (before anything that may end the process).
void flush_events();
// Ends the trace: flushes, writes the index, closes.
void close_trace();
// In a forked child: drops the parent's trace without touching its files.
void abandon_trace();

// For the summary: bytes of events, and of blobs this run added.
uint64_t event_bytes();
uint64_t new_blob_bytes();

}  // namespace unstuck::recorder
