#pragma once
// Readability-style choice of the article's blocks: paragraphs score their ancestors by
// length and commas, class/id hints and link density adjust, the best candidate wins and
// its siblings that look like article text join it.
#include <gumbo.h>

#include <vector>

#include "node_stats.hpp"

namespace newswatch::extract {

// Readability's retry flags: relaxed one at a time when the result is too short.
struct scoring_flags {
    bool strip_unlikely = true;
    bool weight_classes = true;
    bool clean_conditionally = true;
};

class content_scorer {
public:
    content_scorer(const node_stats_table& stats, scoring_flags flags) : stats_(stats), flags_(flags) {}

    // The chosen elements in document order (the top candidate and joining siblings); the
    // body when it holds no paragraph worth scoring.
    std::vector<const GumboNode*> choose(const GumboNode* body);

private:
    struct candidate {
        const GumboNode* node;
        double score;
    };

    void score_paragraphs(const GumboNode* node, int depth);
    void score_paragraph(const GumboNode* paragraph, std::uint32_t length, std::uint32_t commas);
    double& score_of(const GumboNode* element);
    double* find_score(const GumboNode* element);
    const GumboNode* refine(const GumboNode* top, const std::vector<candidate>& ranked,
                            const GumboNode* body);
    std::vector<const GumboNode*> with_siblings(const GumboNode* top, double top_score);

    const node_stats_table& stats_;
    scoring_flags flags_;
    std::vector<candidate> candidates_;  // few hundred at most: a vector beats a map here
    std::unordered_map<const GumboNode*, std::size_t> index_;
};

}  // namespace newswatch::extract
