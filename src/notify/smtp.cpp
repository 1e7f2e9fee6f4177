#include "notify/smtp.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <ctime>

#include "notify/curl_util.hpp"

namespace vikno::notify {

namespace {

bool is_plain_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u >= 0x20 && u < 0x7f;
  });
}

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Header values never carry a line break (a header injection).
std::string one_line(std::string_view text) {
  std::string out(text);
  std::replace_if(
      out.begin(), out.end(), [](char ch) { return ch == '\r' || ch == '\n'; }, ' ');
  return out;
}

std::string rfc5322_date(Millis now) {
  const std::time_t t = static_cast<std::time_t>(now / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// "Name <addr>" with the name encoded when needed.
std::string mailbox_header(std::string_view mailbox) {
  const auto lt = mailbox.find('<');
  if (lt == std::string_view::npos || lt == 0) {
    return one_line(mailbox);
  }
  std::string_view name = mailbox.substr(0, lt);
  while (!name.empty() && name.back() == ' ') {
    name.remove_suffix(1);
  }
  return encode_header_word(one_line(name)) + " " + one_line(mailbox.substr(lt));
}

struct Upload {
  std::string_view data;
  std::size_t at = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, up->data.size() - up->at);
  std::memcpy(buffer, up->data.data() + up->at, n);
  up->at += n;
  return n;
}

// The server's last reply line ("451 4.3.0 try later"), for the attempt's error.
int capture_reply(CURL* /*handle*/, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type == CURLINFO_HEADER_IN) {
    auto* last = static_cast<std::string*>(user);
    last->assign(data, size);
    while (!last->empty() && (last->back() == '\n' || last->back() == '\r')) {
      last->pop_back();
    }
  }
  return 0;
}

} // namespace

std::string encode_header_word(std::string_view text) {
  if (is_plain_ascii(text)) {
    return std::string(text);
  }
  // 75 characters a word: "=?UTF-8?B?" + base64 + "?=" leaves 63 for base64, 45 bytes of text
  // (in threes). Split before a byte that starts a character.
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = std::min(at + 45, text.size());
    while (end < text.size() && end > at + 1 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
      --end;
    }
    if (!out.empty()) {
      out += "\r\n ";
    }
    out += "=?UTF-8?B?" + base64(text.substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

std::string address_of(std::string_view mailbox) {
  const auto lt = mailbox.find('<');
  const auto gt = mailbox.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
    return std::string(mailbox.substr(lt + 1, gt - lt - 1));
  }
  return std::string(mailbox);
}

std::string build_mime(const SmtpOptions& options, const Outgoing& message, Millis now) {
  const std::string from = address_of(options.from);
  const auto at = from.rfind('@');
  const std::string domain = at == std::string::npos ? "localhost" : from.substr(at + 1);
  std::string out;
  out += "Date: " + rfc5322_date(now) + "\r\n";
  out += "From: " + mailbox_header(options.from) + "\r\n";
  out += "To: <" + one_line(message.recipient) + ">\r\n";
  out += "Subject: " + encode_header_word(one_line(message.subject)) + "\r\n";
  out += "Message-ID: <" + message.id + "@" + one_line(domain) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "\r\n";
  const std::string body = base64(message.body);
  for (std::size_t i = 0; i < body.size(); i += 76) {
    out += body.substr(i, 76) + "\r\n";
  }
  return out;
}

SmtpChannel::SmtpChannel(SmtpOptions options, Clock clock) : options_(std::move(options)), clock_(std::move(clock)) {
  ensure_curl();
}

SendResult SmtpChannel::send(const Outgoing& message) {
  CurlHandle curl(curl_easy_init());
  if (!curl) {
    return {false, "cannot start libcurl"};
  }
  const std::string text = build_mime(options_, message, clock_());
  Upload upload{text, 0};
  std::string last_reply;
  const std::string from = "<" + address_of(options_.from) + ">";
  const std::string rcpt = "<" + one_line(message.recipient) + ">";
  CurlList recipients = append(CurlList(), rcpt.c_str());
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, capture_reply);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &last_reply);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L); // feeds capture_reply only; nothing is printed
  if (options_.starttls) {
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!options_.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const CURLcode code = curl_easy_perform(c);
  if (code == CURLE_OK) {
    return {true, ""};
  }
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  if (reply >= 400 && !last_reply.empty()) {
    return {false, last_reply.substr(0, 300)};
  }
  return {false, curl_easy_strerror(code)};
}

} // namespace vikno::notify
