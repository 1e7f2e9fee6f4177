// The one reader of CSV files from outside (таблиці CSV): the registry import and the network
// planning parsers both read through it, so a file means the same to both. Pure: text in,
// records out; no streams, no files.
//
// The rules are RFC 4180 plus what spreadsheet programs write:
//  - fields are separated by ','; a field may be quoted with '"', and then holds commas, line
//    breaks and quotes (a quote inside is written twice: "say ""hi""");
//  - whitespace before an opening quote is dropped (`a, "b, c"` is two fields); text after a closing
//    quote is kept as it is (`"ab"cd` is `abcd`); a quote inside an unquoted field is a character;
//  - a line ends with \n, \r\n or a lone \r (old Mac exports); inside quotes every character is
//    kept, and each \n in it counts as a line;
//  - a UTF-8 byte order mark at the start is skipped; a line with nothing but whitespace is no record.
// Fields are not trimmed: what a field means (a number, an id) is the caller's business. One more
// rule, the other half of the writer's: a field that starts with apostrophes followed by = + - @
// tab or carriage return loses one apostrophe (a spreadsheet's "this is text" mark, which the
// writer adds), so a file exported and imported again means what it meant.
//
// The one writer of CSV files (the registry export, the network planning reports): cell() quotes
// where needed and neutralises formulas. A spreadsheet program runs a cell that starts with
// = + - @ (or a tab or carriage return before them) as a formula: `=HYPERLINK("http://evil",
// "Click")` in a center's name would be a link in the head's spreadsheet. Such a cell is written with
// a leading apostrophe (OWASP "CSV injection"): shown as text, the apostrophe hidden. A cell that
// is a plain decimal number (-3.5, +380, 1e-3) is no formula and is written as it is, so negative
// numbers stay numbers; the writer tells them apart by the text alone. A value that itself starts
// with apostrophes before such a character gets one more, so the reader gives it back whole.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace vikno::csv {

// One record (a row), with the 1-based line of the file it starts on (a quoted line break makes a
// record span several lines; the next record's number counts them).
struct Record {
  int line = 0;
  std::vector<std::string> fields;
};

// Every record of `text`, the header first if the file has one; or 400 `invalid_csv` with one
// problem on the line where a quoted field opens and never closes.
Result<std::vector<Record>> read(std::string_view text);

// Whether `text` is a plain decimal number: an optional sign, digits, an optional fraction and an
// optional exponent. Such a cell is never neutralised.
bool is_number(std::string_view text);
// One cell as written: neutralised (a leading ' before = + - @ tab or CR, unless a number) and
// quoted when it holds a comma, a quote or a line break.
std::string cell(std::string_view value);
// One line of cells, each through cell(), ending with "\n".
std::string line(const std::vector<std::string>& cells);

} // namespace vikno::csv
