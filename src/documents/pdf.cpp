#include "documents/pdf.hpp"

#include "media/qr.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib-object.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <new>
#include <string>
#include <type_traits>

namespace vikno::documents {
namespace {

// A4 in PostScript points, and the margins.
constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kPageWidth = 210 * kPointsPerMm;
constexpr double kPageHeight = 297 * kPointsPerMm;
constexpr double kLeft = 20 * kPointsPerMm;
constexpr double kRight = kPageWidth - 15 * kPointsPerMm;
constexpr double kTop = 15 * kPointsPerMm;
constexpr double kFooterBaseline = kPageHeight - 15 * kPointsPerMm;
constexpr double kBottom = kFooterBaseline - 16; // the body ends above the footer line
constexpr double kWidth = kRight - kLeft;

constexpr const char* kSerif = "DejaVu Serif";
constexpr const char* kSans = "DejaVu Sans";
constexpr double kCellPadding = 3;

template <class T, void (*Free)(T*)> struct Deleter {
  void operator()(T* p) const { Free(p); }
};
void unref_object(void* object) { g_object_unref(object); }
template <class T> struct GObjectDeleter {
  void operator()(T* p) const { unref_object(p); }
};
using Layout = std::unique_ptr<PangoLayout, GObjectDeleter<PangoLayout>>;
using FontDescription =
    std::unique_ptr<PangoFontDescription, Deleter<PangoFontDescription, pango_font_description_free>>;
using Surface = std::unique_ptr<cairo_surface_t, Deleter<cairo_surface_t, cairo_surface_destroy>>;
using Cairo = std::unique_ptr<cairo_t, Deleter<cairo_t, cairo_destroy>>;
using Context = std::unique_ptr<PangoContext, GObjectDeleter<PangoContext>>;

// This thread's font map (see the header: Pango font maps are not thread-safe).
PangoFontMap* thread_font_map() {
  thread_local std::unique_ptr<PangoFontMap, GObjectDeleter<PangoFontMap>> map(pango_cairo_font_map_new());
  if (!map) {
    throw std::bad_alloc();
  }
  return map.get();
}

std::string escape(const std::string& text) {
  std::unique_ptr<char, Deleter<void, g_free>> escaped(
      g_markup_escape_text(text.data(), static_cast<gssize>(text.size())));
  return escaped ? std::string(escaped.get()) : std::string();
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t discard_bytes(void* /*closure*/, const unsigned char* /*data*/, unsigned int /*length*/) {
  return CAIRO_STATUS_SUCCESS;
}

struct Font {
  const char* family = kSerif;
  double size = 11;
  bool bold = false;
};

// Lays the blocks out page by page. Run twice: first with `draw` false, only to count the pages
// (the footer says "з M"), then drawing on the PDF surface. Both runs measure text on a PDF
// surface, so they break the pages at the same places.
class Typesetter {
public:
  Typesetter(cairo_t* cr, bool draw, int total_pages, std::string footer_left)
      : cr_(cr), draw_(draw), total_(total_pages), footer_left_(std::move(footer_left)),
        context_(pango_font_map_create_context(thread_font_map())) {
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_.get(), options);
    cairo_font_options_destroy(options);
    pango_cairo_update_context(cr_, context_.get());
    y_ = kTop;
  }

  void operator()(const Heading& h) {
    const bool title = h.level <= 1;
    Layout layout =
        make_layout(escape(h.text), {kSans, title ? 15.0 : 12.0, true}, kWidth, title ? Align::center : Align::left);
    const double before = title ? 0 : 8;
    // A section heading stays with at least three lines of what follows it.
    need(before + height(layout.get()) + 40);
    y_ += before;
    lines(layout.get(), kLeft);
    y_ += title ? 8 : 4;
  }

  void operator()(const Paragraph& p) {
    std::string markup;
    for (const Run& run : p.runs) {
      markup += run.bold ? "<b>" + escape(run.text) + "</b>" : escape(run.text);
    }
    Layout layout = make_layout(markup, {kSerif, p.small ? 9.0 : 11.0, false}, kWidth, p.align);
    lines(layout.get(), kLeft);
    y_ += 4;
  }

  void operator()(const KeyValues& kv) {
    const double label_width = kv.label_width_mm * kPointsPerMm;
    for (const auto& [label, value] : kv.rows) {
      Layout left = make_layout(escape(label), {kSerif, 10.5, false}, label_width - 6, Align::left);
      Layout right = make_layout(escape(value), {kSerif, 10.5, true}, kWidth - label_width, Align::left);
      const double h = std::max(height(left.get()), height(right.get()));
      need(h);
      show(left.get(), kLeft, y_);
      show(right.get(), kLeft + label_width, y_);
      y_ += h + 2;
    }
    y_ += 3;
  }

  void operator()(const Table& t) {
    if (t.columns.empty()) {
      return;
    }
    std::vector<double> weights = t.widths;
    if (weights.size() != t.columns.size()) {
      weights.assign(t.columns.size(), 1.0);
    }
    double sum = 0;
    for (double& w : weights) {
      w = std::max(w, 0.01);
      sum += w;
    }
    std::vector<double> x(t.columns.size() + 1, kLeft);
    for (std::size_t i = 0; i < weights.size(); ++i) {
      x[i + 1] = x[i] + kWidth * weights[i] / sum;
    }
    const Font header_font{kSans, 8.5, true};
    const Font cell_font{kSans, 9, false};
    auto row_layouts = [&](const std::vector<std::string>& cells, const Font& font) {
      std::vector<Layout> layouts;
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const std::string& text = i < cells.size() ? cells[i] : std::string();
        layouts.push_back(make_layout(escape(text), font, x[i + 1] - x[i] - 2 * kCellPadding, Align::left));
      }
      return layouts;
    };
    auto row_height = [](const std::vector<Layout>& layouts) {
      double h = 0;
      for (const Layout& l : layouts) {
        h = std::max(h, height(l.get()));
      }
      return h + 2 * kCellPadding;
    };
    auto draw_row = [&](const std::vector<Layout>& layouts, double h, bool shaded) {
      if (draw_) {
        if (shaded) {
          cairo_set_source_rgb(cr_, 0.9, 0.9, 0.9);
          cairo_rectangle(cr_, x.front(), y_, kWidth, h);
          cairo_fill(cr_);
        }
        cairo_set_source_rgb(cr_, 0, 0, 0);
        cairo_set_line_width(cr_, 0.5);
        for (std::size_t i = 0; i < layouts.size(); ++i) {
          cairo_rectangle(cr_, x[i], y_, x[i + 1] - x[i], h);
        }
        cairo_stroke(cr_);
      }
      for (std::size_t i = 0; i < layouts.size(); ++i) {
        show(layouts[i].get(), x[i] + kCellPadding, y_ + kCellPadding);
      }
      y_ += h;
    };
    const std::vector<Layout> header = row_layouts(t.columns, header_font);
    const double header_height = row_height(header);
    int header_page = 0; // the page the titles were last drawn on
    for (const std::vector<std::string>& row : t.rows) {
      const std::vector<Layout> cells = row_layouts(row, cell_font);
      const double h = row_height(cells);
      if (header_page == 0) {
        need(header_height + h); // never the titles alone at the bottom of a page
        draw_row(header, header_height, true);
        header_page = page_;
      }
      need(h);
      if (header_page != page_) { // the row went to a new page: the titles again first
        draw_row(header, header_height, true);
        header_page = page_;
      }
      draw_row(cells, h, false);
    }
    if (header_page == 0) {
      need(header_height);
      draw_row(header, header_height, true);
    }
    y_ += 6;
  }

