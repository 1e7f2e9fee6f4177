#include "common/csv.hpp"

#include <algorithm>
#include <cctype>

namespace vikno::csv {

namespace {

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// The characters that make a spreadsheet read a cell as a formula when they come first.
bool formula_start(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

// Whether `text` is one or more apostrophes and then a formula character: what the writer marks
// (a formula, or a value that already looked marked) and the reader unmarks.
bool apostrophes_then_formula(std::string_view text) {
  const std::size_t n = text.find_first_not_of('\'');
  return n != 0 && n != std::string_view::npos && formula_start(text[n]);
}

// A field as read: the writer's apostrophe before a formula character dropped.
std::string unneutralised(std::string field) {
  if (apostrophes_then_formula(field)) {
    field.erase(0, 1);
  }
  return field;
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
      record.fields.push_back(unneutralised(std::move(field)));
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
      record.fields.push_back(unneutralised(std::move(field)));
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

bool is_number(std::string_view text) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      ++i;
    }
    return i > from;
  };
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    ++i;
  }
  if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) {
      return false;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      ++i;
    }
    if (!digits()) {
      return false;
    }
  }
  return i == text.size();
}

std::string cell(std::string_view value) {
  std::string text;
  const bool formula = !value.empty() && formula_start(value.front()) && !is_number(value);
  // A value that itself starts with the mark the reader drops keeps it through one more.
  const bool marked = apostrophes_then_formula(value);
  if (formula || marked) {
    text = "'";
  }
  text += value;
  if (text.find_first_of(",\"\n\r") == std::string::npos) {
    return text;
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  return out + "\"";
}

std::string line(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += cell(cells[i]);
  }
  return out + "\n";
}

} // namespace vikno::csv
