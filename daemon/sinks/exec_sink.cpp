#include "newswatch/sinks/exec_sink.hpp"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include <boost/json.hpp>

#include "newswatch/config/config_error.hpp"
#include "newswatch/core/output_text.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::sinks {
namespace json = boost::json;

namespace {

constexpr std::size_t detail_cap = 200;

// sysexits.h names, for details an operator can read without the header at hand.
std::string_view sysexits_name(int code) {
    static constexpr std::array<std::string_view, 15> names = {
        "EX_USAGE",       "EX_DATAERR",  "EX_NOINPUT",  "EX_NOUSER", "EX_NOHOST",
        "EX_UNAVAILABLE", "EX_SOFTWARE", "EX_OSERR",    "EX_OSFILE", "EX_CANTCREAT",
        "EX_IOERR",       "EX_TEMPFAIL", "EX_PROTOCOL", "EX_NOPERM", "EX_CONFIG"};
    return code >= 64 && code <= 78 ? names[static_cast<std::size_t>(code - 64)] : std::string_view{};
}

// The last non-empty line of the child's stderr, made safe and short, for the detail.
std::string last_line(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    const auto newline = text.find_last_of('\n');
    if (newline != std::string_view::npos) text.remove_prefix(newline + 1);
    std::string line = core::payload_text(text);
    if (line.size() > detail_cap) {
        std::size_t cut = detail_cap;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
            --cut;  // not inside a character
        line.resize(cut);
        line += "...";
    }
    return line;
}

std::string exit_text(int code) {
    std::string text = "exit " + std::to_string(code);
    if (auto name = sysexits_name(code); !name.empty()) text.append(" (").append(name).append(")");
    return text;
}

std::string signal_text(int signal) {
    const char* name = ::sigabbrev_np(signal);
    return name ? "SIG" + std::string(name) : "signal " + std::to_string(signal);
}

}  // namespace

exec_sink::exec_sink(std::string name, boost::asio::any_io_executor executor,
                     config::exec_sink_options options, std::chrono::milliseconds kill_grace)
    : alert_sink(std::move(name)),
      executor_(std::move(executor)),
      options_(std::move(options)),
      kill_grace_(kill_grace),
      logger_(logging::module_logger("sinks")) {}

exec_sink::~exec_sink() = default;

std::vector<std::string> exec_sink::environment_of(const delivery_message& message) {
    std::vector<std::string> env = {"PATH=/usr/bin:/bin",
                                    "NEWSWATCH_ALERT_ID=" + core::payload_text(message.id),
                                    "NEWSWATCH_EVENT=" + core::payload_text(message.event)};
    boost::system::error_code ec;
    const json::value payload = json::parse(message.payload, ec);
    if (!ec && payload.is_object())
        if (const auto* watch = payload.as_object().if_contains("watch"); watch && watch->is_string())
            // payload_text: no control characters (and so no NUL) in an environment value.
            env.push_back("NEWSWATCH_WATCH=" + core::payload_text(watch->as_string()));
    return env;
}

void exec_sink::deliver_(const delivery_message& message, completion done) {
    const std::uint64_t token = ++next_token_;
    auto& j = jobs_[token];
    j.done = std::move(done);
    j.alert_id = std::string(message.id);
    j.process = std::make_unique<child_process>(executor_);
    j.process->start({.argv = options_.command,
                      .environment = environment_of(message),
                      .input = std::string(message.payload),
                      .timeout = options_.timeout,
                      .kill_grace = kill_grace_,
                      .output_cap = output_cap},
                     // child_process calls back only while it (and so this sink) exists.
                     [this, token](child_process_outcome outcome) { finished(token, std::move(outcome)); });
}

