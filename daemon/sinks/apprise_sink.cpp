#include "newswatch/sinks/apprise_sink.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/core/output_text.hpp"
#include "newswatch/sinks/alert_view.hpp"
#include "newswatch/sinks/push_text.hpp"

namespace newswatch::sinks {

namespace {

// The first line apprise logged as an error (else its last line), short, with every URL
// reduced to its scheme: a service URL carries its secret. apprise logs
// "2026-12-06 13:50:59,182 - ERROR - Failed to send ..."; the stamp is dropped.
std::string stderr_detail(std::string_view err) {
    std::string_view chosen;
    for (std::size_t start = 0; start < err.size();) {
        auto end = err.find('\n', start);
        if (end == std::string_view::npos) end = err.size();
        const std::string_view line = err.substr(start, end - start);
        if (const auto at = line.find(" - ERROR - "); at != std::string_view::npos) {
            chosen = line.substr(at + 11);
            break;
        }
        if (!line.empty() && line != "\r") chosen = line;
        start = end + 1;
    }
    const std::string line = core::payload_text(chosen);
    std::string out;
    for (std::size_t i = 0; i < line.size();) {
        if (line.compare(i, 3, "://") == 0) {
            out += "://…";
            i += 3;
            while (i < line.size() && line[i] != ' ') ++i;
        } else {
            out += line[i++];
        }
    }
    return cut_text(out, {.max = 200, .unit = length_unit::code_points});
}

// apprise 1.2 exits 1 both when a service failed and when urls_file gave it nothing it
// could load; only the second is a setup that no retry can mend.
bool loaded_nothing(std::string_view err) {
    return err.find("You must specify at least one server URL") != std::string_view::npos;
}

}  // namespace

apprise_sink::apprise_sink(std::string name, boost::asio::any_io_executor executor, settings settings)
    : alert_sink(std::move(name)), executor_(std::move(executor)), settings_(std::move(settings)) {}

apprise_sink::~apprise_sink() = default;

child_process_request apprise_sink::request_for(const delivery_message& message) const {
    const alert_view v = make_alert_view(message.event, message.id, message.payload);
    const bool loud = v.urgent || v.priority == "high";
    // "--name=value" in one argument: a title that starts with '-' stays a value.
    return {
        .argv = {settings_.command, "--config=" + settings_.urls_file.string(), "--input-format=text",
                 std::string("--notification-type=") + (loud ? "warning" : "info"),
                 "--title=" + cut_text(v.title, {.max = max_title_chars, .unit = length_unit::code_points})},
        // Python reads stdin and argv as UTF-8 under this locale.
        .environment = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8"},
        .input = push_body(v, {.limit = {.max = max_body_chars, .unit = length_unit::code_points}}),
        .timeout = settings_.timeout,
        .kill_grace = settings_.kill_grace,
        .output_cap = 4096};
}

delivery_result apprise_sink::result_of(const child_process_outcome& o) {
    using ending = child_process_outcome::ending;
    // apprise logs to stdout or stderr depending on its version: read both.
    const std::string output = o.err + "\n" + o.out;
    const std::string err = stderr_detail(output);
    auto with_stderr = [&](std::string text) { return err.empty() ? text : text + ": " + err; };
    switch (o.how) {
        case ending::exited:
            if (o.exit_code == 0) return delivery_result::ok("apprise exit 0");
            if (o.exit_code == 2)
                return delivery_result::permanent(with_stderr("apprise exit 2 (a bad option)"));
            if (o.exit_code == 3 || (o.exit_code == 1 && loaded_nothing(output)))
                return delivery_result::permanent(
                    with_stderr("apprise exit " + std::to_string(o.exit_code) +
                                " (no valid URL could be loaded from urls_file)"));
            return delivery_result::retry(with_stderr("apprise exit " + std::to_string(o.exit_code)));
        case ending::signalled:
            return delivery_result::retry(
                with_stderr("apprise killed by signal " + std::to_string(o.signal)));
        case ending::timed_out:
            return delivery_result::retry(with_stderr("apprise timed out"));
        case ending::cancelled:
            return delivery_result::retry("cancelled");
        case ending::not_started:
            break;
    }
    return delivery_result::retry("cannot run apprise: " + core::payload_text(o.error));
}

void apprise_sink::deliver_(const delivery_message& message, completion done) {
    const std::uint64_t token = ++next_token_;
    auto& j = jobs_[token];
    j.done = std::move(done);
    j.process = std::make_unique<child_process>(executor_);
    // child_process calls back only while it (and so this sink) exists.
    j.process->start(request_for(message),
                     [this, token](child_process_outcome outcome) { finished(token, std::move(outcome)); });
}

void apprise_sink::finished(std::uint64_t token, child_process_outcome outcome) {
    auto it = jobs_.find(token);
    if (it == jobs_.end()) return;
    auto done = std::move(it->second.done);
    jobs_.erase(it);  // child_process allows this from inside its callback
    if (done) done(result_of(outcome));
}

void apprise_sink::cancel_all() noexcept {
    std::vector<completion> answered;
    for (auto& [token, j] : jobs_) {
        if (j.done) answered.push_back(std::move(j.done));
        j.done = nullptr;
        j.process->kill();
    }
    // Not inside the loop: a completion may send again, which adds to jobs_.
    for (auto& done : answered) done(delivery_result::retry("cancelled"));
}

std::unique_ptr<alert_sink> make_apprise_sink(const config::sink_config& config,
                                              const sink_context& context) {
    const auto& o = std::get<config::apprise_sink_options>(config.options);
    const std::string where = config.where.to_string() + ": sink '" + config.name + "': ";
    struct stat st {};
    if (::stat(o.command.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || ::access(o.command.c_str(), X_OK) != 0)
        throw config::config_error(where + "command " + o.command +
                                   " is not an executable file (install Debian's apprise package)");
    std::ifstream in(o.urls_file);
    if (!in) throw config::config_error(where + "cannot read urls_file " + o.urls_file.string());
    bool any_url = false;
    for (std::string line; !any_url && std::getline(in, line);)
        any_url = line.find("://") != std::string::npos && !line.starts_with("#");
    if (!any_url)
        throw config::config_error(where + "urls_file " + o.urls_file.string() +
                                   " holds no Apprise URL (one per line, such as ntfys://host/topic)");
    apprise_sink::settings s;
    s.command = o.command;
    s.urls_file = std::filesystem::absolute(o.urls_file);
    s.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(o.timeout);
    return std::make_unique<apprise_sink>(config.name, context.executor, std::move(s));
}

}  // namespace newswatch::sinks
