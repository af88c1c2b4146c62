#include "newswatch/http/http_client.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "curl_multi_driver.hpp"
#include "easy_info.hpp"
#include "feed_transfer.hpp"
#include "host_queue.hpp"
#include "newswatch/http/address_policy.hpp"
#include "newswatch/http/http_headers.hpp"
#include "newswatch/http/proxy_choice.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"
#include "newswatch/version.hpp"
#include "request_transfer.hpp"
#include "url_origin.hpp"

namespace newswatch::http {

namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string default_user_agent() {
    return std::string("newswatch/") + newswatch::version + " (+" + newswatch::project_url + ")";
}

host_queue::limits queue_limits_of(const client_options& o) {
    return {.max_connections = o.max_connections,
            .max_per_host = o.max_per_host,
            .per_host_pacing = o.per_host_pacing};
}

}  // namespace

struct http_client::impl {
    impl(asio::any_io_executor ex, client_options opts)
        : executor(std::move(ex)),
          options(std::move(opts)),
          queue(executor, queue_limits_of(options),
                [this](std::unique_ptr<feed_transfer> t) { start(std::move(t)); }) {
        init_curl_once();
        if (options.user_agent.empty()) options.user_agent = default_user_agent();
        if (options.max_connections == 0) options.max_connections = 1;
        // Idle connections kept for reuse: more than the transfers at once, or a round over
        // many hosts evicts a connection for every request (measured: 2.5x the CPU per 304).
        driver = std::make_shared<curl_multi_driver>(
            executor, static_cast<long>(std::max<std::size_t>(options.max_connections * 4, 64)));
        driver->set_after_completions([this] { pump(); });
    }

    ~impl() { shutdown(); }

    void shutdown() noexcept {
        if (stopped) return;
        cancel_all("client destroyed");
        cancel_others();
        stopped = true;
        driver->shutdown();
        for (CURL* e : idle_easy) curl_easy_cleanup(e);
        idle_easy.clear();
    }

    void pump() {
        if (!stopped) queue.pump();
    }

    // ---- feed fetches ----

    void submit(fetch_request request, completion done) {
        auto t = std::make_unique<feed_transfer>();
        t->req = std::move(request);
        t->done = std::move(done);
        t->started = clock_type::now();
        t->private_endpoints = &private_endpoints;
        if (t->req.feed.empty())
            t->req.feed = t->req.configured_url.empty() ? t->req.url : t->req.configured_url;
        if (t->req.configured_url.empty()) t->req.configured_url = t->req.url;

        auto first = cached_origin(t->req.url);
        auto configured = cached_origin(t->req.configured_url);
        if (!first || !is_http_scheme(first->scheme) || first->host.empty()) {
            return complete_early(std::move(t), fetch_outcome::bad_url,
                                  "not an http or https URL: " + t->req.url);
        }
        t->first = *first;
        t->current = *first;
        t->current_url = t->req.url;
        t->configured = configured.value_or(*first);
        auto allow = address_allowlist::parse(t->req.allow_private_addresses);
        if (!allow) return complete_early(std::move(t), fetch_outcome::bad_url, allow.err().message);
        t->allow = std::move(*allow);
        t->host_key = t->first.host;
        queue.push(std::move(t));
        pump();
    }

    // parse_origin of a feed's URL, remembered: curl's URL parser costs about 15 us, and a
    // feed asks for the same URL at every poll. Bounded; emptied when full.
    std::optional<url_origin> cached_origin(const std::string& url) {
        if (auto it = origin_cache.find(url); it != origin_cache.end()) return it->second;
        if (origin_cache.size() >= 100000) origin_cache.clear();
        return origin_cache.emplace(url, parse_origin(url)).first->second;
    }

    CURL* take_easy() {
        if (!idle_easy.empty()) {
            CURL* e = idle_easy.back();
            idle_easy.pop_back();
            curl_easy_reset(e);
            return e;
        }
        return curl_easy_init();
    }

    void give_back_easy(CURL* e) {
        if (e == nullptr) return;
        if (idle_easy.size() < options.max_connections)
            idle_easy.push_back(e);
        else
            curl_easy_cleanup(e);
    }

    void start(std::unique_ptr<feed_transfer> owned) {
        feed_transfer& t = *owned;
        t.begun = clock_type::now();
        t.easy = take_easy();
        running.emplace(&t, std::move(owned));
        if (t.easy == nullptr) return finish(t, CURLE_OUT_OF_MEMORY);
        t.configure(options.user_agent);
        start_hop(t);
    }

