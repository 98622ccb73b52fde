// A small JSON writer for tool output files (taint.out.<pid>, and the
// outputs of lifetime and argdist), on StringBuilder: no libc, no
// allocation besides the text itself.
//
// Commas, quoting and indentation are the writer's business; the caller
// says what comes next:
//
//   JsonWriter json(text);
//   json.begin_object();
//   json.key("sources").begin_array();
//   json.begin_object(JsonWriter::kInline).field("name", "input.bin").end_object();
//   json.end_array();
//   json.end_object();
//
// gives
//
//   {
//     "sources": [
//       {"name": "input.bin"}
//     ]
//   }
//
// A container opened kInline (and everything inside it) stays on one line,
// which keeps arrays of numbers such as [16, 20] readable.  Misuse (a value
// where a key is due, unbalanced ends) is a bug and fails a check.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "shared/rt/string_builder.h"
#include "shared/rt/vector.h"

namespace unstuck {

class JsonWriter {
 public:
  enum Layout { kIndented, kInline };

  explicit JsonWriter(StringBuilder& out) : out_(out) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& begin_object(Layout layout = kIndented);
  JsonWriter& end_object();
  JsonWriter& begin_array(Layout layout = kIndented);
  JsonWriter& end_array();

  // Inside an object: the key of the next value.
  JsonWriter& key(const char* name);

  JsonWriter& string(const char* text);  // null for a null pointer
  JsonWriter& number(uint64_t value);
  JsonWriter& signed_number(int64_t value);
  // A number the caller has formatted (a double), written as it is: it
  // must be a JSON number ("0.25", "1.5e-07"; no NaN or infinity).
  JsonWriter& formatted_number(const char* text);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  // A number written as a JSON string in hexadecimal, "0x4011d6": addresses.
  JsonWriter& hex_string(uint64_t value);

  // key(name) followed by the value.
  JsonWriter& field(const char* name, const char* text) { return key(name).string(text); }
  JsonWriter& field(const char* name, uint64_t value) { return key(name).number(value); }
  JsonWriter& field(const char* name, bool value) { return key(name).boolean(value); }
  JsonWriter& hex_field(const char* name, uint64_t value) {
    return key(name).hex_string(value);
  }

  // Every container opened has been closed, and something was written.
  bool complete() const { return stack_.empty() && wrote_value_; }

 private:
  struct Frame {
    bool is_object;
    bool is_inline;
    size_t items;
  };

  void before_value();
  void open(bool is_object, Layout layout);
  void close(bool is_object);
  void new_line(size_t depth);
  void separate_item(Frame& frame);
  bool inside_inline() const;

  StringBuilder& out_;
  Vector<Frame> stack_;
  bool key_pending_ = false;
  bool wrote_value_ = false;
};

// Writes `text` to `path` (created or truncated).  Returns 0 or -errno.
int write_text_file(const char* path, const StringBuilder& text);

}  // namespace unstuck
