// A throwaway PKI for TLS tests, made with Debian's openssl command in a temporary directory:
// CAs, server certificates for 127.0.0.1 and localhost, client certificates. EC P-256 keys (fast).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace airprox::testing {

class TestCertificates {
 public:
  explicit TestCertificates(const std::string& tag)
      : dir_(std::filesystem::temp_directory_path() /
             ("airprox_pki_" + tag + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TestCertificates() { std::filesystem::remove_all(dir_); }

  // NAME.crt and NAME.key: a self-signed CA.
  void MakeCa(const std::string& name) {
    Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj '/CN=" + name +
        "' -keyout " + Path(name + ".key") + " -out " + Path(name + ".crt"));
  }

  // NAME.crt and NAME.key signed by CA `ca`, with common name `cn`: a server certificate for
  // 127.0.0.1 and localhost, or a client certificate.
  void MakeCert(const std::string& name, const std::string& ca, const std::string& cn, bool server) {
    const std::string ext = Path(name + ".ext");
    std::ofstream(ext) << (server ? "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
                                  : "extendedKeyUsage=clientAuth\n");
    Run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '/CN=" + cn + "' -keyout " +
        Path(name + ".key") + " -out " + Path(name + ".csr"));
    Run("openssl x509 -req -days 2 -set_serial " + std::to_string(++serial_) + " -in " + Path(name + ".csr") +
        " -CA " + Path(ca + ".crt") + " -CAkey " + Path(ca + ".key") + " -extfile " + ext + " -out " +
        Path(name + ".crt"));
  }

  std::string Path(const std::string& file) const { return (dir_ / file).string(); }
  std::string Read(const std::string& file) const {
    std::ifstream in(Path(file));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  static void Run(const std::string& command) {
    ASSERT_EQ(std::system((command + " >/dev/null 2>&1").c_str()), 0) << command;
  }

  std::filesystem::path dir_;
  int serial_ = 0;
};

}  // namespace airprox::testing
