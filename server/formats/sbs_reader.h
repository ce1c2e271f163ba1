// SBS-1 / BaseStation recordings (plain or gzip): the lines a dump1090 or readsb feed served on
// port 30003, merged per aircraft into positions by SbsMerger (sbs_merger.h says how). One
// position per MSG,3 / MSG,2 line with a lat/lon; every other line only updates the merge.
#pragma once

#include <memory>
#include <string>

#include "server/formats/line_reader.h"
#include "server/formats/recording_reader.h"
#include "server/formats/sbs_merger.h"

namespace airprox {

class SbsReader : public RecordingReader {
 public:
  static Status Open(const std::string& path, std::unique_ptr<SbsReader>& out,
                     SbsMergerOptions options = {});

  Next Read(Position& p, Status& error) override;
  std::size_t line_number() const override { return lines_->line_number(); }
  double fraction_read() const override { return lines_->fraction_read(); }
  // MSG,2/3 lines without a lat/lon.
  std::size_t skipped() const override { return merger_.skipped(); }
  const SbsMerger& merger() const { return merger_; }

 private:
  SbsReader(std::unique_ptr<LineReader> lines, SbsMergerOptions options)
      : lines_(std::move(lines)), merger_(options) {}

  std::unique_ptr<LineReader> lines_;
  SbsMerger merger_;
  std::string line_;
  std::optional<Position> position_;
};

}  // namespace airprox
