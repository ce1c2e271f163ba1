// Plaintext stays on this machine: airproxd refuses to listen without TLS on an address that is
// not loopback (the gRPC and HTTP ports without tls.cert, SBS listener feeds, which accept
// positions) unless --allow-insecure is given.
#pragma once

#include <string>
#include <vector>

#include "server/app/config.h"

namespace airprox {

// The first plaintext listener on a non-loopback address, as one line naming its key, the address
// and the flag; Ok when there is none or config.allow_insecure is set.
Status CheckPlaintextListeners(const Config& config);

// Every plaintext listener on a non-loopback address ("gRPC 0.0.0.0:50051"), for the warning that
// airproxd logs when --allow-insecure lets them through.
std::vector<std::string> InsecureListeners(const Config& config);

}  // namespace airprox
