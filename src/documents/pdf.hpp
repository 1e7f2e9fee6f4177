// Printed forms as PDF: a small document model (headings, paragraphs, label-value lists, tables,
// a QR code, signature lines) and its A4 typesetter on Pango + Cairo. The forms of a case
// (cases/forms.hpp) are built from these blocks; nothing here knows what a case is.
//
// Layout: A4 portrait (595 x 842 pt), margins 20 mm left and 15 mm top, right and bottom (the
// left one for a hole punch or a binder), "Сторінка N з M" in the footer of every page. Text is
// DejaVu Serif, headings, tables and the footer DejaVu Sans (Debian fonts-dejavu-core: full
// Cyrillic, always installed with Pango). Paragraphs and key-value lists break across pages
// between lines; a table breaks between rows and repeats its column titles on the next page.
//
// Thread-safety: render_pdf may run on several threads at once. Cairo is thread-safe; a Pango font
// map is not (its font and glyph caches are unlocked), so each thread keeps its own font map
// (thread_local, made on the thread's first render, freed when the thread ends). Chosen over a
// mutex, which would make the HTTP threads printing forms wait for one another, and over a font
// map per call, which would reload the fonts and lose the glyph caches on every document; the
// server's threads are a fixed pool, so the font maps are few.
#pragma once

#include "common/error.hpp"

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace vikno::documents {

enum class Align { left, center, right };

struct Heading {
  std::string text;
  int level = 1; // 1: the title of the document (centered, large); 2: a section
};

// A piece of a paragraph's text; plain text (no markup), bold or not.
struct Run {
  std::string text;
  bool bold = false;
};

// Wrapping text made of runs. `paragraph("…")` and `paragraph("…", true)` build a one-run one.
struct Paragraph {
  std::vector<Run> runs;
  Align align = Align::left;
  bool small = false; // 9 pt instead of 11 pt: notes, the fine print
};
Paragraph paragraph(std::string text, bool bold = false, Align align = Align::left);

// "label: value" rows, the labels in a column of `label_width_mm`; values wrap.
struct KeyValues {
  std::vector<std::pair<std::string, std::string>> rows;
  double label_width_mm = 55;
};

// A grid table. `widths` are relative weights of the columns (all equal when empty or of another
// size than `columns`); cells wrap inside their column.
struct Table {
  std::vector<std::string> columns;
  std::vector<double> widths;
  std::vector<std::vector<std::string>> rows;
};

// A QR code of `text`, drawn as vector squares (sharp at any printer resolution), `size_mm` wide
// without its quiet zone, with `caption` under it.
struct QrBlock {
  std::string text;
  std::string caption;
  double size_mm = 30;
};

// One signature line: "<role> ____ (name)" then "Підпис ______  Дата ______".
struct SignatureLine {
  std::string role; // "Заявник", "Адміністратор ЦНАП"
  std::string name; // printed under the role when known
};
struct Signatures {
  std::vector<SignatureLine> lines;
};

struct Spacer {
  double mm = 5;
};

using Block = std::variant<Heading, Paragraph, KeyValues, Table, QrBlock, Signatures, Spacer>;

struct Document {
  std::string title;       // the PDF's metadata title (the viewer's window)
  std::string footer_left; // e.g. the case number; printed left of "Сторінка N з M"
  std::vector<Block> blocks;
};

// The PDF's bytes. Errors: `qr_empty` / `qr_too_long` from a QR block (media::qr_matrix);
// `pdf_failed` (internal) when Cairo reports a failure (out of memory).
Result<std::string> render_pdf(const Document& document);

} // namespace vikno::documents
