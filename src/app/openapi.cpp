#include "app/openapi.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <stdexcept>
#include <string>

namespace vikno::app {

namespace {

boost::json::value scalar(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") { // quoted: always a string
    return boost::json::string(text);
  }
  if (text == "true") {
    return true;
  }
  if (text == "false") {
    return false;
  }
  if (text == "null" || text == "~") {
    return nullptr;
  }
  std::int64_t i = 0;
  if (auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
      ec == std::errc{} && p == text.data() + text.size()) {
    return i;
  }
  double d = 0;
  if (auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      ec == std::errc{} && p == text.data() + text.size() && !text.empty()) {
    return d;
  }
  return boost::json::string(text);
}

boost::json::value convert(const YAML::Node& node) {
  switch (node.Type()) {
  case YAML::NodeType::Map: {
    boost::json::object out;
    for (const auto& kv : node) {
      out[kv.first.as<std::string>()] = convert(kv.second);
    }
    return out;
  }
  case YAML::NodeType::Sequence: {
    boost::json::array out;
    for (const auto& item : node) {
      out.push_back(convert(item));
    }
    return out;
  }
  case YAML::NodeType::Scalar:
    return scalar(node);
  case YAML::NodeType::Null:
  case YAML::NodeType::Undefined:
    break;
  }
  return nullptr;
}

} // namespace

boost::json::value yaml_to_json(std::string_view yaml) {
  try {
    return convert(YAML::Load(std::string(yaml)));
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(std::string("malformed YAML: ") + e.what());
  }
}

boost::json::value openapi_json() {
  static const boost::json::value spec = yaml_to_json(openapi_yaml());
  return spec;
}

} // namespace vikno::app
