#include "server/auth/access_tokens.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace airprox {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '@' || c == ':' || c == '-';
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

Status LineError(std::string_view source, std::size_t line, const std::string& problem) {
  return InvalidArgument("token_file", fmt::format("{}:{}: {}", source, line, problem));
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

Status AccessTokens::Parse(std::string_view text, std::string_view source, AccessTokens& out) {
  AccessTokens tokens;
  std::set<std::string> names;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::vector<std::string_view> f = Fields(line);
    if (f.empty()) continue;
    if (f.size() != 3) {
      return LineError(source, line_number,
                       fmt::format("expected SHA256HEX NAME ROLE[,ROLE...], found {} field{}", f.size(),
                                   f.size() == 1 ? "" : "s"));
    }
    std::string digest(f[0]);
    bool hex = digest.size() == 64;
    for (char& c : digest) {
      if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
      hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
    if (!hex) {
      return LineError(source, line_number,
                       "the first field is not a SHA-256 in hex (64 digits 0-9a-f): hash the token, "
                       "e.g. printf %s \"$TOKEN\" | sha256sum");
    }
    const std::string name(f[1]);
    for (char c : name) {
      if (!IsNameChar(c)) {
        return LineError(source, line_number,
                         fmt::format("name '{}' has a character other than letters, digits and ._@:-", name));
      }
    }
    if (name.size() > 64) return LineError(source, line_number, "name is longer than 64 characters");
    TokenHolder holder{name, {}};
    std::string_view roles = f[2];
    while (true) {
      const std::size_t comma = roles.find(',');
      const std::string_view role = roles.substr(0, comma);
      const std::optional<Role> r = ParseRole(role);
      if (!r) {
        return LineError(source, line_number,
                         fmt::format("'{}' is not a role (ingest, subscribe, admin)", role));
      }
      holder.roles.Add(*r);
      if (comma == std::string_view::npos) break;
      roles.remove_prefix(comma + 1);
    }
    if (!names.insert(name).second) {
      return LineError(source, line_number, fmt::format("name '{}' is used twice", name));
    }
    if (!tokens.by_hash_.emplace(digest, std::move(holder)).second) {
      return LineError(source, line_number, "this hash is given twice");
    }
  }
  out = std::move(tokens);
  return Status::Ok();
}

Status AccessTokens::Load(const std::string& path, AccessTokens& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("token_file", fmt::format("{}: cannot open the token file", path));
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return InvalidArgument("token_file", fmt::format("{}: cannot read the token file", path));
  return Parse(text.str(), path, out);
}

const TokenHolder* AccessTokens::Find(std::string_view token) const {
  if (token.empty()) return nullptr;
  const auto it = by_hash_.find(Sha256Hex(token));
  return it == by_hash_.end() ? nullptr : &it->second;
}

}  // namespace airprox
