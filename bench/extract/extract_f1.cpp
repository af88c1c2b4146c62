// extract_f1 CASES_DIR [--peer DIR] [--dump DIR]
// Token-overlap F1 against Readability.js (CASES_DIR/<case>/expected.html) of our extractor
// on CASES_DIR/<case>/source.html and, with --peer, of another extractor's output HTML in
// DIR/<case>.html (bench/extract/peer_readability.py writes python3-readability's there).
// --dump writes our text to DIR/<case>.txt. Prints one line per case and the means.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>

#include "newswatch/extract/article_extractor.hpp"
#include "newswatch/extract/token_overlap.hpp"

namespace {

std::optional<std::string> slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

int main(int argc, char** argv) {
    using namespace newswatch;
    if (argc < 2) {
        std::fprintf(stderr, "usage: extract_f1 CASES_DIR [--peer DIR] [--dump DIR]\n");
        return 2;
    }
    std::optional<std::filesystem::path> peer, dump;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::string(argv[i]) == "--peer")
            peer = argv[i + 1];
        else if (std::string(argv[i]) == "--dump")
            dump = argv[i + 1];
    }
    const auto body = extract::css_selector::parse("body").value();
    std::set<std::filesystem::path> cases;
    for (const auto& entry : std::filesystem::directory_iterator(argv[1]))
        if (std::filesystem::exists(entry.path() / "source.html")) cases.insert(entry.path());
    double ours_sum = 0, peer_sum = 0, ours_p = 0, ours_r = 0;
    int n = 0, peer_n = 0;
    std::printf("%-48s %8s %8s\n", "case", "ours", peer ? "peer" : "");
    for (const auto& dir : cases) {
        const auto source = slurp(dir / "source.html");
        const auto expected = slurp(dir / "expected.html");
        if (!source || !expected) continue;
        const auto ours = extract::extract_article(*source, {.base_url = "http://fakehost/test/page.html"});
        const auto reference = extract::extract_article(*expected, {.content_selector = &body});
        const auto o = extract::measure_token_overlap(ours.text, reference.text);
        ours_sum += o.f1;
        ours_p += o.precision;
        ours_r += o.recall;
        ++n;
        if (dump) std::ofstream(*dump / (dir.filename().string() + ".txt")) << ours.text;
        std::string peer_cell;
        if (peer) {
            if (const auto html = slurp(*peer / (dir.filename().string() + ".html"))) {
                const auto theirs = extract::extract_article(*html, {.content_selector = &body});
                const double f1 = extract::measure_token_overlap(theirs.text, reference.text).f1;
                peer_sum += f1;
                ++peer_n;
                char cell[16];
                std::snprintf(cell, sizeof cell, "%8.3f", f1);
                peer_cell = cell;
            } else {
                peer_cell = "  failed";  // counted as 0: the peer produced nothing
                ++peer_n;
            }
        }
        std::printf("%-48s %8.3f %s\n", dir.filename().c_str(), o.f1, peer_cell.c_str());
    }
    if (n == 0) {
        std::fprintf(stderr, "extract_f1: no cases under %s\n", argv[1]);
        return 1;
    }
    std::printf("\nours: mean F1 %.3f (precision %.3f, recall %.3f) over %d pages\n", ours_sum / n,
                ours_p / n, ours_r / n, n);
    if (peer && peer_n) std::printf("peer: mean F1 %.3f over %d pages\n", peer_sum / peer_n, peer_n);
    return 0;
}
