// The parts of notify with no IO: masking, the e-mail's headers, the gateway's body, [notify].
#include <gtest/gtest.h>
#include <sodium.h>

#include "notify/config.hpp"
#include "notify/gateway.hpp"
#include "notify/outbox.hpp"
#include "notify/smtp.hpp"

namespace vikno::notify {
namespace {

std::string decode_words(std::string_view header) {
  std::string out;
  std::size_t at = 0;
  while ((at = header.find("=?UTF-8?B?", at)) != std::string_view::npos) {
    const auto end = header.find("?=", at + 10);
    const std::string_view b64 = header.substr(at + 10, end - at - 10);
    std::string bytes(b64.size(), '\0');
    std::size_t len = 0;
    EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), b64.data(), b64.size(),
                                nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL),
              0);
    out += bytes.substr(0, len);
    at = end + 2;
  }
  return out;
}

TEST(NotifyPureTest, RecipientsAreMasked) {
  EXPECT_EQ(mask_recipient(ChannelKind::sms, "+380671234567"), "+38067*****67");
  EXPECT_EQ(mask_recipient(ChannelKind::viber, "+380501112233"), "+38050*****33");
  EXPECT_EQ(mask_recipient(ChannelKind::email, "test@example.com"), "t***@example.com");
  EXPECT_EQ(mask_recipient(ChannelKind::email, "nobody"), "***");
  EXPECT_EQ(mask_recipient(ChannelKind::sms, "12345"), "***");
}

TEST(NotifyPureTest, UkrainianSubjectIsEncodedWordsOfAtMost75Characters) {
  const std::string subject = "Ваша справа № cnap-kr-2026-000123 готова: заберіть результат у ЦНАП Кропивницького";
  const std::string encoded = encode_header_word(subject);
  EXPECT_EQ(decode_words(encoded), subject);
  std::size_t start = 0;
  for (;;) {
    const auto end = encoded.find("\r\n ", start);
    const std::string word = encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?")) << word;
    if (end == std::string::npos) {
      break;
    }
    start = end + 3;
  }
  EXPECT_EQ(encode_header_word("Plain ASCII"), "Plain ASCII");
}

TEST(NotifyPureTest, MimeMessageHasItsHeadersAndNoInjectedOnes) {
  SmtpOptions o;
  o.from = "ЦНАП <cnap@example.gov.ua>";
  Outgoing m;
  m.id = "0190c2a4-7b3e-7c1d-9a2b-3c4d5e6f7081";
  m.recipient = "a@example.com";
  m.subject = "Hi\r\nBcc: evil@example.com";
  m.body = "Текст";
  const std::string mime = build_mime(o, m, 1'796'292'000'000);
  EXPECT_NE(mime.find("Date: Thu, 03 Dec 2026 10:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Message-ID: <0190c2a4-7b3e-7c1d-9a2b-3c4d5e6f7081@example.gov.ua>\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(mime.find("From: =?UTF-8?B?"), std::string::npos);
  EXPECT_EQ(mime.find("\r\nBcc:"), std::string::npos);
}

TEST(NotifyPureTest, GatewayBodyEscapesForJson) {
  EXPECT_EQ(render_body(R"({"to":"{to}","text":"{text}"})", "+380671234567", "Він сказав: \"так\"\n\\", true),
            R"({"to":"+380671234567","text":"Він сказав: \"так\"\n\\"})");
  EXPECT_EQ(render_body("to={to}&text={text}", "+380 67", "а&б", false, true), "to=%2B380%2067&text=%D0%B0%26%D0%B1");
  EXPECT_EQ(render_body("{to} {unknown} {text} {", "1", "2", false), "1 {unknown} 2 {");
  EXPECT_EQ(render_body("{text}", "", "{to}", false), "{to}") << "a value is not rendered again";
}

TEST(NotifyPureTest, ConfigIsParsedAndBadKeysNamed) {
  auto table = toml::parse(R"(
enabled = true
backoff = ["10s", "1m"]
[smtp]
url = "smtp://127.0.0.1:2525"
from = "ЦНАП <cnap@example.gov.ua>"
starttls = true
timeout = "5s"
[sms]
url = "https://sms.example.gov.ua/send"
template = '{"to":"{to}","text":"{text}"}'
headers = ["Authorization: Bearer x"]
)");
  auto config = parse_config(table);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->enabled);
  EXPECT_EQ(config->worker.backoff, (std::vector<Millis>{10'000, 60'000}));
  ASSERT_TRUE(config->smtp);
  EXPECT_TRUE(config->smtp->starttls);
  EXPECT_EQ(config->smtp->timeout_ms, 5'000);
  ASSERT_TRUE(config->sms);
  EXPECT_EQ(config->sms->headers.size(), 1u);
  EXPECT_FALSE(config->viber);
  EXPECT_EQ(make_channels(*config, [] { return Millis{0}; }).size(), 2u);

  const std::vector<std::pair<std::string, std::string>> bad = {
      {"colour = 1", "notify.colour"},
      {"backoff = [\"soon\"]", "notify.backoff"},
      {"[smtp]\nurl = \"http://x\"\nfrom = \"a@b.c\"", "notify.smtp.url"},
      {"[smtp]\nurl = \"smtp://x\"", "notify.smtp.from"},
      {"[sms]\nurl = \"https://x\"\ntemplate = \"{to}\"", "notify.sms.template"},
      {"[viber]\nurl = \"https://x\"\nheaders = [\"no colon\"]", "notify.viber.headers"},
      {"enabled = \"yes\"", "notify.enabled"},
  };
  for (const auto& [text, key] : bad) {
    auto r = parse_config(toml::parse(text));
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, "invalid_config");
    ASSERT_FALSE(r.error().problems.empty());
    EXPECT_EQ(r.error().problems[0].field, key) << text;
  }
}

} // namespace
} // namespace vikno::notify
