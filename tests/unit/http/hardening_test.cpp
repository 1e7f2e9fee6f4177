// Issue 14's pure pieces of the HTTP server: trusted proxies and the client they name, the
// loopback test, the per-address counter behind the connection and stream caps, and the framing
// checks run on every request header.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>

#include <string>

#include "http/framing.hpp"
#include "http/limits.hpp"
#include "http/peer.hpp"

namespace vikno::http {
namespace {

namespace bhttp = boost::beast::http;

TrustedProxies proxies(std::string_view list) {
  auto parsed = TrustedProxies::parse(list);
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? *parsed : TrustedProxies{};
}

TEST(TrustedProxies, AddressesAndRanges) {
  auto p = proxies("127.0.0.1, 10.0.0.0/8 192.168.1.0/24,::1, fd00::/8");
  EXPECT_TRUE(p.contains("127.0.0.1"));
  EXPECT_FALSE(p.contains("127.0.0.2"));
  EXPECT_TRUE(p.contains("10.255.1.2"));
  EXPECT_FALSE(p.contains("11.0.0.1"));
  EXPECT_TRUE(p.contains("192.168.1.77"));
  EXPECT_FALSE(p.contains("192.168.2.1"));
  EXPECT_TRUE(p.contains("::1"));
  EXPECT_TRUE(p.contains("fd12:3456::1"));
  EXPECT_FALSE(p.contains("fe80::1"));
  EXPECT_TRUE(p.contains("::ffff:10.1.2.3")); // an IPv4 peer on a dual-stack socket
  EXPECT_FALSE(p.contains("not an address"));
  EXPECT_TRUE(proxies("").empty());
  EXPECT_TRUE(proxies("10.0.0.0/0").contains("1.2.3.4"));
}

TEST(TrustedProxies, MalformedEntriesAreErrorsNamingThem) {
  for (const char* bad : {"nginx", "10.0.0.0/33", "10.0.0.1/", "10.0.0.0/x", "::1/129", "1.2.3.4:80", "10.0.0.0/-1"}) {
    auto parsed = TrustedProxies::parse(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find(bad), std::string::npos) << parsed.error().message;
  }
}

TEST(TrustedProxies, ClientIsTheRightMostUntrustedAddress) {
  auto p = proxies("127.0.0.1, 10.0.0.0/8");
  EXPECT_EQ(p.client("127.0.0.1", "203.0.113.5"), "203.0.113.5");
  // The client may claim anything left of what our proxies saw.
  EXPECT_EQ(p.client("127.0.0.1", "1.1.1.1, 203.0.113.5"), "203.0.113.5");
  EXPECT_EQ(p.client("127.0.0.1", "1.1.1.1, 203.0.113.5, 10.0.0.7"), "203.0.113.5");
  EXPECT_EQ(p.client("127.0.0.1", " 2001:db8::1 ,10.0.0.7"), "2001:db8::1");
  EXPECT_EQ(p.client("127.0.0.1", "10.0.0.8, 10.0.0.7"), "10.0.0.8"); // proxies only: the farthest
  EXPECT_EQ(p.client("127.0.0.1", ""), "127.0.0.1");
}

TEST(TrustedProxies, UntrustedPeersAndMalformedChainsKeepThePeer) {
  auto p = proxies("127.0.0.1");
  EXPECT_EQ(p.client("192.0.2.9", "203.0.113.5"), "192.0.2.9"); // anyone can send the header
  EXPECT_EQ(p.client("127.0.0.1", "203.0.113.5, unknown"), "127.0.0.1");
  EXPECT_EQ(p.client("127.0.0.1", "203.0.113.5:4711"), "127.0.0.1");
  EXPECT_EQ(p.client("127.0.0.1", "203.0.113.5,,10.0.0.1"), "127.0.0.1");
  EXPECT_EQ(TrustedProxies{}.client("127.0.0.1", "203.0.113.5"), "127.0.0.1");
}

TEST(Loopback, OnlyLoopbackAddresses) {
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.5.6.7"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_TRUE(is_loopback("::ffff:127.0.0.1"));
  EXPECT_FALSE(is_loopback("10.0.0.1"));
  EXPECT_FALSE(is_loopback("::2"));
  EXPECT_FALSE(is_loopback(""));
  EXPECT_FALSE(is_loopback("localhost"));
}

TEST(AddressCounter, TotalAndPerAddressCaps) {
  AddressCounter c(3, 2);
  EXPECT_EQ(c.acquire("a"), Admission::admitted);
  EXPECT_EQ(c.acquire("a"), Admission::admitted);
  EXPECT_EQ(c.acquire("a"), Admission::address_full);
  EXPECT_EQ(c.acquire("a", true), Admission::admitted); // a trusted proxy: no per-address cap
  EXPECT_EQ(c.acquire("b"), Admission::total_full);
  EXPECT_EQ(c.acquire("b", false, true), Admission::admitted); // room is being made
  EXPECT_EQ(c.total(), 4U);
  c.release("a");
  c.release("b");
  EXPECT_EQ(c.of("a"), 2U);
  EXPECT_EQ(c.of("b"), 0U);
  EXPECT_EQ(c.acquire("b"), Admission::admitted);
  EXPECT_EQ(c.acquire("c"), Admission::total_full);
  c.release("a");
  EXPECT_EQ(c.acquire("c"), Admission::admitted);
  c.release("nobody"); // unknown: nothing changes
  EXPECT_EQ(c.total(), 3U);
}

// The header of a request as Beast reads it from the wire.
bhttp::request_header<> header_of(const std::string& wire) {
  bhttp::request_parser<bhttp::empty_body> parser;
  parser.body_limit(boost::none);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(wire), ec);
  EXPECT_TRUE(!ec || ec == bhttp::error::need_more) << ec.message() << " in " << wire;
  EXPECT_TRUE(parser.is_header_done()) << wire;
  return parser.get().base();
}

std::string framing_code(const std::string& wire) {
  auto error = framing_error(header_of(wire));
  return error ? error->code : "";
}

TEST(Framing, UnambiguousRequestsPass) {
  EXPECT_EQ(framing_code("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), "");
  EXPECT_EQ(framing_code("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n"), "");
  EXPECT_EQ(framing_code("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"), "");
  EXPECT_EQ(framing_code("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"), "");
  EXPECT_EQ(framing_code("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "");
  EXPECT_EQ(framing_code("GET / HTTP/1.0\r\n\r\n"), ""); // 1.0 needs no Host
}

TEST(Framing, AmbiguousRequestsAreRefused) {
  EXPECT_EQ(framing_code("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\nContent-Length: 2\r\n\r\n"),
            "conflicting_length");
  EXPECT_EQ(framing_code("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n"), "bad_transfer_encoding");
  EXPECT_EQ(framing_code("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
            "bad_transfer_encoding");
  // (chunked followed by another Transfer-Encoding line: Beast's parser refuses that itself.)
  EXPECT_EQ(framing_code("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), "bad_transfer_encoding");
  EXPECT_EQ(framing_code("GET / HTTP/1.1\r\n\r\n"), "bad_host");
  EXPECT_EQ(framing_code("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"), "bad_host");
  EXPECT_EQ(framing_code("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"), "bad_host");
}

} // namespace
} // namespace vikno::http
