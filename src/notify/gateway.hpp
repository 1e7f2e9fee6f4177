// SMS and Viber through an HTTP gateway (a provider's API or the region's own): a POST to a
// configured URL with a body made from a template with {to} and {text} placeholders, JSON-escaped
// when the content type is JSON, and optional headers (Authorization). A 2xx answer is a sent
// message; anything else, or no answer within the timeout, a failed attempt.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "notify/channel.hpp"

namespace vikno::notify {

struct GatewayOptions {
  std::string url; // https://sms.example.gov.ua/api/send
  std::string body_template = R"({"to":"{to}","text":"{text}"})";
  std::string content_type = "application/json";
  std::vector<std::string> headers; // "Authorization: Bearer ..."
  Millis timeout_ms = 15'000;
};

// The body: every {to} and {text} in `body_template` replaced (anything else kept as written).
// With `json`, the values are escaped as inside a JSON string; otherwise form-URL-encoded when the
// content type is application/x-www-form-urlencoded (`form`), or put in as they are.
std::string render_body(std::string_view body_template, std::string_view to, std::string_view text, bool json,
                        bool form = false);

class GatewayChannel final : public Channel {
public:
  explicit GatewayChannel(GatewayOptions options);
  SendResult send(const Outgoing& message) override;

private:
  GatewayOptions options_;
};

} // namespace vikno::notify
