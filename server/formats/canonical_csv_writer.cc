#include "server/formats/canonical_csv_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace airprox {
namespace {

constexpr std::size_t kFlushBytes = 1 << 16;

// `v` to `decimals` places without trailing zeros (and never "-0"); empty when unknown.
std::string Number(std::optional<double> v, int decimals) {
  if (!v) return {};
  std::string s = fmt::format("{:.{}f}", *v, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

bool Writable(const std::string& text) {
  return text.find_first_of(",\"\r\n") == std::string::npos;
}

}  // namespace

std::string CanonicalCsvHeader(bool with_category) {
  std::string h =
      "time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,track_deg,vrate_fpm,on_ground";
  if (with_category) h += ",category";
  return h;
}

std::string FormatCanonicalCsvRecord(const Position& p, bool with_category) {
  const char* on_ground = !p.on_ground ? "" : *p.on_ground ? "1" : "0";
  std::string line = fmt::format("{},{},{},{},{},{},{},{},{},{}", Number(p.time_s, 3), p.track_id,
                                 p.callsign, Number(p.lat_deg, 7), Number(p.lon_deg, 7),
                                 Number(p.alt_ft, 1), Number(p.ground_speed_kt, 1),
                                 Number(p.track_deg, 1), Number(p.vertical_rate_fpm, 0), on_ground);
  if (with_category) line += "," + p.category;
  return line;
}

Status CanonicalCsvWriter::Open(const std::string& path, bool with_category,
                                std::unique_ptr<CanonicalCsvWriter>& out) {
  const bool gzip = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  const char* mode = gzip ? "wb6" : "wbT";  // T: written as is, no compression
  errno = 0;
  gzFile f = nullptr;
  if (path == "-") {
    const int fd = ::dup(STDOUT_FILENO);
    if (fd >= 0) f = gzdopen(fd, mode);
    if (f == nullptr && fd >= 0) ::close(fd);
  } else {
    f = gzopen(path.c_str(), mode);
  }
  if (f == nullptr) {
    return InvalidArgument(
        "open", path + ": cannot create: " + (errno != 0 ? std::strerror(errno) : "out of memory"));
  }
  out.reset(new CanonicalCsvWriter(path, f, with_category));
  out->buffer_ = CanonicalCsvHeader(with_category) + "\n";
  return Status::Ok();
}

CanonicalCsvWriter::~CanonicalCsvWriter() {
  if (file_ != nullptr) (void)Close();
}

Status CanonicalCsvWriter::Write(const Position& p) {
  if (!error_.ok()) return error_;
  for (const std::string* text : {&p.track_id, &p.callsign, &p.category}) {
    if (!Writable(*text)) {
      return InvalidArgument(
          "format", fmt::format("{}: '{}' holds a comma, quote or line break", path_, *text));
    }
  }
  buffer_ += FormatCanonicalCsvRecord(p, with_category_);
  buffer_ += '\n';
  return buffer_.size() >= kFlushBytes ? Flush() : Status::Ok();
}

Status CanonicalCsvWriter::Flush() {
  if (!error_.ok() || buffer_.empty()) return error_;
  if (gzwrite(file_, buffer_.data(), static_cast<unsigned>(buffer_.size())) !=
      static_cast<int>(buffer_.size())) {
    int err = 0;
    const char* msg = gzerror(file_, &err);
    error_ = InvalidArgument(
        "write", path_ + ": write error: " + (err == Z_ERRNO ? std::strerror(errno) : msg));
  }
  buffer_.clear();
  return error_;
}

Status CanonicalCsvWriter::Close() {
  if (file_ == nullptr) return error_;
  (void)Flush();
  errno = 0;
  const int rc = gzclose(file_);
  file_ = nullptr;
  if (error_.ok() && rc != Z_OK) {
    error_ = InvalidArgument(
        "write", path_ + ": error on close: " + (errno != 0 ? std::strerror(errno) : "zlib error"));
  }
  return error_;
}

}  // namespace airprox
