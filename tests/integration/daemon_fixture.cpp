#include "daemon_fixture.hpp"

#include <ctime>
#include <fstream>

namespace newswatch::testing {

std::string rfc822(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buffer;
}

std::string xml_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string rss_document(const std::string& title, const std::vector<rss_item>& items) {
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>" +
                      xml_escape(title) + "</title><link>https://news.example/</link><description>test</description>\n";
    for (const auto& item : items) {
        xml += "<item><guid isPermaLink=\"false\">" + xml_escape(item.guid) + "</guid><title>" + xml_escape(item.title) +
               "</title><link>" + xml_escape(item.link) + "</link><description>" + xml_escape(item.description) +
               "</description>";
        if (item.has_date) xml += "<pubDate>" + rfc822(item.published) + "</pubDate>";
        xml += "</item>\n";
    }
    xml += "</channel></rss>\n";
    return xml;
}

std::string quote(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

command_result run_daemon(const std::string& arguments) {
    return run_command(quote(bin_dir() / "newswatchd") + " " + arguments);
}

command_result run_tool(const std::string& arguments) {
    return run_command(quote(bin_dir() / "newswatch") + " " + arguments);
}

std::vector<boost::json::object> read_json_lines(const std::filesystem::path& file) {
    std::vector<boost::json::object> out;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        out.push_back(boost::json::parse(line).as_object());
    }
    return out;
}

}  // namespace newswatch::testing