  void operator()(const QrBlock& q, const media::QrMatrix& matrix) {
    const double side = q.size_mm * kPointsPerMm;
    Layout caption = make_layout(escape(q.caption), {kSans, 8.5, false}, kWidth, Align::left);
    need(side + 4 + height(caption.get()));
    if (draw_ && matrix.size > 0) {
      const double module = side / matrix.size;
      cairo_set_source_rgb(cr_, 0, 0, 0);
      for (int my = 0; my < matrix.size; ++my) {
        for (int mx = 0; mx < matrix.size; ++mx) {
          if (matrix.at(mx, my)) {
            cairo_rectangle(cr_, kLeft + mx * module, y_ + my * module, module, module);
          }
        }
      }
      cairo_fill(cr_);
    }
    y_ += side + 4;
    lines(caption.get(), kLeft);
    y_ += 4;
  }

  void operator()(const Signatures& s) {
    for (const SignatureLine& line : s.lines) {
      std::string markup = "<b>" + escape(line.role) + "</b>";
      if (!line.name.empty()) {
        markup += "   " + escape(line.name);
      }
      Layout who = make_layout(markup, {kSerif, 10.5, false}, kWidth, Align::left);
      Layout blanks = make_layout("Підпис ____________________      Дата ____________________", {kSerif, 10.5, false},
                                  kWidth, Align::left);
      const double h = height(who.get()) + 14 + height(blanks.get());
      need(h + 10);
      y_ += 10;
      show(who.get(), kLeft, y_);
      y_ += height(who.get()) + 14;
      show(blanks.get(), kLeft, y_);
      y_ += height(blanks.get());
    }
    y_ += 4;
  }

