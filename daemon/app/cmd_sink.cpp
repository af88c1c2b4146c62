// newswatch sink test NAME --config FILE [--timeout D]
// Sends one clearly marked test message ({"type": "test", ...}, X-Newswatch-Event: test)
// through one configured sink, the way the daemon would (same channel code, same HTTP
// client, secrets read from their files), and prints the outcome. Exit 0 delivered, 1 the
// sink failed (the reason is printed), 2 usage or configuration error. Nothing is written
// to the state database.
#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "commands.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/core/output_text.hpp"
#include "newswatch/core/sha256.hpp"
#include "newswatch/http/http_client.hpp"
#include "newswatch/version.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {
namespace {

constexpr const char* sink_usage =
    "usage: newswatch sink test NAME --config FILE [--state-dir DIR] [--timeout D]";

// The test message: shaped like an alert (so templates and human channels render it), and
// marked as a test everywhere a person or a program looks.
std::string test_payload(const std::string& id, const std::string& sink, core::timestamp now) {
    const std::string when = core::format_rfc3339(now);
    boost::json::object item{{"id", "newswatch-test"},
                             {"title", "newswatch test message for sink " + sink},
                             {"link", "https://github.com/newswatch/newswatch"},
                             {"summary", "If you can read this, the sink '" + sink +
                                             "' works. Sent by `newswatch sink test` at " + when + "."},
                             {"published", when}};
    boost::json::object root{
        {"type", "test"},
        {"id", id},
        {"watch", "test"},
        {"sink", sink},
        {"feed", {{"url", "newswatch:test"}, {"title", "newswatch " + std::string(version)}}},
        {"item", std::move(item)},
        {"matched", boost::json::array{}},
        {"hits", boost::json::array{}},
        {"hits_total", 0},
        {"detected_at", when}};
    return boost::json::serialize(root);
}

}  // namespace

int run_sink(cli_args& args) {
    const auto config_file = args.option("--config");
    const auto state_dir_option = args.option("--state-dir");
    const auto timeout_option = args.option("--timeout");
    const auto rest = args.positionals();
    if (!config_file || rest.size() != 2 || rest[0] != "test") throw usage_error(sink_usage);
    const std::string& name = rest[1];
    core::seconds timeout{60};
    if (timeout_option) {
        auto parsed = core::parse_duration(*timeout_option);
        if (!parsed || parsed->count() < 1)
            throw usage_error("newswatch sink test: --timeout must be a duration such as 30s");
        timeout = *parsed;
    }
    const auto cfg = config::load_configuration(*config_file);
    bool known = name == implicit_log_sink;
    for (const auto& s : cfg.sinks) known = known || s.name == name;
    if (!known) {
        std::string names;
        for (const auto& s : cfg.sinks) names += (names.empty() ? "" : ", ") + s.name;
        throw config::config_error(*config_file + ": no sink named '" + name +
                                   "' (configured: " + (names.empty() ? "none" : names) + ")");
    }

    boost::asio::io_context io;
    http::http_client client(io.get_executor(), client_options_of(cfg));
    const auto state_dir = resolve_state_dir(state_dir_option, cfg);
    auto sinks = make_sinks(
        cfg, sinks::sink_context{.executor = io.get_executor(), .http = &client, .state_dir = state_dir});
    sinks::alert_sink& sink = *sinks.at(name);

    const auto now = core::now_utc();
    const std::string id =
        core::sha256_hex("newswatch-test\n" + name + "\n" + core::format_rfc3339(now)).substr(0, 32);
    const std::string payload = test_payload(id, name, now);
    std::optional<sinks::delivery_result> result;
    const auto started = std::chrono::steady_clock::now();
    boost::asio::post(io, [&] {
        sink.send({.event = "test", .id = id, .payload = payload},
                  [&](sinks::delivery_result r) { result = std::move(r); });
    });
    while (!result && std::chrono::steady_clock::now() - started < timeout)
        io.run_one_for(std::chrono::milliseconds(100));
    if (!result) {
        sink.cancel_all();
        io.poll();
        std::fprintf(stderr, "newswatch sink test: %s (%s): no answer within %s\n",
                     core::log_escaped(name).c_str(), std::string(sink.type()).c_str(),
                     core::format_duration(timeout).c_str());
        return 1;
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count();
    const std::string detail = result->detail.empty() ? "" : ": " + core::log_escaped(result->detail);
    if (result->delivered()) {
        std::printf("sink %s (%s): delivered in %lld ms%s (test id %s)\n", core::log_escaped(name).c_str(),
                    std::string(sink.type()).c_str(), static_cast<long long>(elapsed), detail.c_str(),
                    id.c_str());
        sinks.clear();  // channels that hold connections close them while the loop still runs
        io.poll();
        return 0;
    }
    std::fprintf(stderr, "newswatch sink test: %s (%s): %s%s\n", core::log_escaped(name).c_str(),
                 std::string(sink.type()).c_str(),
                 result->status == sinks::delivery_status::permanent
                     ? "failed permanently (the daemon would make it a dead letter)"
                     : "failed (the daemon would retry)",
                 detail.c_str());
    sinks.clear();
    io.poll();
    return 1;
}

}  // namespace newswatch::app
