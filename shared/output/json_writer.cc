#include "shared/output/json_writer.h"

#include "shared/rt/check.h"
#include "shared/rt/file_io.h"

namespace unstuck {

bool JsonWriter::inside_inline() const {
  return !stack_.empty() && stack_[stack_.size() - 1].is_inline;
}

void JsonWriter::new_line(size_t depth) {
  out_.append('\n');
  for (size_t i = 0; i < depth; ++i) out_.append("  ");
}

// A comma after the previous item of `frame`, then a new line (indented
// containers) or a space (inline ones).
void JsonWriter::separate_item(Frame& frame) {
  if (frame.items > 0) out_.append(',');
  if (frame.is_inline) {
    if (frame.items > 0) out_.append(' ');
  } else {
    new_line(stack_.size());
  }
  ++frame.items;
}

// Before a value: the separator, unless it is a key's value.
void JsonWriter::before_value() {
  if (stack_.empty()) {
    UNSTUCK_CHECK_MSG(!wrote_value_, "JSON: a second top-level value");
    wrote_value_ = true;
    return;
  }
  Frame& frame = stack_[stack_.size() - 1];
  if (frame.is_object) {
    UNSTUCK_CHECK_MSG(key_pending_, "JSON: a value without a key in an object");
    key_pending_ = false;
    return;
  }
  separate_item(frame);
}

JsonWriter& JsonWriter::key(const char* name) {
  UNSTUCK_CHECK_MSG(!stack_.empty() && stack_[stack_.size() - 1].is_object &&
                        !key_pending_,
                    "JSON: a key outside an object, or two keys in a row");
  Frame& frame = stack_[stack_.size() - 1];
  separate_item(frame);
  out_.append_json_string(name).append(": ");
  key_pending_ = true;
  return *this;
}

void JsonWriter::open(bool is_object, Layout layout) {
  before_value();
  out_.append(is_object ? '{' : '[');
  bool is_inline = layout == kInline || inside_inline();
  stack_.push_back(Frame{is_object, is_inline, 0});
}

void JsonWriter::close(bool is_object) {
  UNSTUCK_CHECK_MSG(!stack_.empty() && stack_[stack_.size() - 1].is_object == is_object &&
                        !key_pending_,
                    "JSON: unbalanced end of a container");
  Frame frame = stack_[stack_.size() - 1];
  stack_.pop_back();
  if (!frame.is_inline && frame.items > 0) new_line(stack_.size());
  out_.append(is_object ? '}' : ']');
  if (stack_.empty()) out_.append('\n');
}

JsonWriter& JsonWriter::begin_object(Layout layout) {
  open(true, layout);
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  close(true);
  return *this;
}
JsonWriter& JsonWriter::begin_array(Layout layout) {
  open(false, layout);
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  close(false);
  return *this;
}

JsonWriter& JsonWriter::string(const char* text) {
  if (text == nullptr) return null();
  before_value();
  out_.append_json_string(text);
  return *this;
}

JsonWriter& JsonWriter::number(uint64_t value) {
  before_value();
  out_.append_unsigned(value);
  return *this;
}

JsonWriter& JsonWriter::formatted_number(const char* text) {
  before_value();
  out_.append(text);
  return *this;
}

JsonWriter& JsonWriter::signed_number(int64_t value) {
  before_value();
  out_.append_signed(value);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  before_value();
  out_.append(value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_.append("null");
  return *this;
}

JsonWriter& JsonWriter::hex_string(uint64_t value) {
  before_value();
  out_.append("\"0x").append_hex(value).append('"');
  return *this;
}

int write_text_file(const char* path, const StringBuilder& text) {
  int fd = files::create(path);
  if (fd < 0) return fd;
  int status = files::write_all(fd, text.c_str(), text.size());
  files::close(fd);
  return status;
}

}  // namespace unstuck
