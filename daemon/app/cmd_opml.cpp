// newswatch feeds import-opml FILE [--out FEEDS.toml]: OPML -> [[feed]] tables.
// newswatch feeds export-opml --config FILE [--out FILE.opml]: the configured feeds as OPML.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "commands.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/config/opml.hpp"

namespace newswatch::app {

namespace {

// Whole file, or nullopt (the caller reports it: a data error, exit 1).
std::optional<std::string> slurp(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// To stdout, or to `out` through a temporary file and a rename, so a reader of `out`
// never sees half a file. False (reported) when it cannot be written.
bool emit(const std::string& text, const std::optional<std::string>& out, const char* command) {
    if (!out) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return true;
    }
    const std::string temporary = *out + ".tmp";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        file << text;
        if (!file.flush()) {
            std::fprintf(stderr, "newswatch feeds %s: cannot write %s\n", command, temporary.c_str());
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, *out, ec);
    if (ec) {
        std::fprintf(stderr, "newswatch feeds %s: cannot write %s: %s\n", command, out->c_str(),
                     ec.message().c_str());
        return false;
    }
    return true;
}

}  // namespace

int import_opml(const std::string& opml_file, const std::optional<std::string>& out) {
    const auto bytes = slurp(opml_file);
    if (!bytes) {
        std::fprintf(stderr, "newswatch feeds import-opml: %s: cannot read\n", opml_file.c_str());
        return 1;
    }
    auto parsed = config::parse_opml(*bytes);
    if (!parsed) {
        std::fprintf(stderr, "newswatch feeds import-opml: %s: %s\n", opml_file.c_str(),
                     parsed.err().message.c_str());
        return 1;
    }
    for (const auto& notice : parsed->notices)
        std::fprintf(stderr, "newswatch feeds import-opml: %s:%d: %s\n", opml_file.c_str(), notice.line,
                     notice.message.c_str());
    std::string text = "# " + std::to_string(parsed->feeds.size()) + " feeds imported from " +
                       std::filesystem::path(opml_file).filename().string();
    if (parsed->title) text += " (" + *parsed->title + ")";
    text += " by newswatch feeds import-opml\n\n" + config::feed_tables_toml(parsed->feeds);
    if (!emit(text, out, "import-opml")) return 1;
    if (out)
        std::fprintf(stderr, "%s: %zu feeds written, %zu notices\n", out->c_str(), parsed->feeds.size(),
                     parsed->notices.size());
    return 0;
}

int export_opml(const std::string& config_file, const std::optional<std::string>& out) {
    const auto cfg = config::load_configuration(config_file);  // throws config_error -> exit 2
    std::vector<config::opml_feed> feeds;
    feeds.reserve(cfg.feeds.size());
    for (const auto& f : cfg.feeds) {
        config::opml_feed feed;
        feed.url = f.url;
        feed.title = f.title;
        feed.tags = f.tags;
        feeds.push_back(std::move(feed));
    }
    const std::string title = "newswatch feeds from " + cfg.file.filename().string();
    return emit(config::write_opml(feeds, title), out, "export-opml") ? 0 : 1;
}

}  // namespace newswatch::app
