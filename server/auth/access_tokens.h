// The bearer tokens airproxd accepts, read from a token file (auth.token_file, --token-file): one
// token per line as `SHA256HEX NAME ROLE[,ROLE...]`, whitespace-separated; `#` starts a comment.
// The file holds the SHA-256 of each token, never the token itself: a call presents the token,
// which is hashed and looked up. NAME identifies the holder in logs (the token never is).
// Transport-free: the gRPC and HTTP adapters pass the presented token in.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/auth/role.h"
#include "server/core/status.h"

namespace airprox {

struct TokenHolder {
  std::string name;
  Roles roles;
};

class AccessTokens {
 public:
  // Parses a token file's text. A bad line is an error naming `source:LINE` and the problem
  // (not 64 hex digits, a name with other characters than letters, digits and ._@:-, an unknown
  // role, a hash or a name given twice). A file without tokens is valid and lets nobody in.
  static Status Parse(std::string_view text, std::string_view source, AccessTokens& out);
  // Parse of the file at `path`; a file that cannot be read is an error naming it.
  static Status Load(const std::string& path, AccessTokens& out);

  // The holder of `token` (the token itself, hashed here), or nullptr when nobody holds it.
  const TokenHolder* Find(std::string_view token) const;
  std::size_t size() const { return by_hash_.size(); }

 private:
  std::unordered_map<std::string, TokenHolder> by_hash_;  // lowercase hex SHA-256 -> holder
};

// SHA-256 of `data` as 64 lowercase hex digits (OpenSSL's libcrypto).
std::string Sha256Hex(std::string_view data);

}  // namespace airprox
