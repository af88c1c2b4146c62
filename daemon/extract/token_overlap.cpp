#include "newswatch/extract/token_overlap.hpp"

#include <string>
#include <unordered_map>

#include "newswatch/text/tokenizer.hpp"

namespace newswatch::extract {

token_overlap measure_token_overlap(std::string_view candidate, std::string_view reference) {
    const text::token_list ours = text::tokenize(candidate);
    const text::token_list theirs = text::tokenize(reference);
    token_overlap out;
    if (ours.tokens.empty() && theirs.tokens.empty()) {
        out.precision = out.recall = out.f1 = 1;
        return out;
    }
    if (ours.tokens.empty() || theirs.tokens.empty()) return out;
    std::unordered_map<std::string_view, long> counts;
    for (std::size_t i = 0; i < theirs.tokens.size(); ++i) ++counts[theirs.key(i)];
    std::size_t shared = 0;
    for (std::size_t i = 0; i < ours.tokens.size(); ++i)
        if (auto it = counts.find(ours.key(i)); it != counts.end() && it->second > 0) {
            --it->second;
            ++shared;
        }
    out.precision = double(shared) / double(ours.tokens.size());
    out.recall = double(shared) / double(theirs.tokens.size());
    out.f1 = shared ? 2 * out.precision * out.recall / (out.precision + out.recall) : 0.0;
    return out;
}

}  // namespace newswatch::extract
