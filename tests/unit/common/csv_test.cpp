// The shared CSV reader: quoting as spreadsheets write it, line numbers a person can find.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/csv.hpp"
#include "common/problems.hpp"

namespace vikno::csv {
namespace {

using Fields = std::vector<std::string>;

std::vector<int> lines_of(const std::vector<Record>& records) {
  std::vector<int> out;
  for (const auto& r : records) {
    out.push_back(r.line);
  }
  return out;
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  auto r = read("name,note\n"
                "\"Вишневе, село\",\"say \"\"hi\"\"\"\n"
                "\"two\nlines\",z\n"
                "last,row");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 4U);
  EXPECT_EQ((*r)[0].fields, (Fields{"name", "note"}));
  EXPECT_EQ((*r)[1].fields, (Fields{"Вишневе, село", "say \"hi\""}));
  EXPECT_EQ((*r)[2].fields, (Fields{"two\nlines", "z"}));
  EXPECT_EQ((*r)[3].fields, (Fields{"last", "row"}));
  // The quoted line break is a line of the file: the record after it starts on line 5.
  EXPECT_EQ(lines_of(*r), (std::vector<int>{1, 2, 3, 5}));
}

// The registry import's file from before the reader was shared: every line number as it was.
TEST(Csv, BomCrLfQuotesAndBlankLinesTogether) {
  auto r = read("\xEF\xBB\xBF"
                "a,b\r\n"
                "\"x, y\",\"say \"\"hi\"\"\"\n"
                "\n"
                "\"two\nlines\",z\n"
                "last,row");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 4U);
  EXPECT_EQ((*r)[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ((*r)[1].fields, (Fields{"x, y", "say \"hi\""}));
  EXPECT_EQ((*r)[2].fields[0], "two\nlines");
  EXPECT_EQ(lines_of(*r), (std::vector<int>{1, 2, 4, 6}));
}

TEST(Csv, CrLfAndLoneCrEndLinesAndAreNotPartOfAField) {
  auto r = read("a,b\r\n1,2\r\n3,4\r5,6\r\n");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 4U);
  EXPECT_EQ((*r)[1].fields, (Fields{"1", "2"}));
  EXPECT_EQ((*r)[2].fields, (Fields{"3", "4"}));
  EXPECT_EQ((*r)[3].fields, (Fields{"5", "6"}));
  EXPECT_EQ(lines_of(*r), (std::vector<int>{1, 2, 3, 4}));
  // Inside quotes a CR LF is kept as written.
  auto quoted = read("\"x\r\ny\",z\r\n");
  ASSERT_TRUE(quoted);
  EXPECT_EQ(quoted->at(0).fields, (Fields{"x\r\ny", "z"}));
}

TEST(Csv, AByteOrderMarkIsSkipped) {
  auto r = read("\xEF\xBB\xBFid,name\nUA1,Київ\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at(0).fields, (Fields{"id", "name"}));
  EXPECT_EQ(r->at(0).line, 1);
}

TEST(Csv, BlankLinesAreNoRecordsButCountAsLines) {
  auto r = read("a,b\n\n   \n1,2\n\"\"\n,\n");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 3U);
  EXPECT_EQ((*r)[1].fields, (Fields{"1", "2"}));
  // "," is a record of two empty fields, not a blank line.
  EXPECT_EQ((*r)[2].fields, (Fields{"", ""}));
  EXPECT_EQ(lines_of(*r), (std::vector<int>{1, 4, 6}));
}

TEST(Csv, FieldsAreNotTrimmedButSpaceBeforeAnOpeningQuoteIs) {
  auto r = read(" a , \"b, c\" ,d\"e\"\n\"ab\"cd\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at(0).fields, (Fields{" a ", "b, c ", "d\"e\""}));
  EXPECT_EQ(r->at(1).fields, (Fields{"abcd"}));
}