delivery_result exec_sink::result_of(const child_process_outcome& o, std::chrono::seconds timeout) {
    using ending = child_process_outcome::ending;
    std::string err = last_line(o.err);
    auto with_stderr = [&](std::string text) { return err.empty() ? text : text + ": " + err; };
    switch (o.how) {
        case ending::exited:
            if (o.exit_code == 0) return delivery_result::ok(exit_text(0));
            // sysexits.h 64-78 say the input or the setup is wrong: trying again cannot
            // help, except EX_TEMPFAIL (75), which asks for exactly that.
            if (o.exit_code >= 64 && o.exit_code <= 78 && o.exit_code != 75)
                return delivery_result::permanent(with_stderr(exit_text(o.exit_code)));
            return delivery_result::retry(with_stderr(exit_text(o.exit_code)));
        case ending::signalled:
            return delivery_result::retry(with_stderr("killed by " + signal_text(o.signal)));
        case ending::timed_out:
            return delivery_result::retry(
                with_stderr("timed out after " + core::format_duration(timeout) +
                            (o.signal == SIGKILL ? ", killed with SIGKILL" : ", stopped with SIGTERM")));
        case ending::cancelled:
            return delivery_result::retry("cancelled");
        case ending::not_started:
            break;
    }
    return delivery_result::retry("cannot run the command: " + core::payload_text(o.error));
}

void exec_sink::finished(std::uint64_t token, child_process_outcome outcome) {
    auto it = jobs_.find(token);
    if (it == jobs_.end()) return;
    auto done = std::move(it->second.done);
    const std::string alert_id = std::move(it->second.alert_id);
    jobs_.erase(it);  // child_process allows this from inside its callback

    delivery_result result = result_of(outcome, options_.timeout);
    try {
        const bool ok = result.delivered();
        const bool quiet = ok && outcome.out.empty() && outcome.err.empty();
        logging::log_fields fields{
            .event = "exec",
            .sink = name(),
            .alert_id = alert_id,
            .outcome =
                ok ? "delivered" : (result.status == delivery_status::permanent ? "permanent" : "retry"),
            .extra = {{"detail", result.detail}, {"pid", static_cast<long long>(outcome.pid)}}};
        // Log escaping makes whatever the program printed safe in every log format.
        if (!outcome.out.empty()) fields.extra.push_back({"stdout", outcome.out});
        if (!outcome.err.empty()) fields.extra.push_back({"stderr", outcome.err});
        if (outcome.out_dropped + outcome.err_dropped > 0)
            fields.extra.push_back({"output_bytes_dropped", outcome.out_dropped + outcome.err_dropped});
        logging::log(*logger_,
                     quiet ? spdlog::level::debug : (ok ? spdlog::level::info : spdlog::level::warn),
                     "exec sink command finished", fields);
    } catch (...) {
    }
    if (done) done(std::move(result));
}

void exec_sink::cancel_all() noexcept {
    std::vector<completion> answered;
    for (auto& [token, j] : jobs_) {
        if (j.done) answered.push_back(std::move(j.done));
        j.done = nullptr;
        j.process->kill();  // reaped later, as usual; finished() then finds nobody to answer
    }
    // Not inside the loop: a completion may send again, which adds to jobs_.
    for (auto& done : answered) done(delivery_result::retry("cancelled"));
}

std::unique_ptr<alert_sink> make_exec_sink(const config::sink_config& config, const sink_context& context) {
    const auto& options = std::get<config::exec_sink_options>(config.options);
    const std::string where = config.where.to_string() + ": sink '" + config.name + "': ";
    if (options.command.empty() || options.command.front().empty())
        throw config::config_error(where + "command is empty");
    const std::string& program = options.command.front();
    if (program.front() != '/')
        throw config::config_error(
            where + "command[0] must be an absolute path (no shell, no PATH search): " + program);
    struct stat st {};
    if (::stat(program.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || ::access(program.c_str(), X_OK) != 0)
        throw config::config_error(where + "command[0] is not an executable file: " + program);
    return std::make_unique<exec_sink>(config.name, context.executor, options);
}

}  // namespace newswatch::sinks
