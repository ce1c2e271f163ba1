#include "server/app/encounter_log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <map>
#include <sstream>

namespace airprox {
namespace {

EncounterEvent Sample(EncounterKind kind) {
  EncounterEvent e;
  e.sequence = 17;
  e.encounter_id = "3900fb-39c424-1512140891000";
  e.kind = kind;
  e.severity = Severity::kAlert;
  e.rule = "nmac";
  e.time_s = 1512140891;
  e.a.track_id = "3900fb";
  e.a.callsign = "FWKDL";
  e.a.lat_deg = 43.123456;
  e.a.lon_deg = 3.5;
  e.b.track_id = "39c424";
  e.horizontal_nm = 0.0714;
  e.vertical_ft = 87;
  e.time_to_cpa_s = 3.25;
  e.cpa_horizontal_nm = 0.01;
  e.cpa_vertical_ft = 80;
  e.closest = {0.0714, 87, 1512140891};
  e.max_severity = Severity::kAlert;
  if (kind == EncounterKind::kEnded) e.end_reason = "separated";
  return e;
}

std::map<std::string, std::string> Fields(const std::string& line) {
  std::map<std::string, std::string> out;
  std::istringstream in(line);
  std::string word;
  while (in >> word) {
    const auto eq = word.find('=');
    if (eq != std::string::npos) out[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return out;
}

TEST(EncounterLog, LineHasStableKeyValueFields) {
  const auto f = Fields(FormatEncounterLogLine(Sample(EncounterKind::kStarted)));
  EXPECT_EQ(f.at("event"), "STARTED");
  EXPECT_EQ(f.at("seq"), "17");
  EXPECT_EQ(f.at("id"), "3900fb-39c424-1512140891000");
  EXPECT_EQ(f.at("rule"), "nmac");
  EXPECT_EQ(f.at("severity"), "ALERT");
  EXPECT_EQ(f.at("time"), "2017-12-01T15:08:11Z");
  EXPECT_EQ(f.at("a"), "3900fb");
  EXPECT_EQ(f.at("a_callsign"), "FWKDL");
  EXPECT_EQ(f.at("b"), "39c424");
  EXPECT_EQ(f.at("b_callsign"), "-");
  EXPECT_EQ(f.at("h_nm"), "0.071");
  EXPECT_EQ(f.at("v_ft"), "87");
  EXPECT_EQ(f.at("tcpa_s"), "3.2");
  EXPECT_EQ(f.at("lat"), "43.12346");
  EXPECT_EQ(f.at("closest_time"), "2017-12-01T15:08:11Z");
  EXPECT_EQ(f.at("max_severity"), "ALERT");
  EXPECT_EQ(f.at("duration_s"), "0");
  EXPECT_EQ(f.count("reason"), 0u);
  EXPECT_EQ(Fields(FormatEncounterLogLine(Sample(EncounterKind::kEnded))).at("reason"), "separated");
}

TEST(EncounterLog, OneLinePerEventStartedAtWarnForWarningsAndAbove) {
  std::ostringstream out;
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_st>(out));
  logger->set_pattern("%l %v");
  EncounterLog log(logger);
  log.OnEvents({Sample(EncounterKind::kStarted), Sample(EncounterKind::kEnded)});
  std::istringstream lines(out.str());
  std::string first, second, third;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_FALSE(std::getline(lines, third));
  EXPECT_EQ(first.rfind("warning encounter event=STARTED", 0), 0u) << first;
  EXPECT_EQ(second.rfind("info encounter event=ENDED", 0), 0u) << second;
}

}  // namespace
}  // namespace airprox