  void operator()(const Spacer& s) { y_ = std::min(y_ + s.mm * kPointsPerMm, kBottom); }

  // Ends the last page; returns the number of pages.
  int finish() {
    footer();
    if (draw_) {
      cairo_show_page(cr_);
    }
    return page_;
  }

private:
  Layout make_layout(const std::string& markup, const Font& font, double width, Align align) const {
    Layout layout(pango_layout_new(context_.get()));
    FontDescription description(pango_font_description_new());
    pango_font_description_set_family(description.get(), font.family);
    pango_font_description_set_absolute_size(description.get(), font.size * PANGO_SCALE);
    pango_font_description_set_weight(description.get(), font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), description.get());
    pango_layout_set_width(layout.get(), static_cast<int>(std::max(width, 10.0) * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align == Align::center  ? PANGO_ALIGN_CENTER
                                             : align == Align::right ? PANGO_ALIGN_RIGHT
                                                                     : PANGO_ALIGN_LEFT);
    pango_layout_set_markup(layout.get(), markup.data(), static_cast<int>(markup.size()));
    return layout;
  }

  static double height(PangoLayout* layout) {
    int w = 0;
    int h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  void show(PangoLayout* layout, double x, double y) {
    if (draw_) {
      cairo_set_source_rgb(cr_, 0, 0, 0);
      cairo_move_to(cr_, x, y);
      pango_cairo_show_layout(cr_, layout);
    }
  }

  // The layout line by line, breaking the page between lines.
  void lines(PangoLayout* layout, double x) {
    PangoLayoutIter* iter = pango_layout_get_iter(layout);
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      const double line_top = static_cast<double>(logical.y) / PANGO_SCALE;
      const double line_height = static_cast<double>(logical.height) / PANGO_SCALE;
      const double baseline = static_cast<double>(pango_layout_iter_get_baseline(iter)) / PANGO_SCALE;
      need(line_height);
      if (draw_) {
        cairo_set_source_rgb(cr_, 0, 0, 0);
        cairo_move_to(cr_, x + static_cast<double>(logical.x) / PANGO_SCALE, y_ + baseline - line_top);
        pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(iter));
      }
      y_ += line_height;
    } while (pango_layout_iter_next_line(iter) != 0);
    pango_layout_iter_free(iter);
  }

