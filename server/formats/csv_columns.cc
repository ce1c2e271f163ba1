#include "server/formats/csv_columns.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace airprox {

void SplitFields(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) return;
    start = comma + 1;
  }
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ParseNumber(std::string_view s, double& out) {
  const char* end = s.data() + s.size();
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  // from_chars also reads "nan", "inf" and "infinity": not numbers a recording can mean.
  if (ec != std::errc() || ptr != end || s.empty() || !std::isfinite(v)) return false;
  out = v;
  return true;
}

CsvColumns::CsvColumns(std::vector<std::string_view> names)
    : names_(std::move(names)), index_(names_.size(), -1) {}

void CsvColumns::ReadHeader(std::string_view header) {
  std::fill(index_.begin(), index_.end(), -1);
  SplitFields(header, cells_);
  fields_ = cells_.size();
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    for (std::size_t c = 0; c < names_.size(); ++c) {
      if (TrimBlanks(cells_[i]) == names_[c]) index_[c] = static_cast<int>(i);
    }
  }
  cells_.clear();
}

Status CsvColumns::Split(std::string_view line) {
  SplitFields(line, cells_);
  if (cells_.size() != fields_) {
    return InvalidArgument("format",
                           fmt::format("{} fields, the header has {}", cells_.size(), fields_));
  }
  return Status::Ok();
}

std::string_view CsvColumns::Cell(int column) const {
  return index_[column] < 0 ? std::string_view() : TrimBlanks(cells_[index_[column]]);
}

Status CsvColumns::Number(int column, std::optional<double>& out) const {
  const std::string_view s = Cell(column);
  out.reset();
  if (s.empty()) return Status::Ok();
  double v = 0;
  if (!ParseNumber(s, v)) {
    return InvalidArgument("format", fmt::format("{} '{}' is not a number", names_[column], s));
  }
  out = v;
  return Status::Ok();
}

Status CsvColumns::RequiredNumber(int column, double& out) const {
  std::optional<double> v;
  if (Status st = Number(column, v); !st.ok()) return st;
  if (!v) return InvalidArgument("format", fmt::format("{} is empty", names_[column]));
  out = *v;
  return Status::Ok();
}

Status CsvColumns::Flag(int column, std::optional<bool>& out) const {
  const std::string_view s = Cell(column);
  out.reset();
  if (s == "1" || s == "true" || s == "True") {
    out = true;
  } else if (s == "0" || s == "false" || s == "False") {
    out = false;
  } else if (!s.empty()) {
    return InvalidArgument("format", fmt::format("{} '{}' is not 1, 0, true, false or empty",
                                                 names_[column], s));
  }
  return Status::Ok();
}

}  // namespace airprox
