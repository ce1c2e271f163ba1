// The comma-separated formats (canonical CSV, OpenSky state vectors, SBS): splitting a line into
// fields, and finding a CSV file's columns by their header names, in any order. None of these
// formats quotes its fields, so neither does this.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "server/core/status.h"

namespace airprox {

// The fields of one line, split at every comma (n commas: n + 1 fields).
void SplitFields(std::string_view line, std::vector<std::string_view>& out);
// Without leading and trailing blanks (spaces and tabs).
std::string_view TrimBlanks(std::string_view s);
// The whole of s as a finite decimal number; false when s is anything else (empty, "nan", "inf"
// and numbers beyond a double's range included).
bool ParseNumber(std::string_view s, double& out);

class CsvColumns {
 public:
  // names: the header name of each column the reader knows, indexed by the reader's own column
  // numbers (an enum). The views must outlive this object.
  explicit CsvColumns(std::vector<std::string_view> names);

  // Finds the known columns in a header line. Unknown header names are ignored.
  void ReadHeader(std::string_view header);
  bool has(int column) const { return index_[column] >= 0; }
  std::size_t fields() const { return fields_; }
  std::string_view name(int column) const { return names_[column]; }

  // Splits one data line; an error ("5 fields, the header has 10") when the number of fields
  // differs from the header's. The cells stay valid while the line does.
  Status Split(std::string_view line);
  // The cell of a column in the last line split, trimmed; empty when the header lacks the column.
  std::string_view Cell(int column) const;
  // A number cell: empty means unknown (nullopt), anything else must be a number.
  Status Number(int column, std::optional<double>& out) const;
  // A number cell that must not be empty.
  Status RequiredNumber(int column, double& out) const;
  // A flag cell: 1/true/True, 0/false/False, empty (unknown).
  Status Flag(int column, std::optional<bool>& out) const;

 private:
  std::vector<std::string_view> names_;
  std::vector<int> index_;  // field position of each known column, -1 when absent
  std::size_t fields_ = 0;
  std::vector<std::string_view> cells_;
};

}  // namespace airprox
