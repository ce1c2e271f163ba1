// Writes metrics in the Prometheus text exposition format (version 0.0.4): one # HELP and # TYPE
// per family, then its samples. Callers write all samples of a family together.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/pipeline/histogram.h"

namespace airprox {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class PrometheusText {
 public:
  void Counter(std::string_view name, std::string_view help, double value, const MetricLabels& labels = {});
  void Gauge(std::string_view name, std::string_view help, double value, const MetricLabels& labels = {});
  void Histogram(std::string_view name, std::string_view help, const Histogram::Snapshot& h,
                 const MetricLabels& labels = {});
  // A family's header alone, for a family with no samples yet (e.g. no rejections so far).
  void Declare(std::string_view name, std::string_view type, std::string_view help);

  const std::string& text() const { return out_; }

 private:
  void Header(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, const MetricLabels& labels, double value);

  std::string out_;
  std::string family_;  // the family whose header was written last
};

}  // namespace airprox
