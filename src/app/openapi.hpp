// The API description: docs/openapi.yaml, embedded at build time and served as JSON at
// /api/v1/openapi.json. The spec test compares its paths with the router's routes.
#pragma once

#include <boost/json.hpp>

#include <string_view>

namespace vikno::app {

std::string_view openapi_yaml(); // generated from docs/openapi.yaml
// The spec as JSON; throws std::runtime_error when the YAML is malformed (a build defect).
boost::json::value openapi_json();
// YAML text to JSON: plain scalars that read as integers, numbers, booleans or null become those.
boost::json::value yaml_to_json(std::string_view yaml);

} // namespace vikno::app
