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

// Found by fuzzing (tests/fuzz/line_reader_fuzz.cc): lines were read with gzgets and measured
// with strlen, so a NUL byte cut its line there, and when the rest of the line held the '\n', the
// next line was joined on: a line's content was lost and every later line number was one off.
TEST_F(LineReaderTest, NulBytesAreAnOrdinaryPartOfTheirLine) {
  const std::string text("a\0b\n\0\nc\r\n", 9);
  for (bool gz : {false, true}) {
    std::unique_ptr<LineReader> r;
    ASSERT_TRUE(LineReader::Open(Write(gz ? "nul.gz" : "nul.txt", text, gz), r).ok());
    std::string line;
    ASSERT_TRUE(r->Next(line));
    EXPECT_EQ(line, std::string("a\0b", 3));
    ASSERT_TRUE(r->Next(line));
    EXPECT_EQ(line, std::string(1, '\0'));
    ASSERT_TRUE(r->Next(line));
    EXPECT_EQ(line, "c");
    EXPECT_EQ(r->line_number(), 3u);
    EXPECT_FALSE(r->Next(line));
    EXPECT_TRUE(r->error().ok());
  }
}

// Lines longer than the reader's block (64 KiB) come back whole.
TEST_F(LineReaderTest, LinesSpanningBlocksComeBackWhole) {
  const std::string long_line(200000, 'y');
  std::unique_ptr<LineReader> r;
  ASSERT_TRUE(LineReader::Open(Write("big.txt", "x\n" + long_line + "\r\nz"), r).ok());
  std::string line;
  ASSERT_TRUE(r->Next(line));
  EXPECT_EQ(line, "x");
  ASSERT_TRUE(r->Next(line));
  EXPECT_EQ(line, long_line);
  ASSERT_TRUE(r->Next(line));
  EXPECT_EQ(line, "z");
  EXPECT_FALSE(r->Next(line));
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
