// What a stored text (a name, a label, a description) may hold. Names and labels are shown on
// kiosks, boards, printed tickets and exported files: a NUL cuts them short in C code and logs, and
// the bidirectional overrides (U+202A-U+202E, U+2066-U+2069) make a text read differently from
// what it holds (a "Trojan source" name). One check for every module that stores such text
// (registry records, user names, device labels), so they all refuse the same characters.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vikno::text {

// line: a name or a label, no control character at all; paragraphs: a description, where line
// breaks and tabs are allowed.
enum class Kind { line, paragraphs };

// nullopt when `value` may be stored; else the problem, for the field's error: not UTF-8, a
// control character (U+0000-U+001F, U+007F-U+009F; a line break or tab only in paragraphs), or
// a bidirectional override or isolate.
std::optional<std::string> problem(std::string_view value, Kind kind = Kind::line);

// `value` without the spaces and tabs around it (HTTP's optional whitespace around a header's items).
std::string_view trim_blanks(std::string_view value);

} // namespace vikno::text
