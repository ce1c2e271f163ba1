// What every reader of a CSV recording with a header line shares: opening the file, finding its
// columns, the read loop with its blank lines, FILE:LINE errors and rows without a position. A
// format says which columns it knows and turns one split row into a Position.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/formats/csv_columns.h"
#include "server/formats/line_reader.h"
#include "server/formats/recording_reader.h"

namespace airprox {

class CsvReader : public RecordingReader {
 public:
  Next Read(Position& p, Status& error) final;
  std::size_t line_number() const final { return lines_->line_number(); }
  double fraction_read() const final { return lines_->fraction_read(); }
  std::size_t skipped() const final { return skipped_; }

 protected:
  // names: the header names of the columns the format knows, by its own column numbers.
  explicit CsvReader(std::vector<std::string_view> names) : columns_(std::move(names)) {}
  // Opens the file and reads its header, which must have the required columns. `format` names the
  // format in errors ("canonical CSV"); `expected` is its usual header line.
  Status OpenFile(const std::string& path, std::initializer_list<int> required,
                  std::string_view format, std::string_view expected);

  enum class Row { kPosition, kNoPosition };
  // Turns the row just split into columns_ into p, or says the row has no position (it is then
  // skipped and counted); an error makes the line a bad line.
  virtual Status ParseRow(Position& p, Row& row) = 0;

  CsvColumns columns_;

 private:
  std::unique_ptr<LineReader> lines_;
  std::string line_;
  std::size_t skipped_ = 0;
};

}  // namespace airprox
