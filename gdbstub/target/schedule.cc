#include "gdbstub/target/schedule.h"

#include <algorithm>

#include "shared/trace/event_records.h"

namespace unstuck::target {

using trace::EventKind;

bool Schedule::scan(const trace::TraceReader& reader, std::string* error) {
  start_ = end_ = reader.header().start_time;
  std::string exe = reader.header().executable;
  // The kernel's comm: the program's base name, at most 15 characters.
  program_name_ = exe.substr(exe.rfind('/') + 1).substr(0, 15);
  trace::EventStream stream(reader);
  EventKind kind;
  uint64_t time;
  trace::EventDecoder* fields;
  auto event = std::make_unique<trace::AnyEvent>();
  while (stream.next(&kind, &time, &fields)) {
    if (!trace::read_event(kind, *fields, event.get())) {
      *error = "corrupt event at time " + std::to_string(time);
      return false;
    }
    end_ = time;
    switch (kind) {
      case EventKind::Switch:
        if (!segments_.empty() && segments_.back().from == time)
          segments_.back().thread = event->thread.thread;
        else if (segments_.empty() || segments_.back().thread != event->thread.thread)
          segments_.push_back({time, event->thread.thread});
        break;
      case EventKind::ThreadStart: {
        // The kernel copies the creator's name into a new thread.
        Life life{time, UINT64_MAX, event->thread.parent, {}};
        life.names.push_back({time, name_at(event->thread.parent, time)});
        lives_[event->thread.thread] = std::move(life);
        break;
      }
      case EventKind::ThreadName:
        lives_[event->text.thread].names.push_back(
            {time, std::string(reinterpret_cast<const char*>(event->text.text.data),
                               event->text.text.size)});
        break;
      case EventKind::ThreadExit:
        lives_[event->thread.thread].died = time;
        break;
      case EventKind::Exit:
        exited_ = true;
        killed_ = event->exit.kind != trace::ExitKind::Exited;
        exit_status_ = static_cast<int>(event->exit.value);
        break;
      default:
        break;
    }
  }
  if (!stream.error().empty()) {
    *error = stream.error();
    return false;
  }
  // A trace begun at a fork starts with its one thread already alive.
  if (!segments_.empty() && !lives_.count(segments_.front().thread))
    lives_[segments_.front().thread] = Life{start_, UINT64_MAX, 0, {}};
  return true;
}

size_t Schedule::segment_at(uint64_t t) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), t,
                             [](uint64_t v, const Segment& s) { return v < s.from; });
  return it == segments_.begin() ? 0 : static_cast<size_t>(it - segments_.begin()) - 1;
}

uint64_t Schedule::segment_end(size_t i) const {
  return i + 1 < segments_.size() ? segments_[i + 1].from : end_;
}

uint32_t Schedule::runner_at(uint64_t t) const {
  if (segments_.empty() || t < segments_.front().from) return 0;
  return segments_[segment_at(t)].thread;
}

std::optional<uint64_t> Schedule::next_run_of(uint32_t thread, uint64_t from) const {
  if (segments_.empty() || from >= end_) return std::nullopt;
  for (size_t i = from < segments_.front().from ? 0 : segment_at(from); i < segments_.size(); ++i) {
    uint64_t begin = std::max(from, segments_[i].from);
    if (segments_[i].thread == thread && begin < segment_end(i)) return begin;
  }
  return std::nullopt;
}

std::optional<uint64_t> Schedule::previous_run_of(uint32_t thread, uint64_t before) const {
  if (segments_.empty() || before <= segments_.front().from) return std::nullopt;
  for (size_t i = segment_at(before - 1) + 1; i-- > 0;) {
    uint64_t last = std::min(before, segment_end(i));
    if (segments_[i].thread == thread && last > segments_[i].from) return last - 1;
  }
  return std::nullopt;
}

std::vector<uint32_t> Schedule::alive_at(uint64_t t) const {
  std::vector<uint32_t> alive;
  for (const auto& [number, life] : lives_)
    if (life.born <= t && t < life.died) alive.push_back(number);
  return alive;
}

std::string Schedule::name_at(uint32_t thread, uint64_t t) const {
  auto life = lives_.find(thread);
  if (life == lives_.end()) return program_name_;
  const std::vector<Rename>& names = life->second.names;
  auto after = std::upper_bound(names.begin(), names.end(), t,
                                [](uint64_t v, const Rename& r) { return v < r.time; });
  return after == names.begin() ? program_name_ : std::prev(after)->name;
}

}  // namespace unstuck::target
