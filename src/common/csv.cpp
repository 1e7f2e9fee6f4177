#include "common/csv.hpp"

#include <algorithm>
#include <cctype>

namespace vikno::csv {

namespace {

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

} // namespace

Result<std::vector<Record>> read(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3); // the UTF-8 byte order mark spreadsheet programs write
  }
  std::vector<Record> records;
  Record record{1, {}};
  std::string field;
  bool quoted = false;
  // Whether the current line has anything in it: a separator or a quote makes a record even when
  // every field is empty (",," is three empty fields; an empty line is none).
  bool started = false;
  int line = 1;
  auto end_record = [&] {
    if (started || !field.empty()) {
      record.fields.push_back(std::move(field));
      if (!(record.fields.size() == 1 && blank(record.fields.front()))) {
        records.push_back(std::move(record));
      }
    }
    record = Record{line, {}};
    field.clear();
    started = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') {
          ++line;
        }
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && blank(field)) {
      field.clear();
      quoted = started = true;
    } else if (c == ',') {
      record.fields.push_back(std::move(field));
      field.clear();
      started = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      ++line;
      end_record();
    } else {
      field.push_back(c);
    }
  }
  if (quoted) {
    const int at = record.line;
    return fail(Error::invalid("invalid_csv", "line " + std::to_string(at) + ": a quoted cell never ends",
                               {{"", "a quoted cell never ends", at}}));
  }
  end_record();
  return records;
}

} // namespace vikno::csv
