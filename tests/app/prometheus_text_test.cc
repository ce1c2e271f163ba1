#include "server/app/prometheus_text.h"

#include <gtest/gtest.h>

namespace airprox {
namespace {

TEST(PrometheusText, OneHeaderPerFamilyAndEscapedLabels) {
  PrometheusText m;
  m.Counter("x_total", "Things, with a \\ and\na newline.", 3, {{"rule", "a\"b\\c\nd"}});
  m.Counter("x_total", "ignored: the family's header is out", 4, {{"rule", "e"}});
  m.Gauge("y", "A gauge.", 1.5);
  m.Declare("z_total", "counter", "Nothing yet.");
  EXPECT_EQ(m.text(),
            "# HELP x_total Things, with a \\\\ and\\na newline.\n# TYPE x_total counter\n"
            "x_total{rule=\"a\\\"b\\\\c\\nd\"} 3\nx_total{rule=\"e\"} 4\n"
            "# HELP y A gauge.\n# TYPE y gauge\ny 1.5\n"
            "# HELP z_total Nothing yet.\n# TYPE z_total counter\n");
}

TEST(PrometheusText, HistogramBucketsAreCumulativeWithSumAndCount) {
  Histogram h({0.1, 1});
  for (double v : {0.05, 0.1, 0.5, 7.0}) h.Observe(v);
  PrometheusText m;
  m.Histogram("lat_seconds", "Latency.", h.Read(), {{"feed", "f"}});
  EXPECT_EQ(m.text(),
            "# HELP lat_seconds Latency.\n# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{feed=\"f\",le=\"0.1\"} 2\nlat_seconds_bucket{feed=\"f\",le=\"1\"} 3\n"
            "lat_seconds_bucket{feed=\"f\",le=\"+Inf\"} 4\nlat_seconds_sum{feed=\"f\"} 7.65\n"
            "lat_seconds_count{feed=\"f\"} 4\n");
}

}  // namespace
}  // namespace airprox
