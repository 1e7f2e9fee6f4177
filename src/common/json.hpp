// JSON helpers: parse a request body and read typed fields, turning every mistake into an Error
// that names the field (400 invalid_field), so handlers never check types by hand.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace vikno::json {

namespace bj = boost::json;

// Parses text as JSON; a syntax error -> 400 invalid_json with the position in the message.
Result<bj::value> parse(std::string_view text);

// Parses text that must be a JSON object (a request body).
Result<bj::object> parse_object(std::string_view text);

// Typed field access. `required_*` fail with 400 invalid_field naming the field when it is absent,
// null or of another type; `optional_*` accept absence and null.
Result<std::string> required_string(const bj::object& obj, std::string_view field);
Result<std::int64_t> required_int(const bj::object& obj, std::string_view field);
Result<bool> required_bool(const bj::object& obj, std::string_view field);
Result<std::optional<std::string>> optional_string(const bj::object& obj, std::string_view field);
Result<std::optional<std::int64_t>> optional_int(const bj::object& obj, std::string_view field);
Result<std::optional<double>> optional_number(const bj::object& obj, std::string_view field);
Result<std::optional<bool>> optional_bool(const bj::object& obj, std::string_view field);
Result<const bj::array*> optional_array(const bj::object& obj, std::string_view field);

// Serializes an Error into the one error shape {"error":{"code","message","details"}}.
bj::object error_body(const Error& error);

} // namespace vikno::json