    // Adds the current hop to the multi handle, after the checks that need no connection.
    void start_hop(feed_transfer& t) {
        // From when the transfer was handed to curl, not from when it was queued: behind
        // max_connections (or the consumer's start gate) a feed may wait longer than
        // total_timeout, and would then time out without ever being requested (issue 16).
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t.begun);
        const auto remaining = t.req.limits.total_timeout - elapsed;
        if (remaining.count() <= 0) {
            t.abort = fetch_outcome::timeout;
            t.abort_detail = "total timeout reached during redirects";
            return finish(t, CURLE_OPERATION_TIMEDOUT, false);
        }
        t.proxy = choose_proxy(t.current.scheme, t.current.host, t.req.proxy, t.req.proxy_from_environment);
        t.proxied = !t.proxy.empty();
        curl_easy_setopt(t.easy, CURLOPT_PROXY, t.proxy.c_str());  // "" = direct, environment ignored
        const bool trusted_origin = t.current == t.configured;
        if (!t.host_permitted_before_connect()) return finish(t, CURLE_COULDNT_CONNECT, false);
        // A cached connection to a private address, opened for a feed configured there,
        // must not carry a request that would be refused on a fresh connection.
        const bool fresh = !t.proxied && !trusted_origin &&
                           private_endpoints.count(t.current.host + ":" + t.current.port) > 0;
        curl_easy_setopt(t.easy, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
        curl_easy_setopt(t.easy, CURLOPT_URL, t.current_url.c_str());
        curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining.count()));
        t.reset_hop();
        if (!driver->add(t.easy, [this, &t](CURLcode rc) {
                t.in_multi = false;
                if (running.count(&t) > 0) on_hop_done(t, rc);
            }))
            return finish(t, CURLE_FAILED_INIT, false);
        t.in_multi = true;
    }

    void on_hop_done(feed_transfer& t, CURLcode rc) {
        long status = 0;
        curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
        t.head.status = status;
        if (status != 0 && t.permanent_candidate)
            t.permanent_target = std::exchange(t.permanent_candidate, {});
        if (rc == CURLE_OK && !t.abort &&
            (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)) {
            char* location = nullptr;
            curl_easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &location);
            if (location != nullptr && *location != '\0') return follow(t, status, location);
        }
        finish(t, rc);
    }

    void follow(feed_transfer& t, long status, std::string location) {
        t.wire_before += wire_bytes_of(t.easy);
        t.connections_before += connections_of(t.easy);
        t.resp.http_version = http_version_of(t.easy);
        if (t.resp.redirects >= t.req.limits.max_redirects) {
            t.abort = fetch_outcome::too_many_redirects;
            t.abort_detail = "more than " + std::to_string(t.req.limits.max_redirects) + " redirects";
            return finish(t, CURLE_TOO_MANY_REDIRECTS, false);
        }
        auto next = parse_origin(location);
        if (!next || !is_http_scheme(next->scheme) || next->host.empty()) {
            t.abort = fetch_outcome::redirect_refused;
            t.abort_detail =
                "redirect to a URL that is not http or https refused: " + location.substr(0, 200);
            return finish(t, CURLE_UNSUPPORTED_PROTOCOL, false);
        }
        ++t.resp.redirects;
        if (status != 301 && status != 308) t.permanent_chain = false;
        if (t.permanent_chain) t.permanent_candidate = location;
        const bool same_first = *next == t.first;
        if (t.credentials_sent != same_first) {
            // Credentials and sensitive headers never follow a redirect to another origin.
            t.set_credentials(same_first);
            t.build_headers(same_first);
            curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, t.headers);
            t.credentials_sent = same_first;
        }
        t.current = *next;
        t.current_url = std::move(location);
        start_hop(t);
    }

    void finish(feed_transfer& t, CURLcode rc, bool count_hop = true) {
        if (t.in_multi) {
            driver->remove(t.easy);
            t.in_multi = false;
        }
        fetch_response& r = t.resp;
        r.wire_bytes = t.wire_before;
        r.connections_opened = t.connections_before;
        if (t.easy != nullptr && count_hop) {
            r.wire_bytes += wire_bytes_of(t.easy);
            r.connections_opened += connections_of(t.easy);
            if (t.head.status != 0) r.http_version = http_version_of(t.easy);
        }
        r.http_status = t.head.status;
        r.effective_url = t.current_url;
        r.content_type = t.head.content_type;
        const auto now = core::now_utc();
        if (t.abort) {
            r.outcome = *t.abort;
            r.error = t.abort_detail;
        } else if (rc != CURLE_OK) {
            r.outcome = outcome_of(rc);
            r.error = curl_easy_strerror(rc);
            if (rc == CURLE_FILESIZE_EXCEEDED)
                r.error = "Content-Length above the limit of " + std::to_string(t.req.limits.max_body_bytes) +
                          " bytes";
        } else if (t.head.status >= 200 && t.head.status < 300) {
            r.outcome = fetch_outcome::ok;
        } else if (t.head.status == 304) {
            r.outcome = fetch_outcome::not_modified;
        } else {
            r.outcome = fetch_outcome::http_error;
            r.error = "HTTP " + std::to_string(t.head.status);
        }
        if (r.outcome != fetch_outcome::ok) r.body.clear();
        if (r.outcome == fetch_outcome::ok || r.outcome == fetch_outcome::not_modified) {
            // Validators are kept byte for byte, but only when safe to send back later.
            if (is_safe_header_value(t.head.etag)) r.etag = t.head.etag;
            if (is_safe_header_value(t.head.last_modified)) r.last_modified = t.head.last_modified;
            if (r.outcome == fetch_outcome::not_modified) {
                if (r.etag.empty() && is_safe_header_value(t.req.etag)) r.etag = t.req.etag;
                if (r.last_modified.empty() && is_safe_header_value(t.req.last_modified))
                    r.last_modified = t.req.last_modified;
            }
            r.max_age = parse_freshness(t.head.cache_control, t.head.expires, t.head.date, now);
            r.link_headers = std::move(t.head.links);
        }
        if (!t.head.retry_after.empty()) r.retry_after = parse_retry_after(t.head.retry_after, now);
        if (t.permanent_target) r.permanent_redirect = t.permanent_target;
        r.duration = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t.started);
        r.started_at = t.begun;
        log(t);

        auto owned = std::move(running.at(&t));
        running.erase(&t);
        give_back_easy(owned->easy);
        owned->easy = nullptr;
        curl_slist_free_all(owned->headers);
        owned->headers = nullptr;
        queue.release(owned->host_key);
        post(std::move(owned->done), std::move(owned->resp));
    }

    // One line per fetch. A 304 is a debug line (a steady feed would otherwise fill the log);
    // a fetch that failed is a warning. Requests marked `log = false` are logged by their caller.
    void log(const feed_transfer& t) {
        if (!t.req.log) return;
        const auto& r = t.resp;
        auto logger = logging::module_logger("fetcher");
        const auto level = r.outcome == fetch_outcome::not_modified ? spdlog::level::debug
                           : r.succeeded()                          ? spdlog::level::info
                                                                    : spdlog::level::warn;
        if (!logger->should_log(level)) return;
        const std::string_view version =
            r.http_version.empty() ? std::string_view("-") : std::string_view(r.http_version);
        logging::log_fields fields{.event = "fetch",
                                   .feed = t.req.feed,
                                   .outcome = to_string(r.outcome),
                                   .extra = {{"status", r.http_status},
                                             {"http_version", version},
                                             {"bytes", r.body_bytes},
                                             {"wire_bytes", r.wire_bytes},
                                             {"duration_ms", r.duration.count()}}};
        if (!r.error.empty()) fields.extra.push_back({"error", r.error});
        logging::log(*logger, level, r.succeeded() ? "fetched" : "fetch failed", fields);
    }

    template <typename Done, typename Value>
    void post(Done done, Value value) {
        asio::post(executor, [done = std::move(done), value = std::move(value)]() mutable {
            if (done) done(std::move(value));
        });
    }

    void complete_early(std::unique_ptr<feed_transfer> t, fetch_outcome outcome, std::string error) {
        t->resp.outcome = outcome;
        t->resp.error = std::move(error);
        t->resp.effective_url = t->req.url;
        log(*t);
        post(std::move(t->done), std::move(t->resp));
    }

    void cancel_all(const char* why) noexcept {
        // Waiting transfers first, so finishing running ones does not start them.
        for (auto& t : queue.take_waiting()) complete_early(std::move(t), fetch_outcome::cancelled, why);
        std::vector<feed_transfer*> all;
        for (auto& [ptr, owned] : running) all.push_back(ptr);
        for (feed_transfer* t : all) {
            t->abort = fetch_outcome::cancelled;
            t->abort_detail = why;
            finish(*t, CURLE_ABORTED_BY_CALLBACK, false);
        }
        queue.clear();
    }

    // ---- sink requests and caller-configured transfers ----

    transfer_id request(http_request request, request_completion done) {
        const transfer_id id = ++last_id;
        auto t = std::make_unique<request_transfer>();
        t->req = std::move(request);
        t->started = clock_type::now();
        t->easy = take_easy();
        if (t->easy == nullptr || !t->configure(options.user_agent)) {
            if (t->easy == nullptr) t->resp.error = "out of memory";
            give_back_easy(t->easy);
            curl_slist_free_all(t->headers);
            post(std::move(done), std::move(t->resp));
            return id;
        }
        CURL* easy = t->easy;
        requests.emplace(id, pending_request{std::move(t), std::move(done)});
        if (!driver->add(easy, [this, id](CURLcode rc) { end_request(id, rc); }))
            end_request(id, CURLE_FAILED_INIT);
        return id;
    }

    void end_request(transfer_id id, CURLcode rc) {
        auto it = requests.find(id);
        if (it == requests.end()) return;
        auto pending = std::move(it->second);
        requests.erase(it);
        auto& t = *pending.transfer;
        driver->remove(t.easy);
        t.finish(rc);
        if (rc == CURLE_ABORTED_BY_CALLBACK) {
            t.resp.outcome = fetch_outcome::cancelled;
            t.resp.error = "cancelled";
        }
        give_back_easy(t.easy);
        t.easy = nullptr;
        curl_slist_free_all(t.headers);
        t.headers = nullptr;
        post(std::move(pending.done), std::move(t.resp));
    }

    transfer_id run(CURL* easy, run_completion done) {
        const transfer_id id = ++last_id;
        runs.emplace(id, pending_run{easy, std::move(done)});
        if (!driver->add(easy, [this, id](CURLcode rc) { end_run(id, rc); })) end_run(id, CURLE_FAILED_INIT);
        return id;
    }

    void end_run(transfer_id id, CURLcode rc) {
        auto it = runs.find(id);
        if (it == runs.end()) return;
        auto pending = std::move(it->second);
        runs.erase(it);
        driver->remove(pending.easy);
        post(std::move(pending.done), rc);
    }

    void cancel(transfer_id id) {
        if (requests.count(id) > 0) end_request(id, CURLE_ABORTED_BY_CALLBACK);
        if (runs.count(id) > 0) end_run(id, CURLE_ABORTED_BY_CALLBACK);
    }

    void cancel_others() noexcept {
        std::vector<transfer_id> ids;
        for (auto& [id, p] : requests) ids.push_back(id);
        for (auto& [id, p] : runs) ids.push_back(id);
        for (auto id : ids) cancel(id);
    }

    struct pending_request {
        std::unique_ptr<request_transfer> transfer;
        request_completion done;
    };
    struct pending_run {
        CURL* easy = nullptr;
        run_completion done;
    };

    asio::any_io_executor executor;
    client_options options;
    std::unordered_set<std::string> private_endpoints;  // host:port reached at a non-public address
    std::vector<CURL*> idle_easy;
    std::unordered_map<std::string, std::optional<url_origin>> origin_cache;
    std::unordered_map<feed_transfer*, std::unique_ptr<feed_transfer>> running;
    std::unordered_map<transfer_id, pending_request> requests;
    std::unordered_map<transfer_id, pending_run> runs;
    transfer_id last_id = 0;
    bool stopped = false;
    host_queue queue;
    std::shared_ptr<curl_multi_driver> driver;
};

