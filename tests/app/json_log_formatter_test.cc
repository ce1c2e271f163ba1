#include "server/app/json_log_formatter.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/details/log_msg.h>

#include <chrono>
#include <string>

namespace airprox {
namespace {

nlohmann::ordered_json Format(const std::string& text, std::set<std::string, std::less<>> string_keys = {},
                      spdlog::level::level_enum level = spdlog::level::info) {
  JsonLogFormatter formatter(std::move(string_keys));
  spdlog::details::log_msg msg("stats", level, text);
  msg.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1512140891042));
  spdlog::memory_buf_t out;
  formatter.format(msg, out);
  const std::string line(out.data(), out.size());
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line, newline-terminated: " << line;
  return nlohmann::ordered_json::parse(line);
}

TEST(JsonLogFormatter, FixedFieldsFirst) {
  const auto j = Format("hello world", {}, spdlog::level::warn);
  EXPECT_EQ(j.dump(), R"({"ts":"2017-12-01T15:08:11.042Z","level":"warning","logger":"stats","msg":"hello world"})");
}

TEST(JsonLogFormatter, KeyValueTokensBecomeFieldsDecimalsAsNumbers) {
  const auto j = Format("stats n=12 neg=-3 x=0.5 big=18446744073709551615 hex=3900fb exp=40e123 "
                        "lead=007 dot=1. empty= s=a=b name=x.y");
  EXPECT_EQ(j.at("n"), 12);
  EXPECT_EQ(j.at("neg"), -3);
  EXPECT_EQ(j.at("x"), 0.5);
  EXPECT_TRUE(j.at("big").is_number_unsigned());
  EXPECT_EQ(j.at("hex"), "3900fb");
  EXPECT_EQ(j.at("exp"), "40e123");  // no exponents: hex ids stay strings
  EXPECT_EQ(j.at("lead"), "007");
  EXPECT_EQ(j.at("dot"), "1.");
  EXPECT_EQ(j.at("empty"), "");
  EXPECT_EQ(j.at("s"), "a=b");  // split at the first '='
  EXPECT_EQ(j.at("name"), "x.y");
}

TEST(JsonLogFormatter, StringKeysStayStrings) {
  const auto j = Format("encounter a=400123 b=3c6444 seq=4", {"a", "b"});
  EXPECT_EQ(j.at("a"), "400123");
  EXPECT_EQ(j.at("seq"), 4);
}

TEST(JsonLogFormatter, FixedAndRepeatedKeysAreNotOverwritten) {
  const auto j = Format("level=9 msg=x ts=1 logger=y k=1 k=2 =v bad-key=3");
  EXPECT_EQ(j.at("level"), "info");
  EXPECT_EQ(j.at("logger"), "stats");
  EXPECT_EQ(j.at("ts"), "2017-12-01T15:08:11.042Z");
  EXPECT_EQ(j.at("msg"), "level=9 msg=x ts=1 logger=y k=1 k=2 =v bad-key=3");
  EXPECT_EQ(j.at("k"), 1);
  EXPECT_FALSE(j.contains(""));
  EXPECT_FALSE(j.contains("bad-key"));
  EXPECT_EQ(j.size(), 5u);
}

TEST(JsonLogFormatter, QuotesControlCharactersAndBadUtf8AreEscapedNotErrors) {
  const auto j = Format("say \"hi\"\nnext\ttab cs=\"x\\ bad=\xff\xfe ok=\xc3\xa9");
  EXPECT_EQ(j.at("msg").get<std::string>().substr(0, 18), "say \"hi\"\nnext\ttab ");
  EXPECT_EQ(j.at("cs"), "\"x\\");
  EXPECT_EQ(j.at("bad"), "\xef\xbf\xbd\xef\xbf\xbd");  // U+FFFD twice
  EXPECT_EQ(j.at("ok"), "\xc3\xa9");
}

}  // namespace
}  // namespace airprox