  // Starts a new page unless `h` points fit below the current position (a block taller than a
  // page is drawn from the top of a fresh one and cut at its bottom).
  void need(double h) {
    if (y_ + h <= kBottom || y_ <= kTop) {
      return;
    }
    footer();
    if (draw_) {
      cairo_show_page(cr_);
    }
    ++page_;
    y_ = kTop;
  }

  void footer() {
    if (!draw_) {
      return;
    }
    const std::string pages = "Сторінка " + std::to_string(page_) + " з " + std::to_string(total_);
    Layout right = make_layout(escape(pages), {kSans, 8, false}, kWidth, Align::right);
    Layout left = make_layout(escape(footer_left_), {kSans, 8, false}, kWidth * 0.7, Align::left);
    cairo_set_source_rgb(cr_, 0.4, 0.4, 0.4);
    cairo_set_line_width(cr_, 0.4);
    cairo_move_to(cr_, kLeft, kFooterBaseline - 12);
    cairo_line_to(cr_, kRight, kFooterBaseline - 12);
    cairo_stroke(cr_);
    const double h = height(right.get());
    cairo_move_to(cr_, kLeft, kFooterBaseline - h);
    pango_cairo_show_layout(cr_, left.get());
    cairo_move_to(cr_, kLeft, kFooterBaseline - h);
    pango_cairo_show_layout(cr_, right.get());
  }

  cairo_t* cr_;
  bool draw_;
  int total_;
  std::string footer_left_;
  Context context_;
  double y_ = 0;
  int page_ = 1;
};

Failure cairo_failure(cairo_status_t status) {
  if (status == CAIRO_STATUS_NO_MEMORY) {
    throw std::bad_alloc();
  }
  return fail(Error{ErrorKind::internal,
                    "pdf_failed",
                    std::string("the PDF could not be written: ") + cairo_status_to_string(status),
                    {}});
}

// One pass over the blocks; the QR matrices are encoded once, before both passes.
int typeset(cairo_t* cr, bool draw, int total, const Document& document, const std::vector<media::QrMatrix>& matrices) {
  Typesetter typesetter(cr, draw, total, document.footer_left);
  std::size_t qr = 0;
  for (const Block& block : document.blocks) {
    std::visit(
        [&](const auto& b) {
          if constexpr (std::is_same_v<std::decay_t<decltype(b)>, QrBlock>) {
            typesetter(b, matrices[qr++]);
          } else {
            typesetter(b);
          }
        },
        block);
  }
  return typesetter.finish();
}

} // namespace

Paragraph paragraph(std::string text, bool bold, Align align) {
  return Paragraph{{Run{std::move(text), bold}}, align, false};
}

Result<std::string> render_pdf(const Document& document) {
  std::vector<media::QrMatrix> matrices;
  for (const Block& block : document.blocks) {
    if (const auto* qr = std::get_if<QrBlock>(&block)) {
      VIKNO_TRY(matrix, media::qr_matrix(qr->text));
      matrices.push_back(std::move(matrix));
    }
  }

  int total = 0;
  {
    Surface surface(cairo_pdf_surface_create_for_stream(discard_bytes, nullptr, kPageWidth, kPageHeight));
    Cairo cr(cairo_create(surface.get()));
    total = typeset(cr.get(), false, 0, document, matrices);
    cairo_surface_finish(surface.get());
  }

  std::string bytes;
  Surface surface(cairo_pdf_surface_create_for_stream(append_bytes, &bytes, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return cairo_failure(cairo_surface_status(surface.get()));
  }
  if (!document.title.empty()) {
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, document.title.c_str());
  }
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Vikno");
  {
    Cairo cr(cairo_create(surface.get()));
    typeset(cr.get(), true, total, document, matrices);
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
      return cairo_failure(cairo_status(cr.get()));
    }
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return cairo_failure(cairo_surface_status(surface.get()));
  }
  return bytes;
}

} // namespace vikno::documents
