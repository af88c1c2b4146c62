// Issue #10 item 6 / #14 item 5: nothing from a feed can forge a log line, and log lines
// carry their fields in every format. A table of hostile values goes into every field that
// reaches an output (item title, link, guid, author, feed title, a redirect Location, the
// error text), through the real daemon against a loopback server; the human log, the JSON
// log and the alert file must hold no forged line and no raw control.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <iostream>
#include <regex>
#include <sstream>

#include <boost/asio/write.hpp>

#include "daemon_fixture.hpp"
#include "http_test_server.hpp"

namespace newswatch::testing {
namespace {

using namespace std::chrono_literals;

struct hostile_value {
    std::string name;
    std::string raw;
};

const std::vector<hostile_value>& hostile_values() {
    static const std::vector<hostile_value> table = {
        {"CR", "a\rb"},
        {"LF", "a\nb"},
        {"CRLF + forged line", "\r\n2026-01-01 00:00:00.000 critical [daemon] FAKE LOG LINE"},
        {"ESC (CSI 2J, SGR)", "\x1b[2J\x1b[31mred"},
        {"double quote + fake id", "\" alert_id=\"00000000000000000000000000000000"},
        {"backslash", "a\\"},
        {"backslash + quote", "\\\" watch=\"forged"},
        {"C1 NEL U+0085",
         "a\xc2\x85"
         "b"},
        {"C1 CSI U+009B",
         "\xc2\x9b"
         "31mred"},
        {"DEL",
         "a\x7f"
         "b"},
        {"LRE U+202A",
         "\xe2\x80\xaa"
         "x"},
        {"RLE U+202B",
         "\xe2\x80\xab"
         "x"},
        {"PDF U+202C",
         "\xe2\x80\xac"
         "x"},
        {"LRO U+202D",
         "\xe2\x80\xad"
         "x"},
        {"RLO U+202E",
         "\xe2\x80\xae"
         "gnp.exe"},
        {"LRI U+2066",
         "\xe2\x81\xa6"
         "x"},
        {"RLI U+2067",
         "\xe2\x81\xa7"
         "x"},
        {"FSI U+2068",
         "\xe2\x81\xa8"
         "x"},
        {"PDI U+2069",
         "\xe2\x81\xa9"
         "x"},
        {"percent-encoded CR LF + forged line",
         "%0D%0A2026-01-01 00:00:00.000 critical [daemon] FAKE LOG LINE"},
        {"percent-encoded ESC", "%1B[2J"},
        {"percent-encoded C1 CSI", "%C2%9B31m"},
    };
    return table;
}

// A hostile character still raw in `s`: a C0 control other than the line's own newline,
// DEL, a C1 control, a bidi override or isolate, a line separator, or a byte that is not
// UTF-8 (a lone 0x9B is CSI to an 8-bit terminal).
bool has_raw_hostile(std::string_view s, bool allow_newline) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b == '\n' && allow_newline) continue;
        if (b < 0x20 || b == 0x7f) return true;
        if (b < 0x80) continue;
        std::size_t length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
        if (length == 0 || i + length > s.size()) return true;
        std::uint32_t cp = b & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
        for (std::size_t k = 1; k < length; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return true;
            cp = (cp << 6) | (c & 0x3F);
        }
        if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
            cp == 0x2028 || cp == 0x2029)
            return true;
        i += length - 1;
    }
    return false;
}

