// The typesetter, read back by poppler (pdftotext, pdfinfo, pdffonts): what a printed page shows.
#include "documents/pdf.hpp"

#include "read_back.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

// fontconfig keeps ~300 bytes of its process-wide configuration until exit (it is loaded once,
// whatever the number of documents or threads): not ours to free, so LeakSanitizer (the debug
// preset) is told to ignore it in this test binary.
extern "C" const char* __lsan_default_suppressions(); // NOLINT(bugprone-reserved-identifier)
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace vikno::documents {
namespace {

using testing::pdf_info;
using testing::pdf_text;
using testing::squeezed;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) {
    ++n;
  }
  return n;
}

TEST(RenderPdf, OneParagraphIsOneA4PageWithItsNumber) {
  Document doc;
  doc.title = "Проба";
  doc.blocks.emplace_back(paragraph("Привіт, ЦНАП! Ґанок, їжак, єнот."));
  auto pdf = render_pdf(doc);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  const auto info = pdf_info(*pdf);
  EXPECT_EQ(info.pages, 1);
  EXPECT_NE(info.page_size.find("595.276 x 841.89"), std::string::npos) << info.page_size;
  const std::string text = squeezed(pdf_text(*pdf));
  EXPECT_NE(text.find("Привіт, ЦНАП! Ґанок, їжак, єнот."), std::string::npos) << text;
  EXPECT_NE(text.find("Сторінка 1 з 1"), std::string::npos) << text;
}

TEST(RenderPdf, TextIsNotMarkup) {
  Document doc;
  doc.blocks.emplace_back(paragraph("ТОВ <b>«Ромашка» & Ко</b>"));
  doc.blocks.emplace_back(KeyValues{{{"Назва <i>", "a & b <c>"}}});
  auto pdf = render_pdf(doc);
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = squeezed(pdf_text(*pdf));
  EXPECT_NE(text.find("ТОВ <b>«Ромашка» & Ко</b>"), std::string::npos) << text;
  EXPECT_NE(text.find("a & b <c>"), std::string::npos) << text;
}

TEST(RenderPdf, BoldRunsUseTheBoldFace) {
  Document regular;
  regular.blocks.emplace_back(paragraph("звичайний текст"));
  Document bold;
  bold.blocks.emplace_back(Paragraph{{documents::Run{"звичайний ", false}, documents::Run{"жирний", true}}});
  auto fonts = [](const Document& doc) {
    auto pdf = render_pdf(doc);
    EXPECT_TRUE(pdf);
    testing::TempFile file(pdf ? *pdf : std::string(), ".pdf");
    return testing::run("pdffonts " + file.path());
  };
  EXPECT_EQ(fonts(regular).find("DejaVuSerif-Bold"), std::string::npos);
  EXPECT_NE(fonts(bold).find("DejaVuSerif-Bold"), std::string::npos);
}

TEST(RenderPdf, LongTableSplitsAcrossPagesRepeatingItsHeader) {
  Document doc;
  doc.blocks.emplace_back(Heading{"Перелік"});
  Table table;
  table.columns = {"№", "Колонка документа", "Аркушів"};
  table.widths = {1, 6, 2};
  for (int i = 1; i <= 120; ++i) {
    table.rows.push_back({std::to_string(i), "Рядок номер " + std::to_string(i), std::to_string(i % 7)});
  }
  doc.blocks.emplace_back(table);
  doc.blocks.emplace_back(paragraph("Кінець переліку."));
  auto pdf = render_pdf(doc);
  ASSERT_TRUE(pdf) << pdf.error().message;
  const int pages = pdf_info(*pdf).pages;
  EXPECT_GE(pages, 3);
  const std::string text = squeezed(pdf_text(*pdf));
  for (int i = 1; i <= 120; ++i) {
    EXPECT_NE(text.find("Рядок номер " + std::to_string(i) + " "), std::string::npos) << i;
  }
  EXPECT_EQ(count(text, "Колонка документа"), static_cast<std::size_t>(pages)) << "the titles on every page";
  EXPECT_NE(text.find("Сторінка " + std::to_string(pages) + " з " + std::to_string(pages)), std::string::npos);
  EXPECT_NE(text.find("Сторінка 1 з " + std::to_string(pages)), std::string::npos);
  EXPECT_NE(text.find("Кінець переліку."), std::string::npos);
}

TEST(RenderPdf, LongParagraphBreaksBetweenLines) {
  std::string words;
  for (int i = 0; i < 1500; ++i) {
    words += "слово" + std::to_string(i) + " ";
  }
  Document doc;
  doc.blocks.emplace_back(paragraph(words));
  auto pdf = render_pdf(doc);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_GE(pdf_info(*pdf).pages, 2);
  const std::string text = pdf_text(*pdf);
  EXPECT_NE(text.find("слово0 "), std::string::npos);
  EXPECT_NE(text.find("слово1499"), std::string::npos);
}

TEST(RenderPdf, QrBlockDrawsTheCodeAndItsCaption) {
  Document without;
  without.blocks.emplace_back(paragraph("x"));
  Document with = without;
  with.blocks.emplace_back(QrBlock{"https://vikno.example/c/ABC", "Стан: https://vikno.example/c/ABC"});
  auto a = render_pdf(without);
  auto b = render_pdf(with);
  ASSERT_TRUE(a && b);
  EXPECT_NE(squeezed(pdf_text(*b)).find("Стан: https://vikno.example/c/ABC"), std::string::npos);
  EXPECT_GT(b->size(), a->size() + 500) << "the modules are drawn";

  Document empty;
  empty.blocks.emplace_back(QrBlock{"", "нічого"});
  auto failed = render_pdf(empty);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "qr_empty");
}

TEST(RenderPdf, SignatureLinesAndFooter) {
  Document doc;
  doc.footer_left = "Справа № cnap-1";
  doc.blocks.emplace_back(Signatures{{{"Заявник", "Шевченко Т. Г."}}});
  auto pdf = render_pdf(doc);
  ASSERT_TRUE(pdf);
  const std::string text = squeezed(pdf_text(*pdf));
  EXPECT_NE(text.find("Заявник Шевченко Т. Г."), std::string::npos) << text;
  EXPECT_NE(text.find("Підпис ____"), std::string::npos);
  EXPECT_NE(text.find("Дата ____"), std::string::npos);
  EXPECT_NE(text.find("Справа № cnap-1"), std::string::npos);
}

// Several threads at once (the HTTP server's pool): each document comes out whole and alike.
TEST(RenderPdf, ManyThreadsAtOnce) {
  Document doc;
  doc.blocks.emplace_back(Heading{"Опис"});
  Table table;
  table.columns = {"№", "Документ"};
  for (int i = 0; i < 60; ++i) {
    table.rows.push_back({std::to_string(i), "Документ " + std::to_string(i)});
  }
  doc.blocks.emplace_back(table);
  doc.blocks.emplace_back(QrBlock{"https://vikno.example/c/T", "QR"});
  auto single = render_pdf(doc);
  ASSERT_TRUE(single);
  const std::string expected = pdf_text(*single);
  std::vector<std::string> outputs(4 * 5);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto pdf = render_pdf(doc);
        outputs[static_cast<std::size_t>(t * 5 + i)] = pdf ? *pdf : std::string();
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const std::string& pdf : outputs) {
    ASSERT_FALSE(pdf.empty());
    EXPECT_EQ(pdf_text(pdf), expected);
  }
}

} // namespace
} // namespace vikno::documents
