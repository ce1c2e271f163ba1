#include "server/formats/line_reader.h"

#include <gtest/gtest.h>

#include "tests/formats/recording_files.h"

namespace airprox {
namespace {

using LineReaderTest = testing::RecordingFiles;

TEST_F(LineReaderTest, StripsLineEndingsAndCountsLines) {
  for (bool gz : {false, true}) {
    std::unique_ptr<LineReader> r;
    ASSERT_TRUE(LineReader::Open(Write(gz ? "a.gz" : "a.txt", "one\r\n\ntwo", gz), r).ok());
    std::string line;
    ASSERT_TRUE(r->Next(line));
    EXPECT_EQ(line, "one");
    ASSERT_TRUE(r->Next(line));
    EXPECT_EQ(line, "");
    ASSERT_TRUE(r->Next(line));
    EXPECT_EQ(line, "two");
    EXPECT_EQ(r->line_number(), 3u);
    EXPECT_FALSE(r->Next(line));
    EXPECT_TRUE(r->error().ok());
  }
}

TEST_F(LineReaderTest, LongLinesAreCutOneByteOverTheLimit) {
  const std::string long_line(10000, 'x');
  std::unique_ptr<LineReader> r;
  ASSERT_TRUE(LineReader::Open(Write("l.txt", "0123456789\r\n" + long_line + "\nafter\n"), r).ok());
  r->set_max_line_bytes(10);
  std::string line;
  ASSERT_TRUE(r->Next(line));
  EXPECT_EQ(line, "0123456789");  // exactly at the limit: whole
  ASSERT_TRUE(r->Next(line));
  EXPECT_EQ(line, std::string(11, 'x'));
  ASSERT_TRUE(r->Next(line));
  EXPECT_EQ(line, "after");
  EXPECT_EQ(r->line_number(), 3u);
}

TEST_F(LineReaderTest, LocatedPrefixesFileAndLine) {
  std::unique_ptr<LineReader> r;
  const std::string path = Write("a.txt", "x\ny\n");
  ASSERT_TRUE(LineReader::Open(path, r).ok());
  std::string line;
  r->Next(line);
  r->Next(line);
  const Status st = r->Located(InvalidArgument("format", "bad y"));
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.reason(), "format");
  EXPECT_EQ(st.message(), path + ":2: bad y");
}

}  // namespace
}  // namespace airprox
