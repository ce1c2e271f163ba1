// The config loader: the input as a YAML file given with --config (LoadConfig: the embedded
// defaults, then the file), then ValidateConfig. Besides crashes (an exception yaml-cpp throws
// that the loader lets out ends airproxd instead of naming the key): a config that loads prints
// (ConfigToYaml) as YAML that loads back to the same config.
#include <cstdint>
#include <string>

#include "server/app/config.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace airprox;
  const std::string& path = fuzz::MemoryFile::Get().Set(data, size);
  Config config;
  const Status loaded = LoadConfig(path, config);
  if (!loaded.ok()) {
    if (loaded.message().empty()) fuzz::Fail("LoadConfig: an error without a message");
    return 0;
  }
  (void)ValidateConfig(config);
  const std::string yaml = ConfigToYaml(config);
  Config again;
  if (const Status st = ApplyConfigYaml(yaml, "printed", again); !st.ok()) {
    fuzz::Fail("ConfigToYaml printed YAML that does not load: " + st.message() + "\n" + yaml);
  }
  if (ConfigToYaml(again) != yaml) fuzz::Fail("ConfigToYaml does not read back the same:\n" + yaml);
  return 0;
}
