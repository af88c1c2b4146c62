// Data-driven: every feed of ../shared/data/feeds-fixtures (gofeed and rss-parser) parsed and
// compared with its golden JSON, for the fields newswatch models (feed title/link/
// language/subtitle/updated, item count, item title/link/id/dates/authors/categories/
// enclosures/summary/content). Differences we accept are listed, each with its reason, in
// tests/data/parser/accepted_differences.tsv; any other difference fails, and so does an
// accepted difference that no longer occurs (the list must stay true).
#include "newswatch/parser/feed_parser.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "newswatch/core/time.hpp"
#include "newswatch/parser/feed_date.hpp"
#include "newswatch/text/html_text.hpp"
#include "test_paths.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using newswatch::parser::parse_feed;
using newswatch::parser::parse_result;

enum class model { gofeed_universal, gofeed_rss, gofeed_atom, rss_parser };

struct fixture_case {
    std::string id;  // path under feeds-fixtures
    fs::path input;
    fs::path golden;
    model kind;
};

std::vector<fixture_case> collect(const fs::path& root) {
    std::vector<fixture_case> cases;
    const auto add_dir = [&](const fs::path& dir, model kind, bool json_inputs) {
        if (!fs::is_directory(dir)) return;
        for (const auto& e : fs::directory_iterator(dir)) {
            const fs::path p = e.path();
            if (json_inputs) {
                if (p.extension() != ".json" || p.stem().string().ends_with("_expected")) continue;
                const fs::path golden = dir / (p.stem().string() + "_expected.json");
                if (!fs::exists(golden)) continue;
                cases.push_back({fs::relative(p, root).string(), p, golden, kind});
            } else {
                if (p.extension() != ".xml") continue;
                fs::path golden = p;
                golden.replace_extension(".json");
                if (!fs::exists(golden)) continue;
                cases.push_back({fs::relative(p, root).string(), p, golden, kind});
            }
        }
    };
    const fs::path g = root / "gofeed";
    add_dir(g / "parser/rss", model::gofeed_rss, false);
    add_dir(g / "parser/atom", model::gofeed_atom, false);
    add_dir(g / "translator/rss", model::gofeed_universal, false);
    add_dir(g / "translator/atom", model::gofeed_universal, false);
    add_dir(g / "translator/json", model::gofeed_universal, true);
    add_dir(g / "parser/json", model::gofeed_universal, true);
    for (const char* ext : {"dublincore", "itunes", "media"}) add_dir(g / "extensions" / ext, model::gofeed_universal, false);
    const fs::path rp = root / "rss-parser";
    if (fs::is_directory(rp / "input"))
        for (const auto& e : fs::directory_iterator(rp / "input")) {
            const fs::path golden = rp / "output" / (e.path().stem().string() + ".json");
            if (fs::exists(golden))
                cases.push_back({fs::relative(e.path(), root).string(), e.path(), golden, model::rss_parser});
        }
    std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return cases;
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Text as a reader sees it: markup removed, references decoded, whitespace collapsed.
std::string plain(std::string_view s) { return newswatch::text::html_to_line(s); }

std::string squash(std::string_view s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

// A golden string value; objects with "value" / "_" (gofeed / xml2js) give that.
std::optional<std::string> str(const json::value* v) {
    if (!v) return std::nullopt;
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_object()) {
        const auto& o = v->get_object();
        for (const char* k : {"value", "_", "term"})
            if (auto it = o.find(k); it != o.end() && it->value().is_string())
                return std::string(it->value().get_string());
    }
    if (v->is_int64()) return std::to_string(v->get_int64());
    return std::nullopt;
}

const json::value* field(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    return it == o.end() ? nullptr : &it->value();
}

struct comparer {
    std::string case_id;
    std::vector<std::pair<std::string, std::string>> diffs;  // field path, description

    void diff(const std::string& path, const std::string& expected, const std::string& got) {
        diffs.emplace_back(path, "expected '" + expected.substr(0, 120) + "' got '" + got.substr(0, 120) + "'");
    }
    void text(const std::string& path, const std::optional<std::string>& expected,
              const std::optional<std::string>& got) {
        if (!expected) return;  // goldens leave out empty fields: nothing to compare
        const std::string e = plain(*expected);
        // Ours is plain text already: only whitespace is normalised.
        const std::string g = got ? squash(*got) : std::string("<absent>");
        if (e != g) diff(path, e, g);
    }
    void exact(const std::string& path, const std::optional<std::string>& expected,
               const std::optional<std::string>& got) {
        if (!expected) return;
        const std::string e(newswatch::text::clean_text(*expected));
        const std::string g = got ? *got : std::string("<absent>");
        if (e != g) diff(path, e, g);
    }
    void date(const std::string& path, const std::optional<std::string>& expected_rfc3339,
              const std::optional<newswatch::core::timestamp>& got) {
        if (!expected_rfc3339) return;
        const auto e = newswatch::core::parse_rfc3339(*expected_rfc3339);
        if (!e) return;
        if (!got || *got != *e)
            diff(path, newswatch::core::format_rfc3339(*e), got ? newswatch::core::format_rfc3339(*got) : "<absent>");
    }
    void raw_date(const std::string& path, const std::optional<std::string>& expected_raw,
                  const std::optional<newswatch::core::timestamp>& got) {
        if (!expected_raw) return;
        const auto e = newswatch::parser::parse_feed_date(*expected_raw);
        if (!e) {
            if (got) diff(path, "unparseable '" + *expected_raw + "'", newswatch::core::format_rfc3339(*got));
            return;
        }
        if (!got || *got != *e)
            diff(path, newswatch::core::format_rfc3339(*e), got ? newswatch::core::format_rfc3339(*got) : "<absent>");
    }
    void list(const std::string& path, const json::value* expected, const std::vector<std::string>& got) {
        if (!expected || !expected->is_array()) return;
        std::vector<std::string> e;
        for (const auto& v : expected->get_array())
            if (auto s = str(&v)) e.push_back(plain(*s));
        std::vector<std::string> g;
        for (const auto& s : got) g.push_back(squash(s));
        if (e != g) {
            std::string es, gs;
            for (const auto& s : e) es += "[" + s + "]";
            for (const auto& s : g) gs += "[" + s + "]";
            diff(path, es, gs);
        }
    }
};

void compare_universal(comparer& c, const json::object& g, const parse_result& r) {
    c.text("feed.title", str(field(g, "title")), r.feed.title);
    c.exact("feed.link", str(field(g, "link")), r.feed.link);
    c.text("feed.subtitle", str(field(g, "description")), r.feed.subtitle);
    c.exact("feed.language", str(field(g, "language")), r.feed.language);
    c.date("feed.updated", str(field(g, "updatedParsed")), r.feed.updated);
    const json::value* items = field(g, "items");
    const std::size_t n = items && items->is_array() ? items->get_array().size() : 0;
    if (n != r.items.size()) c.diff("items.count", std::to_string(n), std::to_string(r.items.size()));
    for (std::size_t i = 0; i < std::min(n, r.items.size()); ++i) {
        if (!items->get_array()[i].is_object()) continue;
        const json::object& e = items->get_array()[i].get_object();
        const auto& it = r.items[i];
        const std::string p = "items[" + std::to_string(i) + "].";
        c.text(p + "title", str(field(e, "title")), it.title);
        c.exact(p + "link", str(field(e, "link")), it.link);
        c.exact(p + "id", str(field(e, "guid")), it.id);
        c.date(p + "published", str(field(e, "publishedParsed")), it.published);
        c.date(p + "updated", str(field(e, "updatedParsed")), it.updated);
        c.list(p + "categories", field(e, "categories"), it.categories);
        c.text(p + "summary", str(field(e, "description")), it.summary);
        c.text(p + "content", str(field(e, "content")), it.content);
        if (const json::value* a = field(e, "authors"); a && a->is_array() && !a->get_array().empty() && a->get_array()[0].is_object()) {
            const auto& ea = a->get_array()[0].get_object();
            const auto* ga = it.authors.empty() ? nullptr : &it.authors[0];
            c.text(p + "authors[0].name", str(field(ea, "name")), ga ? ga->name : std::nullopt);
            c.exact(p + "authors[0].email", str(field(ea, "email")), ga ? ga->email : std::nullopt);
        }
        if (const json::value* en = field(e, "enclosures"); en && en->is_array()) {
            std::vector<std::string> urls;
            for (const auto& x : it.enclosures) urls.push_back(x.url);
            json::array eu;
            for (const auto& x : en->get_array())
                if (x.is_object()) eu.push_back(x.get_object().contains("url") ? x.get_object().at("url") : json::value(""));
            json::value euv(eu);
            c.list(p + "enclosures", &euv, urls);
        }
    }
}

void compare_rss(comparer& c, const json::object& g, const parse_result& r) {
    c.text("feed.title", str(field(g, "title")), r.feed.title);
    c.exact("feed.link", str(field(g, "link")), r.feed.link);
    c.text("feed.subtitle", str(field(g, "description")), r.feed.subtitle);
    c.exact("feed.language", str(field(g, "language")), r.feed.language);
    if (auto ttl = str(field(g, "ttl")))
        c.exact("feed.ttl", ttl, r.feed.ttl_minutes ? std::optional(std::to_string(*r.feed.ttl_minutes)) : std::nullopt);
    if (const json::value* h = field(g, "skipHours"); h && h->is_array()) {
        std::vector<std::string> got;
        for (int x : r.feed.skip_hours) got.push_back(std::to_string(x));
        c.list("feed.skipHours", h, got);
    }
    if (const json::value* d = field(g, "skipDays"); d && d->is_array()) {
        static const char* names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
        std::vector<std::string> got;
        for (int x : r.feed.skip_days) got.push_back(names[x]);
        c.list("feed.skipDays", d, got);
    }
    const json::value* items = field(g, "items");
    const std::size_t n = items && items->is_array() ? items->get_array().size() : 0;
    if (n != r.items.size()) c.diff("items.count", std::to_string(n), std::to_string(r.items.size()));
    for (std::size_t i = 0; i < std::min(n, r.items.size()); ++i) {
        if (!items->get_array()[i].is_object()) continue;
        const json::object& e = items->get_array()[i].get_object();
        const auto& it = r.items[i];
        const std::string p = "items[" + std::to_string(i) + "].";
        c.text(p + "title", str(field(e, "title")), it.title);
        c.exact(p + "link", str(field(e, "link")), it.link);
        c.exact(p + "id", str(field(e, "guid")), it.id);
        c.raw_date(p + "published", str(field(e, "pubDate")), it.published);
        c.list(p + "categories", field(e, "categories"), it.categories);
        c.text(p + "summary", str(field(e, "description")), it.summary);
        c.text(p + "content", str(field(e, "content")), it.content);
        if (const json::value* en = field(e, "enclosure"); en && en->is_object())
            c.exact(p + "enclosures[0].url", str(field(en->get_object(), "url")),
                    it.enclosures.empty() ? std::nullopt : std::optional(it.enclosures[0].url));
    }
}

void compare_atom(comparer& c, const json::object& g, const parse_result& r) {
    c.text("feed.title", str(field(g, "title")), r.feed.title);
    c.text("feed.subtitle", str(field(g, "subtitle")), r.feed.subtitle);
    c.exact("feed.language", str(field(g, "language")), r.feed.language);
    c.date("feed.updated", str(field(g, "updatedParsed")), r.feed.updated);
    const json::value* items = field(g, "entries");
    const std::size_t n = items && items->is_array() ? items->get_array().size() : 0;
    if (n != r.items.size()) c.diff("items.count", std::to_string(n), std::to_string(r.items.size()));
    for (std::size_t i = 0; i < std::min(n, r.items.size()); ++i) {
        if (!items->get_array()[i].is_object()) continue;
        const json::object& e = items->get_array()[i].get_object();
        const auto& it = r.items[i];
        const std::string p = "items[" + std::to_string(i) + "].";
        c.text(p + "title", str(field(e, "title")), it.title);
        c.exact(p + "id", str(field(e, "id")), it.id);
        c.date(p + "published", str(field(e, "publishedParsed")), it.published);
        c.date(p + "updated", str(field(e, "updatedParsed")), it.updated);
        c.list(p + "categories", field(e, "categories"), it.categories);
        c.text(p + "summary", str(field(e, "summary")), it.summary);
        c.text(p + "content", str(field(e, "content")), it.content);
        if (const json::value* a = field(e, "authors"); a && a->is_array() && !a->get_array().empty() && a->get_array()[0].is_object()) {
            const auto& ea = a->get_array()[0].get_object();
            const auto* ga = it.authors.empty() ? nullptr : &it.authors[0];
            c.text(p + "authors[0].name", str(field(ea, "name")), ga ? ga->name : std::nullopt);
            c.exact(p + "authors[0].email", str(field(ea, "email")), ga ? ga->email : std::nullopt);
        }
    }
}

void compare_rss_parser(comparer& c, const json::object& root, const parse_result& r) {
    if (!root.contains("feed") || !root.at("feed").is_object()) return;
    const json::object& g = root.at("feed").get_object();
    c.text("feed.title", str(field(g, "title")), r.feed.title);
    c.exact("feed.link", str(field(g, "link")), r.feed.link);
    const json::value* items = field(g, "items");
    const std::size_t n = items && items->is_array() ? items->get_array().size() : 0;
    if (n != r.items.size()) c.diff("items.count", std::to_string(n), std::to_string(r.items.size()));
    for (std::size_t i = 0; i < std::min(n, r.items.size()); ++i) {
        if (!items->get_array()[i].is_object()) continue;
        const json::object& e = items->get_array()[i].get_object();
        const auto& it = r.items[i];
        const std::string p = "items[" + std::to_string(i) + "].";
        c.text(p + "title", str(field(e, "title")), it.title);
        c.exact(p + "link", str(field(e, "link")), it.link);
        c.exact(p + "id", str(field(e, "guid")) ? str(field(e, "guid")) : str(field(e, "id")), it.id);
        c.date(p + "published", str(field(e, "isoDate")), it.published ? it.published : it.updated);
        c.list(p + "categories", field(e, "categories"), it.categories);
        if (const json::value* en = field(e, "enclosure"); en && en->is_object())
            c.exact(p + "enclosures[0].url", str(field(en->get_object(), "url")),
                    it.enclosures.empty() ? std::nullopt : std::optional(it.enclosures[0].url));
    }
}

// "case<TAB>field<TAB>reason"; field may use [*] for any index, or be "*" for the whole case.
struct accepted_list {
    std::map<std::pair<std::string, std::string>, std::string> entries;
    std::set<std::pair<std::string, std::string>> used;

    static accepted_list load(const fs::path& p) {
        accepted_list list;
        std::ifstream in(p);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            const auto t1 = line.find('\t');
            const auto t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
            if (t2 == std::string::npos) continue;
            list.entries[{line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1)}] = line.substr(t2 + 1);
        }
        return list;
    }
    static std::string generalize(const std::string& path) {
        std::string out;
        for (std::size_t i = 0; i < path.size(); ++i) {
            if (path[i] == '[') {
                const auto close = path.find(']', i);
                out += "[*]";
                i = close == std::string::npos ? path.size() : close;
            } else {
                out += path[i];
            }
        }
        return out;
    }
    bool accepts(const std::string& case_id, const std::string& path) {
        for (const std::string& f : {path, generalize(path), std::string("*")}) {
            if (entries.count({case_id, f})) {
                used.insert({case_id, f});
                return true;
            }
        }
        return false;
    }
};

