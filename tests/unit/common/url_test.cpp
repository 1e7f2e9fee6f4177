#include "common/url.hpp"

#include <gtest/gtest.h>

namespace vikno {
namespace {

TEST(LoopbackUrl, TellsAddressesAPhoneCannotReach) {
  for (const char* url : {"http://127.0.0.1:8080", "http://localhost:8080/", "HTTP://LocalHost", "http://[::1]:80/t/x",
                          "http://127.1.2.3", "http://user:pw@localhost:1/", "http://app.localhost"}) {
    EXPECT_TRUE(is_loopback_url(url)) << url;
  }
  for (const char* url : {"https://cnap.kropyvnytskyi.ua", "http://192.168.1.10:8080", "http://10.0.0.5",
                          "http://127example.org", "http://[2001:db8::1]:8080", "https://localhost.example.org"}) {
    EXPECT_FALSE(is_loopback_url(url)) << url;
  }
}

TEST(WebUrl, OnlyHttpAndHttpsLinksWithAHost) {
  for (const char* url :
       {"https://cnap.example.gov.ua/", "http://10.0.0.5:8080/x?y#z", "HTTPS://Zakon.Rada.Gov.Ua/laws"}) {
    EXPECT_TRUE(is_web_url(url)) << url;
  }
  for (const char* url :
       {"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>", "vbscript:msgbox", " javascript:alert(1)",
        "https://", "http:///path", "//evil.example", "/relative", "file:///etc/passwd", "https://a b.example",
        "https://evil.example/\tx", "ftp://files.example", ""}) {
    EXPECT_FALSE(is_web_url(url)) << url;
  }
}

} // namespace
} // namespace vikno
