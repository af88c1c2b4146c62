#include "story_stream.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace newswatch::testing {
namespace {

using rng = stream_rng;

struct topic {
    std::vector<std::string_view> actors, objects, nouns;
};

const std::vector<topic> topics = {
    {{"NATO", "Ukraine", "Zelensky", "Rutte", "the alliance", "Kyiv"},
     {"membership talks", "air defence systems", "a security guarantee", "new sanctions",
      "long-range missiles", "the accession roadmap"},
     {"summit", "allies", "defence ministers", "the front line", "Russian forces", "the ceasefire"}},
    {{"the European Central Bank", "Lagarde", "eurozone banks", "the ECB", "investors", "Frankfurt"},
     {"interest rates", "the inflation outlook", "bond purchases", "the deposit rate", "wage growth",
      "the euro"},
     {"policy meeting", "markets", "economists", "inflation", "lenders", "the governing council"}},
    {{"Apple", "Microsoft", "OpenAI", "regulators", "the European Commission", "Google"},
     {"an antitrust fine", "a new AI model", "the app store rules", "cloud contracts", "a data breach",
      "chip supplies"},
     {"technology", "users", "the company", "competition", "developers", "the market"}},
    {{"firefighters", "the weather service", "residents", "emergency crews", "the governor", "officials"},
     {"the wildfire", "evacuation orders", "flood defences", "power outages", "the storm surge",
      "rescue operations"},
     {"heatwave", "the coast", "homes", "the region", "rainfall", "temperatures"}},
};

constexpr std::array<std::string_view, 12> verbs{"announced", "rejected", "approved",   "criticised",
                                                 "discussed", "delayed",  "backed",     "warned about",
                                                 "demanded",  "unveiled", "questioned", "welcomed"};
constexpr std::array<std::string_view, 12> places{"Brussels", "Washington", "London",    "Berlin",
                                                  "Paris",    "Warsaw",     "Vilnius",   "Geneva",
                                                  "Rome",     "Madrid",     "The Hague", "Ankara"};
constexpr std::array<std::string_view, 7> days{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                               "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 10> officials{"a senior official", "a spokesperson",
                                                     "two diplomats",     "the minister",
                                                     "an adviser",        "people familiar with the matter",
                                                     "the agency",        "a government source",
                                                     "analysts",          "the prime minister"};
// Words an editor swaps (the "one or two changed words" of the issue).
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> synonyms{{{"said", "stated"},
                                                                                 {"on", "early on"},
                                                                                 {"after", "following"},
                                                                                 {"new", "fresh"},
                                                                                 {"talks", "negotiations"},
                                                                                 {"warned", "cautioned"},
                                                                                 {"amid", "during"},
                                                                                 {"plans", "proposals"}}};

struct outlet {
    std::string_view name, domain, suffix;  // suffix after the title, "" = none
};
constexpr std::array<outlet, 10> outlets{{{"Reuters", "reuters.com", " | Reuters"},
                                          {"BBC", "bbc.co.uk", " - BBC News"},
                                          {"AP", "apnews.com", ""},
                                          {"Guardian", "theguardian.com", " | The Guardian"},
                                          {"DW", "dw.com", " – DW"},
                                          {"Kyiv Independent", "kyivindependent.com", ""},
                                          {"Politico", "politico.eu", " - POLITICO"},
                                          {"Euronews", "euronews.com", " | Euronews"},
                                          {"France24", "france24.com", " - France 24"},
                                          {"News Search", "news.search.example", ""}}};

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const auto j = s.find(' ', i);
        out.push_back(s.substr(i, j == std::string::npos ? std::string::npos : j - i));
        if (j == std::string::npos) break;
        i = j + 1;
    }
    return out;
}

std::string make_title(rng& r, const topic& t) {
    switch (r.below(3)) {
        case 0:
            return std::string(r.pick(t.actors)) + " " + std::string(r.pick(verbs)) + " " +
                   std::string(r.pick(t.objects)) + " in " + std::string(r.pick(places)) + " after " +
                   std::string(r.pick(t.nouns)) + " meeting";
        case 1:
            return std::string(r.pick(t.objects)) + ": " + std::string(r.pick(t.actors)) + " " +
                   std::string(r.pick(verbs)) + " plans as " + std::string(r.pick(t.nouns)) + " gather in " +
                   std::string(r.pick(places));
        default:
            return std::string(r.pick(t.actors)) + " and " + std::string(r.pick(t.actors)) + " " +
                   std::string(r.pick(verbs)) + " " + std::string(r.pick(t.objects)) + " on " +
                   std::string(r.pick(days));
    }
}

