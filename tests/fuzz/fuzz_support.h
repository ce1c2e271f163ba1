// What the fuzz targets share: the input as a file for the readers that open a path, split into
// lines for the one that is fed lines, and the invariants every emitted Position must hold.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/position.h"
#include "server/formats/recording_reader.h"

namespace airprox::fuzz {

// Stops the fuzzer with a message: libFuzzer reports the abort as a crash and saves the input.
[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what.c_str());
  std::abort();
}

// The input as a file in memory (memfd), reachable by a path (/proc/self/fd/N), so that the
// readers are fuzzed through the very Open(path) they are used by, gzip detection included,
// without touching the disk. One per process, rewritten for each input.
class MemoryFile {
 public:
  static MemoryFile& Get() {
    static MemoryFile file;
    return file;
  }
  // Replaces the contents with data; returns the path to open.
  const std::string& Set(const std::uint8_t* data, std::size_t size) {
    if (ftruncate(fd_, 0) != 0) Fail("ftruncate of the memfd");
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
      if (n <= 0) Fail("pwrite to the memfd");
      done += static_cast<std::size_t>(n);
    }
    return path_;
  }

 private:
  MemoryFile() : fd_(memfd_create("airprox_fuzz_input", MFD_CLOEXEC)) {
    if (fd_ < 0) Fail("memfd_create");
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  int fd_;
  std::string path_;
};

// The input split at '\n' (each line keeps no '\n'; a '\r' before it stays, as a feed sends it).
inline std::vector<std::string_view> Lines(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string_view> lines;
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    lines.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

inline bool Finite(const std::optional<double>& v) { return !v || std::isfinite(*v); }

// What a reader promises of every record it gives, whatever the input: a track id, and no
// infinities or NaNs (a non-number in the input is a bad line, never a record the core must
// refuse). Readers may pass on finite values out of range: the core's ValidatePosition refuses
// those, naming the field.
inline void CheckRecord(const Position& p, std::string_view reader) {
  const std::string who(reader);
  if (p.track_id.empty()) Fail(who + ": a record without a track id");
  if (!std::isfinite(p.time_s) || !std::isfinite(p.lat_deg) || !std::isfinite(p.lon_deg)) {
    Fail(who + ": a record with a non-finite time, lat or lon");
  }
  if (!Finite(p.alt_ft) || !Finite(p.ground_speed_kt) || !Finite(p.track_deg) ||
      !Finite(p.vertical_rate_fpm)) {
    Fail(who + ": a record with a non-finite altitude, speed, track or vertical rate");
  }
  (void)ValidatePosition(p);  // must not crash on anything a reader gives
}

// Reads a reader to its end, checking every record (CheckRecord unless check_finite is false, for
// the format whose contract leaves finiteness to the core), that every bad line is located
// ("PATH:LINE: problem") and that line numbers never go back.
inline void ReadAll(RecordingReader& reader, std::string_view name, const std::string& path,
                    bool check_finite = true) {
  const std::string who(name);
  Position p;
  Status error;
  std::size_t last_line = 0;
  // A bad line is passed over, so every call makes progress; the cap only guards against a
  // reader that stops making it.
  for (std::size_t calls = 0;; ++calls) {
    if (calls > 10'000'000) Fail(who + ": no end after 10M reads");
    const auto next = reader.Read(p, error);
    if (next == RecordingReader::Next::kEnd) break;
    if (next == RecordingReader::Next::kRecord) {
      if (check_finite) {
        CheckRecord(p, name);
      } else if (p.track_id.empty()) {
        Fail(who + ": a record without a track id");
      }
    } else if (error.ok() || error.message().rfind(path + ":", 0) != 0) {
      Fail(who + ": a bad line whose error is not 'PATH:LINE: problem': " + error.message());
    }
    if (reader.line_number() < last_line) Fail(who + ": line numbers went back");
    last_line = reader.line_number();
    const double fraction = reader.fraction_read();
    if (!(fraction == -1 || (fraction >= 0 && fraction <= 1))) Fail(who + ": fraction_read");
  }
}

// The whole of a file reader's target: the input as a file, opened with Reader::Open and, when
// that succeeds, read to the end with ReadAll's checks.
template <typename Reader>
int FuzzReader(const std::uint8_t* data, std::size_t size, std::string_view name,
               bool check_finite = true) {
  const std::string& path = MemoryFile::Get().Set(data, size);
  std::unique_ptr<Reader> reader;
  if (Reader::Open(path, reader).ok()) ReadAll(*reader, name, path, check_finite);
  return 0;
}

}  // namespace airprox::fuzz
