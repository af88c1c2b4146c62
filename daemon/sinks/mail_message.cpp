#include "newswatch/sinks/mail_message.hpp"

#include <ctime>

#include "newswatch/core/output_text.hpp"
#include "newswatch/core/sha256.hpp"

namespace newswatch::sinks {

namespace {

std::string base64(std::string_view in) {
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                           (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += table[(v >> 6) & 63];
        out += table[v & 63];
    }
    if (i < in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += i + 1 < in.size() ? table[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// Base64 in lines of 76 characters (RFC 2045).
std::string base64_lines(std::string_view in) {
    const std::string encoded = base64(in);
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
    return out;
}

bool plain_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return false;
    return s.find("=?") == std::string_view::npos;
}

// Longest prefix of `s` of at most `max` bytes that ends on a UTF-8 character boundary.
std::size_t utf8_cut(std::string_view s, std::size_t max) {
    if (s.size() <= max) return s.size();
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return n == 0 ? max : n;
}

// Line ends normalised to CRLF (a body part in base64 does not care, but the text is
// also what people see in a raw message).
std::string crlf(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
        out += text[i];
    }
    return out;
}

}  // namespace

std::string encode_header_text(std::string_view text) {
    const std::string clean = core::payload_text(text);
    if (plain_ascii(clean) && clean.size() <= 70) return clean;
    // 45 bytes -> 60 base64 characters -> 72 with the markers: within 76 per word.
    std::string out;
    std::string_view rest = clean;
    while (!rest.empty()) {
        const std::size_t n = utf8_cut(rest, 45);
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(rest.substr(0, n)) + "?=";
        rest.remove_prefix(n);
    }
    return out;
}

std::string message_id_for(std::string_view alert_id) {
    std::string local;
    for (char c : alert_id)
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_')
            local += c;
        else if (c == '.' && !local.empty() && local.back() != '.')
            local += c;
    while (!local.empty() && local.back() == '.') local.pop_back();
    if (local.empty() || local.size() > 128) local = core::sha256_hex(alert_id).substr(0, 32);
    return "<" + local + "@newswatch>";
}

std::string rfc5322_date(core::timestamp t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(
        std::chrono::time_point_cast<std::chrono::system_clock::duration>(t));
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

bool is_plain_address(std::string_view address) noexcept {
    const auto at = address.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= address.size()) return false;
    if (address.find('@', at + 1) != std::string_view::npos) return false;
    for (char c : address) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F) return false;
        if (std::string_view("<>()\",;\\[]").find(c) != std::string_view::npos) return false;
    }
    return true;
}

std::string render_mail(const mail_message& m) {
    const std::string boundary = "=_newswatch_" + core::sha256_hex("boundary\n" + m.id).substr(0, 24);
    std::string to;
    for (const auto& address : m.to) {
        if (!to.empty()) to += ",\r\n ";
        to += address;
    }
    std::string out;
    out += "From: " + m.from + "\r\n";
    out += "To: " + to + "\r\n";
    out += "Subject: " + encode_header_text(m.subject) + "\r\n";
    out += "Date: " + rfc5322_date(m.date) + "\r\n";
    out += "Message-ID: " + message_id_for(m.id) + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Auto-Submitted: auto-generated\r\n";
    out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
    out += "\r\n";
    out += "--" + boundary + "\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    out += base64_lines(crlf(m.text));
    out += "--" + boundary + "\r\n";
    out += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    out += base64_lines(crlf(m.html));
    out += "--" + boundary + "--\r\n";
    return out;
}

}  // namespace newswatch::sinks
