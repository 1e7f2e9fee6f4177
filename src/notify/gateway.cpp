#include "notify/gateway.hpp"

#include <algorithm>
#include <cctype>

#include "common/log.hpp"
#include "notify/curl_util.hpp"

namespace vikno::notify {

namespace {

std::string form_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) != 0 || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4U]);
      out.push_back(kHex[u & 0x0FU]);
    }
  }
  return out;
}

std::string json_escape(std::string_view text) {
  std::string quoted;
  log::append_json_string(quoted, text); // with its quotes, invalid UTF-8 as U+FFFD
  return quoted.substr(1, quoted.size() - 2);
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (body->size() < 200) {
    body->append(data, std::min(n, 200 - body->size()));
  }
  return n;
}

bool lower_contains(std::string_view haystack, std::string_view needle) {
  std::string lower(haystack);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return lower.find(needle) != std::string::npos;
}

} // namespace

std::string render_body(std::string_view body_template, std::string_view to, std::string_view text, bool json,
                        bool form) {
  const auto value = [&](std::string_view v) { return json ? json_escape(v) : form ? form_escape(v) : std::string(v); };
  std::string out;
  out.reserve(body_template.size() + to.size() + text.size());
  std::size_t at = 0;
  while (at < body_template.size()) {
    const auto open = body_template.find('{', at);
    if (open == std::string_view::npos) {
      out.append(body_template.substr(at));
      break;
    }
    out.append(body_template.substr(at, open - at));
    const std::string_view rest = body_template.substr(open);
    if (rest.starts_with("{to}")) {
      out += value(to);
      at = open + 4;
    } else if (rest.starts_with("{text}")) {
      out += value(text);
      at = open + 6;
    } else {
      out.push_back('{');
      at = open + 1;
    }
  }
  return out;
}

GatewayChannel::GatewayChannel(GatewayOptions options) : options_(std::move(options)) { ensure_curl(); }

SendResult GatewayChannel::send(const Outgoing& message) {
  CurlHandle curl(curl_easy_init());
  if (!curl) {
    return {false, "cannot start libcurl"};
  }
  const bool json = lower_contains(options_.content_type, "json");
  const bool form = lower_contains(options_.content_type, "x-www-form-urlencoded");
  const std::string body = render_body(options_.body_template, message.recipient, message.body, json, form);
  CurlList headers = append(CurlList(), ("Content-Type: " + options_.content_type).c_str());
  headers = append(std::move(headers), "Expect:");
  for (const auto& h : options_.headers) {
    headers = append(std::move(headers), h.c_str());
  }
  std::string answer;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    return {false, curl_easy_strerror(code)};
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) {
    return {true, ""};
  }
  std::string error = "HTTP " + std::to_string(status);
  std::replace_if(
      answer.begin(), answer.end(), [](char ch) { return ch == '\r' || ch == '\n'; }, ' ');
  if (!answer.empty()) {
    error += ": " + answer;
  }
  return {false, error};
}

} // namespace vikno::notify
