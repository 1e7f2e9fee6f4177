#include "common/url.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace vikno {

bool is_loopback_url(std::string_view url) {
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
  }
  url = url.substr(0, url.find_first_of("/?#"));
  if (auto at = url.rfind('@'); at != std::string_view::npos) {
    url.remove_prefix(at + 1); // user:password@
  }
  std::string_view host = url;
  if (host.starts_with('[')) {
    host = host.substr(1, host.find(']') == std::string_view::npos ? host.size() : host.find(']') - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  std::string lower(host);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.ends_with('.')) {
    lower.pop_back();
  }
  return lower == "localhost" || lower.ends_with(".localhost") || lower.starts_with("127.") || lower == "::1" ||
         lower == "0:0:0:0:0:0:0:1";
}

bool is_web_url(std::string_view url) {
  std::string lower(url.substr(0, 8));
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  std::size_t start = 0;
  if (lower.starts_with("https://")) {
    start = 8;
  } else if (lower.starts_with("http://")) {
    start = 7;
  } else {
    return false;
  }
  const std::string_view rest = url.substr(start);
  const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty()) {
    return false;
  }
  // No spaces or control characters anywhere: a browser would strip some of them and read another URL.
  return std::none_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20; });
}

} // namespace vikno
