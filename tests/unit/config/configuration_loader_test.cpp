#include "newswatch/config/config.hpp"

#include <gtest/gtest.h>

#include "newswatch/config/config_error.hpp"
#include "test_paths.hpp"

namespace newswatch::config {
namespace {

using testing::temp_dir;
using testing::write_file;

std::string error_of(const std::filesystem::path& file) {
    try {
        load_configuration(file);
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

TEST(configuration, the_issue_example_loads_with_defaults) {
    temp_dir dir;
    write_file(dir.path() / "n.toml", R"(
[daemon]
state_dir = "/var/lib/newswatch"

[[feed]]
url = "https://example.org/feed.xml"
interval = "5m"          # optional

[[watch]]
name = "nato-ukraine"
query = '(NATO OR "North Atlantic") AND Ukraine'
sinks = ["alerts"]

[[sink]]
name = "alerts"
type = "file"
path = "/var/lib/newswatch/alerts.jsonl"
)");
    const auto cfg = load_configuration(dir.path() / "n.toml");
    EXPECT_EQ(cfg.daemon.state_dir, std::filesystem::path("/var/lib/newswatch"));
    EXPECT_EQ(cfg.daemon.max_item_age, core::seconds{48 * 3600});
    EXPECT_EQ(cfg.daemon.seen_retention, core::seconds{30 * 86400});
    EXPECT_EQ(cfg.daemon.dedup_window, core::seconds{24 * 3600});
    EXPECT_EQ(cfg.daemon.dedup_threshold, 0.5);
    EXPECT_EQ(cfg.daemon.on_first_fetch, first_fetch_policy::alert);
    ASSERT_EQ(cfg.feeds.size(), 1u);
    EXPECT_EQ(cfg.feeds[0].interval, core::seconds{300});
    ASSERT_EQ(cfg.watches.size(), 1u);
    EXPECT_EQ(cfg.watches[0].sinks, std::vector<std::string>{"alerts"});
    ASSERT_EQ(cfg.sinks.size(), 1u);
    EXPECT_EQ(std::get<file_sink_options>(cfg.sinks[0].options).path,
              std::filesystem::path("/var/lib/newswatch/alerts.jsonl"));
}

TEST(configuration, includes_merge_and_relative_paths_resolve_against_their_file) {
    temp_dir dir;
    std::filesystem::create_directories(dir.path() / "packs");
    write_file(dir.path() / "main.toml",
               "include = [\"packs/pack.toml\"]\n[daemon]\nstate_dir = \"state\"\n"
               "[[feed]]\nurl = \"http://127.0.0.1/a\"\n");
    write_file(dir.path() / "packs" / "pack.toml",
               "[[watch]]\nname = \"w\"\nquery = \"NATO\"\nsinks = [\"s\"]\n"
               "[[sink]]\nname = \"s\"\ntype = \"file\"\npath = \"out.jsonl\"\n");
    const auto cfg = load_configuration(dir.path() / "main.toml");
    EXPECT_EQ(*cfg.daemon.state_dir, dir.path() / "state");
    ASSERT_EQ(cfg.watches.size(), 1u);
    EXPECT_EQ(std::get<file_sink_options>(cfg.sinks[0].options).path, dir.path() / "packs" / "out.jsonl");
}

// Issue #16: a file sink's lines share one fdatasync per turn, so it defaults to 64 in
// flight; the others keep 2, an ordered sink 1, and an explicit value wins.
TEST(configuration, a_file_sink_defaults_to_64_deliveries_in_flight) {
    temp_dir dir;
    write_file(dir.path() / "c.toml",
               "[[sink]]\nname = \"f\"\ntype = \"file\"\npath = \"a.jsonl\"\n"
               "[[sink]]\nname = \"o\"\ntype = \"file\"\npath = \"b.jsonl\"\nordered = true\n"
               "[[sink]]\nname = \"c\"\ntype = \"file\"\npath = \"c.jsonl\"\nconcurrency = 1\n"
               "[[sink]]\nname = \"l\"\ntype = \"log\"\n");
    const auto cfg = load_configuration(dir.path() / "c.toml");
    ASSERT_EQ(cfg.sinks.size(), 4u);
    EXPECT_EQ(cfg.sinks[0].delivery.concurrency, 64u);
    EXPECT_EQ(cfg.sinks[1].delivery.concurrency, 1u);
    EXPECT_EQ(cfg.sinks[2].delivery.concurrency, 1u);
    EXPECT_EQ(cfg.sinks[3].delivery.concurrency, 2u);
}

TEST(configuration, unknown_keys_name_file_line_and_key) {
    temp_dir dir;
    write_file(dir.path() / "c.toml",
               "[daemon]\ninterval = \"5m\"\n\n[[feed]]\nurl = \"http://x/\"\nintreval = \"1m\"\n");
    const std::string e = error_of(dir.path() / "c.toml");
    EXPECT_NE(e.find("c.toml:6"), std::string::npos) << e;
    EXPECT_NE(e.find("intreval"), std::string::npos) << e;
}

TEST(configuration, missing_required_keys_and_bad_values_are_errors) {
    temp_dir dir;
    write_file(dir.path() / "a.toml", "[[feed]]\ninterval = \"5m\"\n");
    EXPECT_NE(error_of(dir.path() / "a.toml").find("key 'url': is required"), std::string::npos);
    write_file(dir.path() / "b.toml", "[daemon]\nmax_item_age = \"two days\"\n");
    const std::string b = error_of(dir.path() / "b.toml");
    EXPECT_NE(b.find("b.toml:2"), std::string::npos) << b;
    EXPECT_NE(b.find("max_item_age"), std::string::npos) << b;
    write_file(dir.path() / "c.toml", "[daemon]\non_first_fetch = \"ignore\"\n");
    EXPECT_NE(error_of(dir.path() / "c.toml").find("on_first_fetch"), std::string::npos);
    write_file(dir.path() / "d.toml", "[[watch]]\nname = \"w\"\nquery = \"x\"\nsinks = [\"nope\"]\n");
    EXPECT_NE(error_of(dir.path() / "d.toml").find("no sink named 'nope'"), std::string::npos);
    write_file(dir.path() / "e.toml", "[[feed]]\nurl = \"ftp://x/\"\n");
    EXPECT_NE(error_of(dir.path() / "e.toml").find("http"), std::string::npos);
    write_file(dir.path() / "f.toml", "[daemon\n");
    EXPECT_NE(error_of(dir.path() / "f.toml").find("f.toml:1"), std::string::npos);
}

// Issue #10 item 3: the text of one item that is matched is cut to max_item_text.
TEST(configuration, max_item_text_is_a_size_of_at_least_one_kib_defaulting_to_256_kib) {
    temp_dir dir;
    write_file(dir.path() / "a.toml", "[daemon]\n");
    EXPECT_EQ(load_configuration(dir.path() / "a.toml").daemon.max_item_text, 256u * 1024);
    write_file(dir.path() / "b.toml", "[daemon]\nmax_item_text = \"4MiB\"\n");
    EXPECT_EQ(load_configuration(dir.path() / "b.toml").daemon.max_item_text, 4u * 1024 * 1024);
    write_file(dir.path() / "c.toml", "[daemon]\nmax_item_text = 100\n");
    const std::string c = error_of(dir.path() / "c.toml");
    EXPECT_NE(c.find("c.toml:2"), std::string::npos) << c;
    EXPECT_NE(c.find("max_item_text"), std::string::npos) << c;
    EXPECT_NE(c.find("at least 1KiB"), std::string::npos) << c;
}

TEST(configuration, query_syntax_errors_name_the_watch_and_position) {
    temp_dir dir;
    write_file(dir.path() / "q.toml", "[[watch]]\nname = \"broken\"\nquery = 'NATO AND'\n");
    const std::string e = error_of(dir.path() / "q.toml");
    EXPECT_NE(e.find("q.toml:1"), std::string::npos) << e;
    EXPECT_NE(e.find("broken"), std::string::npos) << e;
    EXPECT_NE(e.find("position"), std::string::npos) << e;
}

TEST(configuration, include_cycles_and_missing_includes_are_errors) {
    temp_dir dir;
    write_file(dir.path() / "a.toml", "include = [\"b.toml\"]\n");
    write_file(dir.path() / "b.toml", "include = [\"a.toml\"]\n");
    EXPECT_NE(error_of(dir.path() / "a.toml").find("cycle"), std::string::npos);
    write_file(dir.path() / "c.toml", "include = [\"absent.toml\"]\n");
    EXPECT_NE(error_of(dir.path() / "c.toml").find("absent.toml"), std::string::npos);
}

TEST(configuration, claim_watches_read_their_stance_options) {
    temp_dir dir;
    write_file(dir.path() / "s.toml",
               "[[watch]]\nname = \"m\"\nquery = 'NATO AND Ukraine'\nclaim = \"Ukraine will join NATO\"\n"
               "stance = [\"agree\", \"disagree\"]\nmin_confidence = 0.6\n");
    const auto cfg = load_configuration(dir.path() / "s.toml");
    ASSERT_TRUE(cfg.watches[0].claim);
    EXPECT_EQ(cfg.watches[0].claim->claim, "Ukraine will join NATO");
    EXPECT_EQ(cfg.watches[0].claim->stances, (std::vector<std::string>{"agree", "disagree"}));
    EXPECT_DOUBLE_EQ(cfg.watches[0].claim->min_confidence, 0.6);
    write_file(dir.path() / "t.toml", "[[watch]]\nname = \"m\"\nquery = 'x'\nstance = [\"agree\"]\n");
    EXPECT_NE(error_of(dir.path() / "t.toml").find("needs a 'claim'"), std::string::npos);
}

// Issue #12: the chat channels' keys (docs/CONFIG.md, "Chat channels").
TEST(configuration, chat_channels_read_their_keys) {
    temp_dir dir;
    write_file(dir.path() / "c.toml",
               "[[sink]]\nname = \"d\"\ntype = \"discord\"\nurl_file = \"d.url\"\nusername = \"bot\"\n"
               "[[sink]]\nname = \"m\"\ntype = \"mattermost\"\nurl = \"https://mm.example/hooks/x\"\n"
               "channel = \"news\"\ntimeout = \"5s\"\n"
               "[[sink]]\nname = \"t\"\ntype = \"telegram\"\nbot_token_file = \"bot.token\"\n"
               "chat_id = -1001234\napi_base = \"http://127.0.0.1:8081/\"\nlink_preview = true\n");
    const auto cfg = load_configuration(dir.path() / "c.toml");
    ASSERT_EQ(cfg.sinks.size(), 3u);
    const auto& d = std::get<chat_webhook_sink_options>(cfg.sinks[0].options);
    EXPECT_EQ(cfg.sinks[0].type, "discord");
    EXPECT_EQ(d.url_file, dir.path() / "d.url");
    EXPECT_EQ(d.username, "bot");
    const auto& m = std::get<chat_webhook_sink_options>(cfg.sinks[1].options);
    EXPECT_EQ(m.channel, "news");
    EXPECT_EQ(m.timeout, core::seconds{5});
    const auto& t = std::get<telegram_sink_options>(cfg.sinks[2].options);
    EXPECT_EQ(t.chat_id, "-1001234");
    EXPECT_EQ(t.api_base, "http://127.0.0.1:8081");
    EXPECT_TRUE(t.link_preview);
    EXPECT_EQ(t.bot_token_file, dir.path() / "bot.token");

    write_file(dir.path() / "a.toml",
               "[[sink]]\nname = \"s\"\ntype = \"slack\"\nusername = \"x\"\n"
               "url = \"https://hooks.example/x\"\n");
    EXPECT_NE(error_of(dir.path() / "a.toml").find("username"), std::string::npos);  // not a Slack key
    write_file(dir.path() / "b.toml", "[[sink]]\nname = \"s\"\ntype = \"teams\"\n");
    EXPECT_NE(error_of(dir.path() / "b.toml").find("url"), std::string::npos);
    write_file(dir.path() / "e.toml",
               "[[sink]]\nname = \"t\"\ntype = \"telegram\"\nbot_token_file = \"x\"\n"
               "chat_id = \"a b\"\n");
    EXPECT_NE(error_of(dir.path() / "e.toml").find("chat_id"), std::string::npos);
}

TEST(configuration, watches_read_priority_and_urgent) {
    temp_dir dir;
    write_file(dir.path() / "p.toml",
               "[[watch]]\nname = \"m\"\nquery = 'x'\npriority = \"high\"\nurgent = true\n"
               "[[watch]]\nname = \"n\"\nquery = 'y'\n");
    const auto cfg = load_configuration(dir.path() / "p.toml");
    EXPECT_EQ(cfg.watches[0].priority, "high");
    EXPECT_TRUE(cfg.watches[0].urgent);
    EXPECT_EQ(cfg.watches[1].priority, "default");
    EXPECT_FALSE(cfg.watches[1].urgent);
    write_file(dir.path() / "q.toml", "[[watch]]\nname = \"m\"\nquery = 'x'\npriority = \"urgent\"\n");
    EXPECT_NE(error_of(dir.path() / "q.toml").find("\"high\", \"default\" or \"low\""), std::string::npos);
}

// Issue #15 item 2: scope, min_density and hold_back, with their errors naming the key.
TEST(configuration, watches_read_scope_min_density_and_hold_back) {
    temp_dir dir;
    const auto file = dir.path() / "w.toml";
    const std::string head = "[[watch]]\nname = \"m\"\nquery = 'NATO AND Ukraine'\n";
    write_file(file, head + "scope = \"body\"\nmin_density = 2.5\nhold_back = 'title:portrait'\n");
    auto cfg = load_configuration(file);
    EXPECT_EQ(cfg.watches[0].spec.scope, matcher::watch_scope::body);
    EXPECT_DOUBLE_EQ(cfg.watches[0].spec.min_density, 2.5);
    EXPECT_EQ(cfg.watches[0].spec.hold_back, "title:portrait");
    write_file(file, head);
    cfg = load_configuration(file);
    EXPECT_EQ(cfg.watches[0].spec.scope, matcher::watch_scope::any);
    EXPECT_DOUBLE_EQ(cfg.watches[0].spec.min_density, matcher::default_min_density);
    EXPECT_TRUE(cfg.watches[0].spec.hold_back.empty());
    write_file(file, head + "scope = \"lede\"\n");
    EXPECT_EQ(load_configuration(file).watches[0].spec.scope, matcher::watch_scope::lede);

    const std::pair<std::string, std::string> bad[] = {
        {"scope = \"headline\"", "scope"},
        {"scope = \"body\"\nmin_density = -1", "min_density"},
        {"scope = \"body\"\nmin_density = \"high\"", "min_density"},
        {"min_density = 2", "only applies with scope = \"body\""},
        {"hold_back = ' '", "hold_back"},
        {"hold_back = 'portrait AND'", "m (hold_back)"},
    };
    for (const auto& [lines, expected] : bad) {
        write_file(file, head + lines + "\n");
        const std::string error = error_of(file);
        EXPECT_NE(error.find(expected), std::string::npos) << lines << ": " << error;
    }
}

TEST(configuration, shipped_configs_load) {
    const auto cfg = load_configuration(testing::source_dir() / "feeds" / "newswatch.toml");
    EXPECT_GE(cfg.feeds.size(), 5u);
    EXPECT_GE(cfg.watches.size(), 1u);
}

// Issue #10 item 7: a duration that overflows, or one past the key's maximum, is an error
// naming the key; "999999999999999d" used to wrap around silently.
TEST(configuration, durations_that_overflow_or_exceed_their_maximum_name_the_key) {
    temp_dir dir;
    const auto file = dir.path() / "n.toml";
    const std::string feed = "[[feed]]\nurl = \"https://example.org/f\"\n";
    for (const std::string key :
         {"max_item_age", "seen_retention", "interval", "min_interval", "max_backoff", "feed_health_after",
          "per_host_pacing", "max_hint", "adaptive_min_interval", "adaptive_max_interval", "silent_after",
          "connect_timeout", "total_timeout", "low_speed_time", "dedup_window"}) {
        for (const std::string value :
             {"\"999999999999999d\"", "\"99999999999999999999s\"", "\"1000000d\"", "9223372036854775807"}) {
            write_file(file, "[daemon]\n" + key + " = " + value + "\n" + feed);
            const std::string error = error_of(file);
            EXPECT_NE(error.find("n.toml:2"), std::string::npos) << key << " = " << value << ": " << error;
            EXPECT_NE(error.find(key), std::string::npos) << key << " = " << value << ": " << error;
            EXPECT_NE(error.find("at most"), std::string::npos) << key << " = " << value << ": " << error;
        }
    }
    write_file(file, feed + "interval = \"1000000d\"\n");
    EXPECT_NE(error_of(file).find("interval"), std::string::npos);
    write_file(file, "[daemon]\nmax_item_age = \"3650d\"\ninterval = \"30d\"\n" + feed);
    EXPECT_EQ(load_configuration(file).daemon.max_item_age, std::chrono::days(3650));
}

// Issue #13 item 2: the dedup keys, "0s" turning deduplication off, a threshold out of range.
TEST(configuration, dedup_window_and_threshold_are_read_and_checked) {
    temp_dir dir;
    const auto file = dir.path() / "n.toml";
    const std::string feed = "[[feed]]\nurl = \"https://example.org/f\"\n";
    write_file(file, "[daemon]\ndedup_window = \"0s\"\ndedup_threshold = 0.7\n" + feed);
    const auto cfg = load_configuration(file);
    EXPECT_EQ(cfg.daemon.dedup_window, core::seconds{0});
    EXPECT_EQ(cfg.daemon.dedup_threshold, 0.7);
    write_file(file, "[daemon]\ndedup_window = \"31d\"\n" + feed);
    EXPECT_NE(error_of(file).find("dedup_window"), std::string::npos);
    for (const char* bad : {"0.0", "1.5", "\"high\""}) {
        write_file(file, std::string("[daemon]\ndedup_threshold = ") + bad + "\n" + feed);
        EXPECT_NE(error_of(file).find("dedup_threshold"), std::string::npos) << bad;
    }
}

// Issue #13 item 3: the storm guard keys, their defaults, a watch's override, bad values.
TEST(configuration, storm_guard_keys_are_read_overridden_per_watch_and_checked) {
    temp_dir dir;
    const auto file = dir.path() / "n.toml";
    const std::string feed = "[[feed]]\nurl = \"https://example.org/f\"\n";
    const std::string watch = "[[watch]]\nname = \"w\"\nquery = 'x'\n";
    write_file(file, feed + watch);
    auto cfg = load_configuration(file);
    EXPECT_EQ(cfg.daemon.storm_threshold, 20);
    EXPECT_EQ(cfg.daemon.storm_window, core::seconds{600});
    EXPECT_EQ(cfg.daemon.feed_storm_threshold, 50);
    EXPECT_FALSE(cfg.watches.at(0).storm_threshold);
    write_file(file, "[daemon]\nstorm_threshold = 0\nstorm_window = \"3s\"\nfeed_storm_threshold = 7\n" +
                         feed + watch + "storm_threshold = 5\nstorm_window = \"1h\"\n");
    cfg = load_configuration(file);
    EXPECT_EQ(cfg.daemon.storm_threshold, 0);
    EXPECT_EQ(cfg.daemon.storm_window, core::seconds{3});
    EXPECT_EQ(cfg.daemon.feed_storm_threshold, 7);
    EXPECT_EQ(cfg.watches.at(0).storm_threshold, 5);
    EXPECT_EQ(cfg.watches.at(0).storm_window, core::seconds{3600});
    for (const std::string bad :
         {"[daemon]\nstorm_threshold = -1\n", "[daemon]\nstorm_window = \"0s\"\n",
          "[daemon]\nstorm_window = \"8d\"\n", "[daemon]\nfeed_storm_threshold = \"x\"\n"}) {
        write_file(file, bad + feed);
        EXPECT_NE(error_of(file).find("storm_"), std::string::npos) << bad;
    }
    write_file(file, feed + watch + "storm_window = \"0s\"\n");
    EXPECT_NE(error_of(file).find("storm_window"), std::string::npos);
}

TEST(configuration, feed_urls_without_a_host_or_with_control_characters_are_refused) {
    temp_dir dir;
    const auto file = dir.path() / "n.toml";
    for (const std::string url : {"http://", "https://", "http:///feed", "http://user:pw@/feed",
                                  "http://host/feed\\r\\nX-Evil: 1", "http://host/\\n", "http://host:0/"}) {
        write_file(file, "[[feed]]\nurl = \"" + url + "\"\n");
        const std::string error = error_of(file);
        EXPECT_NE(error.find("key 'url'"), std::string::npos) << url << ": " << error;
        EXPECT_EQ(error.find('\r'), std::string::npos) << "the error must not carry the control character";
    }
}

}  // namespace
}  // namespace newswatch::config

namespace newswatch::config {
namespace {

// Issue #15 item 1: full-article fetching keys.
TEST(configuration_articles, fetch_article_content_selector_prefilter_and_daemon_keys_are_read) {
    temp_dir dir;
    const auto file = dir.path() / "a.toml";
    write_file(
        file,
        "[daemon]\narticle_retention = \"2d\"\narticle_timeout = \"5s\"\nmax_articles_per_fetch = 7\n"
        "[[feed]]\nurl = \"https://example.org/f\"\nfetch_article = true\n"
        "content_selector = \"div.story-body p, article\"\n"
        "[[feed]]\nurl = \"https://example.org/g\"\n"
        "[[watch]]\nname = \"own\"\nquery = 'NATO AND Ukraine'\nfetch_article = true\n"
        "[[watch]]\nname = \"custom\"\nquery = 'article:\"membership action plan\"'\nfetch_article = true\n"
        "prefilter = 'NATO OR Kyiv'\n"
        "[[watch]]\nname = \"plain\"\nquery = 'x'\nfields = [\"title\", \"article\"]\n");
    const auto cfg = load_configuration(file);
    EXPECT_EQ(cfg.daemon.article_retention, core::seconds{2 * 86400});
    EXPECT_EQ(cfg.daemon.article_timeout, core::seconds{5});
    EXPECT_EQ(cfg.daemon.max_articles_per_fetch, 7u);
    EXPECT_TRUE(cfg.feeds[0].fetch_article);
    EXPECT_EQ(cfg.feeds[0].content_selector, "div.story-body p, article");
    EXPECT_FALSE(cfg.feeds[1].fetch_article);
    EXPECT_FALSE(cfg.feeds[1].content_selector);
    EXPECT_TRUE(cfg.watches[0].fetch_article);
    EXPECT_FALSE(cfg.watches[0].prefilter);
    EXPECT_EQ(cfg.watches[1].prefilter, "NATO OR Kyiv");
    EXPECT_FALSE(cfg.watches[2].fetch_article);
    // One prefilter per fetching watch, over title and summary only.
    ASSERT_TRUE(cfg.compiled_prefilters);
    ASSERT_EQ(cfg.compiled_prefilters->specs().size(), 2u);
    EXPECT_EQ(cfg.compiled_prefilters->specs()[0].query, "NATO AND Ukraine");
    EXPECT_EQ(cfg.compiled_prefilters->specs()[1].query, "NATO OR Kyiv");
    EXPECT_EQ(cfg.compiled_prefilters->specs()[1].fields, (std::vector<std::string>{"title", "summary"}));

    write_file(file, "[[feed]]\nurl = \"https://example.org/f\"\n");
    const auto defaults = load_configuration(file);
    EXPECT_EQ(defaults.daemon.article_retention, core::seconds{7 * 86400});
    EXPECT_FALSE(defaults.compiled_prefilters);
}

TEST(configuration_articles, bad_article_settings_are_errors_naming_file_line_and_key) {
    temp_dir dir;
    const auto file = dir.path() / "b.toml";
    const std::string feed = "[[feed]]\nurl = \"https://example.org/f\"\n";
    write_file(file, feed + "content_selector = \"div > p\"\n");
    std::string e = error_of(file);
    EXPECT_NE(e.find("b.toml:3"), std::string::npos) << e;
    EXPECT_NE(e.find("content_selector"), std::string::npos) << e;
    write_file(file, feed + "content_selector = \"\"\n");
    EXPECT_NE(error_of(file).find("content_selector"), std::string::npos);
    write_file(file, feed + "fetch_article = \"yes\"\n");
    EXPECT_NE(error_of(file).find("fetch_article"), std::string::npos);
    write_file(file, "[[watch]]\nname = \"w\"\nquery = 'x'\nprefilter = 'y'\n");
    e = error_of(file);
    EXPECT_NE(e.find("prefilter"), std::string::npos) << e;
    EXPECT_NE(e.find("fetch_article = true"), std::string::npos) << e;
    write_file(file,
               "[[watch]]\nname = \"bad\"\nquery = 'x'\nfetch_article = true\nprefilter = 'NATO AND'\n");
    e = error_of(file);
    EXPECT_NE(e.find("b.toml:1"), std::string::npos) << e;
    EXPECT_NE(e.find("prefilter"), std::string::npos) << e;
    EXPECT_NE(e.find("position"), std::string::npos) << e;
    write_file(file, "[[watch]]\nname = \"w\"\nquery = 'x'\nfields = [\"articles\"]\n");
    EXPECT_NE(error_of(file).find("unknown field 'articles'"), std::string::npos);
    write_file(file, "[daemon]\narticle_timeout = \"0s\"\n");
    EXPECT_NE(error_of(file).find("article_timeout"), std::string::npos);
    write_file(file, "[daemon]\narticle_retention = \"soon\"\n");
    EXPECT_NE(error_of(file).find("article_retention"), std::string::npos);
    write_file(file, "[daemon]\nmax_articles_per_fetch = 0\n");
    EXPECT_NE(error_of(file).find("max_articles_per_fetch"), std::string::npos);
}

}  // namespace
}  // namespace newswatch::config
