#include "server/app/encounter_log.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <map>
#include <sstream>

#include "server/app/log_setup.h"
#include "tests/app/log_test_support.h"

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

using testing::LogFields;

TEST(EncounterLog, LineHasStableKeyValueFields) {
  const auto f = LogFields(FormatEncounterLogLine(Sample(EncounterKind::kStarted)));
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
  EXPECT_EQ(LogFields(FormatEncounterLogLine(Sample(EncounterKind::kEnded))).at("reason"), "separated");
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

// The lines EncounterLog writes through a logger named "encounter" with the formatter of `format`.
std::vector<std::string> LoggedLines(LogFormat format, const std::vector<EncounterEvent>& events) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
  LogOptions options;
  options.format = format;
  sink->set_formatter(MakeLogFormatter(options));
  EncounterLog log(std::make_shared<spdlog::logger>("encounter", sink));
  log.OnEvents(events);
  std::vector<std::string> lines;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(EncounterLog, TextLineHasTheLevelTheLoggerAndEveryField) {
  const auto lines = LoggedLines(LogFormat::kText, {Sample(EncounterKind::kEnded)});
  ASSERT_EQ(lines.size(), 1u);
  // "2026-11-29T04:04:27.145 info [encounter] encounter event=ENDED seq=17 ..."
  std::istringstream words(lines[0]);
  std::string ts, level, logger, word;
  words >> ts >> level >> logger >> word;
  EXPECT_EQ(ts.size(), 23u) << ts;
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(level, "info");
  EXPECT_EQ(logger, "[encounter]");
  EXPECT_EQ(word, "encounter");
  const auto f = LogFields(lines[0]);
  const std::map<std::string, std::string> expected{
      {"event", "ENDED"}, {"seq", "17"}, {"id", "3900fb-39c424-1512140891000"}, {"rule", "nmac"},
      {"severity", "ALERT"}, {"time", "2017-12-01T15:08:11Z"}, {"a", "3900fb"}, {"a_callsign", "FWKDL"},
      {"b", "39c424"}, {"b_callsign", "-"}, {"h_nm", "0.071"}, {"v_ft", "87"}, {"tcpa_s", "3.2"},
      {"cpa_h_nm", "0.010"}, {"cpa_v_ft", "80"}, {"closest_h_nm", "0.071"}, {"closest_v_ft", "87"},
      {"closest_time", "2017-12-01T15:08:11Z"}, {"max_severity", "ALERT"}, {"duration_s", "0"},
      {"lat", "43.12346"}, {"lon", "3.50000"}, {"reason", "separated"}};
  EXPECT_EQ(f, expected);
}

TEST(EncounterLog, JsonLineHasEveryFieldTypedNumbersAsNumbersIdsAsStrings) {
  EncounterEvent e = Sample(EncounterKind::kEnded);
  e.b.track_id = "400123";  // an ICAO address made of digits stays a string
  e.b.callsign = "Q\"7";    // quotes are escaped by the JSON library
  const auto lines = LoggedLines(LogFormat::kJson, {Sample(EncounterKind::kStarted), e});
  ASSERT_EQ(lines.size(), 2u);
  const auto started = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(started.at("level"), "warning");
  EXPECT_EQ(started.at("event"), "STARTED");
  EXPECT_FALSE(started.contains("reason"));
  const auto j = nlohmann::json::parse(lines[1]);
  const std::string ts = j.at("ts");
  EXPECT_EQ(ts.size(), 24u) << ts;
  EXPECT_EQ(ts.back(), 'Z');
  EXPECT_EQ(j.at("level"), "info");
  EXPECT_EQ(j.at("logger"), "encounter");
  EXPECT_EQ(j.at("msg"), FormatEncounterLogLine(e));
  EXPECT_EQ(j.at("event"), "ENDED");
  EXPECT_EQ(j.at("seq"), 17);
  EXPECT_TRUE(j.at("seq").is_number_integer());
  EXPECT_EQ(j.at("id"), "3900fb-39c424-1512140891000");
  EXPECT_EQ(j.at("rule"), "nmac");
  EXPECT_EQ(j.at("severity"), "ALERT");
  EXPECT_EQ(j.at("time"), "2017-12-01T15:08:11Z");
  EXPECT_EQ(j.at("a"), "3900fb");
  EXPECT_EQ(j.at("a_callsign"), "FWKDL");
  EXPECT_EQ(j.at("b"), "400123");
  EXPECT_EQ(j.at("b_callsign"), "Q\"7");
  EXPECT_EQ(j.at("h_nm"), 0.071);
  EXPECT_EQ(j.at("v_ft"), 87);
  EXPECT_EQ(j.at("tcpa_s"), 3.2);
  EXPECT_EQ(j.at("cpa_h_nm"), 0.01);
  EXPECT_EQ(j.at("cpa_v_ft"), 80);
  EXPECT_EQ(j.at("closest_h_nm"), 0.071);
  EXPECT_EQ(j.at("closest_v_ft"), 87);
  EXPECT_EQ(j.at("closest_time"), "2017-12-01T15:08:11Z");
  EXPECT_EQ(j.at("max_severity"), "ALERT");
  EXPECT_EQ(j.at("duration_s"), 0);
  EXPECT_EQ(j.at("lat"), 43.12346);
  EXPECT_EQ(j.at("lon"), 3.5);
  EXPECT_EQ(j.at("reason"), "separated");
  EXPECT_EQ(j.size(), 4u + 23u);  // ts, level, logger, msg and the 23 fields
}

}  // namespace
}  // namespace airprox
