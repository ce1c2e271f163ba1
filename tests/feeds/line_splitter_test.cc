#include "server/feeds/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace airprox {
namespace {

struct Split {
  explicit Split(std::size_t max) : splitter(max) {}
  void Feed(std::string_view data) {
    splitter.Feed(data, [&](std::string_view l) { lines.emplace_back(l); }, [&] { ++too_long; });
  }
  LineSplitter splitter;
  std::vector<std::string> lines;
  int too_long = 0;
};

TEST(LineSplitter, LinesSplitAcrossReadsComeOutWhole) {
  Split s(100);
  s.Feed("MSG,1,a\r\nMSG,");
  EXPECT_EQ(s.lines, std::vector<std::string>{"MSG,1,a\r"});
  EXPECT_EQ(s.splitter.pending_bytes(), 4u);
  s.Feed("3,b");
  s.Feed("\nMSG,4,c\n\n");
  EXPECT_EQ(s.lines, (std::vector<std::string>{"MSG,1,a\r", "MSG,3,b", "MSG,4,c", ""}));
  EXPECT_EQ(s.splitter.pending_bytes(), 0u);
}

TEST(LineSplitter, AnOverLongLineIsDroppedOnceAndTheNextLineIsKept) {
  Split s(8);
  s.Feed("12345678\n123456789");  // exactly 8: kept; 9: too long
  s.Feed("0123456789");           // the same line goes on: still one report, nothing held
  EXPECT_LE(s.splitter.pending_bytes(), 8u);
  s.Feed("abc\nok\n");
  EXPECT_EQ(s.lines, (std::vector<std::string>{"12345678", "ok"}));
  EXPECT_EQ(s.too_long, 1);
}

}  // namespace
}  // namespace airprox
