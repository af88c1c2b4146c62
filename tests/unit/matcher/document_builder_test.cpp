#include "newswatch/matcher/document_builder.hpp"

#include <gtest/gtest.h>

namespace newswatch::matcher {
namespace {

TEST(document_builder, maps_item_fields_and_feed_title) {
    core::item item;
    item.id = "1";
    item.title = "NATO summit";
    item.summary = "summary text";
    item.content = "content text";
    item.link = "https://example.org/a";
    core::person named, mailed;
    named.name = "Jane Smith";
    mailed.email = "desk@example.org";
    item.authors = {named, mailed, core::person{}};
    item.categories = {"World"};
    const auto d = make_document(item, "Example News");
    EXPECT_EQ(d.title, "NATO summit");
    EXPECT_EQ(d.summary, "summary text");
    EXPECT_EQ(d.content, "content text");
    EXPECT_EQ(d.link, "https://example.org/a");
    EXPECT_EQ(d.feed, "Example News");
    ASSERT_EQ(d.authors.size(), 2u);
    EXPECT_EQ(d.authors[1], "desk@example.org");
    ASSERT_EQ(d.categories.size(), 1u);
}

TEST(document_builder, missing_fields_are_empty) {
    core::item item;
    const auto d = make_document(item, "");
    EXPECT_TRUE(d.title.empty());
    EXPECT_TRUE(d.content.empty());
    EXPECT_TRUE(d.authors.empty());
}

}  // namespace
}  // namespace newswatch::matcher
