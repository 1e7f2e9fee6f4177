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

} // namespace
} // namespace vikno
