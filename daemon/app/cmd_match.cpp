// newswatch match --config FILE [--state-dir DIR] [--explain] [--json] [--model PATH] FEED_FILE...
// Runs the config's watches over every item of the feed files, exactly as the daemon
// matches (same parser, same document builder, same compiled watch set; age limits do not
// apply; [daemon] max_item_text does) and prints, per item and watch, match or no match and
// why.
// Articles: an item whose link has an article in the daemon's article cache (the state
// database of --state-dir or of the config, within article_retention) is matched and
// classified with that text, as the daemon did (fetch_article); the output names the
// article's URL and length, and its hits have the field "article". Nothing is fetched.
//   --json     JSON Lines, one object per item:
//              {"file", "item": {"id", "title"[, "article": {"url", "length"}]},
//               "matches": [{"watch", "matched", "hits", ...}]}
//   --explain  every watch appears; non-matching ones with "matched": false and a "reason"
// Exit 0 whether or not anything matched; 1 if a feed file could not be read or parsed
// (the other files are still processed); 2 for usage and configuration errors.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/core/output_text.hpp"
#include "newswatch/matcher/document_builder.hpp"
#include "newswatch/matcher/watch_set.hpp"
#include "newswatch/parser/feed_parser.hpp"
#include "newswatch/stance/item_text.hpp"
#include "newswatch/stance/stance_model.hpp"
#include "newswatch/store/article_cache.hpp"
#include "newswatch/text/utf8_prefix.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {

namespace {

constexpr const char* match_usage =
    "usage: newswatch match --config FILE [--state-dir DIR] [--explain] [--json] [--model PATH] FEED_FILE...";

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}


// The stance model, when some watch has a claim and a model can be found. With --model or
// [stance] model the model must load (a configuration error otherwise); without them, a
// missing model only leaves stance out of the output, with one note on stderr.
std::optional<stance::stance_model> load_stance(const config::configuration& cfg,
                                                const std::optional<std::string>& cli_model) {
    auto loaded = load_stance_model(cfg, cli_model);
    if (loaded) {
        if (!*loaded) return std::nullopt;
        return std::move((*loaded)->model);
    }
    if (cli_model || cfg.stance.model) throw config::config_error(loaded.err().message);
    std::cerr << "newswatch match: stance left out: " << loaded.err().message << '\n';
    return std::nullopt;
}

boost::json::object hit_json(const core::hit& h) {
    boost::json::object o;
    o["pattern"] = h.pattern;
    o["text"] = h.text;
    o["field"] = h.field;
    o["offset"] = static_cast<std::uint64_t>(h.offset);
    o["negated"] = h.negated;
    o["hedged"] = h.hedged;
    return o;
}

// The article the daemon cached for an item, if any.
struct article_used {
    std::string url;
    std::string text;
};

// The daemon's state database, read-only, when there is one: articles come from its cache.
std::optional<store::state_store> open_article_source(const std::filesystem::path& state_dir) {
    const auto db = state_dir / "state.db";
    std::error_code ec;
    if (!std::filesystem::exists(db, ec)) return std::nullopt;
    auto opened = store::state_store::open_read_only(db);
    if (!opened) {
        std::cerr << "newswatch match: articles left out: " << opened.err().message << '\n';
        return std::nullopt;
    }
    return std::move(*opened);
}

std::optional<article_used> cached_article(store::state_store* db, const config::configuration& cfg,
                                           const core::item& item) {
    if (!db || !item.link || item.link->empty()) return std::nullopt;
    store::article_cache cache(*db);
    auto found = cache.find(*item.link, core::now_utc() - cfg.daemon.article_retention);
    if (!found || !*found) return std::nullopt;
    return article_used{std::move((*found)->canonical_url), std::move((*found)->text)};
}

// Code points, as hit offsets count.
std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

struct stance_result {
    std::string claim;
    std::string label;
    double confidence = 0.0;
};

void print_text(const std::string& file, const core::item& item, const matcher::watch_set& set,
                const std::vector<matcher::watch_result>& results,
                const std::vector<std::optional<stance_result>>& stances,
                const std::optional<article_used>& article) {
    // Terminal output follows the log policy: feed text is escaped (core/output_text.hpp).
    std::cout << file << ": " << core::log_escaped(item.title.value_or("(no title)")) << "  ["
              << core::log_escaped(item.id) << "]\n";
    if (article)
        std::cout << "  article   used: " << core::log_escaped(article->url) << " ("
                  << code_points(article->text)
                  << " characters; searched beside the feed text, and read by stance)\n";
    if (results.empty()) std::cout << "  no watch matched\n";
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        const auto& name = set.specs()[r.watch_index].name;
        if (!r.matched) {
            std::cout << "  no match  " << name << ": " << r.reason << '\n';
            continue;
        }
        std::cout << "  MATCH     " << name;
        if (!r.reason.empty()) std::cout << ": " << r.reason;
        std::cout << '\n';
        for (const auto& h : r.hits) {
            std::cout << "            " << h.pattern << " -> " << core::log_quoted(h.text) << " in "
                      << h.field << " at " << h.offset;
            if (h.negated) std::cout << " (negated)";
            if (h.hedged) std::cout << " (hedged)";
            std::cout << '\n';
        }
        if (r.hits_total > r.hits.size())
            std::cout << "            ... " << r.hits_total << " hits in all (" << matcher::max_hits_per_field
                      << " per field shown)\n";
        if (stances[i])
            std::cout << "            stance on \"" << stances[i]->claim << "\": " << stances[i]->label << " ("
                      << stances[i]->confidence << ")\n";
    }
}