bool json_strings_safe(const boost::json::value& v) {
    if (v.is_string()) return !has_raw_hostile(v.as_string(), false);
    if (v.is_object()) {
        for (const auto& [k, x] : v.as_object())
            if (has_raw_hostile(k, false) || !json_strings_safe(x)) return false;
    }
    if (v.is_array())
        for (const auto& x : v.as_array())
            if (!json_strings_safe(x)) return false;
    return true;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

std::string rfc3339(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

// One JSON Feed per hostile value, the value in the feed title, the item's id, url,
// title, author and text; one RSS feed with the raw bytes in XML; a 301 whose Location
// carries ESC and C1 to a good feed, and one to a refused scheme (the error text).
class hostile_site {
public:
    explicit hostile_site(const std::filesystem::path& dir) : dir_(dir) {
        const auto published = rfc3339(std::chrono::system_clock::now() - 1h);
        std::string rss_items;
        for (std::size_t i = 0; i < hostile_values().size(); ++i) {
            const std::string& v = hostile_values()[i].raw;
            boost::json::object item{
                {"id", "id-" + std::to_string(i) + "-" + v},
                {"url", "https://n.example/a" + std::to_string(i) + v},
                {"title", "NATO Ukraine " + v},
                {"content_text", "NATO and Ukraine " + v},
                {"date_published", published},
                {"authors", boost::json::array{boost::json::object{{"name", "Author " + v}}}}};
            boost::json::object feed{{"version", "https://jsonfeed.org/version/1.1"},
                                     {"title", "Feed " + v},
                                     {"items", boost::json::array{item}}};
            server.serve_feed("/f" + std::to_string(i) + ".json", boost::json::serialize(feed),
                              "application/feed+json");
            urls.push_back(server.url("/f" + std::to_string(i) + ".json"));
            rss_items += "<item><guid>rss-" + std::to_string(i) + "-" + xml_escape(v) +
                         "</guid><title>NATO Ukraine " + xml_escape(v) + "</title><link>https://n.example/r" +
                         std::to_string(i) + xml_escape(v) + "</link><author>a@b (" + xml_escape(v) +
                         ")</author><description>NATO and Ukraine</description>"
                         "<pubDate>" +
                         rfc822(std::chrono::system_clock::now() - 1h) + "</pubDate></item>\n";
        }
        server.serve_feed(
            "/raw.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Raw " +
                xml_escape(hostile_values()[3].raw) + "</title>" + rss_items + "</channel></rss>");
        urls.push_back(server.url("/raw.xml"));
        redirect("/moved.json",
                 "/f0.json\x1b[2J\xc2\x9b"
                 "31m\xe2\x80\xae");
        redirect("/refused.json", "gopher://x\x1b[2J\x1b[31mFAKE\xc2\x9b\x7f\xe2\x81\xa6/");
        urls.push_back(server.url("/moved.json"));
        urls.push_back(server.url("/refused.json"));
    }

    void write_config(const std::string& extra_daemon = "") const {
        // Every hostile value arrives in two feeds and must alert from both: no deduplication.
        std::string cfg =
            "[daemon]\nstate_dir = \"state\"\ndedup_window = \"0s\"\nstorm_threshold = "
            "0\nfeed_storm_threshold = 0\n" +
            extra_daemon +
            "\n[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\n"
            "fields = [\"title\", \"summary\", \"content\", \"author\", \"feed\", \"link\"]\n"
            "sinks = [\"log\", \"out\"]\n"
            "[[sink]]\nname = \"log\"\ntype = \"log\"\n"
            "[[sink]]\nname = \"out\"\ntype = \"file\"\npath = \"out.jsonl\"\n";
        for (const auto& u : urls) cfg += "[[feed]]\nurl = \"" + u + "\"\n";
        write_file(dir_ / "c.toml", cfg);
    }

    http_test_server server;
    std::vector<std::string> urls;

private:
    void redirect(const std::string& path, const std::string& location) {
        server.on_raw(path, [location](boost::asio::ip::tcp::socket& socket, const http_request&) {
            const std::string response = "HTTP/1.1 301 Moved Permanently\r\nLocation: " + location +
                                         "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            boost::system::error_code ec;
            boost::asio::write(socket, boost::asio::buffer(response), ec);
        });
    }

    std::filesystem::path dir_;
};

const std::regex human_line(
    R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (trace|debug|info |warn |error) \[(fetcher|pipeline|sinks|alerts|daemon)\] .*)");

TEST(log_safety, hostile_values_forge_no_line_in_the_human_log_the_json_log_or_the_alert_file) {
    temp_dir dir;
    hostile_site site(dir.path());
    site.write_config();
    const auto human = run_daemon("--config " + quote(dir.path() / "c.toml") +
                                  " --once --log-level debug --log-format human");
    ASSERT_EQ(human.exit_code, 0) << human.err;

    // Human log: every line is one of ours, nothing raw, one alert id per alert line.
    std::size_t alert_lines = 0;
    for (const auto& line : lines_of(human.err)) {
        EXPECT_TRUE(std::regex_match(line, human_line)) << "forged or broken line: " << line;
        EXPECT_FALSE(has_raw_hostile(line, false)) << line;
        if (line.find("[alerts] alert ") != std::string::npos) {
            ++alert_lines;
            EXPECT_EQ(line.find(" alert_id=\""), line.rfind(" alert_id=\"")) << line;
            EXPECT_EQ(line.find(" watch=\""), line.rfind(" watch=\"")) << line;
        }
    }
    const auto alerts = read_json_lines(dir.path() / "out.jsonl");
    ASSERT_GE(alerts.size(), 2 * hostile_values().size())
        << human.err;  // one JSON Feed item and one RSS item each
    EXPECT_EQ(alert_lines, alerts.size()) << human.err;
    // The alert file: every string free of hostile characters (removed), the JSON valid.
    const std::string alert_text = read_file(dir.path() / "out.jsonl");
    EXPECT_FALSE(has_raw_hostile(alert_text, true));
    for (const auto& a : alerts) EXPECT_TRUE(json_strings_safe(a)) << boost::json::serialize(a);

    // The redirects: followed or refused, logged escaped.
    EXPECT_NE(human.err.find("\\x1B[2J\\u{009B}31m\\u{202E}"), std::string::npos) << human.err;
    EXPECT_NE(human.err.find("\\x1B[31mFAKE\\u{009B}\\x7F\\u{2066}"), std::string::npos) << human.err;

    // JSON log (a fresh state so everything happens again).
    std::filesystem::remove_all(dir.path() / "state");
    const auto json = run_daemon("--config " + quote(dir.path() / "c.toml") +
                                 " --once --log-level debug --log-format json");
    ASSERT_EQ(json.exit_code, 0) << json.err;
    std::size_t json_alerts = 0;
    for (const auto& line : lines_of(json.err)) {
        EXPECT_FALSE(has_raw_hostile(line, false)) << line;
        boost::system::error_code ec;
        const auto v = boost::json::parse(line, ec);
        ASSERT_FALSE(ec) << "not a JSON line: " << line;
        ASSERT_TRUE(v.is_object()) << line;
        EXPECT_TRUE(json_strings_safe(v)) << line;
        const auto& o = v.as_object();
        if (o.contains("event") && o.at("event") == "alert") {
            ++json_alerts;
            EXPECT_EQ(o.at("message"), "alert") << line;  // the fields are keys, not text
            EXPECT_EQ(o.at("watch"), "nu") << line;
            EXPECT_EQ(o.at("sink"), "log") << line;
            EXPECT_EQ(o.at("alert_id").as_string().size(), 32u) << line;
        }
    }
    EXPECT_EQ(json_alerts, alerts.size()) << json.err;

    // What each value became, for the record (the issue asks for it).
    for (std::size_t i = 0; i < hostile_values().size(); ++i) {
        const std::string marker = "link=\"https://n.example/a" + std::to_string(i);
        const auto at = human.err.find(marker);
        std::string shown = "(no alert line)";
        if (at != std::string::npos) {
            const auto end = human.err.find("\" ", at + marker.size());
            shown = human.err.substr(at + marker.size(), end - at - marker.size());
        }
        EXPECT_NE(at, std::string::npos) << hostile_values()[i].name;
        std::cout << "hostile " << hostile_values()[i].name << ": link shown as [" << shown << "]\n";
    }
}

// Real journald, read back with journalctl: a private mount namespace gets its own /run
// (so /run/systemd/journal/socket is this test's journald, and nothing else on the machine
// sees it). Needs root and unshare(1); skips with a message otherwise.
TEST(log_safety, journal_entries_carry_the_fields_read_back_from_a_real_journald) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a private /run for a test journald";
    if (!std::filesystem::exists("/lib/systemd/systemd-journald"))
        GTEST_SKIP() << "systemd-journald not installed";
    if (run_command("unshare -m --propagation private true").exit_code != 0)
        GTEST_SKIP() << "unshare -m refused here (no CAP_SYS_ADMIN): journal fields are covered by the "
                        "logging unit test";
    temp_dir dir;
    hostile_site site(dir.path());
    site.write_config();
    const auto d = dir.path().string();
    write_file(dir.path() / "journal.sh",
               "set -u\n"
               "mount -t tmpfs tmpfs /run || exit 90\n"
               "if [ -d /var/log/journal ]; then mount -t tmpfs tmpfs /var/log/journal || exit 91; fi\n"
               "mkdir -p /run/systemd/journal /run/log/journal\n"
               "/lib/systemd/systemd-journald </dev/null >/dev/null 2>&1 &\n"
               "J=$!\n"
               "trap 'kill $J 2>/dev/null; wait $J 2>/dev/null' EXIT\n"
               "for i in $(seq 200); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done\n"
               "'" +
                   (bin_dir() / "newswatchd").string() + "' --config '" + d +
                   "/c.toml' --once --log-level debug "
                   "--log-format journal 2> '" +
                   d +
                   "/daemon.err' || exit 92\n"
                   "for i in $(seq 200); do\n"
                   "  journalctl --no-pager -o json SYSLOG_IDENTIFIER=newswatchd > '" +
                   d +
                   "/all.json' 2>/dev/null\n"
                   "  grep -q 'newswatchd stopped' '" +
                   d +
                   "/all.json' && break; sleep 0.05\n"
                   "done\n"
                   "journalctl --no-pager -o json NEWSWATCH_WATCH=nu > '" +
                   d + "/watch.json' || exit 93\n");
    const auto r = run_command("unshare -m --propagation private sh " + quote(dir.path() / "journal.sh"));
    if (r.exit_code == 90) GTEST_SKIP() << "mounting a private /run was refused: " << r.err;
    ASSERT_EQ(r.exit_code, 0) << r.err << read_file(dir.path() / "daemon.err");

    const auto alerts = read_json_lines(dir.path() / "out.jsonl");
    const auto all = read_json_lines(dir.path() / "all.json");
    const auto watch = read_json_lines(dir.path() / "watch.json");
    ASSERT_FALSE(all.empty()) << read_file(dir.path() / "daemon.err");
    EXPECT_EQ(watch.size(), alerts.size());  // journalctl NEWSWATCH_WATCH=nu finds every alert line
    std::size_t fetches = 0;
    for (const auto& e : all) {
        // journalctl shows a field holding control bytes as an array of numbers: every field
        // must be a plain, safe string.
        for (const auto& [key, value] : e) {
            if (!key.starts_with("NEWSWATCH_") && key != "MESSAGE") continue;
            ASSERT_TRUE(value.is_string()) << key << " is binary: " << boost::json::serialize(e);
            EXPECT_FALSE(has_raw_hostile(value.as_string(), false)) << boost::json::serialize(e);
        }
        if (e.contains("NEWSWATCH_EVENT") && e.at("NEWSWATCH_EVENT") == "fetch") {
            ++fetches;
            EXPECT_TRUE(e.contains("NEWSWATCH_FEED") && e.contains("NEWSWATCH_OUTCOME"))
                << boost::json::serialize(e);
        }
    }
    EXPECT_GE(fetches, site.urls.size());
    for (const auto& e : watch) {
        EXPECT_EQ(e.at("NEWSWATCH_EVENT"), "alert");
        EXPECT_EQ(e.at("NEWSWATCH_SINK"), "log");
        EXPECT_EQ(e.at("NEWSWATCH_ALERT_ID").as_string().size(), 32u);
        EXPECT_TRUE(e.contains("NEWSWATCH_FEED"));
        EXPECT_EQ(e.at("PRIORITY"), "6");
        EXPECT_TRUE(e.at("MESSAGE").as_string().starts_with("[alerts] alert event=\"alert\""))
            << e.at("MESSAGE");
    }
}

TEST(log_safety, journal_without_a_socket_falls_back_to_stderr_with_one_warning) {
    {
        const int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::strcpy(a.sun_path, "/run/systemd/journal/socket");
        const bool reachable = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(fd);
        if (reachable) GTEST_SKIP() << "a journal socket is reachable here; the fallback cannot be observed";
    }
    temp_dir dir;
    http_test_server server;
    server.serve_feed("/feed.xml", rss_document("Wire", {{"a", "NATO and Ukraine meet", "https://n/a", "x",
                                                          std::chrono::system_clock::now() - 1h}}));
    write_file(dir.path() / "c.toml", "[daemon]\nstate_dir = \"state\"\n[[feed]]\nurl = \"" +
                                          server.url("/feed.xml") +
                                          "\"\n[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\n");
    const auto r = run_daemon("--config " + quote(dir.path() / "c.toml") +
                              " --once --log-level error --log-format journal");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = lines_of(r.err);
    std::size_t warnings = 0;
    for (const auto& line : lines)
        if (line.find("no journal socket") != std::string::npos) ++warnings;
    EXPECT_EQ(warnings, 1u) << r.err;
    EXPECT_NE(r.err.find(" warn  [daemon] --log-format journal: no journal socket"), std::string::npos)
        << r.err;

    // Lines still flow (to stderr) at the configured level.
    const auto info = run_daemon("--config " + quote(dir.path() / "c.toml") +
                                 " --once --log-level info --log-format journal");
    ASSERT_EQ(info.exit_code, 0) << info.err;
    EXPECT_NE(info.err.find("[daemon] newswatchd stopped"), std::string::npos) << info.err;
}

TEST(log_safety, per_module_levels_and_a_304_is_a_debug_line) {
    temp_dir dir;
    http_test_server server;
    server.serve_feed("/feed.xml", rss_document("Wire", {{"a", "NATO and Ukraine meet", "https://n/a", "x",
                                                          std::chrono::system_clock::now() - 1h}}));
    const auto config = [&](const std::string& levels) {
        write_file(dir.path() / "c.toml", "[daemon]\nstate_dir = \"state\"\n" + levels +
                                              "\n[[feed]]\nurl = \"" + server.url("/feed.xml") +
                                              "\"\n[[feed]]\nurl = \"http://127.0.0.1:1/closed.xml\"\n"
                                              "[[watch]]\nname = \"nu\"\nquery = 'NATO AND Ukraine'\n");
    };
    const auto run = [&] {
        return run_daemon("--config " + quote(dir.path() / "c.toml") + " --once --log-level info");
    };

    config("log_levels = { fetcher = \"warn\", pipeline = \"error\" }");
    const auto first = run();
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(first.err.find("[pipeline]"), std::string::npos) << first.err;  // at error: nothing to say
    EXPECT_EQ(first.err.find("[fetcher] fetched"), std::string::npos) << first.err;  // info, below warn
    EXPECT_NE(first.err.find(" warn  [fetcher] fetch failed"), std::string::npos) << first.err;
    EXPECT_NE(first.err.find("[alerts] alert"), std::string::npos) << first.err;  // the global info level
    EXPECT_EQ(first.err.find("warning"), std::string::npos) << first.err;

    config("log_levels = { pipeline = \"debug\" }");
    const auto second = run();  // the feed answers 304 now
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(second.err.find("outcome=\"not_modified\""), std::string::npos) << second.err;  // a 304: debug
    EXPECT_NE(second.err.find("not_modified=1"), std::string::npos) << second.err;  // counted in the round
    EXPECT_NE(second.err.find("[pipeline] feed failing"), std::string::npos) << second.err;

    config("log_levels = { parser = \"warn\" }");
    const auto bad = run();
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("log_levels"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace newswatch::testing
