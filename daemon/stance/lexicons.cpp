#include "lexicons.hpp"

#include <set>
#include <string>

#include "text_analysis.hpp"

namespace newswatch::stance {

namespace {

constexpr std::string_view stop_words[] = {
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for",
    "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
    "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
    "me", "more", "most", "my", "myself", "nor", "now", "of", "off", "on", "once", "only", "or",
    "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then",
    "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
    "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
    "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "also", "s", "t",
    "said", "says", "say", "one", "two", "new", "like", "get", "got", "would", "may", "might",
    "us", "mr", "mrs", "ms", "year", "years", "told", "according", "via", "per"};

constexpr std::string_view refute_words[] = {
    "fake", "fraud", "hoax", "false", "deny", "denies", "denied", "denial", "despite", "nope",
    "doubt", "doubts", "doubted", "bogus", "debunk", "debunked", "debunks", "prank", "pranks",
    "retract", "retracted", "retraction", "untrue", "myth", "satire", "satirical", "fabricated",
    "fabrication", "baseless", "unfounded", "refute", "refuted", "refutes", "dismiss",
    "dismissed", "dismisses", "reject", "rejected", "rejects", "incorrect", "wrong", "misleading",
    "rumour", "rumor", "hoaxes", "scam", "photoshopped", "doctored", "contrary", "fiction",
    "fictional", "nonsense", "ridiculous", "joke", "spoof", "parody", "disproved", "disputed",
    "dispute", "disputes", "contradict", "contradicts", "contradicted", "insists", "insisted",
    "never", "not"};

constexpr std::string_view hedge_words[] = {
    "alleged", "allegedly", "apparently", "appear", "appears", "appeared", "claim", "claims",
    "claimed", "could", "evidently", "largely", "likely", "mainly", "may", "maybe", "might",
    "mostly", "perhaps", "presumably", "probably", "purported", "purportedly", "reported",
    "reportedly", "rumored", "rumoured", "rumors", "rumours", "speculation", "speculated",
    "seem", "seems", "seemed", "somewhat", "supposedly", "unconfirmed", "unverified",
    "suggest", "suggests", "suggested", "possibly", "possible", "potential", "potentially",
    "unclear", "uncertain", "if", "whether", "believed", "thought", "suspected", "suspect",
    "investigating", "investigation", "unknown", "question", "questions", "circulating",
    "viral", "purport", "say", "says", "according", "supposed", "would"};

constexpr std::string_view support_words[] = {
    "confirm", "confirmed", "confirms", "confirmation", "announced", "announces", "announce",
    "official", "officially", "revealed", "reveals", "reveal", "proves", "proved", "proof",
    "indeed", "true", "verified", "verify", "shows", "showed", "shown", "footage", "video",
    "photo", "photos", "evidence", "actually", "really", "definitely", "certainly", "now",
    "finally", "admitted", "admits", "admit", "acknowledged", "statement", "spokesman",
    "spokeswoman", "spokesperson", "will", "has", "is", "did", "does", "found", "discovered"};

constexpr std::string_view negation_words[] = {
    "not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without", "cannot",
    "nowhere", "hardly", "barely"};

constexpr std::string_view report_words[] = {
    "said", "says", "say", "told", "tells", "according", "reported", "reports", "report",
    "reporting", "stated", "states", "wrote", "writes", "tweeted", "posted", "claimed",
    "sources", "source", "spokesman", "spokeswoman", "statement"};

struct lexicon {
    std::set<std::string, std::less<>> words;
    std::set<std::string, std::less<>> stems;
    template <std::size_t n>
    explicit lexicon(const std::string_view (&list)[n]) {
        for (auto w : list) {
            words.emplace(w);
            stems.emplace(stem_word(w));
        }
    }
    bool has(std::string_view word, std::string_view stem) const {
        return words.count(word) > 0 || stems.count(stem) > 0;
    }
};

struct lexicons {
    lexicon stop{stop_words};
    lexicon refute{refute_words};
    lexicon hedge{hedge_words};
    lexicon support{support_words};
    lexicon negation{negation_words};
    lexicon report{report_words};
};

const lexicons& all() {
    static const lexicons l;  // thread-safe static init
    return l;
}

}  // namespace

std::uint16_t lexicon_flags(std::string_view word, std::string_view stem) {
    const lexicons& l = all();
    std::uint16_t f = 0;
    // Stop words and negations match exactly (stems would over-match: "us" / "use").
    if (l.stop.words.count(word)) f |= flag_stop;
    if (l.negation.words.count(word)) f |= flag_negation;
    if (l.refute.has(word, stem)) f |= flag_refute;
    if (l.hedge.has(word, stem)) f |= flag_hedge;
    if (l.support.words.count(word)) f |= flag_support;
    if (l.report.has(word, stem)) f |= flag_report;
    bool digits = !word.empty();
    for (char c : word)
        if (c < '0' || c > '9') digits = false;
    if (digits) f |= flag_number;
    return f;
}

}  // namespace newswatch::stance
