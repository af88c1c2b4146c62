#include "newswatch/logging/journal_log_sink.hpp"

#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <cstring>

#include "newswatch/core/output_text.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::logging {

namespace {

constexpr const char* journal_socket = "/run/systemd/journal/socket";

int syslog_priority(spdlog::level::level_enum level) noexcept {
    switch (level) {
        case spdlog::level::critical:
            return 2;
        case spdlog::level::err:
            return 3;
        case spdlog::level::warn:
            return 4;
        case spdlog::level::info:
            return 6;
        default:
            return 7;
    }
}

std::string journal_key(std::string_view key) {
    std::string name = "NEWSWATCH_";
    for (const char c : key) name += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    return name;
}

}  // namespace

journal_log_sink::journal_log_sink(std::string identifier, spdlog::sink_ptr fallback)
    : identifier_(std::move(identifier)), fallback_(std::move(fallback)) {}

std::vector<std::string> journal_log_sink::entry_fields(const spdlog::details::log_msg& msg,
                                                        const std::string& identifier) {
    std::vector<std::string> out;
    out.push_back("MESSAGE=[" + std::string(msg.logger_name.data(), msg.logger_name.size()) + "] " +
                  human_text(msg));
    out.push_back("PRIORITY=" + std::to_string(syslog_priority(msg.level)));
    out.push_back("SYSLOG_IDENTIFIER=" + identifier);
    out.push_back("NEWSWATCH_LOGGER=" + core::log_escaped({msg.logger_name.data(), msg.logger_name.size()}));
    if (const log_record* record = record_of(msg)) {
        record->fields->for_each([&](std::string_view key, const field_value& value) {
            out.push_back(
                journal_key(key) + "=" +
                (value.is_number() ? std::to_string(value.number()) : core::log_escaped(value.text())));
        });
    }
    return out;
}

bool journal_log_sink::journal_available() noexcept {
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, journal_socket, sizeof address.sun_path - 1);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

void journal_log_sink::sink_it_(const spdlog::details::log_msg& msg) {
    if (!failed_) {
        const std::vector<std::string> fields = entry_fields(msg, identifier_);
        std::vector<iovec> vectors;
        vectors.reserve(fields.size());
        for (const auto& f : fields) vectors.push_back({const_cast<char*>(f.data()), f.size()});
        const int r = sd_journal_sendv(vectors.data(), static_cast<int>(vectors.size()));
        if (r >= 0) return;
        failed_ = true;
        // One warning, then every line on the fallback.
        const std::string warning = "the journal refused a log entry (" + std::string(std::strerror(-r)) +
                                    "): logging to stderr from now on";
        spdlog::details::log_msg notice(msg.logger_name, spdlog::level::warn,
                                        spdlog::string_view_t(warning.data(), warning.size()));
        fallback_->log(notice);
    }
    fallback_->log(msg);
}

}  // namespace newswatch::logging
