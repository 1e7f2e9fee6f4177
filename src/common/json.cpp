#include "common/json.hpp"

namespace vikno::json {

Result<bj::value> parse(std::string_view text) {
  boost::system::error_code ec;
  bj::parse_options options;
  options.max_depth = 64;
  bj::value value = bj::parse(text, ec, {}, options);
  if (ec) {
    return fail(Error::invalid("invalid_json", "the body is not valid JSON: " + ec.message()));
  }
  return value;
}

Result<bj::object> parse_object(std::string_view text) {
  auto value = parse(text);
  if (!value) {
    return fail(value.error());
  }
  if (!value->is_object()) {
    return fail(Error::invalid("invalid_json", "the body must be a JSON object"));
  }
  return std::move(value->as_object());
}

namespace {

const bj::value* find(const bj::object& obj, std::string_view field) {
  auto it = obj.find(field);
  if (it == obj.end() || it->value().is_null()) {
    return nullptr;
  }
  return &it->value();
}

Error missing(std::string_view field) { return Error::field(std::string(field), "is required"); }
Error wrong_type(std::string_view field, std::string_view expected) {
  return Error::field(std::string(field), "must be " + std::string(expected));
}

std::optional<std::int64_t> as_int(const bj::value& v) {
  if (v.is_int64()) {
    return v.as_int64();
  }
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.as_uint64());
  }
  return std::nullopt;
}

} // namespace

Result<std::string> required_string(const bj::object& obj, std::string_view field) {
  const bj::value* v = find(obj, field);
  if (v == nullptr) {
    return fail(missing(field));
  }
  if (!v->is_string()) {
    return fail(wrong_type(field, "a string"));
  }
  return std::string(v->as_string());
}

Result<std::int64_t> required_int(const bj::object& obj, std::string_view field) {
  const bj::value* v = find(obj, field);
  if (v == nullptr) {
    return fail(missing(field));
  }
  auto i = as_int(*v);
  if (!i) {
    return fail(wrong_type(field, "an integer"));
  }
  return *i;
}

Result<bool> required_bool(const bj::object& obj, std::string_view field) {
  const bj::value* v = find(obj, field);
  if (v == nullptr) {
    return fail(missing(field));
  }
  if (!v->is_bool()) {
    return fail(wrong_type(field, "true or false"));
  }
  return v->as_bool();
}

Result<std::optional<std::string>> optional_string(const bj::object& obj, std::string_view field) {
  const bj::value* v = find(obj, field);
  if (v == nullptr) {
    return std::optional<std::string>{};
  }
  if (!v->is_string()) {
    return fail(wrong_type(field, "a string"));
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::optional<std::int64_t>> optional_int(const bj::object& obj, std::string_view field) {
  const bj::value* v = find(obj, field);
  if (v == nullptr) {
    return std::optional<std::int64_t>{};
  }
  auto i = as_int(*v);
  if (!i) {
    return fail(wrong_type(field, "an integer"));
  }
  return std::optional<std::int64_t>(*i);
}

Result<std::optional<double>> optional_number(const bj::object& obj, std::string_view field) {
  const bj::value* v = find(obj, field);
  if (v == nullptr) {
    return std::optional<double>{};
  }
  if (!v->is_number()) {
    return fail(wrong_type(field, "a number"));
  }
  return std::optional<double>(v->to_number<double>());
}

Result<std::optional<bool>> optional_bool(const bj::object& obj, std::string_view field) {
  const bj::value* v = find(obj, field);
  if (v == nullptr) {
    return std::optional<bool>{};
  }
  if (!v->is_bool()) {
    return fail(wrong_type(field, "true or false"));
  }
  return std::optional<bool>(v->as_bool());
}

Result<const bj::array*> optional_array(const bj::object& obj, std::string_view field) {
  const bj::value* v = find(obj, field);
  if (v == nullptr) {
    return static_cast<const bj::array*>(nullptr);
  }
  if (!v->is_array()) {
    return fail(wrong_type(field, "an array"));
  }
  return &v->as_array();
}

bj::object error_body(const Error& error) {
  bj::object details;
  if (!error.problems.empty()) {
    bj::array problems;
    for (const auto& p : error.problems) {
      bj::object item;
      if (!p.field.empty()) {
        item["field"] = p.field;
      }
      if (p.line > 0) {
        item["line"] = p.line;
      }
      item["problem"] = p.problem;
      problems.push_back(std::move(item));
    }
    details["problems"] = std::move(problems);
    if (error.problems.size() == 1 && !error.problems.front().field.empty()) {
      details["field"] = error.problems.front().field;
    }
  }
  bj::object inner;
  inner["code"] = error.code;
  inner["message"] = error.message;
  inner["details"] = std::move(details);
  bj::object body;
  body["error"] = std::move(inner);
  return body;
}

} // namespace vikno::json
