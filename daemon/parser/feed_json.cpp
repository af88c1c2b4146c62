#include "newswatch/parser/feed_json.hpp"

#include <boost/json/parse.hpp>

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace newswatch::parser {

namespace {

// Field writers: each appends `"name":value` and the comma that follows, so the object
// writers below read like the JSON shape of feed_json.hpp.
class json_writer {
public:
    explicit json_writer(std::string& out) : out_(out) {}

    void open(char c) {
        out_.push_back(c);
        first_ = true;
    }
    void close(char c) {
        out_.push_back(c);
        first_ = false;
    }
    void key(std::string_view k) {
        if (!first_) out_.push_back(',');
        first_ = false;
        out_.push_back('"');
        out_.append(k);  // field names are constants without characters to escape
        out_.append("\":", 2);
    }
    void element() {
        if (!first_) out_.push_back(',');
        first_ = false;
    }
    void string(std::string_view s) { append_json_string(out_, s); }
    void null() { out_.append("null", 4); }
    void opt(const std::optional<std::string>& s) { s ? string(*s) : null(); }
    void opt_time(const std::optional<core::timestamp>& t) { t ? string(core::format_rfc3339(*t)) : null(); }
    void number(std::int64_t v) {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        out_.append(buf, r.ptr);
    }
    void field(std::string_view k, std::string_view v) {
        key(k);
        string(v);
    }
    void opt_field(std::string_view k, const std::optional<std::string>& v) {
        key(k);
        opt(v);
    }
    void time_field(std::string_view k, const std::optional<core::timestamp>& t) {
        key(k);
        opt_time(t);
    }
    template <typename Range, typename Write>
    void array(std::string_view k, const Range& range, Write write) {
        key(k);
        open('[');
        for (const auto& e : range) {
            element();
            write(e);
        }
        close(']');
    }

private:
    std::string& out_;
    bool first_ = true;
};

void write_item(json_writer& w, const core::item& it) {
    w.open('{');
    w.field("id", it.id);
    w.opt_field("title", it.title);
    w.opt_field("link", it.link);
    w.time_field("published", it.published);
    w.time_field("updated", it.updated);
    w.array("authors", it.authors, [&](const auto& a) {
        w.open('{');
        w.opt_field("name", a.name);
        w.opt_field("email", a.email);
        w.opt_field("uri", a.uri);
        w.close('}');
    });
    w.array("categories", it.categories, [&](const std::string& c) { w.string(c); });
    w.opt_field("summary", it.summary);
    w.opt_field("summary_html", it.summary_html);
    w.opt_field("content", it.content);
    w.opt_field("content_html", it.content_html);
    w.array("enclosures", it.enclosures, [&](const auto& e) {
        w.open('{');
        w.field("url", e.url);
        w.opt_field("type", e.type);
        w.key("length");
        e.length ? w.number(*e.length) : w.null();
        w.close('}');
    });
    w.close('}');
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t run = 0;
    // 8 bytes at a time while none needs escaping (no control character, quote or
    // backslash): byte by byte this loop was a fifth of `parse --json` (issue 16). The
    // lowest flag is exact (borrows only set flags above a real match), so the scan jumps
    // straight to the first byte to escape.
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const auto has_byte = [](std::uint64_t v, unsigned char b) {
        const std::uint64_t x = v ^ (ones * b);
        return (x - ones) & ~x & highs;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        while (std::endian::native == std::endian::little && i + 8 <= s.size()) {
            std::uint64_t v;
            std::memcpy(&v, s.data() + i, 8);
            const std::uint64_t flags =
                ((v - ones * 0x20) & ~v & highs) | has_byte(v, '"') | has_byte(v, '\\');
            if (flags) {
                i += static_cast<std::size_t>(std::countr_zero(flags)) / 8;
                break;
            }
            i += 8;
        }
        if (i >= s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        out.push_back('\\');
        switch (c) {
            case '"':
                out.push_back('"');
                break;
            case '\\':
                out.push_back('\\');
                break;
            case '\b':
                out.push_back('b');
                break;
            case '\f':
                out.push_back('f');
                break;
            case '\n':
                out.push_back('n');
                break;
            case '\r':
                out.push_back('r');
                break;
            case '\t':
                out.push_back('t');
                break;
            default:
                out.append("u00", 3);
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 0xF]);
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

void append_error_json(std::string& out, std::string_view file, std::string_view why) {
    json_writer w(out);
    w.open('{');
    w.field("file", file);
    w.field("error", why);
    w.close('}');
}

void append_json(std::string& out, const parse_result& r, std::string_view file) {
    if (!r.ok()) return append_error_json(out, file, r.error.empty() ? "not a feed" : r.error);
    json_writer w(out);
    w.open('{');
    w.field("file", file);
    w.field("format", to_string(r.format));
    w.field("encoding", r.encoding);
    w.array("warnings", r.warnings, [&](const std::string& s) { w.string(s); });
    w.key("feed");
    w.open('{');
    w.opt_field("title", r.feed.title);
    w.opt_field("link", r.feed.link);
    w.opt_field("subtitle", r.feed.subtitle);
    w.opt_field("language", r.feed.language);
    w.time_field("updated", r.feed.updated);
    w.close('}');
    w.array("items", r.items, [&](const core::item& it) { write_item(w, it); });
    w.close('}');
}

boost::json::object error_json(std::string_view file, std::string_view why) {
    std::string text;
    append_error_json(text, file, why);
    return boost::json::parse(text).as_object();
}

// One definition of the shape: the value is read back from the streamed text.
boost::json::object to_json(const parse_result& r, std::string_view file) {
    std::string text;
    append_json(text, r, file);
    return boost::json::parse(text).as_object();
}

}  // namespace newswatch::parser