void print_json(const std::string& file, const core::item& item, const matcher::watch_set& set,
                const std::vector<matcher::watch_result>& results,
                const std::vector<std::optional<stance_result>>& stances, bool explain,
                const std::optional<article_used>& article) {
    boost::json::object line;
    line["file"] = file;
    boost::json::object item_json;
    item_json["id"] = item.id;
    if (item.title) item_json["title"] = *item.title;
    else item_json["title"] = nullptr;
    if (article)
        item_json["article"] =
            boost::json::object{{"url", core::payload_text(article->url)},
                                {"length", static_cast<std::uint64_t>(code_points(article->text))}};
    line["item"] = std::move(item_json);
    boost::json::array matches;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        boost::json::object m;
        m["watch"] = set.specs()[r.watch_index].name;
        m["matched"] = r.matched;
        boost::json::array hits;
        if (r.matched)
            for (const auto& h : r.hits) hits.push_back(hit_json(h));
        m["hits"] = std::move(hits);
        if (r.matched) {
            m["hits_total"] = static_cast<std::uint64_t>(r.hits_total);
            boost::json::array patterns;
            for (const auto& p : r.matched_patterns) patterns.emplace_back(p);
            m["patterns"] = std::move(patterns);
        }
        if (explain) m["reason"] = r.reason;
        if (stances[i]) {
            boost::json::object s;
            s["claim"] = stances[i]->claim;
            s["label"] = stances[i]->label;
            s["confidence"] = stances[i]->confidence;
            m["stance"] = std::move(s);
        }
        matches.push_back(std::move(m));
    }
    line["matches"] = std::move(matches);
    std::cout << boost::json::serialize(line) << '\n';
}

}  // namespace

int run_match(cli_args& args) {
    const auto config_file = args.option("--config");
    const bool explain = args.flag("--explain");
    const bool as_json = args.flag("--json");
    const auto model_option = args.option("--model");
    const auto state_dir_option = args.option("--state-dir");
    const std::vector<std::string> files = args.positionals();
    if (!config_file) throw usage_error(std::string("--config is required; ") + match_usage);
    if (files.empty()) throw usage_error(std::string("no feed file given; ") + match_usage);

    const config::configuration cfg = config::load_configuration(*config_file);
    const matcher::watch_set& set = *cfg.compiled_watches;  // the loader compiled and checked them
    const auto model = load_stance(cfg, model_option);
    auto article_db = open_article_source(resolve_state_dir(state_dir_option, cfg));

    int exit_code = 0;
    for (const auto& file : files) {
        std::string bytes;
        if (!read_file(file, bytes)) {
            std::cerr << "newswatch match: cannot read file: " << file << '\n';
            exit_code = 1;
            continue;
        }
        const parser::parse_result parsed = parser::parse_feed(bytes);
        if (!parsed.ok()) {
            std::cerr << "newswatch match: " << (parsed.error.empty() ? "not a feed" : parsed.error) << ": " << file
                      << '\n';
            exit_code = 1;
            continue;
        }
        const std::string feed_title = parsed.feed.title.value_or("");
        for (const auto& item : parsed.items) {
            matcher::document doc = matcher::make_document(item, feed_title);
            const auto article = cached_article(article_db ? &*article_db : nullptr, cfg, item);
            if (article) doc.article = article->text;
            if (const auto cut = matcher::limit_text(doc, cfg.daemon.max_item_text); cut.cut())
                std::cerr << "newswatch match: " << file << ": item " << item.id << ": text of " << cut.before
                          << " bytes cut to max_item_text (" << cfg.daemon.max_item_text << " bytes)\n";
            const auto results = set.match(doc, explain);
            std::vector<std::optional<stance_result>> stances(results.size());
            if (model) {
                for (std::size_t i = 0; i < results.size(); ++i) {
                    const auto& claim = cfg.watches[results[i].watch_index].claim;
                    if (!results[i].matched || !claim) continue;
                    std::string text = stance::item_text(
                        item, article ? std::string_view(article->text) : std::string_view{});
                    text.resize(text::utf8_prefix(text, cfg.daemon.max_item_text).size());
                    const auto p = model->classify(claim->claim, text);
                    stances[i] = stance_result{claim->claim, std::string(stance::to_string(p.label)), p.confidence};
                }
            }
            if (as_json)
                print_json(file, item, set, results, stances, explain, article);
            else
                print_text(file, item, set, results, stances, article);
        }
    }
    std::cout.flush();
    return exit_code;
}

}  // namespace newswatch::app
