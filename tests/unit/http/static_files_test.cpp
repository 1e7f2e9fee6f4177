// The web front end's files: served with the right type, never outside their folder or for /api/.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "http/static_files.hpp"

namespace vikno::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("vikno-static-" + std::to_string(std::random_device{}()));
    root_ = base_ / "dist";
    fs::create_directories(root_ / "assets");
    fs::create_directories(root_ / "docs");
    write(root_ / "index.html", "<!doctype html><title>Vikno</title>");
    write(root_ / "app.js", "console.log('kiosk')");
    write(root_ / "assets" / "main-3f2a.css", "body{}");
    write(root_ / "docs" / "index.html", "docs page");
    write(root_ / "logo.svg", "<svg/>");
    write(base_ / "secret.txt", "outside the web folder");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

  std::optional<Response> get(std::string path) const {
    Request r;
    r.method = "GET";
    r.path = std::move(path);
    return StaticFiles(root_).serve(r);
  }

  static std::string header(const Response& r, std::string_view wanted) {
    for (const auto& [name, value] : r.headers) {
      if (name == wanted) {
        return value;
      }
    }
    return "";
  }
  static std::string cache_control(const Response& r) { return header(r, "Cache-Control"); }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesAFileWithItsContentType) {
  auto js = get("/app.js");
  ASSERT_TRUE(js.has_value());
  EXPECT_EQ(js->status, 200U);
  EXPECT_EQ(js->body, "console.log('kiosk')");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(cache_control(*js), "no-cache");

  auto svg = get("/logo.svg");
  ASSERT_TRUE(svg.has_value());
  EXPECT_EQ(svg->content_type, "image/svg+xml");
}

TEST_F(StaticFilesTest, HashedAssetsAreCachedForGood) {
  auto css = get("/assets/main-3f2a.css");
  ASSERT_TRUE(css.has_value());
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(cache_control(*css), "public, max-age=31536000, immutable");
}

TEST_F(StaticFilesTest, FrontEndRoutesGetIndexHtml) {
  for (const char* path : {"/", "/kiosk", "/display/3", "/operator/window/2"}) {
    auto r = get(path);
    ASSERT_TRUE(r.has_value()) << path;
    EXPECT_EQ(r->body, "<!doctype html><title>Vikno</title>") << path;
    EXPECT_EQ(r->content_type, "text/html; charset=utf-8") << path;
    EXPECT_EQ(cache_control(*r), "no-cache") << path; // a new release must reach the browser
  }
  auto folder = get("/docs");
  ASSERT_TRUE(folder.has_value());
  EXPECT_EQ(folder->body, "docs page"); // a folder serves its own index.html
}

TEST_F(StaticFilesTest, PagesAllowOnlyTheirOwnFilesAndLeakNoReferrer) {
  auto page = get("/t/SOMETOKEN");
  ASSERT_TRUE(page.has_value());
  std::string csp = header(*page, "Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;   // no inline scripts
  EXPECT_NE(csp.find("img-src 'self' data:"), std::string::npos) << csp; // the ticket's QR code
  EXPECT_EQ(header(*page, "Referrer-Policy"), "no-referrer");            // the tracking token stays here
  EXPECT_EQ(header(*page, "X-Content-Type-Options"), "nosniff");

  auto js = get("/app.js");
  ASSERT_TRUE(js.has_value());
  EXPECT_EQ(header(*js, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(*js, "Content-Security-Policy"), ""); // a policy belongs to documents
}

TEST_F(StaticFilesTest, MissingFileWithAnExtensionIsNotFound) {
  EXPECT_FALSE(get("/missing.png").has_value());
  EXPECT_FALSE(get("/assets/old-1234.js").has_value());
}

TEST_F(StaticFilesTest, RefusesToLeaveTheFolder) {
  for (const char* path :
       {"/../secret.txt", "/assets/../../secret.txt", "/..", "/docs/..%2f..%2fsecret.txt", "/../dist/index.html"}) {
    auto r = get(path);
    EXPECT_FALSE(r.has_value()) << path;
  }
  // "//tmp/x" is a valid request target; its path must not become an absolute file path that
  // replaces the root (std::filesystem's `root / "/abs"` is "/abs").
  EXPECT_FALSE(get("/" + (base_ / "secret.txt").string()).has_value());
  EXPECT_FALSE(get("//etc/passwd").has_value());
}

TEST_F(StaticFilesTest, NeverAnswersForTheApi) {
  EXPECT_FALSE(get("/api/v1/unknown").has_value());
  EXPECT_FALSE(get("/api/").has_value());
}

} // namespace
} // namespace vikno::http
