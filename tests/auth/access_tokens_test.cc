#include "server/auth/access_tokens.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace airprox {
namespace {

// printf %s alpha | sha256sum
constexpr const char* kAlphaHash = "8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8";

TEST(Sha256Hex, MatchesTheKnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("alpha"), kAlphaHash);
}

TEST(AccessTokens, FindsAHolderByItsTokenNeverByItsHash) {
  AccessTokens t;
  const std::string text = std::string("# operators\n\n") + kAlphaHash + "  radar-1\tingest,subscribe  # roof\r\n" +
                           Sha256Hex("beta") + " ops@example admin\n";
  ASSERT_TRUE(AccessTokens::Parse(text, "tokens", t).ok());
  EXPECT_EQ(t.size(), 2u);
  const TokenHolder* a = t.Find("alpha");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "radar-1");
  EXPECT_EQ(a->roles, (Roles{Role::kIngest, Role::kSubscribe}));
  ASSERT_NE(t.Find("beta"), nullptr);
  EXPECT_EQ(t.Find("beta")->roles, Roles{Role::kAdmin});
  EXPECT_EQ(t.Find(kAlphaHash), nullptr);
  EXPECT_EQ(t.Find("alpha "), nullptr);
  EXPECT_EQ(t.Find(""), nullptr);
}

TEST(AccessTokens, UppercaseHexIsTheSameHash) {
  std::string upper = kAlphaHash;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  AccessTokens t;
  ASSERT_TRUE(AccessTokens::Parse(upper + " a ingest", "tokens", t).ok());
  EXPECT_NE(t.Find("alpha"), nullptr);
}

TEST(AccessTokens, AnEmptyFileIsValidAndLetsNobodyIn) {
  AccessTokens t;
  ASSERT_TRUE(AccessTokens::Parse("# every token revoked\n", "tokens", t).ok());
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.Find("alpha"), nullptr);
}

TEST(AccessTokens, BadLinesAreRejectedWithFileAndLine) {
  const std::string h = kAlphaHash;
  const std::string other = Sha256Hex("beta");
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"# ok\n" + h + " a\n", "tokens:2: expected SHA256HEX NAME ROLE[,ROLE...], found 2 fields"},
      {h + " a ingest extra\n", "tokens:1: expected SHA256HEX NAME ROLE[,ROLE...], found 4 fields"},
      {"alpha a ingest\n", "tokens:1: the first field is not a SHA-256 in hex"},
      {h.substr(1) + " a ingest\n", "tokens:1: the first field is not a SHA-256 in hex"},
      {"g" + h.substr(1) + " a ingest\n", "tokens:1: the first field is not a SHA-256 in hex"},
      {h + " a ingest,read\n", "tokens:1: 'read' is not a role (ingest, subscribe, admin)"},
      {h + " a ingest,\n", "tokens:1: '' is not a role"},
      {h + " a=b ingest\n", "tokens:1: name 'a=b' has a character other than"},
      {h + " a ingest\n" + other + " a subscribe\n", "tokens:2: name 'a' is used twice"},
      {h + " a ingest\n\n" + h + " b subscribe\n", "tokens:3: this hash is given twice"},
  };
  for (const Case& c : cases) {
    AccessTokens t;
    const Status st = AccessTokens::Parse(c.text, "tokens", t);
    EXPECT_FALSE(st.ok()) << c.text;
    EXPECT_NE(st.message().find(c.error), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find("alpha"), std::string::npos) << st.message();
  }
}

TEST(AccessTokens, LoadNamesAFileItCannotRead) {
  AccessTokens t;
  const Status st = AccessTokens::Load("/nonexistent/airprox-tokens", t);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "/nonexistent/airprox-tokens: cannot open the token file");
  const auto path = std::filesystem::temp_directory_path() / ("airprox_tokens_" + std::to_string(::getpid()));
  std::ofstream(path) << kAlphaHash << " a ingest\n";
  ASSERT_TRUE(AccessTokens::Load(path, t).ok());
  EXPECT_NE(t.Find("alpha"), nullptr);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace airprox
