// Fuzzes what the daemon's authentication reads from outside: certificate files (czmq's ZPL text, from
// --curve-secret-file and --curve-clients) and ZAP requests (frames libzmq builds from what a peer sent).
// The first byte picks the surface; a certificate that parses must hold valid Z85 keys, and a certificate
// written back must parse to the same keys; a ZAP request always gets one of the three answers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "curve_keys.hpp"
#include "endpoint_security.hpp"
#include "zap_handler.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace voxd::daemon;
  if (size == 0) {
    return 0;
  }
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);  // NOLINT: bytes as text
  if (data[0] % 2 == 0) {
    for (const bool need_secret : {false, true}) {
      auto certificate = parse_certificate(input, "fuzz", need_secret);
      if (!certificate.ok()) {
        continue;
      }
      if (!check_z85_key(certificate->public_key, "public").ok() ||
          (need_secret && !check_z85_key(certificate->secret_key, "secret").ok())) {
        std::abort();
      }
      auto again = parse_certificate(certificate_text(*certificate, need_secret), "again", need_secret);
      if (!again.ok() || again->public_key != certificate->public_key ||
          (need_secret && again->secret_key != certificate->secret_key)) {
        std::abort();
      }
    }
    return 0;
  }
  // Frames separated by NUL bytes (a frame may hold anything else, credentials included).
  std::vector<std::string> frames;
  std::size_t start = 0;
  while (start <= input.size() && frames.size() < 32) {
    const std::size_t end = input.find('\0', start);
    frames.emplace_back(input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  const std::set<std::string> keys{"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"};
  const ZapDecision decision = decide_zap_request(frames, keys);
  if (decision.status != "200" && decision.status != "400" && decision.status != "500") {
    std::abort();
  }
  if (decision.status == "200" && frames.size() > 2 && frames[2] == kZapDomainCurve &&
      decision.user_id != "curve:rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7") {
    std::abort();  // CURVE lets in only the allowed key
  }
  return 0;
}
