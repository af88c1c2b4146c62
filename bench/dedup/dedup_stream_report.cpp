// Prints, for the generated multi-outlet stream (tests/support/story_stream.hpp):
// 1. per shingle size, the MinHash similarity of true copies (reworded, retitled, wire
//    copies) and of different stories on the same topic: the basis of the chosen shingle
//    size and threshold (docs/BENCHMARKS.md, "Deduplication");
// 2. the duplicate rate before (no dedup) and after (link, title and similarity rules with
//    the defaults), and false merges (an item folded into another story).
// Usage: dedup_stream_report [stories] [threshold]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "newswatch/dedup/minhash_signature.hpp"
#include "newswatch/dedup/normalized_title.hpp"
#include "newswatch/dedup/story_fingerprint.hpp"
#include "newswatch/dedup/story_index.hpp"
#include "story_stream.hpp"

using namespace newswatch;

namespace {

std::vector<std::string> words_of(const testing::stream_item& item) {
    const std::string title = dedup::normalized_title(item.title);
    auto words = dedup::signature_words(title.empty() ? item.title : title, dedup::lede_words);
    for (auto& w : dedup::signature_words(item.lede, dedup::lede_words)) words.push_back(std::move(w));
    return words;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
    testing::stream_options options;
    if (argc > 1) options.stories = static_cast<std::size_t>(std::atol(argv[1]));
    const double threshold = argc > 2 ? std::atof(argv[2]) : dedup::default_similarity_threshold;
    const auto stream = testing::generate_story_stream(options);

    std::printf("stream: %zu stories, %zu items\n\n", options.stories, stream.size());
    std::printf("shingle  copies: min   p5    median | same topic: median p99   max   | pairs\n");
    for (std::size_t shingle = 1; shingle <= 4; ++shingle) {
        std::vector<std::optional<dedup::minhash_signature>> sigs;
        for (const auto& item : stream) sigs.push_back(dedup::minhash_of(words_of(item), shingle));
        std::map<std::size_t, std::size_t> original;  // story -> index of its first item
        std::vector<double> copies, others;
        std::map<std::string, double> lowest;  // per variant
        for (std::size_t i = 0; i < stream.size(); ++i) {
            if (!sigs[i]) continue;
            auto [it, first] = original.emplace(stream[i].story, i);
            if (first) continue;
            const double sim = dedup::similarity(*sigs[it->second], *sigs[i]);
            copies.push_back(sim);
            auto [low, added] = lowest.emplace(stream[i].variant, sim);
            if (!added) low->second = std::min(low->second, sim);
        }
        // Different stories on one topic: every pair of originals (bounded).
        std::vector<std::size_t> firsts;
        for (const auto& [story, index] : original) firsts.push_back(index);
        for (std::size_t a = 0; a < firsts.size(); ++a)
            for (std::size_t b = a + 1; b < firsts.size(); ++b)
                if (stream[firsts[a]].topic == stream[firsts[b]].topic && sigs[firsts[a]] && sigs[firsts[b]])
                    others.push_back(dedup::similarity(*sigs[firsts[a]], *sigs[firsts[b]]));
        std::printf("%-8zu        %.3f %.3f %.3f  |             %.3f  %.3f %.3f | %zu / %zu\n", shingle,
                    percentile(copies, 0), percentile(copies, 0.05), percentile(copies, 0.5),
                    percentile(others, 0.5), percentile(others, 0.99), percentile(others, 1.0), copies.size(),
                    others.size());
        std::printf("         lowest per kind of copy:");
        for (const auto& [variant, low] : lowest) std::printf(" %s %.3f", variant.c_str(), low);
        std::printf("\n         copies below / same-topic pairs at or above:");
        for (const double t : {0.40, 0.45, 0.50, 0.55, 0.60}) {
            const auto below = std::count_if(copies.begin(), copies.end(), [&](double v) { return v < t; });
            const auto above = std::count_if(others.begin(), others.end(), [&](double v) { return v >= t; });
            std::printf("  %.2f: %td/%td", t, below, above);
        }
        std::printf("\n");
    }

    // Before and after, with the daemon's rules in the daemon's order (one watch).
    dedup::story_index index;
    std::set<std::size_t> delivered_stories;
    std::size_t repeats_before = 0, delivered = 0, repeats_after = 0, false_merges = 0, folded = 0;
    std::map<std::string, std::size_t> story_of_alert;
    std::map<std::string, std::size_t> rules;
    std::set<std::size_t> seen_stories;
    for (std::size_t i = 0; i < stream.size(); ++i) {
        const auto& item = stream[i];
        if (!seen_stories.insert(item.story).second) ++repeats_before;
        const auto fp = dedup::fingerprint_of(item.title, item.link, item.lede);
        const auto at = core::timestamp{core::seconds{item.minute * 60}};
        const auto match = index.find("w", "", fp, at - core::seconds{86400}, threshold);
        if (match) {
            ++folded;
            ++rules[std::string(dedup::to_string(match->rule))];
            if (story_of_alert.at(match->original_alert_id) != item.story) {
                ++false_merges;
                ++rules[std::string("false-").append(dedup::to_string(match->rule))];
            }
            continue;
        }
        ++delivered;
        if (!delivered_stories.insert(item.story).second) {
            ++repeats_after;
            ++rules[std::string("missed-").append(item.variant)];
        }
        const std::string id = std::to_string(i);
        story_of_alert[id] = item.story;
        index.remember("w", "", fp, id, at);
    }
    std::printf("\nthreshold %.2f, shingle %zu\n", threshold, dedup::default_shingle_words);
    std::printf("before: %zu items, %zu repeats of a story already alerted: duplicate rate %.1f%%\n",
                stream.size(), repeats_before,
                100.0 * static_cast<double>(repeats_before) / static_cast<double>(stream.size()));
    std::printf("after:  %zu delivered, %zu repeats: duplicate rate %.1f%%; %zu folded (", delivered,
                repeats_after, 100.0 * static_cast<double>(repeats_after) / static_cast<double>(delivered),
                folded);
    for (const auto& [rule, n] : rules) std::printf(" %s %zu", rule.c_str(), n);
    std::printf(" ), false merges %zu\n", false_merges);
    return 0;
}
