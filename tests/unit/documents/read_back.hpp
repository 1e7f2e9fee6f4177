// Reading what the documents module wrote with real readers: poppler's pdftotext and pdfinfo, and
// unzip for the .xlsx parts.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace vikno::documents::testing {

// A file holding `bytes`, removed when it goes out of scope.
class TempFile {
public:
  explicit TempFile(const std::string& bytes, const char* suffix) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern =
        std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/vikno-doc-test-XXXXXX" + suffix;
    const int fd = ::mkstemps(pattern.data(), static_cast<int>(std::char_traits<char>::length(suffix)));
    EXPECT_GE(fd, 0);
    ::close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { ::unlink(path_.c_str()); }
  [[nodiscard]] const std::string& path() const { return path_; }

private:
  std::string path_;
};

// The standard output of a shell command (its arguments are our own temp paths, no quoting needed).
inline std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr) << command;
  if (pipe == nullptr) {
    return out;
  }
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    out.append(buffer.data(), n);
  }
  EXPECT_EQ(::pclose(pipe), 0) << command;
  return out;
}

inline std::string pdf_text(const std::string& pdf) {
  TempFile file(pdf, ".pdf");
  return run("pdftotext -layout -enc UTF-8 " + file.path() + " - 2>&1");
}

struct PdfInfo {
  int pages = 0;
  std::string page_size; // "595.276 x 841.89 pts (A4)"
};

inline PdfInfo pdf_info(const std::string& pdf) {
  TempFile file(pdf, ".pdf");
  const std::string out = run("pdfinfo " + file.path() + " 2>&1");
  PdfInfo info;
  const auto pages = out.find("Pages:");
  if (pages != std::string::npos) {
    info.pages = std::stoi(out.substr(pages + 6));
  }
  const auto size = out.find("Page size:");
  if (size != std::string::npos) {
    const auto start = out.find_first_not_of(' ', size + 10);
    info.page_size = out.substr(start, out.find('\n', start) - start);
  }
  return info;
}

// pdftotext -layout spreads a line over columns with runs of blanks: one blank between words is
// enough to find a phrase.
inline std::string squeezed(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' && !out.empty() && out.back() == ' ') {
      continue;
    }
    out += c;
  }
  return out;
}

} // namespace vikno::documents::testing
