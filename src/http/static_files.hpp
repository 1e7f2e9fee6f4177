// Static files of the web front end (web/dist), served for GET paths no API route matches.
// A path without a file extension that names no file gets index.html (the front end routes it);
// paths under /api/ never do. Paths that try to leave the folder are refused. Pages go out with a
// Content-Security-Policy that allows only the front end's own files and the API on the same origin.
#pragma once

#include <filesystem>
#include <optional>

#include "http/message.hpp"

namespace vikno::http {

class StaticFiles {
public:
  explicit StaticFiles(const std::filesystem::path& root);
  [[nodiscard]] std::optional<Response> serve(const Request& request) const;

private:
  std::filesystem::path root_;
};

} // namespace vikno::http
