#include "server/app/server_certificates.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <unistd.h>

#include <grpcpp/security/tls_credentials_options.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace airprox {
namespace {

// How often gRPC re-reads the staged copies (whole seconds: the provider's unit).
constexpr unsigned kWatchIntervalS = 1;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;

// Never prompts for a passphrase: an encrypted key is an error.
int NoPassphrase(char*, int, int, void*) { return -1; }

Status FileError(const char* key, const std::string& path, const std::string& problem) {
  return InvalidArgument("tls", fmt::format("{}: {}: {}", key, path, problem));
}

Status ReadFile(const char* key, const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FileError(key, path, "cannot open the file");
  std::stringstream text;
  text << in.rdbuf();
  out = text.str();
  return Status::Ok();
}

BioPtr MemoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// The certificates of a PEM text, in order.
std::vector<X509Ptr> ReadCertificates(const std::string& pem) {
  std::vector<X509Ptr> out;
  BioPtr bio = MemoryBio(pem);
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr)) out.emplace_back(x);
  ERR_clear_error();
  return out;
}

std::string Describe(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  BIO_printf(bio.get(), "subject ");
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  BIO_printf(bio.get(), ", expires ");
  ASN1_TIME_print(bio.get(), X509_get0_notAfter(cert));
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) BIO_printf(bio.get(), " (EXPIRED)");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

struct Material {
  std::string identity_pem;  // the key, then the certificate chain
  std::string ca_pem;
  std::string description;
};

Status ReadMaterial(const TlsOptions& tls, Material& out) {
  std::string chain, key_pem;
  if (Status st = ReadFile("tls.cert", tls.cert, chain); !st.ok()) return st;
  if (Status st = ReadFile("tls.key", tls.key, key_pem); !st.ok()) return st;
  std::vector<X509Ptr> certs = ReadCertificates(chain);
  if (certs.empty()) return FileError("tls.cert", tls.cert, "no PEM certificate in the file");
  BioPtr key_bio = MemoryBio(key_pem);
  KeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  if (!key) {
    return FileError("tls.key", tls.key, "no PEM private key in the file (an encrypted key is not supported)");
  }
  if (X509_check_private_key(certs.front().get(), key.get()) != 1) {
    ERR_clear_error();
    return FileError("tls.key", tls.key, "does not match the certificate in " + tls.cert);
  }
  if (!tls.client_ca.empty()) {
    if (Status st = ReadFile("tls.client_ca", tls.client_ca, out.ca_pem); !st.ok()) return st;
    if (ReadCertificates(out.ca_pem).empty()) {
      return FileError("tls.client_ca", tls.client_ca, "no PEM certificate in the file");
    }
  }
  // The key alone (as PEM, whatever the file held besides it), then the chain as given.
  BioPtr key_out(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(key_out.get(), &data);
  out.identity_pem = std::string(data, static_cast<std::size_t>(n)) + chain;
  if (out.identity_pem.back() != '\n') out.identity_pem += '\n';
  out.description = Describe(certs.front().get());
  return Status::Ok();
}

// Writes `text` to dir/name through a temporary file and a rename: a reader sees the old file
// or the new one, never a part.
Status WriteAtomically(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name, tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return {StatusCode::kInternal, "tls", "cannot write " + tmp};
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w <= 0) {
      ::close(fd);
      return {StatusCode::kInternal, "tls", "cannot write " + tmp};
    }
    done += static_cast<std::size_t>(w);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return {StatusCode::kInternal, "tls", "cannot rename " + tmp};
  return Status::Ok();
}

}  // namespace

Status ServerCertificates::Open(const TlsOptions& tls, std::unique_ptr<ServerCertificates>& out) {
  Material m;
  if (Status st = ReadMaterial(tls, m); !st.ok()) return st;
  std::unique_ptr<ServerCertificates> c(new ServerCertificates());
  c->tls_ = tls;
  std::string dir = (std::filesystem::temp_directory_path() / "airproxd-tls-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) {
    return {StatusCode::kInternal, "tls", "cannot create a private directory for the TLS files in " +
                                              std::filesystem::temp_directory_path().string()};
  }
  c->dir_ = dir;
  if (Status st = c->Stage(m.identity_pem, m.ca_pem); !st.ok()) return st;
  c->description_ = m.description;
  c->current_ = {m.identity_pem, m.ca_pem};
  const std::string identity = dir + "/identity.pem";
  c->provider_ = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      identity, identity, tls.client_ca.empty() ? "" : dir + "/client_ca.pem", kWatchIntervalS);
  out = std::move(c);
  return Status::Ok();
}

ServerCertificates::~ServerCertificates() {
  provider_.reset();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Status ServerCertificates::Stage(const std::string& identity_pem, const std::string& ca_pem) {
  if (!ca_pem.empty()) {
    if (Status st = WriteAtomically(dir_, "client_ca.pem", ca_pem); !st.ok()) return st;
  }
  return WriteAtomically(dir_, "identity.pem", identity_pem);
}

Status ServerCertificates::Reload() {
  Material m;
  if (Status st = ReadMaterial(tls_, m); !st.ok()) return st;
  std::lock_guard lock(mu_);
  if (Status st = Stage(m.identity_pem, m.ca_pem); !st.ok()) return st;
  description_ = m.description;
  current_ = {m.identity_pem, m.ca_pem};
  return Status::Ok();
}

std::shared_ptr<grpc::ServerCredentials> ServerCertificates::Credentials() const {
  grpc::experimental::TlsServerCredentialsOptions options(provider_);
  options.watch_identity_key_cert_pairs();
  if (tls_.client_ca.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

ServerCertificates::Pem ServerCertificates::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

std::string ServerCertificates::Describe() const {
  std::lock_guard lock(mu_);
  return description_;
}

}  // namespace airprox
