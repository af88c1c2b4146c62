// `cmake --install` into a fresh prefix (issue #14 item 1): binaries, the default config
// whose include of the NATO–Ukraine pack resolves from share/newswatch/feeds, the model,
// a unit naming this prefix's binaries, man pages; a second install keeps an edited config.
// The unit's hardening is scored by `systemd-analyze security --offline=yes`.
#include <gtest/gtest.h>

#include <regex>

#include "daemon_fixture.hpp"

namespace newswatch::testing {
namespace {

namespace fs = std::filesystem;

command_result install_into(const fs::path& prefix) {
    return run_command("cmake --install " + quote(bin_dir().parent_path()) + " --prefix " + quote(prefix));
}

TEST(install, any_prefix_gets_binaries_config_packs_model_unit_and_man_pages) {
    temp_dir dir;
    const fs::path prefix = dir.path() / "opt nw";  // a space: every path is quoted
    const auto installed = install_into(prefix);
    ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
    for (const char* file : {"bin/newswatchd", "bin/newswatch", "etc/newswatch/newswatch.toml",
                             "share/newswatch/feeds/nato-ukraine.toml", "share/newswatch/models/stance-1.bin",
                             "lib/systemd/system/newswatch.service", "lib/sysusers.d/newswatch.conf",
                             "etc/logrotate.d/newswatch", "share/man/man8/newswatchd.8.gz",
                             "share/man/man1/newswatch.1.gz", "share/man/man5/newswatch.toml.5.gz"})
        EXPECT_TRUE(fs::exists(prefix / file)) << file;
    EXPECT_FALSE(fs::exists(prefix / "share/newswatch/feeds/newswatch.toml"));

    const std::string unit = read_file(prefix / "lib/systemd/system/newswatch.service");
    EXPECT_NE(unit.find("ExecStart=" + (prefix / "bin/newswatchd").string() + " --config " +
                        (prefix / "etc/newswatch/newswatch.toml").string()),
              std::string::npos)
        << unit;
    EXPECT_NE(unit.find("ExecReload=" + (prefix / "bin/newswatch").string() + " reload"), std::string::npos);

    // The installed tool validates the installed config: "nato-ukraine.toml" is not beside
    // it but in share/newswatch/feeds.
    const fs::path config = prefix / "etc/newswatch/newswatch.toml";
    const auto check = run_command(quote(prefix / "bin/newswatch") + " check --config " + quote(config));
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_NE(check.out.find("11 watches"), std::string::npos) << check.out;

    // An admin's edit survives the next install.
    write_file(config, read_file(config) + "\n# edited by the admin\n");
    ASSERT_EQ(install_into(prefix).exit_code, 0);
    EXPECT_NE(read_file(config).find("# edited by the admin"), std::string::npos);
}

TEST(install, the_unit_scores_1_5_or_lower_in_systemd_analyze_security) {
    if (run_command("command -v systemd-analyze").exit_code != 0)
        GTEST_SKIP() << "systemd-analyze is not installed";
    temp_dir dir;
    ASSERT_EQ(install_into(dir.path()).exit_code, 0);
    const auto unit = dir.path() / "lib/systemd/system/newswatch.service";
    const auto r = run_command("systemd-analyze security --offline=yes --no-pager " + quote(unit));
    const std::regex overall(R"(Overall exposure level for newswatch\.service: (\d+\.\d+))");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, overall)) << r.out << r.err;
    EXPECT_LE(std::stod(m[1].str()), 1.5) << r.out;
}

}  // namespace
}  // namespace newswatch::testing
