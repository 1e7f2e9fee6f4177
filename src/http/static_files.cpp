#include "http/static_files.hpp"

#include <fstream>
#include <sstream>
#include <string_view>

namespace vikno::http {

namespace {

std::string_view content_type_for(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".html") {
    return "text/html; charset=utf-8";
  }
  if (ext == ".js" || ext == ".mjs") {
    return "text/javascript; charset=utf-8";
  }
  if (ext == ".css") {
    return "text/css; charset=utf-8";
  }
  if (ext == ".json" || ext == ".map") {
    return "application/json";
  }
  if (ext == ".svg") {
    return "image/svg+xml";
  }
  if (ext == ".png") {
    return "image/png";
  }
  if (ext == ".ico") {
    return "image/x-icon";
  }
  if (ext == ".wav") {
    return "audio/wav";
  }
  if (ext == ".woff2") {
    return "font/woff2";
  }
  if (ext == ".txt") {
    return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

// The pages load nothing but their own files (scripts, styles, the API on the same origin); a QR
// code is an image in a data: URL. A tracking link carries the ticket's token: no referrer leaves.
constexpr std::string_view kPagePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

} // namespace

StaticFiles::StaticFiles(const std::filesystem::path& root) : root_(std::filesystem::weakly_canonical(root)) {}

std::optional<Response> StaticFiles::serve(const Request& request) const {
  std::string_view path = request.path;
  if (path.starts_with("/api/") || path.find("..") != std::string_view::npos || path.find('\0') != path.npos) {
    return std::nullopt;
  }
  std::filesystem::path relative = std::filesystem::path(path.substr(1)).lexically_normal();
  // "//etc/passwd" is a valid request target: its rest is an absolute path, and `root_ / "/etc"`
  // would be "/etc", outside the folder.
  if (relative.has_root_path()) {
    return std::nullopt;
  }
  std::filesystem::path file = root_ / relative;
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    file /= "index.html";
  }
  if (!std::filesystem::is_regular_file(file, ec)) {
    if (relative.has_extension()) {
      return std::nullopt;
    }
    file = root_ / "index.html"; // a front-end route such as /kiosk
  }
  auto body = read_file(file);
  if (!body) {
    return std::nullopt;
  }
  std::string_view type = content_type_for(file);
  Response r = Response::text(std::move(*body), std::string(type));
  // Vite puts a content hash in asset names, so they can be cached for good; pages cannot.
  bool hashed_asset = file.parent_path().filename() == "assets";
  r.headers.emplace_back("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (type.starts_with("text/html")) {
    r.headers.emplace_back("Content-Security-Policy", std::string(kPagePolicy));
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
  }
  return r;
}

} // namespace vikno::http
