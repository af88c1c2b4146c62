#include "newswatch/sinks/push_text.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "newswatch/sinks/alert_text.hpp"
#include "newswatch/text/word_cut.hpp"

namespace newswatch::sinks {

namespace {

// Caps in code points, below any service's limit: one line per field, a short summary.
constexpr std::size_t title_cap = 250;
constexpr std::size_t field_cap = 300;
constexpr std::size_t summary_cap = 600;
constexpr std::size_t entry_cap = 200;
// A longer link is left out rather than cut: a cut link leads somewhere else.
constexpr std::size_t link_cap = 2000;

// Lines appended while they fit a budget.
class line_builder {
public:
    line_builder(length_unit unit, markup format, std::size_t max)
        : unit_(unit), format_(format), max_(max) {}

    std::string escaped(std::string_view text) const {
        return format_ == markup::html ? html_escaped(text) : std::string(text);
    }
    std::size_t room() const {
        const std::size_t used = text_length(out_, unit_);
        return used < max_ ? max_ - used : 0;
    }
    std::string separator() const { return out_.empty() ? "" : (format_ == markup::html ? "<br>" : "\n"); }

    // Appends a line (already rendered) when it fits.
    bool add(std::string_view line) {
        std::string piece = separator();
        piece += line;
        if (text_length(piece, unit_) > room()) return false;
        out_ += piece;
        return true;
    }

    // Appends before + text + after, with `text` (not yet escaped) cut at a word boundary
    // to at most `cap` code points and so that the line fits. False when not even a few
    // words fit.
    bool add_cut(std::string_view before, std::string_view value, std::string_view after, std::size_t cap) {
        if (value.empty()) return false;
        std::size_t n = cap;
        for (int attempt = 0; attempt < 64 && n >= 8; ++attempt) {
            std::string piece = separator();
            piece.append(before);
            piece += escaped(text::cut_at_word(value, n));
            piece.append(after);
            const std::size_t length = text_length(piece, unit_);
            const std::size_t r = room();
            if (length <= r) {
                out_ += piece;
                return true;
            }
            const std::size_t over = length - r;
            if (over >= n) return false;
            n -= over;
        }
        return false;
    }

    std::string take() { return std::move(out_); }

private:
    length_unit unit_;
    markup format_;
    std::size_t max_;
    std::string out_;
};

std::string label(markup format, std::string_view name) {
    return format == markup::html ? "<b>" + std::string(name) + ":</b> " : std::string(name) + ": ";
}

std::string link_html(std::string_view link, std::string_view shown) {
    return "<a href=\"" + html_escaped(link) + "\">" + html_escaped(shown) + "</a>";
}

// "- title (details) link" as one line.
std::string entry_line(const alert_entry& e, markup format) {
    const std::string title = text::cut_at_word(e.title.empty() ? "(untitled)" : e.title, entry_cap);
    std::string details = alert_entry_details(e);
    if (!details.empty()) details = " (" + text::cut_at_word(details, entry_cap) + ")";
    const bool link = !e.link.empty() && e.link.size() <= link_cap;
    if (format == markup::html)
        return "• " + (link ? link_html(e.link, title) : html_escaped(title)) + html_escaped(details);
    return "- " + title + details + (link ? " " + e.link : "");
}

// The lines every message ends with: the link and the feed.
std::string tail_lines(const alert_view& v, const push_body_options& o) {
    line_builder tail(o.limit.unit, o.format, o.limit.max / 2);
    if (!o.without_link && !v.link.empty() && v.link.size() <= link_cap)
        tail.add(label(o.format, "Link") + (o.format == markup::html ? link_html(v.link, v.link) : v.link));
    tail.add_cut(label(o.format, "Feed"), v.feed_name(), "", field_cap);
    return tail.take();
}

}  // namespace

std::size_t text_length(std::string_view value, length_unit unit) noexcept {
    return unit == length_unit::bytes ? value.size() : text::count_code_points(value);
}

std::string cut_text(std::string_view value, text_limit limit) {
    if (text_length(value, limit.unit) <= limit.max) return std::string(value);
    std::size_t n = limit.max;
    for (;;) {
        std::string cut = text::cut_at_word(value, n);
        const std::size_t length = text_length(cut, limit.unit);
        if (length <= limit.max || n <= 1) return cut;
        n -= std::min(n - 1, length - limit.max);
    }
}

std::string percent_encoded(std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        const auto b = static_cast<unsigned char>(c);
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' ||
            b == '_' || b == '.' || b == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[b >> 4];
            out += hex[b & 15];
        }
    }
    return out;
}

std::string push_body(const alert_view& v, const push_body_options& o) {
    const std::string tail = tail_lines(v, o);
    const std::string separator = o.format == markup::html ? "<br>" : "\n";
    const std::size_t tail_length = tail.empty() ? 0 : text_length(separator + tail, o.limit.unit);
    line_builder body(o.limit.unit, o.format, o.limit.max > tail_length ? o.limit.max - tail_length : 0);

    if (o.with_title) {
        const std::string title = text::cut_at_word(v.title, title_cap);
        if (o.format == markup::html)
            body.add("<b>" +
                     (v.link.empty() || v.link.size() > link_cap ? html_escaped(title)
                                                                 : link_html(v.link, title)) +
                     "</b>");
        else
            body.add_cut("", v.title, "", title_cap);
    }
    body.add_cut(label(o.format, v.watches.size() > 1 ? "Watches" : "Watch"), v.watch_names(), "", field_cap);
    body.add_cut(label(o.format, "Stance"), v.stance_text(), "", field_cap);
    body.add_cut(label(o.format, "State"), v.state, "", field_cap);
    body.add_cut(label(o.format, "Reason"), v.reason, "", field_cap);
    body.add_cut("", v.summary, "", summary_cap);
    if (v.message != v.title) body.add_cut("", v.message, "", summary_cap);

    if (!v.entries.empty()) {
        std::size_t more =
            v.event == "storm" && v.folded > v.entries.size() ? v.folded - v.entries.size() : 0;
        const std::size_t total = v.entries.size() + more;
        // Room for the "…and N more" line is kept while the list is filled.
        const std::string reserve = separator + "…and " + std::to_string(total) + " more";
        const std::size_t reserve_length = text_length(reserve, o.limit.unit);
        std::size_t shown = 0;
        for (const auto& e : v.entries) {
            const std::string line = entry_line(e, o.format);
            if (text_length(body.separator() + line, o.limit.unit) + reserve_length > body.room()) break;
            body.add(line);
            ++shown;
        }
        more += v.entries.size() - shown;
        if (more > 0) body.add("…and " + std::to_string(more) + " more");
    }
    std::string out = body.take();
    if (!tail.empty()) out += (out.empty() ? "" : separator) + tail;
    return out;
}

}  // namespace newswatch::sinks
