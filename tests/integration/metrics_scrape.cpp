#include "metrics_scrape.hpp"

#include <chrono>
#include <regex>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "daemon_fixture.hpp"

namespace newswatch::testing {

namespace http = boost::beast::http;

scrape http_get(const std::string& host, const std::string& port, const std::string& target) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    boost::beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(resolver.resolve(host, port));
    http::request<http::empty_body> request(http::verb::get, target, 11);
    request.set(http::field::host, host);
    http::write(stream, request);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    return {response.result_int(), std::string(response[http::field::content_type]), response.body()};
}

std::string log_of(const std::filesystem::path& file) {
    std::error_code ec;
    return std::filesystem::exists(file, ec) ? read_file(file) : std::string();
}

std::pair<std::string, std::string> bound_address(const std::string& log) {
    static const std::regex line(R"(metrics endpoint listening on http://([0-9.]+):([0-9]+)/metrics)");
    std::smatch m;
    if (!std::regex_search(log, m, line)) return {};
    return {m[1], m[2]};
}

double sample(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

std::string promtool_problems(const std::string& text, const std::filesystem::path& scratch) {
    if (run_command("command -v promtool").exit_code != 0)
        return "promtool not found: install the Debian package prometheus (scripts/install-deps.sh)";
    write_file(scratch, text);
    const auto checked = run_command("promtool check metrics < " + quote(scratch));
    return checked.exit_code == 0 ? std::string() : checked.out + checked.err;
}

}  // namespace newswatch::testing
