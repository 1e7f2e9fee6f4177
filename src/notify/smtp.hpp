// E-mail over SMTP with libcurl: smtp://host:port (or smtps:// for TLS from the start), optional
// user and password, STARTTLS when asked (then required: curl refuses to go on in the clear).
// The message is a proper MIME text: the subject an RFC 2047 encoded-word when it is not ASCII,
// a text/plain; charset=utf-8 body in base64, Date and Message-ID headers.
#pragma once

#include <string>
#include <string_view>

#include "notify/channel.hpp"

namespace vikno::notify {

struct SmtpOptions {
  std::string url;  // smtp://mail.example.gov.ua:587
  std::string from; // "ЦНАП Києва <cnap@example.gov.ua>" or a bare address
  std::string user;
  std::string password;
  bool starttls = false;
  Millis timeout_ms = 30'000;
};

// "=?UTF-8?B?...?=" words (each at most 75 characters, split between characters) for a header
// value that is not plain ASCII; the value itself when it is.
std::string encode_header_word(std::string_view text);
// The address inside "Name <addr>", or the whole text.
std::string address_of(std::string_view mailbox);
// The whole message as sent (CRLF line ends). `domain` is the from address's domain, for Message-ID.
std::string build_mime(const SmtpOptions& options, const Outgoing& message, Millis now);

class SmtpChannel final : public Channel {
public:
  SmtpChannel(SmtpOptions options, Clock clock);
  SendResult send(const Outgoing& message) override;

private:
  SmtpOptions options_;
  Clock clock_;
};

} // namespace vikno::notify
