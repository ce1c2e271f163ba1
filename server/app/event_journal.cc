#include "server/app/event_journal.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "server/service/proto_convert.h"

namespace airprox {
namespace fs = std::filesystem;
namespace {

constexpr std::uint32_t kMaxRecordBytes = 1u << 20;

std::vector<fs::path> Segments(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("events-", 0) == 0 && entry.path().extension() == ".log") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());  // zero-padded first sequence: name order is sequence order
  return out;
}

std::uint32_t Crc(const std::string& bytes) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

void PutU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t GetU32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

}  // namespace

Status EventJournal::Open(const JournalOptions& options, std::size_t keep_last,
                          std::unique_ptr<EventJournal>& journal,
                          std::vector<v1::EncounterEvent>& recovered, std::uint64_t& last_sequence) {
  last_sequence = 0;
  std::error_code ec;
  fs::create_directories(options.dir, ec);
  if (ec) {
    return InvalidArgument("storage", "storage.dir: cannot create '" + options.dir + "': " + ec.message());
  }
  std::unique_ptr<EventJournal> j(new EventJournal(options));
  std::vector<fs::path> segments = Segments(options.dir);
  for (std::size_t s = 0; s < segments.size(); ++s) {
    std::ifstream in(segments[s], std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t pos = 0;
    std::string problem;
    while (pos < data.size()) {
      if (data.size() - pos < 8) {
        problem = "torn record header";
        break;
      }
      const std::uint32_t len = GetU32(data.data() + pos), crc = GetU32(data.data() + pos + 4);
      if (len > kMaxRecordBytes || data.size() - pos - 8 < len) {
        problem = "torn record";
        break;
      }
      const std::string bytes = data.substr(pos + 8, len);
      v1::EncounterEvent e;
      if (Crc(bytes) != crc || !e.ParseFromString(bytes) || e.sequence() <= last_sequence) {
        problem = "corrupt record";
        break;
      }
      last_sequence = e.sequence();
      recovered.push_back(std::move(e));
      if (recovered.size() > 2 * keep_last + 1024) {
        recovered.erase(recovered.begin(), recovered.end() - static_cast<std::ptrdiff_t>(keep_last));
      }
      pos += 8 + len;
    }
    if (!problem.empty()) {
      spdlog::warn("journal: {}: {} at byte {}; truncating it there{}", segments[s].string(), problem,
                   pos, s + 1 < segments.size() ? " and removing the later segments" : "");
      fs::resize_file(segments[s], pos, ec);
      for (std::size_t later = s + 1; later < segments.size(); ++later) fs::remove(segments[later], ec);
      segments.resize(s + 1);
      break;
    }
  }
  if (recovered.size() > keep_last) {
    recovered.erase(recovered.begin(), recovered.end() - static_cast<std::ptrdiff_t>(keep_last));
  }
  j->StartSegment(last_sequence + 1);
  journal = std::move(j);
  spdlog::info("journal: {} holds events up to sequence {}", options.dir, last_sequence);
  return Status::Ok();
}

EventJournal::~EventJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void EventJournal::StartSegment(std::uint64_t first_sequence) {
  if (fd_ >= 0) ::close(fd_);
  char name[64];
  std::snprintf(name, sizeof name, "events-%020llu.log", static_cast<unsigned long long>(first_sequence));
  segment_path_ = (fs::path(options_.dir) / name).string();
  fd_ = ::open(segment_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    ++write_errors_;
    spdlog::error("journal: cannot open {}: {}", segment_path_, std::strerror(errno));
  }
  std::error_code ec;
  segment_size_ = fs::file_size(segment_path_, ec);
  ApplyRetention();
}

void EventJournal::ApplyRetention() {
  std::error_code ec;
  std::vector<fs::path> segments = Segments(options_.dir);
  std::uint64_t total = 0;
  for (const auto& s : segments) total += fs::file_size(s, ec);
  const auto now = fs::file_time_type::clock::now();
  for (const auto& s : segments) {
    if (s.string() == segment_path_) break;  // never the segment being written
    const double age_s = std::chrono::duration<double>(now - fs::last_write_time(s, ec)).count();
    if (total <= options_.max_bytes && age_s <= options_.max_age_s) break;
    total -= fs::file_size(s, ec);
    fs::remove(s, ec);
    spdlog::info("journal: removed {} (retention)", s.string());
  }
}

void EventJournal::OnEvents(const std::vector<EncounterEvent>& events) {
  if (events.empty()) return;
  if (segment_size_ >= options_.segment_bytes) StartSegment(events.front().sequence);
  if (fd_ < 0) return;
  std::string buffer;
  for (const EncounterEvent& e : events) {
    v1::EncounterEvent pb;
    ToProto(e, &pb);
    const std::string bytes = pb.SerializeAsString();
    PutU32(buffer, static_cast<std::uint32_t>(bytes.size()));
    PutU32(buffer, Crc(bytes));
    buffer += bytes;
  }
  std::size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n = ::write(fd_, buffer.data() + done, buffer.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ++write_errors_;
      spdlog::error("journal: write to {} failed: {}", segment_path_, std::strerror(errno));
      return;
    }
    done += static_cast<std::size_t>(n);
  }
  segment_size_ += buffer.size();
  if (options_.fsync && ::fsync(fd_) != 0) {
    ++write_errors_;
    spdlog::error("journal: fsync of {} failed: {}", segment_path_, std::strerror(errno));
  }
}

}  // namespace airprox