std::size_t http_client::max_connections() const noexcept {
    return impl_->options.max_connections;
}

http_client::http_client(asio::any_io_executor executor, client_options options)
    : impl_(std::make_shared<impl>(std::move(executor), std::move(options))) {}

http_client::~http_client() {
    if (impl_) impl_->shutdown();
}

void http_client::async_fetch(fetch_request request, completion done) {
    try {
        impl_->submit(std::move(request), std::move(done));
    } catch (const std::exception& e) {
        fetch_response r;
        r.outcome = fetch_outcome::network_error;
        r.error = e.what();
        impl_->post(std::move(done), std::move(r));
    }
}

asio::awaitable<fetch_response> http_client::fetch(fetch_request request) {
    co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(fetch_response)>(
        [this](auto handler, fetch_request req) {
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            async_fetch(std::move(req), [shared](fetch_response r) { (*shared)(std::move(r)); });
        },
        asio::use_awaitable, std::move(request));
}

void http_client::cancel_all() {
    impl_->cancel_all("cancelled");
    impl_->pump();
}

void http_client::set_start_gate(std::function<bool()> may_start) {
    impl_->queue.set_start_gate(std::move(may_start));
}

void http_client::resume() {
    impl_->pump();
}

http_client::transfer_id http_client::async_request(http_request request, request_completion done) {
    try {
        return impl_->request(std::move(request), std::move(done));
    } catch (const std::exception& e) {
        http_response r;
        r.error = e.what();
        impl_->post(std::move(done), std::move(r));
        return 0;
    }
}

http_client::transfer_id http_client::async_run(CURL* easy, run_completion done) {
    try {
        return impl_->run(easy, std::move(done));
    } catch (const std::exception&) {
        impl_->post(std::move(done), CURLE_OUT_OF_MEMORY);
        return 0;
    }
}

void http_client::cancel(transfer_id id) {
    impl_->cancel(id);
}

}  // namespace newswatch::http