TEST(Csv, AnEmptyFileHasNoRecords) {
  for (const char* text : {"", "\xEF\xBB\xBF", "\n\n", "\r\n"}) {
    auto r = read(text);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->empty()) << text;
  }
}

TEST(Csv, AQuoteThatNeverClosesNamesTheLineItOpensOn) {
  auto r = read("a,b\n1,2\n3,\"open\nstill open,\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "invalid_csv");
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  ASSERT_EQ(r.error().problems.size(), 1U);
  EXPECT_EQ(r.error().problems[0].line, 3);
  EXPECT_EQ(r.error().message, "line 3: a quoted cell never ends");
}

TEST(Problems, SortByLineKeepsTheOrderWithinALine) {
  Problems p{{"b", "second on 2", 2}, {"a", "first on 2", 2}, {"x", "on 1", 1}, {"", "no line", 0}};
  sort_by_line(p);
  std::vector<std::string> order;
  for (const auto& x : p) {
    order.push_back(x.problem);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"no line", "on 1", "second on 2", "first on 2"}));
}

TEST(Problems, DescribeNamesLineAndFieldWhenKnown) {
  EXPECT_EQ(describe({"fee.kopiykas", "must be >= 0", 3}), "line 3: fee.kopiykas: must be >= 0");
  EXPECT_EQ(describe({"", "has 2 cells", 4}), "line 4: has 2 cells");
  EXPECT_EQ(describe({"code", "is required", 0}), "code: is required");
}

TEST(Problems, ToResultCarriesEveryProblemAndNamesTheFirst) {
  EXPECT_TRUE(to_result({}));
  auto r = to_result({{"hours[1].opens", "must be a time HH:MM", 0}, {"code", "is required", 0}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "invalid_field");
  EXPECT_EQ(r.error().problems.size(), 2U);
  EXPECT_EQ(r.error().message, "field 'hours[1].opens': must be a time HH:MM (and 1 more)");
}

TEST(CsvWriter, CellsThatASpreadsheetWouldRunAreWrittenAsText) {
  EXPECT_EQ(cell(R"x(=HYPERLINK("http://evil","Click"))x"), R"x("'=HYPERLINK(""http://evil"",""Click"")")x");
  EXPECT_EQ(cell("+1+1"), "'+1+1");
  EXPECT_EQ(cell("-2+3"), "'-2+3");
  EXPECT_EQ(cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(cell("\t=1"), "'\t=1");
  EXPECT_EQ(cell("\r=1"), "\"'\r=1\"");
  EXPECT_EQ(cell("-"), "'-");
  EXPECT_EQ(cell("a=b"), "a=b");  // only the first character counts
  EXPECT_EQ(cell("'=x"), "''=x"); // the reader drops one apostrophe: this one survives
  EXPECT_EQ(cell("''-1"), "'''-1");
  EXPECT_EQ(cell("'plain"), "'plain");
  EXPECT_EQ(cell(""), "");
}

TEST(CsvWriter, NumbersStayNumbers) {
  for (const char* n : {"-3.5", "+380441234567", "-0", "1e-3", "-2.5E+10", "42"}) {
    EXPECT_TRUE(is_number(n)) << n;
    EXPECT_EQ(cell(n), n);
  }
  for (const char* n : {"-", "-.5", "1.", "1e", "-1-1", "--1", "1,5", "+"}) {
    EXPECT_FALSE(is_number(n)) << n;
  }
}

TEST(CsvWriter, QuotesWhatNeedsQuotesAndReadsBackTheSameValues) {
  const Fields values{"Вишневе, село", "say \"hi\"", "two\nlines", "=1+2",   "'=already",
                      "''+x",          "-7.25",      "@x",         "'plain", "'"};
  const std::string text = line(values);
  EXPECT_EQ(text.back(), '\n');
  auto back = read(text);
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->size(), 1U);
  EXPECT_EQ((*back)[0].fields, values);
}

} // namespace
} // namespace vikno::csv
