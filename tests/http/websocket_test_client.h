// A minimal WebSocket client for tests, on a plain blocking socket: the opening handshake and the
// reading of unfragmented server frames (RFC 6455). Written for the tests because websocketpp's
// client does not compile as C++20; it reads what the server sends and sends nothing but the
// handshake, so that a test can also play a client that never reads. UseTls makes it a wss://
// client (OpenSSL, verifying the server's certificate for 127.0.0.1 against a CA file).
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace airprox::testing {

class WebSocketTestClient {
 public:
  WebSocketTestClient() = default;
  WebSocketTestClient(const WebSocketTestClient&) = delete;
  WebSocketTestClient& operator=(const WebSocketTestClient&) = delete;
  ~WebSocketTestClient() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }

  // Before Connect: speak TLS, trusting server certificates of the CA in `ca_file` that name
  // 127.0.0.1, and present the client certificate in cert_file/key_file when given. False when a
  // file cannot be used.
  bool UseTls(const std::string& ca_file, const std::string& cert_file = "", const std::string& key_file = "") {
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (ctx_ == nullptr || SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr) != 1) return false;
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_CTX_get0_param(ctx_), "127.0.0.1");
    if (!cert_file.empty() && (SSL_CTX_use_certificate_chain_file(ctx_, cert_file.c_str()) != 1 ||
                               SSL_CTX_use_PrivateKey_file(ctx_, key_file.c_str(), SSL_FILETYPE_PEM) != 1)) {
      return false;
    }
    return true;
  }

  // Connects to 127.0.0.1:port and sends the handshake for `path`, offering `protocols` (none:
  // no Sec-WebSocket-Protocol header). receive_buffer_bytes > 0 shrinks the socket's receive buffer
  // first. Returns the response's HTTP status (101: open), or -1 when the connection failed.
  int Connect(int port, const std::string& path, const std::vector<std::string>& protocols = {},
              int receive_buffer_bytes = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return -1;
    if (receive_buffer_bytes > 0) {
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof(receive_buffer_bytes));
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return -1;
    if (ctx_ != nullptr) {
      ssl_ = SSL_new(ctx_);
      SSL_set_fd(ssl_, fd_);
      if (SSL_connect(ssl_) != 1) return -1;  // the certificate is not trusted, or no TLS
    }
    std::string request = "GET " + path +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    if (!protocols.empty()) {
      request += "Sec-WebSocket-Protocol: ";
      for (std::size_t i = 0; i < protocols.size(); ++i) request += (i ? ", " : "") + protocols[i];
      request += "\r\n";
    }
    request += "\r\n";
    const long sent = ssl_ != nullptr ? SSL_write(ssl_, request.data(), static_cast<int>(request.size()))
                                      : ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL);
    if (sent != static_cast<long>(request.size())) return -1;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::size_t end = std::string::npos;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return -1;
    }
    response_headers_ = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    if (response_headers_.size() < 12) return -1;
    return std::stoi(response_headers_.substr(9, 3));
  }

  const std::string& response_headers() const { return response_headers_; }

  // The next text message, waiting at most `timeout`; nullopt on timeout or a closed connection.
  std::optional<std::string> Read(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (buffer_.size() >= 2) {
        const auto b = [&](std::size_t i) { return static_cast<std::uint8_t>(buffer_[i]); };
        const int opcode = b(0) & 0x0f;
        std::uint64_t length = b(1) & 0x7f;
        std::size_t header = 2;
        if (length == 126 && buffer_.size() >= 4) {
          length = (std::uint64_t{b(2)} << 8) | b(3);
          header = 4;
        } else if (length == 127 && buffer_.size() >= 10) {
          length = 0;
          for (int i = 0; i < 8; ++i) length = (length << 8) | b(2 + i);
          header = 10;
        }
        const bool header_complete = (b(1) & 0x7f) < 126 || header > 2;
        if (header_complete && buffer_.size() >= header + length) {
          std::string payload = buffer_.substr(header, length);
          buffer_.erase(0, header + length);
          if (opcode == 0x8) return std::nullopt;  // close
          if (opcode == 0x1) return payload;
          continue;  // ping, pong, binary: not for these tests
        }
      }
      if (!Fill(deadline)) return std::nullopt;
    }
  }

 private:
  // Reads what the socket has, waiting until the deadline; false on timeout, error or EOF.
  bool Fill(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fd_, POLLIN, 0};
    const bool pending = ssl_ != nullptr && SSL_pending(ssl_) > 0;  // decrypted, not yet read
    if (!pending && ::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count()))) <= 0) return false;
    char chunk[65536];
    const long n = ssl_ != nullptr ? SSL_read(ssl_, chunk, static_cast<int>(sizeof(chunk))) : ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string buffer_;
  std::string response_headers_;
};

}  // namespace airprox::testing
