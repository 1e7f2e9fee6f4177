// Spreadsheets (.xlsx) for reports a head of a center or an analyst opens in Excel or LibreOffice:
// libxlsxwriter (Debian libxlsxwriter-dev), which writes the OOXML parts and zips them.
//
// Every sheet: the header row bold and frozen (it stays on screen while scrolling), the given
// column widths (in characters, as Excel counts them), then the rows. Text is always written as
// text: a value such as "=HYPERLINK(…)" or "+380…" is a string cell, never a formula (a name typed
// by a citizen must not run in the head's spreadsheet). Integers beyond 2^53 (which a double cannot
// hold exactly) are written as text, so no digit changes; NaN and infinities as empty cells.
// Sheet names are made valid for Excel: at most 31 characters, none of []:*?/\, not empty, no
// leading or trailing apostrophe, unique ignoring case (a " (2)" suffix).
//
// libxlsxwriter 1.1.4 (bookworm) writes only to a file: the workbook goes to a temporary file
// (mkstemp under $TMPDIR, else /tmp) that is read back and removed, also on failure. Thread-safe:
// each call has its own workbook and file.
#pragma once

#include "common/error.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace vikno::documents {

struct Cell {
  std::variant<std::monostate, std::string, double, std::int64_t> value;
  bool bold = false;
};

struct Sheet {
  std::string name;
  std::vector<std::string> header;
  std::vector<double> widths; // per column, in characters; missing ones keep Excel's default
  std::vector<std::vector<Cell>> rows;
};

// The .xlsx file's bytes. Errors: `xlsx_failed` (internal) when the temporary file cannot be
// written or libxlsxwriter fails.
Result<std::string> render_xlsx(const std::vector<Sheet>& sheets);

// The name Excel will accept for `name` (see above), before the uniqueness suffix.
std::string valid_sheet_name(const std::string& name, std::size_t index);

} // namespace vikno::documents
