#include "newswatch/stance/model_path.hpp"

#include <gtest/gtest.h>

#include "test_paths.hpp"

namespace newswatch::stance {
namespace {

namespace fs = std::filesystem;

TEST(model_path, search_order_and_errors) {
    testing::temp_dir dir;
    const fs::path file = dir.path() / "m.bin";
    testing::write_file(file, "x");
    // --model wins over the config; a missing explicit path is an error at once.
    EXPECT_EQ(find_model_path(file, dir.path() / "other.bin", "").value(), file);
    EXPECT_EQ(find_model_path(std::nullopt, file, "").value(), file);
    auto missing = find_model_path(dir.path() / "gone.bin", file, "");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.err().message.find("gone.bin"), std::string::npos);
    EXPECT_NE(missing.err().message.find("--model"), std::string::npos);
    auto missing_cfg = find_model_path(std::nullopt, dir.path() / "gone.bin", "");
    ASSERT_FALSE(missing_cfg.ok());
    EXPECT_NE(missing_cfg.err().message.find("[stance] model"), std::string::npos);

    // The installed layout: <prefix>/bin/newswatch -> <prefix>/share/newswatch/models/.
    const fs::path prefix = dir.path() / "prefix";
    fs::create_directories(prefix / "bin");
    fs::create_directories(prefix / "share" / "newswatch" / "models");
    const fs::path installed = prefix / "share" / "newswatch" / "models" / std::string(default_model_file_name());
    testing::write_file(installed, "x");
    auto found = find_model_path(std::nullopt, std::nullopt, (prefix / "bin" / "newswatch").string());
    ASSERT_TRUE(found.ok()) << found.err().message;
    EXPECT_EQ(fs::weakly_canonical(found.value()), fs::weakly_canonical(installed));

    // With no explicit path, the source tree's feeds/models/ is found from a build dir.
    auto from_tree = find_model_path(std::nullopt, std::nullopt, (testing::bin_dir() / "newswatch").string());
    ASSERT_TRUE(from_tree.ok()) << from_tree.err().message;
    EXPECT_EQ(from_tree.value().filename(), std::string(default_model_file_name()));
}

}  // namespace
}  // namespace newswatch::stance
