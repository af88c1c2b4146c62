#include "newswatch/sinks/smtp_sink.hpp"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "newswatch/config/config.hpp"
#include "newswatch/config/config_error.hpp"
#include "newswatch/config/secret_file.hpp"
#include "newswatch/core/output_text.hpp"
#include "newswatch/sinks/alert_text.hpp"
#include "newswatch/sinks/alert_view.hpp"
#include "newswatch/sinks/http_delivery.hpp"
#include "newswatch/sinks/mail_message.hpp"
#include "newswatch/sinks/sink_context.hpp"

namespace newswatch::sinks {

// One e-mail on its own easy handle; alive until the client's completion has
// run.
struct smtp_sink::job {
    CURL* easy = nullptr;
    curl_slist* recipients = nullptr;
    std::string mail_from;
    std::string message;
    std::size_t sent = 0;

    ~job() {
        if (easy != nullptr) curl_easy_cleanup(easy);
        curl_slist_free_all(recipients);
    }

    static size_t on_read(char* buffer, size_t size, size_t count, void* user) noexcept {
        auto& j = *static_cast<job*>(user);
        const std::size_t n = std::min(size * count, j.message.size() - j.sent);
        std::memcpy(buffer, j.message.data() + j.sent, n);
        j.sent += n;
        return n;
    }
};

namespace {

// Close-on-exec like every socket of the HTTP client: a program the exec sink starts must
// not inherit a mail connection.
curl_socket_t open_cloexec_socket(void*, curlsocktype purpose, struct curl_sockaddr* addr) noexcept {
    if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
    return ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

long use_ssl_of(smtp_sink::starttls_mode mode) {
    switch (mode) {
        case smtp_sink::starttls_mode::always:
            return CURLUSESSL_ALL;
        case smtp_sink::starttls_mode::never:
            return CURLUSESSL_NONE;
        case smtp_sink::starttls_mode::auto_:
            break;
    }
    return CURLUSESSL_TRY;  // STARTTLS whenever the server offers it
}

delivery_result smtp_result(CURLcode rc, long reply, const std::string& shown) {
    if (rc == CURLE_OK) return delivery_result::ok("SMTP " + std::to_string(reply) + " from " + shown);
    std::string detail = std::string(curl_easy_strerror(rc));
    if (reply != 0) detail = "SMTP " + std::to_string(reply) + " (" + detail + ")";
    detail += " from " + shown;
    if (rc == CURLE_ABORTED_BY_CALLBACK) return delivery_result::retry("cancelled");
    if (reply >= 500 && reply < 600) return delivery_result::permanent(std::move(detail));
    return delivery_result::retry(std::move(detail));
}

}  // namespace

smtp_sink::smtp_sink(std::string name, http::http_client* client, settings settings)
    : alert_sink(std::move(name)),
      client_(client),
      settings_(std::move(settings)),
      shown_url_(url_origin_for_log(settings_.url)) {}

smtp_sink::~smtp_sink() {
    cancel_all();
}

std::string smtp_sink::message_for(const delivery_message& message) const {
    const alert_view view = make_alert_view(message.event, message.id, message.payload);
    mail_message m;
    m.from = settings_.from;
    m.to = settings_.to;
    m.subject = settings_.subject.render(view, template_escaping::none);
    m.id = std::string(message.id);
    m.date = core::now_utc();
    m.text = alert_plain_text(view);
    m.html = alert_html(view);
    return render_mail(m);
}

void smtp_sink::deliver_(const delivery_message& message, completion done) {
    if (client_ == nullptr) return done(delivery_result::retry("no HTTP client"));
    auto j = std::make_shared<job>();
    j->message = message_for(message);
    j->mail_from = "<" + settings_.from + ">";
    for (const auto& to : settings_.to)
        j->recipients = curl_slist_append(j->recipients, ("<" + to + ">").c_str());
    j->easy = curl_easy_init();
    if (j->easy == nullptr) return done(delivery_result::retry("out of memory"));
    CURL* e = j->easy;
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &open_cloexec_socket);
    curl_easy_setopt(e, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(e, CURLOPT_USE_SSL, use_ssl_of(settings_.starttls));
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, settings_.verify_tls ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, settings_.verify_tls ? 2L : 0L);
    if (!settings_.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, settings_.ca_file.c_str());
    if (!settings_.username.empty()) {
        curl_easy_setopt(e, CURLOPT_USERNAME, settings_.username.c_str());
        curl_easy_setopt(e, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    curl_easy_setopt(e, CURLOPT_MAIL_FROM, j->mail_from.c_str());
    curl_easy_setopt(e, CURLOPT_MAIL_RCPT, j->recipients);
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e, CURLOPT_READFUNCTION, &job::on_read);
    curl_easy_setopt(e, CURLOPT_READDATA, j.get());
    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(j->message.size()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.timeout.count()));

    auto id = std::make_shared<http::http_client::transfer_id>(0);
    *id = client_->async_run(
        e, [this, alive = lifetime_.watch(), id, j, shown = shown_url_, done = std::move(done)](CURLcode rc) {
            if (!alive.expired()) in_flight_.erase(*id);
            long reply = 0;
            curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &reply);
            done(smtp_result(rc, reply, shown));
        });
    in_flight_.emplace(*id, std::move(j));
}

void smtp_sink::cancel_all() noexcept {
    auto jobs = std::move(in_flight_);
    in_flight_.clear();
    if (client_ != nullptr)
        for (const auto& [id, j] : jobs) client_->cancel(id);
}

std::unique_ptr<alert_sink> make_smtp_sink(const config::sink_config& config, const sink_context& context) {
    // The config reader has checked url, starttls, from and to being present.
    const auto& o = std::get<config::smtp_sink_options>(config.options);
    const std::string where = config.where.to_string() + ": sink '" + config.name + "'";
    smtp_sink::settings s;
    s.url = o.url;
    s.starttls = o.starttls == "always"  ? smtp_sink::starttls_mode::always
                 : o.starttls == "never" ? smtp_sink::starttls_mode::never
                                         : smtp_sink::starttls_mode::auto_;
    s.username = o.username;
    if (o.password_file) s.password = config::read_secret_file(*o.password_file, where + " password_file");
    // Addresses go into SMTP commands and headers: nothing but a plain address.
    if (!is_plain_address(o.from))
        throw config::config_error(where + ": from '" + core::log_escaped(o.from) +
                                   "' is not a plain e-mail address (name@domain, no display name)");
    s.from = o.from;
    for (const auto& to : o.to)
        if (!is_plain_address(to))
            throw config::config_error(where + ": to: '" + core::log_escaped(to) +
                                       "' is not a plain e-mail address");
    s.to = o.to;
    try {
        s.subject = text_template(o.subject);
    } catch (const std::invalid_argument& e) {
        throw config::config_error(where + ": subject: " + e.what());
    }
    s.verify_tls = o.verify_tls;
    if (o.ca_file) s.ca_file = o.ca_file->string();
    s.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(o.timeout);
    return std::make_unique<smtp_sink>(config.name, context.http, std::move(s));
}

}  // namespace newswatch::sinks
