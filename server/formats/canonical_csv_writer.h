// Writes position reports in the canonical CSV format (server/formats/canonical_csv.h), which
// CanonicalCsvReader reads back: plain text, or gzip when the path ends in ".gz"; "-" is standard
// output.
//
// Numbers are written to fixed precisions, trailing zeros dropped: time_s to 0.001 s, lat_deg and
// lon_deg to 1e-7 degree (1 cm), alt_ft, gs_kt and track_deg to 0.1, vrate_fpm to 1 fpm. Unknown
// values are empty cells; on_ground is 1 or 0.
#pragma once

#include <zlib.h>

#include <memory>
#include <string>

#include "server/core/position.h"
#include "server/core/status.h"

namespace airprox {

class CanonicalCsvWriter {
 public:
  // Creates (or truncates) the file and writes the header; `with_category` adds that column.
  static Status Open(const std::string& path, bool with_category,
                     std::unique_ptr<CanonicalCsvWriter>& out);
  ~CanonicalCsvWriter();
  CanonicalCsvWriter(const CanonicalCsvWriter&) = delete;
  CanonicalCsvWriter& operator=(const CanonicalCsvWriter&) = delete;

  // A track id or callsign holding a comma, a quote or a line break cannot be written
  // (InvalidArgument); nothing is written then.
  Status Write(const Position& p);
  // Writes what is buffered and closes the file; the first write error of the whole output, if any.
  Status Close();

 private:
  CanonicalCsvWriter(std::string path, gzFile file, bool with_category)
      : path_(std::move(path)), file_(file), with_category_(with_category) {}
  Status Flush();

  std::string path_;
  gzFile file_;
  bool with_category_;
  std::string buffer_;
  Status error_;
};

// The header line and one record as the writer writes them, without the line end.
std::string CanonicalCsvHeader(bool with_category);
std::string FormatCanonicalCsvRecord(const Position& p, bool with_category);

}  // namespace airprox