// Three sentences in the agencies' patterns, 30 to 45 words.
std::string make_lede(rng& r, const topic& t, std::size_t story) {
    const std::string number = std::to_string(2 + r.below(480));
    std::string s = std::string(r.pick(t.actors)) + " " + std::string(r.pick(verbs)) + " " +
                    std::string(r.pick(t.objects)) + " in " + std::string(r.pick(places)) + " on " +
                    std::string(r.pick(days)) + ", " + std::string(r.pick(officials)) + " said, after " +
                    std::string(r.pick(t.nouns)) + " met for the " + number + "th time. ";
    s += "The move comes amid new talks with " + std::string(r.pick(t.actors)) + " over " +
         std::string(r.pick(t.objects)) + ", which " + std::string(r.pick(officials)) +
         " warned could take " + std::to_string(2 + r.below(30)) + " weeks. ";
    s += "Case " + std::to_string(story) + ": " + std::string(r.pick(t.nouns)) + " in " +
         std::string(r.pick(places)) + " said plans for " + std::string(r.pick(t.objects)) +
         " would be published by " + std::string(r.pick(days)) + ".";
    return s;
}

// One or two editor's changes: a synonym swapped in, or a word replaced.
std::string reword(rng& r, const std::string& text, std::size_t changes) {
    std::vector<std::string> words = split(text);
    for (std::size_t c = 0; c < changes; ++c) {
        bool done = false;
        for (std::size_t attempt = 0; attempt < 20 && !done; ++attempt) {
            const std::size_t i = r.below(words.size());
            for (const auto& [from, to] : synonyms)
                if (words[i] == from) {
                    words[i] = std::string(to);
                    done = true;
                    break;
                }
        }
        if (!done) words[r.below(words.size())] = "reportedly";
    }
    return join(words);
}

std::string slug(const std::string& title) {
    std::string out;
    for (const char c : title) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out += c;
        else if (c >= 'A' && c <= 'Z')
            out += static_cast<char>(c - 'A' + 'a');
        else if (!out.empty() && out.back() != '-')
            out += '-';
        if (out.size() > 60) break;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

}  // namespace

std::vector<stream_item> generate_story_stream(const stream_options& options) {
    rng r{options.seed};
    std::vector<stream_item> items;
    for (std::size_t story = 0; story < options.stories; ++story) {
        const std::size_t topic_index = r.below(topics.size());
        const topic& t = topics[topic_index];
        const std::int64_t start =
            static_cast<std::int64_t>(story) * 7 + static_cast<std::int64_t>(r.below(5));
        const std::string title = make_title(r, t);
        const std::string lede = make_lede(r, t, story);
        const outlet& first = outlets[r.below(outlets.size() - 1)];
        const std::string link = "https://www." + std::string(first.domain) + "/world/" + slug(title) + "-" +
                                 std::to_string(100000 + story);
        std::size_t serial = 0;
        auto add = [&](const outlet& o, std::string item_title, std::string item_link, std::string item_lede,
                       std::string variant, std::int64_t minute) {
            items.push_back(
                {story, topic_index, std::string(o.name),
                 std::string(o.domain) + "/" + std::to_string(story) + "/" + std::to_string(serial++),
                 std::move(item_title), std::move(item_link), std::move(item_lede), std::move(variant),
                 minute});
        };
        add(first, title + std::string(first.suffix), link, lede, "original", start);
        // Copies: about one story in four stays with its first outlet (an exclusive).
        const std::size_t copies = r.below(4) == 0 ? 0 : 1 + r.below(6);
        for (std::size_t c = 0; c < copies; ++c) {
            const outlet& o = outlets[r.below(outlets.size())];
            const std::int64_t minute = start + 1 + static_cast<std::int64_t>(r.below(240));
            const std::string own_link =
                "https://" + std::string(o.domain) + "/news/" + std::to_string(900000 + story * 10 + c);
            switch (r.below(6)) {
                case 0:  // an aggregator repeats the link with its campaign parameters
                    add(outlets.back(), title,
                        link + "?utm_source=newssearch&utm_medium=rss&utm_campaign=top" + std::to_string(c),
                        lede, "tracking", minute);
                    break;
                case 1:  // wire copy under the outlet's own link and name
                    add(o, title + std::string(o.suffix.empty() ? " - " + std::string(o.name) : o.suffix),
                        own_link, lede, "suffix", minute);
                    break;
                case 2:  // an editor changed one or two words of the title and the lede
                    add(o, reword(r, title, 1) + std::string(o.suffix), own_link,
                        reword(r, lede, 1 + r.below(2)), "reworded", minute);
                    break;
                case 3:  // a new headline over the same lede
                    add(o, make_title(r, t), own_link, reword(r, lede, 1), "retitled", minute);
                    break;
                case 4:  // the AMP or mobile page of the original
                    add(first, title + std::string(first.suffix),
                        r.below(2) == 0 ? "https://amp." + std::string(first.domain) + "/world/" +
                                              slug(title) + "-" + std::to_string(100000 + story) + "/amp"
                                        : "https://m." + std::string(first.domain) + "/world/" + slug(title) +
                                              "-" + std::to_string(100000 + story) + "#comments",
                        lede, "amp", minute);
                    break;
                default:  // wire copy, identical, under another link
                    add(o, title, own_link, lede, "suffix", minute);
                    break;
            }
        }
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const stream_item& a, const stream_item& b) { return a.minute < b.minute; });
    return items;
}

}  // namespace newswatch::testing
