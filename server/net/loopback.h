// Whether a listen address stays on this machine: plaintext listeners are allowed there only
// (airproxd refuses others without --allow-insecure).
#pragma once

#include <string_view>

namespace airprox {

// True for a literal loopback address (127.0.0.0/8, ::1, ::ffff:127.x.y.z), and for "localhost"
// when every address it resolves to is one (it goes through /etc/hosts). Anything else, wildcards
// (0.0.0.0, ::, "") and other host names included, is not loopback.
bool IsLoopbackHost(std::string_view host);

}  // namespace airprox