TEST(feed_fixtures, match_golden_outputs_except_accepted_differences) {
    NEWSWATCH_REQUIRE_SHARED(shared);
    const fs::path root = shared / "data" / "feeds-fixtures";
    if (!fs::is_directory(root)) GTEST_SKIP() << root << " is absent";
    const auto cases = collect(root);
    ASSERT_GT(cases.size(), 500u) << "fixture sets incomplete under " << root;
    auto accepted = accepted_list::load(newswatch::testing::source_dir() / "tests/data/parser/accepted_differences.tsv");
    std::size_t cases_clean = 0, compared = 0, unexpected = 0, accepted_count = 0;
    std::ostringstream report;
    for (const auto& fc : cases) {
        const std::string golden_text = read_all(fc.golden);
        boost::system::error_code ec;
        json::value golden = json::parse(golden_text, ec);
        if (ec || !golden.is_object()) continue;  // a golden that is not JSON (encoding.json): nothing to compare
        ++compared;
        const parse_result r = parse_feed(read_all(fc.input));
        comparer c{fc.id, {}};
        if (!r.ok()) {
            c.diffs.emplace_back("status", "parse failed: " + r.error);
        } else {
            switch (fc.kind) {
                case model::gofeed_universal: compare_universal(c, golden.get_object(), r); break;
                case model::gofeed_rss: compare_rss(c, golden.get_object(), r); break;
                case model::gofeed_atom: compare_atom(c, golden.get_object(), r); break;
                case model::rss_parser: compare_rss_parser(c, golden.get_object(), r); break;
            }
        }
        bool clean = true;
        for (const auto& [path, what] : c.diffs) {
            if (accepted.accepts(fc.id, path)) {
                ++accepted_count;
                continue;
            }
            clean = false;
            ++unexpected;
            report << fc.id << '\t' << path << '\t' << what << '\n';
        }
        if (clean && c.diffs.empty()) ++cases_clean;
    }
    std::ostringstream stale;
    for (const auto& [key, reason] : accepted.entries)
        if (!accepted.used.count(key)) stale << key.first << '\t' << key.second << '\n';
    std::cout << "[fixtures] " << compared << " cases compared, " << cases_clean
              << " identical on every modelled field, " << accepted_count
              << " accepted differences, " << unexpected << " unexpected\n";
    EXPECT_EQ(unexpected, 0u) << "unexpected differences (case, field, what):\n" << report.str();
    EXPECT_TRUE(stale.str().empty()) << "accepted differences that no longer occur (remove them):\n" << stale.str();
}

