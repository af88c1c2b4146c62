#include "newswatch/stance/csv_reader.hpp"

#include <gtest/gtest.h>

namespace newswatch::stance {
namespace {

TEST(csv_reader, quoted_multi_line_fields_with_commas_and_doubled_quotes) {
    const std::string text =
        "Body ID,articleBody\r\n"
        "0,\"First line, with a comma.\n\nSecond paragraph with \"\"quotes\"\".\"\r\n"
        "1,plain body\n";
    auto t = parse_csv(text);
    ASSERT_TRUE(t.ok()) << t.err().message;
    ASSERT_EQ(t->header, (csv_row{"Body ID", "articleBody"}));
    ASSERT_EQ(t->rows.size(), 2u);
    EXPECT_EQ(t->rows[0][0], "0");
    EXPECT_EQ(t->rows[0][1], "First line, with a comma.\n\nSecond paragraph with \"quotes\".");
    EXPECT_EQ(t->rows[1], (csv_row{"1", "plain body"}));
    EXPECT_EQ(t->row_lines[0], 2u);
    EXPECT_EQ(t->row_lines[1], 5u);  // the quoted field spans lines 2-4
}

TEST(csv_reader, bom_empty_fields_missing_final_newline_and_blank_lines) {
    auto t = parse_csv("\xEF\xBB\xBF" "a,b,c\n\n,\"\",x\n1,2,3");
    ASSERT_TRUE(t.ok()) << t.err().message;
    EXPECT_EQ(t->header[0], "a");
    ASSERT_EQ(t->rows.size(), 2u);
    EXPECT_EQ(t->rows[0], (csv_row{"", "", "x"}));
    EXPECT_EQ(t->rows[1], (csv_row{"1", "2", "3"}));
}

TEST(csv_reader, quoted_empty_line_is_a_record) {
    auto t = parse_csv("h\n\"\"\n");
    ASSERT_TRUE(t.ok());
    ASSERT_EQ(t->rows.size(), 1u);
    EXPECT_EQ(t->rows[0], (csv_row{""}));
}

TEST(csv_reader, errors_name_the_line) {
    auto open = parse_csv("a,b\n1,\"never closed\n2,3\n");
    ASSERT_FALSE(open.ok());
    EXPECT_NE(open.err().message.find("line 2"), std::string::npos) << open.err().message;
    auto junk = parse_csv("a,b\n\"x\"y,2\n");
    ASSERT_FALSE(junk.ok());
    EXPECT_NE(junk.err().message.find("line 2"), std::string::npos) << junk.err().message;
}

TEST(csv_reader, escape_and_round_trip) {
    EXPECT_EQ(csv_escape("plain"), "plain");
    EXPECT_EQ(csv_escape("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_escape("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_escape("two\nlines"), "\"two\nlines\"");
    const std::vector<std::string> fields = {"Headline, with comma", "line\r\nbreak", "\"q\"", ""};
    std::string doc = csv_format_row({"h1", "h2", "h3", "h4"}) +
                      csv_format_row({fields[0], fields[1], fields[2], fields[3]});
    auto t = parse_csv(doc);
    ASSERT_TRUE(t.ok()) << t.err().message;
    ASSERT_EQ(t->rows.size(), 1u);
    EXPECT_EQ(t->rows[0], (csv_row(fields.begin(), fields.end())));
}

}  // namespace
}  // namespace newswatch::stance
