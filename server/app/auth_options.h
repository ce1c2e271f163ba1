// The `auth:` section of the config: the bearer-token file (server/auth/access_tokens.h describes
// its lines), re-read on SIGHUP. --token-file overrides it.
#pragma once

#include <string>

namespace airprox {

struct AuthOptions {
  std::string token_file;  // "": no tokens, every call allowed
};

}  // namespace airprox
