#include "newswatch/sinks/alert_text.hpp"

#include <utility>
#include <vector>

namespace newswatch::sinks {

namespace {

// The labelled lines both renderings show, in order.
std::vector<std::pair<std::string, std::string>> detail_lines(const alert_view& v) {
    std::vector<std::pair<std::string, std::string>> lines;
    auto add = [&](const char* label, std::string value) {
        if (!value.empty()) lines.emplace_back(label, std::move(value));
    };
    add(v.watches.size() > 1 ? "Watches" : "Watch", v.watch_names());
    add("Stance", v.stance_text());
    add("State", v.state);
    add("Reason", v.reason);
    add("Link", v.link);
    std::string feed = v.feed_name();
    if (!v.feed_title.empty() && !v.feed_url.empty()) feed += " (" + v.feed_url + ")";
    add("Feed", std::move(feed));
    add("Published", v.published);
    add("Detected", v.detected_at);
    return lines;
}

// "membership, peace-talks · agree (80 %): claim · Feed" under a listed story.
std::string entry_details(const alert_entry& e) {
    std::string out;
    auto add = [&](const std::string& part) {
        if (part.empty()) return;
        if (!out.empty()) out += " · ";
        out += part;
    };
    std::string watches;
    for (const auto& w : e.watches) watches += (watches.empty() ? "" : ", ") + w;
    add(watches);
    add(e.stance);
    add(e.feed);
    return out;
}

}  // namespace

std::string html_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string alert_plain_text(const alert_view& v) {
    std::string out = v.title + "\n\n";
    for (const auto& [label, value] : detail_lines(v)) out += label + ": " + value + "\n";
    if (!v.summary.empty()) out += "\n" + v.summary + "\n";
    if (!v.message.empty() && v.message != v.title) out += "\n" + v.message + "\n";
    if (!v.entries.empty()) out += "\n";
    for (const auto& e : v.entries) {
        out += "- " + e.title + "\n";
        if (const auto details = entry_details(e); !details.empty()) out += "  " + details + "\n";
        if (!e.link.empty()) out += "  " + e.link + "\n";
    }
    out += "\n-- \nnewswatch " + v.event + " " + v.id + "\n";
    return out;
}

std::string alert_html(const alert_view& v) {
    std::string out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n";
    out += "<h2>";
    if (!v.link.empty())
        out += "<a href=\"" + html_escaped(v.link) + "\">" + html_escaped(v.title) + "</a>";
    else
        out += html_escaped(v.title);
    out += "</h2>\n<table>\n";
    for (const auto& [label, value] : detail_lines(v)) {
        out += "<tr><th align=\"left\">" + html_escaped(label) + "</th><td>";
        if (label == "Link")
            out += "<a href=\"" + html_escaped(value) + "\">" + html_escaped(value) + "</a>";
        else
            out += html_escaped(value);
        out += "</td></tr>\n";
    }
    out += "</table>\n";
    if (!v.summary.empty()) out += "<p>" + html_escaped(v.summary) + "</p>\n";
    if (!v.message.empty() && v.message != v.title) out += "<p>" + html_escaped(v.message) + "</p>\n";
    if (!v.entries.empty()) {
        out += "<ul>\n";
        for (const auto& e : v.entries) {
            out += "<li>";
            if (!e.link.empty())
                out += "<a href=\"" + html_escaped(e.link) + "\">" + html_escaped(e.title) + "</a>";
            else
                out += html_escaped(e.title);
            if (const auto details = entry_details(e); !details.empty())
                out += "<br><small>" + html_escaped(details) + "</small>";
            out += "</li>\n";
        }
        out += "</ul>\n";
    }
    out += "<p><small>newswatch " + html_escaped(v.event) + " " + html_escaped(v.id) + "</small></p>\n";
    out += "</body></html>\n";
    return out;
}

}  // namespace newswatch::sinks