TEST(feed_fixtures, universal_detection) {
    NEWSWATCH_REQUIRE_SHARED(shared);
    const fs::path dir = shared / "data/feeds-fixtures/gofeed/parser/universal";
    if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " is absent";
    const std::map<std::string, std::string> expected = {
        {"atom03_feed.xml", "atom03"}, {"atom10_feed.xml", "atom10"}, {"rdf_feed.xml", "rss10"},
        {"rss_feed.xml", "rss20"},     {"rss_feed_bom.xml", "rss20"}, {"rss_feed_leading_spaces.xml", "rss20"},
        {"json10_feed.json", "jsonfeed"}, {"json11_feed.json", "jsonfeed"},
    };
    for (const auto& [file, format] : expected) {
        const auto r = parse_feed(read_all(dir / file));
        EXPECT_TRUE(r.ok()) << file << ": " << r.error;
        EXPECT_EQ(newswatch::parser::to_string(r.format), format) << file;
    }
    for (const char* bad : {"empty_feed.xml", "invalid.json", "unknown_feed.xml"}) {
        const auto r = parse_feed(read_all(dir / bad));
        EXPECT_FALSE(r.ok()) << bad << " was accepted as " << newswatch::parser::to_string(r.format);
    }
    const fs::path g = shared / "data/feeds-fixtures/gofeed/parser";
    const std::map<std::string, std::string> versions = {
        {"rss/version_rdf_090.xml", "rss09x"},         {"rss/version_rdf_10.xml", "rss10"},
        {"rss/version_rss_091_netscape.xml", "rss09x"}, {"rss/version_rss_091_userland.xml", "rss09x"},
        {"rss/version_rss_092.xml", "rss09x"},          {"rss/version_rss_093.xml", "rss09x"},
        {"rss/version_rss_094.xml", "rss09x"},          {"rss/version_rss_20.xml", "rss20"},
        {"rss/version_rss_201.xml", "rss20"},           {"rss/version_rss_21.xml", "rss20"},
        {"rss/version_rss_missing.xml", "rss20"},       {"atom/version_atom03.xml", "atom03"},
        {"atom/version_atom10.xml", "atom10"},
    };
    for (const auto& [file, format] : versions) {
        const auto r = parse_feed(read_all(g / file));
        EXPECT_TRUE(r.ok()) << file << ": " << r.error;
        EXPECT_EQ(newswatch::parser::to_string(r.format), format) << file;
    }
    const auto unrecognized = parse_feed(read_all(shared / "data/feeds-fixtures/rss-parser/input/unrecognized.rss"));
    EXPECT_EQ(unrecognized.status, newswatch::parser::parse_status::not_a_feed);
}

}  // namespace
