#include "shared/trace/trace_reader.h"

#include <cstring>
#include <fstream>
#include <sys/stat.h>

#include "shared/trace/varint.h"

namespace unstuck::trace {
namespace {

bool read_file(const std::string& path, std::vector<uint8_t>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

bool intro_is(const uint8_t* data, size_t size, const char (&magic)[16],
              uint32_t* version) {
  if (size < sizeof(FileIntro)) return false;
  FileIntro intro;
  std::memcpy(&intro, data, sizeof intro);
  *version = intro.version;
  return std::memcmp(intro.magic, magic, sizeof intro.magic) == 0;
}

template <typename T>
bool copy_struct(const std::vector<uint8_t>& bytes, T* out, const char* name,
                 std::string* error) {
  if (bytes.size() != sizeof(T)) {
    *error = std::string("the trace's ") + name + " has " +
             std::to_string(bytes.size()) + " bytes, this build's has " +
             std::to_string(sizeof(T)) + ": recorded with another Valgrind?";
    return false;
  }
  std::memcpy(out, bytes.data(), sizeof(T));
  return true;
}

uint64_t number_of(const std::vector<uint8_t>& bytes) {
  const uint8_t* p = bytes.data();
  uint64_t value = 0;
  decode_varint(&p, bytes.data() + bytes.size(), &value);
  return value;
}

}  // namespace

std::unique_ptr<TraceReader> TraceReader::open(const std::string& folder,
                                               std::string* error) {
  auto reader = std::unique_ptr<TraceReader>(new TraceReader());
  char resolved[4096];
  reader->folder_ = realpath(folder.c_str(), resolved) ? resolved : folder;
  struct stat st;
  if (stat(reader->folder_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *error = "no trace at " + folder + " (not a folder)";
    return nullptr;
  }
  if (!reader->read_header(error) || !reader->scan_chunks(error)) return nullptr;
  return reader;
}

bool TraceReader::read_header(std::string* error) {
  std::vector<uint8_t> file;
  std::string path = folder_ + "/header";
  if (!read_file(path, &file)) {
    *error = "cannot read " + path + ": not a trace?";
    return false;
  }
  if (!intro_is(file.data(), file.size(), kHeaderMagic, &header_.version)) {
    *error = path + " is not an unstuck trace header";
    return false;
  }
  if (header_.version != kFormatVersion) {
    *error = "the trace has format version " + std::to_string(header_.version) +
             "; this unstuck reads version " + std::to_string(kFormatVersion);
    return false;
  }
  const uint8_t* p = file.data() + sizeof(FileIntro);
  const uint8_t* end = file.data() + file.size();
  while (p < end) {
    uint64_t field = 0, size = 0;
    if (!decode_varint(&p, end, &field) || !decode_varint(&p, end, &size) ||
        size > static_cast<uint64_t>(end - p)) {
      *error = path + " is corrupt";
      return false;
    }
    std::vector<uint8_t> bytes(p, p + size);
    std::string text(bytes.begin(), bytes.end());
    p += size;
    switch (static_cast<HeaderField>(field)) {
      case HeaderField::ValgrindVersion: header_.valgrind_version = text; break;
      case HeaderField::ToolName: header_.tool = text; break;
      case HeaderField::Pid: header_.pid = number_of(bytes); break;
      case HeaderField::ParentPid: header_.parent_pid = number_of(bytes); break;
      case HeaderField::ParentTrace: header_.parent_trace = text; break;
      case HeaderField::StartTime: header_.start_time = number_of(bytes); break;
      case HeaderField::WorkingDirectory: header_.working_directory = text; break;
      case HeaderField::Executable: header_.executable = text; break;
      case HeaderField::Argument: header_.arguments.push_back(text); break;
      case HeaderField::Environment: header_.environment.push_back(text); break;
      case HeaderField::Auxv: header_.auxv = bytes; break;
      case HeaderField::VexArchInfo:
        if (!copy_struct(bytes, &header_.arch_info, "VexArchInfo", error)) return false;
        break;
      case HeaderField::VexAbiInfo:
        if (!copy_struct(bytes, &header_.abi_info, "VexAbiInfo", error)) return false;
        break;
      case HeaderField::VexControl:
        if (!copy_struct(bytes, &header_.vex_control, "VexControl", error)) return false;
        break;
      case HeaderField::GuestStateSize: header_.guest_state_size = number_of(bytes); break;
      case HeaderField::CheckEvery: header_.check_every = number_of(bytes); break;
      case HeaderField::ToolOptions: header_.tool_options.push_back(text); break;
      default: break;  // a field a newer writer added: skipped
    }
  }
  return true;
}

bool TraceReader::scan_chunks(std::string* error) {
  std::string path = folder_ + "/events";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return false;
  }
  in.seekg(0, std::ios::end);
  events_bytes_ = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  FileIntro intro;
  uint32_t version = 0;
  if (!in.read(reinterpret_cast<char*>(&intro), sizeof intro) ||
      !intro_is(reinterpret_cast<uint8_t*>(&intro), sizeof intro, kEventsMagic,
                &version) ||
      version != kFormatVersion) {
    *error = path + " is not an unstuck event stream of format version " +
             std::to_string(kFormatVersion);
    return false;
  }
  uint64_t offset = sizeof intro;
  std::vector<uint8_t> payload;
  while (offset < events_bytes_) {
    ChunkHeader h;
    bool whole = events_bytes_ - offset >= sizeof h;
    if (whole) {
      in.seekg(static_cast<std::streamoff>(offset));
      in.read(reinterpret_cast<char*>(&h), sizeof h);
      whole = h.magic == kChunkMagic &&
              events_bytes_ - offset - sizeof h >= h.payload_bytes;
    }
    if (!whole) {
      damage_ = "the event stream is cut short after chunk " +
                std::to_string(chunks_.size()) + " (the recording was interrupted)";
      break;
    }
    payload.resize(h.payload_bytes);
    in.read(reinterpret_cast<char*>(payload.data()), h.payload_bytes);
    if (static_cast<uint32_t>(hash_content(payload.data(), payload.size()).low) !=
            h.checksum ||
        h.sequence != chunks_.size()) {
      damage_ = "chunk " + std::to_string(chunks_.size()) +
                " is corrupt (bad checksum or sequence): events stop before it";
      break;
    }
    chunks_.push_back(ChunkInfo{h, offset + sizeof h});
    offset += sizeof h + h.payload_bytes;
  }
  return true;
}

uint64_t TraceReader::last_time() const {
  return chunks_.empty() ? header_.start_time : chunks_.back().header.last_time;
}

std::vector<uint8_t> TraceReader::read_chunk(size_t i, std::string* error) const {
  std::vector<uint8_t> payload;
  std::ifstream in(folder_ + "/events", std::ios::binary);
  const ChunkInfo& c = chunks_.at(i);
  payload.resize(c.header.payload_bytes);
  in.seekg(static_cast<std::streamoff>(c.offset));
  if (!in.read(reinterpret_cast<char*>(payload.data()), payload.size()))
    *error = "cannot read chunk " + std::to_string(i);
  return payload;
}

std::string TraceReader::blob_root() const {
  return folder_.substr(0, folder_.rfind('/'));
}

std::optional<std::vector<uint8_t>> TraceReader::read_blob(
    const ContentHash& hash, std::string* error) const {
  char hex[33];
  hash.to_hex(hex);
  std::string path = blob_root() + "/blobs/" + hex;
  std::vector<uint8_t> bytes;
  if (!read_file(path, &bytes)) {
    *error = "missing blob " + path;
    return std::nullopt;
  }
  if (!(hash_content(bytes.data(), bytes.size()) == hash)) {
    *error = "blob " + path + " does not match its hash";
    return std::nullopt;
  }
  return bytes;
}

bool EventStream::load_next_chunk() {
  while (chunk_ < reader_.chunks().size()) {
    size_t i = chunk_++;
    payload_ = reader_.read_chunk(i, &error_);
    if (!error_.empty()) return false;
    decoder_.emplace(payload_.data(), payload_.size(),
                     reader_.chunks()[i].header.first_time);
    if (!payload_.empty()) return true;
  }
  return false;
}

bool EventStream::next(EventKind* kind, uint64_t* time, EventDecoder** fields) {
  if (!error_.empty()) return false;
  if (decoder_ && !decoder_->ok()) {
    error_ = "corrupt event in chunk " + std::to_string(chunk_ - 1);
    return false;
  }
  if (!decoder_ || decoder_->at_end()) {
    if (!load_next_chunk()) return false;
  }
  if (!decoder_->next(kind, time)) {
    error_ = "corrupt event in chunk " + std::to_string(chunk_ - 1);
    return false;
  }
  *fields = &*decoder_;
  return true;
}

}  // namespace unstuck::trace
