// libFuzzer target for what a notification touches from outside: the gateway body template
// (an operator's text with {to} and {text}, filled with an applicant's phone and a message) and
// Keyring::open (a sealed text from the database, which an attacker with database access may
// have changed). Neither may crash; a JSON-rendered body must parse as JSON whenever its template
// does; open() of anything must fail with one of its two codes or give back what was sealed.
#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "notify/gateway.hpp"
#include "seal/seal.hpp"

namespace {

const vikno::seal::Keyring& keys() {
  static const vikno::seal::Keyring ring = vikno::seal::Keyring::generate();
  return ring;
}

bool parses(std::string_view text) {
  boost::system::error_code ec;
  (void)boost::json::parse(text, ec);
  return !ec;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    // template \0 to \0 text
    const auto a = input.find('\0');
    const auto b = a == std::string_view::npos ? a : input.find('\0', a + 1);
    const std::string_view tmpl = input.substr(0, a);
    const std::string_view to = a == std::string_view::npos ? "" : input.substr(a + 1, b - a - 1);
    const std::string_view text = b == std::string_view::npos ? "" : input.substr(b + 1);
    const std::string json = vikno::notify::render_body(tmpl, to, text, true);
    (void)vikno::notify::render_body(tmpl, to, text, false, true);
    // A template that is JSON with the placeholders inside strings stays JSON once filled.
    const std::string blank = vikno::notify::render_body(tmpl, "", "", true);
    if (parses(blank) && parses(vikno::notify::render_body(tmpl, "x", "x", true)) && !parses(json)) {
      std::abort();
    }
    return 0;
  }
  auto opened = keys().open(input);
  if (opened) {
    std::abort(); // nothing but seal() can make a text that opens
  }
  if (opened.error().code != "seal_corrupt" && opened.error().code != "seal_key_unknown") {
    std::abort();
  }
  auto round = keys().open(keys().seal(input));
  if (!round || *round != input) {
    std::abort();
  }
  return 0;
}
