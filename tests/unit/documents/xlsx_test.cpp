// Spreadsheets read back with unzip (a real ZIP reader): the XML parts Excel and LibreOffice open.
#include "documents/xlsx.hpp"

#include "read_back.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vikno::documents {
namespace {

using testing::run;
using testing::TempFile;

std::string part(const std::string& xlsx, const std::string& name) {
  TempFile file(xlsx, ".xlsx");
  return run("unzip -p " + file.path() + " " + name);
}

std::vector<Sheet> report() {
  Sheet sheet;
  sheet.name = "Дисципліна";
  sheet.header = {"Суб'єкт надання", "У роботі", "Частка, %"};
  sheet.widths = {40, 12, 12};
  sheet.rows.push_back(
      {Cell{std::string("Відділ соцзахисту"), false}, Cell{std::int64_t{10}, false}, Cell{3.25, false}});
  sheet.rows.push_back({Cell{std::string("=HYPERLINK(\"http://evil\",\"x\")"), false},
                        Cell{std::string("+380671234567"), false}, Cell{}});
  sheet.rows.push_back({Cell{std::string("Разом"), true}, Cell{std::int64_t{9007199254740993}, true}});
  return {sheet};
}

TEST(RenderXlsx, IsAZipWithTheCells) {
  auto xlsx = render_xlsx(report());
  ASSERT_TRUE(xlsx) << xlsx.error().message;
  EXPECT_TRUE(xlsx->starts_with("PK")) << "a ZIP file";
  const std::string strings = part(*xlsx, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find("Відділ соцзахисту"), std::string::npos) << strings;
  EXPECT_NE(strings.find("Суб'єкт надання"), std::string::npos);
  const std::string sheet = part(*xlsx, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("<v>10</v>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<v>3.25</v>"), std::string::npos) << sheet;
  const std::string workbook = part(*xlsx, "xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"Дисципліна\""), std::string::npos) << workbook;
}

TEST(RenderXlsx, FormulaLookingTextStaysText) {
  auto xlsx = render_xlsx(report());
  ASSERT_TRUE(xlsx);
  const std::string sheet = part(*xlsx, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(sheet.find("<f>"), std::string::npos) << "no formula cell: " << sheet;
  const std::string strings = part(*xlsx, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find(R"(<t>=HYPERLINK("http://evil","x")</t>)"), std::string::npos) << strings;
  EXPECT_NE(strings.find("+380671234567"), std::string::npos);
  // An integer a double cannot hold keeps its digits, as text.
  EXPECT_NE(strings.find("9007199254740993"), std::string::npos);
}

TEST(RenderXlsx, HeaderIsBoldAndFrozenWithTheWidths) {
  auto xlsx = render_xlsx(report());
  ASSERT_TRUE(xlsx);
  const std::string sheet = part(*xlsx, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find(R"(<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>)"),
            std::string::npos)
      << sheet;
  EXPECT_NE(sheet.find(R"(width="40.7109375")"), std::string::npos) << "40 characters wide: " << sheet;
  const std::string styles = part(*xlsx, "xl/styles.xml");
  EXPECT_NE(styles.find("<b/>"), std::string::npos) << styles;
  // The header's cells carry the bold style (s="1"), the first data row's text does not.
  const auto row1 = sheet.find("<row r=\"1\"");
  const auto row2 = sheet.find("<row r=\"2\"");
  ASSERT_NE(row1, std::string::npos);
  ASSERT_NE(row2, std::string::npos);
  EXPECT_NE(sheet.substr(row1, row2 - row1).find(" s=\"1\""), std::string::npos);
  EXPECT_EQ(sheet.substr(row2, sheet.find("<row r=\"3\"") - row2).find(" s=\"1\""), std::string::npos);
}

TEST(RenderXlsx, SheetNamesAreMadeValidAndUnique) {
  std::vector<Sheet> sheets(4);
  sheets[0].name = "Звіт [грудень]: a/b\\c*?";
  sheets[1].name = "Дуже довга назва аркуша, що не вміщається у тридцять один символ";
  sheets[2].name = "";
  sheets[3].name = "Звіт [грудень]: a/b\\c*?";
  auto xlsx = render_xlsx(sheets);
  ASSERT_TRUE(xlsx) << xlsx.error().message;
  const std::string workbook = part(*xlsx, "xl/workbook.xml");
  EXPECT_NE(workbook.find(R"(name="Звіт _грудень__ a_b_c__")"), std::string::npos) << workbook;
  EXPECT_NE(workbook.find(R"(name="Дуже довга назва аркуша, що не ")"), std::string::npos) << workbook;
  EXPECT_NE(workbook.find(R"(name="Аркуш 3")"), std::string::npos) << workbook;
  EXPECT_NE(workbook.find(R"x(name="Звіт _грудень__ a_b_c__ (2)")x"), std::string::npos) << workbook;
  EXPECT_EQ(valid_sheet_name("'цитата'", 0), "цитата");
}

TEST(RenderXlsx, LeavesNoTemporaryFile) {
  const std::string dir = ::testing::TempDir() + "vikno-xlsx-tmp";
  ASSERT_EQ(std::system(("rm -rf " + dir + " && mkdir -p " + dir).c_str()), 0);
  ::setenv("TMPDIR", dir.c_str(), 1);
  auto xlsx = render_xlsx(report());
  ::unsetenv("TMPDIR");
  ASSERT_TRUE(xlsx);
  EXPECT_EQ(run("ls -A " + dir), "");
  std::system(("rm -rf " + dir).c_str());
}

} // namespace
} // namespace vikno::documents
