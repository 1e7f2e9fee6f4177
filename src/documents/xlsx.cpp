#include "documents/xlsx.hpp"

#include <xlsxwriter.h>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <sstream>
#include <string>

namespace vikno::documents {
namespace {

// Excel's limit on the characters of a cell.
constexpr std::size_t kMaxCellChars = 32767;
constexpr std::size_t kMaxSheetNameChars = 31;
constexpr double kExactIntegerLimit = 9007199254740992.0; // 2^53

Failure failed(const std::string& what) {
  return fail(Error{ErrorKind::internal, "xlsx_failed", "the spreadsheet could not be written: " + what, {}});
}

bool continuation(unsigned char c) { return (c & 0xC0U) == 0x80U; }

// The first `chars` UTF-8 characters of `text` (whole characters, never a cut sequence).
std::string utf8_prefix(const std::string& text, std::size_t chars) {
  std::size_t i = 0;
  std::size_t count = 0;
  while (i < text.size()) {
    if (!continuation(static_cast<unsigned char>(text[i]))) {
      if (count == chars) {
        break;
      }
      ++count;
    }
    ++i;
  }
  return text.substr(0, i);
}

std::size_t utf8_length(const std::string& text) {
  std::size_t count = 0;
  for (char c : text) {
    count += continuation(static_cast<unsigned char>(c)) ? 0 : 1;
  }
  return count;
}

// ASCII lower case: enough for the uniqueness check of names Vikno makes (Excel also folds
// Cyrillic; two names differing only in Cyrillic case do not occur in our reports).
std::string folded(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

struct TempFile {
  std::string path;
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  TempFile(TempFile&&) = delete;
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile() {
    if (!path.empty()) {
      ::unlink(path.c_str());
    }
  }
};

struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const { workbook_close(wb); }
};

} // namespace

std::string valid_sheet_name(const std::string& name, std::size_t index) {
  std::string out;
  for (char c : name) {
    const bool forbidden = c == '[' || c == ']' || c == ':' || c == '*' || c == '?' || c == '/' || c == '\\';
    const bool control = static_cast<unsigned char>(c) < 0x20;
    out += forbidden || control ? '_' : c;
  }
  out = utf8_prefix(out, kMaxSheetNameChars);
  while (!out.empty() && out.front() == '\'') {
    out.erase(0, 1);
  }
  while (!out.empty() && out.back() == '\'') {
    out.pop_back();
  }
  if (out.empty()) {
    out = "Аркуш " + std::to_string(index + 1);
  }
  return out;
}

Result<std::string> render_xlsx(const std::vector<Sheet>& sheets) {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string dir = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  TempFile file;
  {
    std::string pattern = dir + "/vikno-xlsx-XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      return failed("no temporary file in " + dir);
    }
    ::close(fd);
    file.path = pattern;
  }

  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  std::string tmp = dir; // libxlsxwriter's own scratch files go beside ours
  options.tmpdir = tmp.data();
  lxw_workbook* workbook = workbook_new_opt(file.path.c_str(), &options);
  if (workbook == nullptr) {
    return failed("libxlsxwriter could not start a workbook");
  }
  std::unique_ptr<lxw_workbook, WorkbookCloser> guard(workbook);
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);

  std::set<std::string> used;
  for (std::size_t s = 0; s < sheets.size() || (s == 0 && sheets.empty()); ++s) {
    const Sheet empty;
    const Sheet& sheet = sheets.empty() ? empty : sheets[s];
    std::string name = valid_sheet_name(sheet.name, s);
    for (int n = 2; used.contains(folded(name)); ++n) {
      const std::string suffix = " (" + std::to_string(n) + ")";
      name = utf8_prefix(valid_sheet_name(sheet.name, s), kMaxSheetNameChars - utf8_length(suffix)) + suffix;
    }
    used.insert(folded(name));
    lxw_worksheet* ws = workbook_add_worksheet(workbook, name.c_str());
    if (ws == nullptr) {
      return failed("the sheet name '" + name + "' was refused");
    }
    for (std::size_t c = 0; c < sheet.widths.size(); ++c) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), sheet.widths[c], nullptr);
    }
    lxw_row_t row = 0;
    if (!sheet.header.empty()) {
      for (std::size_t c = 0; c < sheet.header.size(); ++c) {
        worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), utf8_prefix(sheet.header[c], kMaxCellChars).c_str(),
                               bold);
      }
      worksheet_freeze_panes(ws, 1, 0);
      row = 1;
    }
    for (const std::vector<Cell>& cells : sheet.rows) {
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const Cell& cell = cells[c];
        lxw_format* format = cell.bold ? bold : nullptr;
        const auto col = static_cast<lxw_col_t>(c);
        lxw_error error = LXW_NO_ERROR;
        if (const auto* text = std::get_if<std::string>(&cell.value)) {
          // worksheet_write_string: always a shared string, whatever the text looks like.
          error = worksheet_write_string(ws, row, col, utf8_prefix(*text, kMaxCellChars).c_str(), format);
        } else if (const auto* number = std::get_if<double>(&cell.value)) {
          error = std::isfinite(*number) ? worksheet_write_number(ws, row, col, *number, format)
                                         : worksheet_write_blank(ws, row, col, format);
        } else if (const auto* integer = std::get_if<std::int64_t>(&cell.value)) {
          const auto as_double = static_cast<double>(*integer);
          error = std::fabs(as_double) < kExactIntegerLimit
                      ? worksheet_write_number(ws, row, col, as_double, format)
                      : worksheet_write_string(ws, row, col, std::to_string(*integer).c_str(), format);
        } else if (cell.bold) {
          error = worksheet_write_blank(ws, row, col, format);
        }
        if (error != LXW_NO_ERROR) {
          return failed(lxw_strerror(error));
        }
      }
      ++row;
    }
  }

  const lxw_error closed = workbook_close(guard.release());
  if (closed != LXW_NO_ERROR) {
    return failed(lxw_strerror(closed));
  }
  std::ifstream in(file.path, std::ios::binary);
  if (!in) {
    return failed("the temporary file vanished");
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

} // namespace vikno::documents
