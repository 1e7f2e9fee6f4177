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
// Fields are not trimmed: what a field means (a number, an id) is the caller's business.
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

} // namespace vikno::csv
