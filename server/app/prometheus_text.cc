#include "server/app/prometheus_text.h"

#include <fmt/format.h>

#include <cmath>

namespace airprox {
namespace {

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
std::string Escape(std::string_view s, bool quotes) {
  std::string out;
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

}  // namespace

void PrometheusText::Header(std::string_view name, std::string_view type, std::string_view help) {
  if (family_ == name) return;
  family_ = std::string(name);
  out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, Escape(help, false), name, type);
}

void PrometheusText::Declare(std::string_view name, std::string_view type, std::string_view help) {
  Header(name, type, help);
}

void PrometheusText::Sample(std::string_view name, const MetricLabels& labels, double value) {
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      out_ += fmt::format("{}{}=\"{}\"", i ? "," : "", labels[i].first, Escape(labels[i].second, true));
    }
    out_ += '}';
  }
  out_ += ' ' + Number(value) + '\n';
}

void PrometheusText::Counter(std::string_view name, std::string_view help, double value,
                             const MetricLabels& labels) {
  Header(name, "counter", help);
  Sample(name, labels, value);
}

void PrometheusText::Gauge(std::string_view name, std::string_view help, double value,
                           const MetricLabels& labels) {
  Header(name, "gauge", help);
  Sample(name, labels, value);
}

void PrometheusText::Histogram(std::string_view name, std::string_view help,
                               const Histogram::Snapshot& h, const MetricLabels& labels) {
  Header(name, "histogram", help);
  const std::string bucket = std::string(name) + "_bucket";
  for (std::size_t i = 0; i <= h.upper_bounds.size(); ++i) {
    MetricLabels with_le = labels;
    with_le.emplace_back("le", i < h.upper_bounds.size() ? Number(h.upper_bounds[i]) : "+Inf");
    Sample(bucket, with_le, static_cast<double>(h.cumulative[i]));
  }
  Sample(std::string(name) + "_sum", labels, h.sum);
  Sample(std::string(name) + "_count", labels, static_cast<double>(h.cumulative.back()));
}

}  // namespace airprox
