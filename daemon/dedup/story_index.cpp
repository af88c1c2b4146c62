#include "newswatch/dedup/story_index.hpp"

#include <functional>

#include "mix64.hpp"

namespace newswatch::dedup {
namespace {

// LSH banding of the minima (21 bands of 3; the 64th value only counts in the similarity):
// a pair with similarity s becomes a candidate with probability 1 - (1 - s^3)^21: 0.94 at
// 0.5, 0.995 at 0.625, > 0.9995 at 0.75; the candidates' full signatures then decide
// against the threshold. (16 bands of 4 missed one copy in 20 near 0.6.)
constexpr std::size_t bands = 21;
constexpr std::size_t rows = 3;
static_assert(bands * rows <= minhash_size);

// Key kinds, so that a link, a title and a band never share a key by accident.
enum : std::uint64_t { link_kind = 1, title_kind = 2, band_kind = 3 };

std::uint64_t scope_of(std::string_view watch, std::string_view stance) {
    const std::hash<std::string_view> h;
    return mix64(h(watch) ^ mix64(h(stance) + 0x9e3779b97f4a7c15ULL));
}

std::uint64_t text_key(std::uint64_t scope, std::uint64_t kind, std::string_view text) {
    if (text.empty()) return 0;
    return mix64(scope ^ mix64(std::hash<std::string_view>{}(text) + kind));
}

std::uint64_t band_key(std::uint64_t scope, const minhash_signature& s, std::size_t band) {
    std::uint64_t h = mix64(scope + band_kind + (band << 8));
    for (std::size_t r = 0; r < rows; ++r) h = mix64(h ^ s.values[band * rows + r]);
    return h;
}

std::uint64_t nonzero(std::uint64_t key) noexcept {
    return key == 0 ? 1 : key;
}

}  // namespace

std::string_view to_string(duplicate_rule rule) noexcept {
    switch (rule) {
        case duplicate_rule::link:
            return "link";
        case duplicate_rule::title:
            return "title";
        case duplicate_rule::similar:
            return "similar";
    }
    return "link";
}

void story_index::key_table::insert(std::uint64_t key, std::uint32_t value) {
    key = nonzero(key);
    if ((used + 1) * 2 > keys.size()) {
        // Grow to keep the load at most one half: probe chains stay short.
        std::vector<std::uint64_t> old_keys(keys.empty() ? 1024 : keys.size() * 2, 0);
        std::vector<std::uint32_t> old_values(old_keys.size(), 0);
        old_keys.swap(keys);
        old_values.swap(values);
        used = 0;
        for (std::size_t i = 0; i < old_keys.size(); ++i)
            if (old_keys[i] != 0) insert(old_keys[i], old_values[i]);
    }
    const std::size_t mask = keys.size() - 1;
    std::size_t i = static_cast<std::size_t>(key) & mask;
    while (keys[i] != 0) i = (i + 1) & mask;
    keys[i] = key;
    values[i] = value;
    ++used;
}

template <class F>
void story_index::key_table::for_each(std::uint64_t key, F&& f) const {
    if (keys.empty()) return;
    key = nonzero(key);
    const std::size_t mask = keys.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(key) & mask; keys[i] != 0; i = (i + 1) & mask)
        if (keys[i] == key) f(values[i]);
}

story_index::story_index() = default;

const story_index::story* story_index::at_seq(std::uint32_t seq) const noexcept {
    if (seq < first_seq_ || seq - first_seq_ >= stories_.size()) return nullptr;  // forgotten
    return &stories_[seq - first_seq_];
}

std::optional<duplicate_match> story_index::find(std::string_view watch, std::string_view stance,
                                                 const story_fingerprint& fp, core::timestamp since,
                                                 double threshold) const {
    const std::uint64_t scope = scope_of(watch, stance);
    std::optional<duplicate_match> found;
    const auto exact = [&](std::uint64_t key, duplicate_rule rule) {
        if (key == 0) return;
        table_.for_each(key, [&](std::uint32_t seq) {
            const story* s = at_seq(seq);
            if (!found && s && s->scope == scope && s->at >= since)
                found = duplicate_match{s->alert_id, rule, 1.0};
        });
    };
    exact(text_key(scope, link_kind, fp.link), duplicate_rule::link);
    if (!found) exact(text_key(scope, title_kind, fp.title), duplicate_rule::title);
    if (found || !fp.signature) return found;

    const story* best = nullptr;
    double best_similarity = 0;
    for (std::size_t band = 0; band < bands; ++band) {
        table_.for_each(band_key(scope, *fp.signature, band), [&](std::uint32_t seq) {
            const story* s = at_seq(seq);
            if (!s || s == best || s->scope != scope || s->at < since || !s->signature) return;
            const double sim = similarity(*s->signature, *fp.signature);
            if (sim >= threshold && sim > best_similarity) {
                best = s;
                best_similarity = sim;
            }
        });
    }
    if (best) found = duplicate_match{best->alert_id, duplicate_rule::similar, best_similarity};
    return found;
}

void story_index::index(const story& s, std::uint32_t seq, std::uint64_t link_key, std::uint64_t title_key) {
    if (link_key != 0) table_.insert(link_key, seq);
    if (title_key != 0) table_.insert(title_key, seq);
    if (s.signature)
        for (std::size_t band = 0; band < bands; ++band)
            table_.insert(band_key(s.scope, *s.signature, band), seq);
}

void story_index::remember(std::string_view watch, std::string_view stance, const story_fingerprint& fp,
                           std::string alert_id, core::timestamp at) {
    if (fp.empty()) return;
    story s{std::move(alert_id), scope_of(watch, stance), fp.signature, at};
    const std::uint64_t link_key = text_key(s.scope, link_kind, fp.link);
    const std::uint64_t title_key = text_key(s.scope, title_kind, fp.title);
    const auto seq = static_cast<std::uint32_t>(first_seq_ + stories_.size());
    index(s, seq, link_key, title_key);
    stories_.push_back(std::move(s));
    text_keys_.emplace_back(link_key, title_key);
}

void story_index::forget_before(core::timestamp cutoff) {
    while (!stories_.empty() && stories_.front().at < cutoff) {
        stories_.pop_front();
        text_keys_.pop_front();
        ++first_seq_;
        ++forgotten_since_rebuild_;
    }
    // The table holds entries of forgotten stories until they outnumber the live ones.
    if (forgotten_since_rebuild_ > 1024 && forgotten_since_rebuild_ > stories_.size()) rebuild();
}

void story_index::rebuild() {
    table_ = key_table{};
    first_seq_ = 0;
    forgotten_since_rebuild_ = 0;
    for (std::size_t i = 0; i < stories_.size(); ++i)
        index(stories_[i], static_cast<std::uint32_t>(i), text_keys_[i].first, text_keys_[i].second);
}

}  // namespace newswatch::dedup
