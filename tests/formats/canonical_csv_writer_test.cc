#include "server/formats/canonical_csv_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/formats/canonical_csv.h"

namespace airprox {
namespace {

std::filesystem::path TempPath(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("airprox_csvw_" + std::to_string(::getpid()) + "_" + name);
}

std::vector<Position> Sample() {
  Position full;
  full.track_id = "39c424";
  full.callsign = "AFR787V";
  full.category = "A5";
  full.time_s = 1512132477.5;
  full.lat_deg = 48.9982151;
  full.lon_deg = -2.6093473;
  full.alt_ft = 1300;
  full.ground_speed_kt = 148.3;
  full.track_deg = 86.1;
  full.vertical_rate_fpm = -2346;
  full.on_ground = false;
  Position sparse;  // unknowns stay unknown
  sparse.track_id = "3900fb";
  sparse.time_s = 1512132478;
  sparse.lat_deg = 0.5;
  sparse.lon_deg = 179.9999999;
  return {full, sparse};
}

TEST(CanonicalCsvWriter, FormatsFixedPrecisionWithoutTrailingZeros) {
  const auto records = Sample();
  EXPECT_EQ(FormatCanonicalCsvRecord(records[0], true),
            "1512132477.5,39c424,AFR787V,48.9982151,-2.6093473,1300,148.3,86.1,-2346,0,A5");
  EXPECT_EQ(FormatCanonicalCsvRecord(records[1], false), "1512132478,3900fb,,0.5,179.9999999,,,,,");
  Position zero = records[1];
  zero.vertical_rate_fpm = -0.2;
  EXPECT_EQ(FormatCanonicalCsvRecord(zero, false), "1512132478,3900fb,,0.5,179.9999999,,,,0,");
  EXPECT_EQ(CanonicalCsvHeader(true),
            "time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,track_deg,vrate_fpm,on_ground,"
            "category");
}

TEST(CanonicalCsvWriter, RoundTripsThroughTheReaderPlainAndGzip) {
  for (const std::string name : {"round.csv", "round.csv.gz"}) {
    const auto path = TempPath(name);
    std::unique_ptr<CanonicalCsvWriter> w;
    ASSERT_TRUE(CanonicalCsvWriter::Open(path.string(), true, w).ok());
    for (const auto& p : Sample()) ASSERT_TRUE(w->Write(p).ok());
    ASSERT_TRUE(w->Close().ok());

    std::ifstream raw(path, std::ios::binary);
    const int first_byte = raw.get();
    EXPECT_EQ(first_byte == 0x1f, name.ends_with(".gz")) << "gzip magic only for .gz";

    std::unique_ptr<CanonicalCsvReader> r;
    ASSERT_TRUE(CanonicalCsvReader::Open(path.string(), r).ok());
    Position p;
    Status err;
    for (const auto& want : Sample()) {
      ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kRecord) << err.message();
      EXPECT_EQ(p.time_s, want.time_s);
      EXPECT_EQ(p.track_id, want.track_id);
      EXPECT_EQ(p.callsign, want.callsign);
      EXPECT_EQ(p.category, want.category);
      EXPECT_EQ(p.lat_deg, want.lat_deg);
      EXPECT_EQ(p.lon_deg, want.lon_deg);
      EXPECT_EQ(p.alt_ft, want.alt_ft);
      EXPECT_EQ(p.ground_speed_kt, want.ground_speed_kt);
      EXPECT_EQ(p.track_deg, want.track_deg);
      EXPECT_EQ(p.vertical_rate_fpm, want.vertical_rate_fpm);
      EXPECT_EQ(p.on_ground, want.on_ground);
    }
    EXPECT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kEnd);
    std::filesystem::remove(path);
  }
}

TEST(CanonicalCsvWriter, RefusesTextThatWouldBreakTheLine) {
  const auto path = TempPath("bad.csv");
  std::unique_ptr<CanonicalCsvWriter> w;
  ASSERT_TRUE(CanonicalCsvWriter::Open(path.string(), false, w).ok());
  Position p = Sample()[0];
  p.callsign = "A,B";
  const Status st = w->Write(p);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'A,B'"), std::string::npos) << st.message();
  ASSERT_TRUE(w->Close().ok());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), CanonicalCsvHeader(false) + "\n") << "nothing but the header";
  std::filesystem::remove(path);
}

TEST(CanonicalCsvWriter, AFileThatCannotBeCreatedIsAClearError) {
  std::unique_ptr<CanonicalCsvWriter> w;
  const Status st = CanonicalCsvWriter::Open("/nonexistent/dir/out.csv", false, w);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("/nonexistent/dir/out.csv: cannot create"), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace airprox
