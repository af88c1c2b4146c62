#include "newswatch/fetcher/http_client.hpp"

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>
#include <boost/asio/async_result.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "newswatch/fetcher/address_policy.hpp"
#include "newswatch/fetcher/http_headers.hpp"
#include "newswatch/fetcher/proxy_choice.hpp"
#include "newswatch/version.hpp"

namespace newswatch::fetcher {

namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::shared_ptr<spdlog::logger> fetch_logger() {
    if (auto existing = spdlog::get("fetcher")) return existing;
    auto created = spdlog::default_logger()->clone("fetcher");
    try {
        spdlog::register_logger(created);
    } catch (const spdlog::spdlog_ex&) {
        if (auto existing = spdlog::get("fetcher")) return existing;  // registered meanwhile
    }
    return created;
}

std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// Scheme, host and port of a URL as curl understands it (host lower-cased; IPv6 in brackets).
struct origin {
    std::string scheme;
    std::string host;
    std::string port;
    bool operator==(const origin&) const = default;
};

std::optional<origin> parse_origin(const std::string& url) {
    CURLU* u = curl_url();
    if (u == nullptr) return std::nullopt;
    std::optional<origin> out;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK) {
        char* scheme = nullptr;
        char* host = nullptr;
        char* port = nullptr;
        if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
            out = origin{lower(scheme), lower(host), port};
        }
        curl_free(scheme);
        curl_free(host);
        curl_free(port);
    }
    curl_url_cleanup(u);
    return out;
}

bool is_http_scheme(const std::string& scheme) {
    return scheme == "http" || scheme == "https";
}

// The host as curl sends it to a proxy: IDN names in their ACE ("xn--") form, converted by
// curl itself (in the process's locale, as curl does when it connects). nullopt when curl
// cannot convert it.
std::optional<std::string> ascii_host(const std::string& url) {
    CURLU* u = curl_url();
    if (u == nullptr) return std::nullopt;
    std::optional<std::string> out;
    char* host = nullptr;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, CURLU_PUNYCODE) == CURLUE_OK)
        out = lower(host);
    curl_free(host);
    curl_url_cleanup(u);
    return out;
}

std::optional<asio::ip::address> to_address(const struct sockaddr* sa) {
    if (sa->sa_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, sa, sizeof in);
        return asio::ip::address_v4{ntohl(in.sin_addr.s_addr)};
    }
    if (sa->sa_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, sa, sizeof in6);
        asio::ip::address_v6::bytes_type bytes;
        std::memcpy(bytes.data(), &in6.sin6_addr, 16);
        return asio::ip::address_v6{bytes};
    }
    return std::nullopt;
}

bool is_sensitive_header(std::string_view name) {
    return iequals(name, "authorization") || iequals(name, "cookie") || iequals(name, "proxy-authorization");
}

std::string default_user_agent() {
    return std::string("newswatch/") + newswatch::version + " (+" + newswatch::project_url + ")";
}

}  // namespace

// One transfer: a request and everything learned while it runs (all hops of a redirect chain).
struct transfer {
    void* owner = nullptr;  // the http_client::impl running it
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    fetch_request req;
    http_client::completion done;
    fetch_response resp;
    std::string host_key;
    origin configured;
    origin first;    // origin of req.url: credentials go only there
    origin current;  // origin of the hop in flight
    std::string current_url;
    std::string proxy;  // of the hop in flight; "" = direct
    bool proxied = false;
    bool credentials_sent = true;
    address_allowlist allow;
    std::optional<fetch_outcome> abort;
    std::string abort_detail;
    clock_type::time_point started{};  // submitted (queued)
    clock_type::time_point begun{};    // handed to curl
    bool in_multi = false;
    // Per hop.
    long status = 0;
    std::size_t header_bytes = 0;
    std::string etag, last_modified, content_type, retry_after, cache_control, expires, date;
    // Redirects.
    bool permanent_chain = true;
    std::optional<std::string> permanent_target;
    // A permanent target not yet reported: only a target that answered is one (a hop the
    // guard refused, or that never answered, must not move the feed).
    std::optional<std::string> permanent_candidate;
    std::size_t wire_before = 0;  // wire bytes of earlier hops
    int connections_before = 0;   // connections opened by earlier hops

    void reset_hop() {
        status = 0;
        header_bytes = 0;
        etag.clear();
        last_modified.clear();
        content_type.clear();
        retry_after.clear();
        cache_control.clear();
        expires.clear();
        date.clear();
        resp.body.clear();
        resp.body_bytes = 0;
    }
};

// A curl socket watched by Asio. Curl owns the descriptor; we only release it.
struct socket_watch {
    explicit socket_watch(const asio::any_io_executor& ex, curl_socket_t s) : fd(s), descriptor(ex) {
        boost::system::error_code ec;
        descriptor.assign(s, ec);
        failed = static_cast<bool>(ec);
    }
    void close() noexcept {
        closed = true;
        boost::system::error_code ec;
        descriptor.cancel(ec);
        if (descriptor.is_open()) (void)descriptor.release();
    }
    curl_socket_t fd;
    asio::posix::stream_descriptor descriptor;
    int want = 0;
    bool reading = false;
    bool writing = false;
    bool closed = false;
    bool failed = false;
    int errors = 0;  // consecutive failed waits
};

struct http_client::impl : std::enable_shared_from_this<http_client::impl> {
    impl(asio::any_io_executor ex, client_options opts)
        : executor(std::move(ex)), options(std::move(opts)), timer(executor) {
        init_curl_once();
        if (options.user_agent.empty()) options.user_agent = default_user_agent();
        if (options.max_connections == 0) options.max_connections = 1;
        if (options.max_per_host == 0) options.max_per_host = 1;
        multi = curl_multi_init();
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &impl::on_curl_socket);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &impl::on_curl_timer);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
        curl_multi_setopt(multi, CURLMOPT_PIPELINING, long{CURLPIPE_MULTIPLEX});
        // Idle connections kept for reuse: more than the transfers at once, or a round over
        // many hosts evicts a connection for every request (measured: 2.5x the CPU per 304).
        curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS,
                          static_cast<long>(std::max<std::size_t>(options.max_connections * 4, 64)));
    }

    ~impl() { shutdown(); }

    void shutdown() noexcept {
        if (multi == nullptr) return;
        cancel_all("client destroyed");
        for (auto& [fd, watch] : sockets) watch->close();
        sockets.clear();
        timer.cancel();
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, nullptr);
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, nullptr);
        for (CURL* e : idle_easy) curl_easy_cleanup(e);
        idle_easy.clear();
        curl_multi_cleanup(multi);
        multi = nullptr;
    }

    // ---- submission and caps ----

    struct host_state {
        std::size_t active = 0;
        std::deque<std::unique_ptr<transfer>> waiting;
        bool runnable = false;  // listed in runnable_hosts
        bool pacing_wait = false;
        clock_type::time_point next_start{};
        std::unique_ptr<asio::steady_timer> pace_timer;
    };

    void submit(fetch_request request, completion done) {
        auto t = std::make_unique<transfer>();
        t->owner = this;
        t->req = std::move(request);
        t->done = std::move(done);
        t->started = clock_type::now();
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

        auto& host = hosts[t->host_key];
        host.waiting.push_back(std::move(t));
        make_runnable_if_possible(hosts.find(host.waiting.back()->host_key)->first, host);
        pump();
    }

    // parse_origin of a feed's URL, remembered: curl's URL parser costs about 15 us, and a
    // feed asks for the same URL at every poll. Bounded; emptied when full.
    std::optional<origin> cached_origin(const std::string& url) {
        if (auto it = origin_cache.find(url); it != origin_cache.end()) return it->second;
        if (origin_cache.size() >= 100000) origin_cache.clear();
        return origin_cache.emplace(url, parse_origin(url)).first->second;
    }

    void make_runnable_if_possible(const std::string& key, host_state& host) {
        if (!host.runnable && !host.pacing_wait && !host.waiting.empty() &&
            host.active < options.max_per_host) {
            host.runnable = true;
            runnable_hosts.push_back(key);
        }
    }

    // Starts waiting transfers while the global cap allows, round-robin over hosts.
    void pump() {
        if (pumping || multi == nullptr) return;
        pumping = true;
        while (active < options.max_connections && !runnable_hosts.empty() && (!start_gate || start_gate())) {
            std::string key = std::move(runnable_hosts.front());
            runnable_hosts.pop_front();
            auto it = hosts.find(key);
            if (it == hosts.end()) continue;
            host_state& host = it->second;
            host.runnable = false;
            if (host.waiting.empty() || host.active >= options.max_per_host) continue;
            const auto now = clock_type::now();
            if (options.per_host_pacing.count() > 0 && now < host.next_start) {
                wait_for_pacing(key, host);
                continue;
            }
            auto t = std::move(host.waiting.front());
            host.waiting.pop_front();
            ++host.active;
            ++active;
            host.next_start = now + options.per_host_pacing;
            make_runnable_if_possible(key, host);
            start(std::move(t));
        }
        pumping = false;
    }

    void wait_for_pacing(const std::string& key, host_state& host) {
        host.pacing_wait = true;
        if (!host.pace_timer) host.pace_timer = std::make_unique<asio::steady_timer>(executor);
        host.pace_timer->expires_at(host.next_start);
        host.pace_timer->async_wait([weak = weak_from_this(), key](boost::system::error_code ec) {
            auto self = weak.lock();
            if (!self || ec == asio::error::operation_aborted) return;
            auto it = self->hosts.find(key);
            if (it == self->hosts.end()) return;
            it->second.pacing_wait = false;
            self->make_runnable_if_possible(key, it->second);
            self->pump();
        });
    }

    void release_slot(transfer& t) {
        --active;
        auto it = hosts.find(t.host_key);
        if (it == hosts.end()) return;
        host_state& host = it->second;
        --host.active;
        if (host.active == 0 && host.waiting.empty() && !host.pacing_wait && !host.runnable &&
            options.per_host_pacing.count() == 0) {
            hosts.erase(it);
            return;
        }
        make_runnable_if_possible(it->first, host);
    }

    // ---- one transfer ----

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

    void build_headers(transfer& t, bool include_sensitive) {
        curl_slist_free_all(t.headers);
        t.headers = nullptr;
        bool has_accept = false;
        for (const auto& [name, value] : t.req.headers) {
            if (!is_header_name(name) || !is_safe_header_value(value, 8192)) continue;
            if (!include_sensitive && is_sensitive_header(name)) continue;
            if (iequals(name, "accept")) has_accept = true;
            t.headers = curl_slist_append(t.headers, (name + ": " + value).c_str());
        }
        if (!has_accept)
            t.headers = curl_slist_append(
                t.headers,
                "Accept: application/rss+xml, application/atom+xml, application/feed+json, "
                "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8");
        // Validators are sent only when they cannot smuggle a header (CR/LF/control chars).
        if (!t.req.etag.empty() && is_safe_header_value(t.req.etag))
            t.headers = curl_slist_append(t.headers, ("If-None-Match: " + t.req.etag).c_str());
        if (!t.req.last_modified.empty() && is_safe_header_value(t.req.last_modified))
            t.headers = curl_slist_append(t.headers, ("If-Modified-Since: " + t.req.last_modified).c_str());
    }

    void configure(transfer& t) {
        CURL* e = t.easy;
        const auto& lim = t.req.limits;
        curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);   // we follow, to check every hop
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can decode
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION, long{CURL_HTTP_VERSION_2TLS});
        curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
        curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &impl::on_curl_write);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &impl::on_curl_header);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &impl::on_curl_open_socket);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &t);
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(lim.connect_timeout.count()));
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, lim.low_speed_bytes_per_second);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(lim.low_speed_time.count()));
        curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(lim.max_body_bytes));
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, t.req.verify_tls ? 1L : 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, t.req.verify_tls ? 2L : 0L);
        curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
        curl_easy_setopt(e, CURLOPT_HEADEROPT, long{CURLHEADER_SEPARATE});  // ours never go to a proxy
        // The proxy is chosen per hop in start_hop; curl must not exempt hosts on its own.
        curl_easy_setopt(e, CURLOPT_NOPROXY, "");
        build_headers(t, true);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
        set_credentials(t, true);
    }

    void set_credentials(transfer& t, bool on) {
        if (t.req.basic_auth_user.empty()) return;
        if (on) {
            curl_easy_setopt(t.easy, CURLOPT_HTTPAUTH, long{CURLAUTH_BASIC});
            curl_easy_setopt(t.easy, CURLOPT_USERNAME, t.req.basic_auth_user.c_str());
            curl_easy_setopt(t.easy, CURLOPT_PASSWORD, t.req.basic_auth_password.c_str());
        } else {
            curl_easy_setopt(t.easy, CURLOPT_USERNAME, nullptr);
            curl_easy_setopt(t.easy, CURLOPT_PASSWORD, nullptr);
        }
    }

    void start(std::unique_ptr<transfer> owned) {
        transfer& t = *owned;
        t.begun = clock_type::now();
        t.easy = take_easy();
        if (t.easy == nullptr) {
            running.emplace(&t, std::move(owned));
            return finish(t, CURLE_OUT_OF_MEMORY);
        }
        configure(t);
        running.emplace(&t, std::move(owned));
        start_hop(t);
    }

    // Adds the current hop to the multi handle, after the checks that need no connection.
    void start_hop(transfer& t) {
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t.started);
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
        if (!host_permitted_before_connect(t)) return finish(t, CURLE_COULDNT_CONNECT, false);
        // A cached connection to a private address, opened for a feed configured there,
        // must not carry a request that would be refused on a fresh connection.
        const bool fresh = !t.proxied && !trusted_origin &&
                           private_endpoints.count(t.current.host + ":" + t.current.port) > 0;
        curl_easy_setopt(t.easy, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
        curl_easy_setopt(t.easy, CURLOPT_URL, t.current_url.c_str());
        curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining.count()));
        t.reset_hop();
        if (curl_multi_add_handle(multi, t.easy) != CURLM_OK) return finish(t, CURLE_FAILED_INIT, false);
        t.in_multi = true;
    }

    // Judges the hop's host before any connection. Direct, only IP literals can be judged
    // here; host names are judged at connect time on the address curl resolved. Through a
    // proxy the proxy resolves names and the connect-time check sees only the proxy, so the
    // name is judged as curl sends it: IP literals in every form, and loopback names.
    bool host_permitted_before_connect(transfer& t) {
        if (t.current == t.configured) return true;
        if (auto literal = parse_address_literal(t.current.host)) return address_permitted(t, *literal);
        if (!t.proxied) return true;
        const auto host = ascii_host(t.current_url);
        if (!host) {
            t.abort = fetch_outcome::redirect_refused;
            t.abort_detail =
                "host name curl cannot convert to ASCII refused: " + t.current.host.substr(0, 200);
            return false;
        }
        if (auto literal = parse_address_literal(*host)) return address_permitted(t, *literal);
        if (!is_loopback_name(*host)) return true;
        const auto loopback_v4 = asio::ip::address{asio::ip::address_v4::loopback()};
        const auto loopback_v6 = asio::ip::address{asio::ip::address_v6::loopback()};
        if (t.allow.contains(loopback_v4) || t.allow.contains(loopback_v6)) return true;
        t.abort = fetch_outcome::address_refused;
        t.resp.refused_address = *host;
        t.abort_detail = "refused the loopback host name " + *host + " through the proxy";
        return false;
    }

    // Whether the current hop may reach `address` (the SSRF rule; not about the proxy).
    bool address_permitted(transfer& t, const asio::ip::address& address) {
        if (t.current == t.configured) return true;
        const auto cls = classify_address(address);
        if (is_public(cls) || t.allow.contains(address)) return true;
        t.abort = fetch_outcome::address_refused;
        t.resp.refused_address = address.to_string();
        t.abort_detail = "refused to connect to " + std::string(to_string(cls)) + " address " +
                         address.to_string() + " for " + t.current.host;
        return false;
    }

    void on_hop_done(transfer& t, CURLcode rc) {
        if (t.in_multi) {
            curl_multi_remove_handle(multi, t.easy);
            t.in_multi = false;
        }
        long status = 0;
        curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
        t.status = status;
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

    void follow(transfer& t, long status, std::string location) {
        t.wire_before += hop_wire_bytes(t);
        t.connections_before += hop_connections(t);
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
            set_credentials(t, same_first);
            build_headers(t, same_first);
            curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, t.headers);
            t.credentials_sent = same_first;
        }
        t.current = *next;
        t.current_url = std::move(location);
        start_hop(t);
    }

    std::size_t hop_wire_bytes(transfer& t) {
        curl_off_t body = 0;
        long headers = 0;
        curl_easy_getinfo(t.easy, CURLINFO_SIZE_DOWNLOAD_T, &body);
        curl_easy_getinfo(t.easy, CURLINFO_HEADER_SIZE, &headers);
        return static_cast<std::size_t>(std::max<curl_off_t>(body, 0)) +
               static_cast<std::size_t>(std::max(headers, 0L));
    }

    static int hop_connections(transfer& t) {
        long connects = 0;
        curl_easy_getinfo(t.easy, CURLINFO_NUM_CONNECTS, &connects);
        return static_cast<int>(std::max(connects, 0L));
    }

    static std::string http_version_of(CURL* easy) {
        long version = 0;
        curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
        switch (version) {
            case CURL_HTTP_VERSION_1_0:
                return "1.0";
            case CURL_HTTP_VERSION_1_1:
                return "1.1";
            case CURL_HTTP_VERSION_2_0:
                return "2";
            case CURL_HTTP_VERSION_3:
                return "3";
            default:
                return "";
        }
    }

    static fetch_outcome outcome_of(CURLcode rc) {
        switch (rc) {
            case CURLE_OPERATION_TIMEDOUT:
                return fetch_outcome::timeout;
            case CURLE_COULDNT_RESOLVE_HOST:
            case CURLE_COULDNT_RESOLVE_PROXY:
                return fetch_outcome::dns_error;
            case CURLE_COULDNT_CONNECT:
                return fetch_outcome::connect_error;
            case CURLE_SSL_CONNECT_ERROR:
            case CURLE_PEER_FAILED_VERIFICATION:
            case CURLE_SSL_CERTPROBLEM:
            case CURLE_SSL_CIPHER:
            case CURLE_SSL_CACERT_BADFILE:
            case CURLE_SSL_ENGINE_NOTFOUND:
            case CURLE_SSL_ENGINE_SETFAILED:
            case CURLE_SSL_ISSUER_ERROR:
            case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            case CURLE_SSL_INVALIDCERTSTATUS:
            case CURLE_SSL_CRL_BADFILE:
            case CURLE_SSL_SHUTDOWN_FAILED:
            case CURLE_USE_SSL_FAILED:
                return fetch_outcome::tls_error;
            case CURLE_TOO_MANY_REDIRECTS:
                return fetch_outcome::too_many_redirects;
            case CURLE_FILESIZE_EXCEEDED:
                return fetch_outcome::body_too_large;
            case CURLE_URL_MALFORMAT:
                return fetch_outcome::bad_url;
            case CURLE_BAD_CONTENT_ENCODING:
                return fetch_outcome::bad_encoding;
            // Including CURLE_UNSUPPORTED_PROTOCOL: every URL is checked before curl sees
            // it, so that one is an HTTP/0.9 (garbage) reply.
            default:
                return fetch_outcome::network_error;
        }
    }

    void finish(transfer& t, CURLcode rc, bool count_hop = true) {
        if (t.in_multi) {
            curl_multi_remove_handle(multi, t.easy);
            t.in_multi = false;
        }
        fetch_response& r = t.resp;
        r.wire_bytes = t.wire_before;
        r.connections_opened = t.connections_before;
        if (t.easy != nullptr && count_hop) {
            r.wire_bytes += hop_wire_bytes(t);
            r.connections_opened += hop_connections(t);
            if (t.status != 0) r.http_version = http_version_of(t.easy);
        }
        r.http_status = t.status;
        r.effective_url = t.current_url;
        r.content_type = t.content_type;
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
        } else if (t.status >= 200 && t.status < 300) {
            r.outcome = fetch_outcome::ok;
        } else if (t.status == 304) {
            r.outcome = fetch_outcome::not_modified;
        } else {
            r.outcome = fetch_outcome::http_error;
            r.error = "HTTP " + std::to_string(t.status);
        }
        if (r.outcome != fetch_outcome::ok) r.body.clear();
        if (r.outcome == fetch_outcome::ok || r.outcome == fetch_outcome::not_modified) {
            // Validators are kept byte for byte, but only when safe to send back later.
            if (is_safe_header_value(t.etag)) r.etag = t.etag;
            if (is_safe_header_value(t.last_modified)) r.last_modified = t.last_modified;
            if (r.outcome == fetch_outcome::not_modified) {
                if (r.etag.empty() && is_safe_header_value(t.req.etag)) r.etag = t.req.etag;
                if (r.last_modified.empty() && is_safe_header_value(t.req.last_modified))
                    r.last_modified = t.req.last_modified;
            }
            r.max_age = parse_freshness(t.cache_control, t.expires, t.date, now);
        }
        if (!t.retry_after.empty()) r.retry_after = parse_retry_after(t.retry_after, now);
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
        release_slot(*owned);
        post_completion(std::move(owned->done), std::move(owned->resp));
    }

    void log(const transfer& t) {
        const auto& r = t.resp;
        auto logger = fetch_logger();
        const auto level = r.succeeded() ? spdlog::level::info : spdlog::level::warn;
        if (!logger->should_log(level)) return;
        const std::string_view version =
            r.http_version.empty() ? std::string_view("-") : std::string_view(r.http_version);
        if (r.error.empty())
            logger->log(level,
                        "fetch feed=\"{}\" status={} http_version={} bytes={} wire_bytes={} duration_ms={} "
                        "outcome={}",
                        t.req.feed, r.http_status, version, r.body_bytes, r.wire_bytes, r.duration.count(),
                        to_string(r.outcome));
        else
            logger->log(level,
                        "fetch feed=\"{}\" status={} http_version={} bytes={} wire_bytes={} duration_ms={} "
                        "outcome={} error=\"{}\"",
                        t.req.feed, r.http_status, version, r.body_bytes, r.wire_bytes, r.duration.count(),
                        to_string(r.outcome), r.error);
    }

    void post_completion(completion done, fetch_response response) {
        asio::post(executor, [done = std::move(done), response = std::move(response)]() mutable {
            if (done) done(std::move(response));
        });
    }

    void complete_early(std::unique_ptr<transfer> t, fetch_outcome outcome, std::string error) {
        t->resp.outcome = outcome;
        t->resp.error = std::move(error);
        t->resp.effective_url = t->req.url;
        log(*t);
        post_completion(std::move(t->done), std::move(t->resp));
    }

    void cancel_all(const char* why) noexcept {
        // Waiting transfers first, so finishing running ones does not start them.
        for (auto& [key, host] : hosts) {
            for (auto& t : host.waiting) complete_early(std::move(t), fetch_outcome::cancelled, why);
            host.waiting.clear();
            if (host.pace_timer) host.pace_timer->cancel();
            host.pacing_wait = false;
        }
        runnable_hosts.clear();
        std::vector<transfer*> all;
        for (auto& [ptr, owned] : running) all.push_back(ptr);
        for (transfer* t : all) {
            t->abort = fetch_outcome::cancelled;
            t->abort_detail = why;
            finish(*t, CURLE_ABORTED_BY_CALLBACK, false);
        }
        hosts.clear();
        runnable_hosts.clear();
    }

    // ---- curl callbacks (noexcept: never let anything escape into C) ----

    static size_t on_curl_write(char* data, size_t size, size_t count, void* user) noexcept {
        auto& t = *static_cast<transfer*>(user);
        const std::size_t n = size * count;
        if (t.resp.body_bytes + n > t.req.limits.max_body_bytes) {
            t.abort = fetch_outcome::body_too_large;
            t.abort_detail =
                "decoded body above the limit of " + std::to_string(t.req.limits.max_body_bytes) + " bytes";
            return CURL_WRITEFUNC_ERROR;
        }
        t.resp.body_bytes += n;
        if (t.status == 0) curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &t.status);
        if (t.status >= 200 && t.status < 300) {
            try {
                t.resp.body.append(data, n);
            } catch (...) {
                t.abort = fetch_outcome::body_too_large;
                t.abort_detail = "out of memory while storing the body";
                return CURL_WRITEFUNC_ERROR;
            }
        }
        return n;
    }

    static size_t on_curl_header(char* data, size_t size, size_t count, void* user) noexcept {
        auto& t = *static_cast<transfer*>(user);
        const std::size_t n = size * count;
        t.header_bytes += n;
        if (t.header_bytes > t.req.limits.max_header_bytes) {
            t.abort = fetch_outcome::headers_too_large;
            t.abort_detail = "response headers above the limit of " +
                             std::to_string(t.req.limits.max_header_bytes) + " bytes";
            return 0;
        }
        try {
            std::string_view line(data, n);
            while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
            if (line.starts_with("HTTP/")) {
                // A new response (1xx, then the final one): its headers replace earlier ones.
                auto space = line.find(' ');
                t.status = space == std::string_view::npos
                               ? 0
                               : std::atol(std::string(line.substr(space + 1, 3)).c_str());
                t.etag.clear();
                t.last_modified.clear();
                t.content_type.clear();
                t.retry_after.clear();
                t.cache_control.clear();
                t.expires.clear();
                t.date.clear();
                return n;
            }
            auto colon = line.find(':');
            if (colon == std::string_view::npos) return n;
            std::string_view name = line.substr(0, colon);
            std::string_view value = trim(line.substr(colon + 1));
            if (iequals(name, "etag"))
                t.etag.assign(value);
            else if (iequals(name, "last-modified"))
                t.last_modified.assign(value);
            else if (iequals(name, "content-type"))
                t.content_type.assign(value);
            else if (iequals(name, "retry-after"))
                t.retry_after.assign(value);
            else if (iequals(name, "expires"))
                t.expires.assign(value);
            else if (iequals(name, "date"))
                t.date.assign(value);
            else if (iequals(name, "cache-control")) {
                if (!t.cache_control.empty()) t.cache_control += ", ";
                t.cache_control.append(value);
            }
        } catch (...) {
            t.abort = fetch_outcome::headers_too_large;
            t.abort_detail = "out of memory while reading headers";
            return 0;
        }
        return n;
    }

    static curl_socket_t on_curl_open_socket(void* user, curlsocktype purpose,
                                             struct curl_sockaddr* addr) noexcept {
        auto& t = *static_cast<transfer*>(user);
        if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
        auto address = to_address(&addr->addr);
        if (!address) return CURL_SOCKET_BAD;  // AF_UNIX and friends: never
        try {
            auto* self = static_cast<impl*>(t.owner);
            // Through a proxy curl's only connection is to the proxy the operator chose.
            if (!t.proxied && !self->address_permitted(t, *address)) return CURL_SOCKET_BAD;
            const bool is_private = !is_public(classify_address(*address));
            if (is_private && !t.proxied)
                self->private_endpoints.insert(t.current.host + ":" + t.current.port);
        } catch (...) {
            return CURL_SOCKET_BAD;
        }
        return ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
    }

    static int on_curl_socket(CURL*, curl_socket_t s, int what, void* user, void* socketp) noexcept {
        auto& self = *static_cast<impl*>(user);
        try {
            auto* watch = static_cast<socket_watch*>(socketp);
            if (what == CURL_POLL_REMOVE) {
                if (auto it = self.sockets.find(s); it != self.sockets.end()) {
                    it->second->close();
                    self.sockets.erase(it);
                }
                curl_multi_assign(self.multi, s, nullptr);
                return 0;
            }
            if (watch == nullptr) {
                auto created = std::make_shared<socket_watch>(self.executor, s);
                if (created->failed) return -1;
                watch = created.get();
                self.sockets[s] = std::move(created);
                curl_multi_assign(self.multi, s, watch);
            }
            watch->want = what;
            self.arm(self.sockets[s]);
        } catch (...) {
            return -1;
        }
        return 0;
    }

    // Curl moves its deadline on nearly every call; re-arming the Asio timer each time costs
    // a timerfd_settime syscall (measured: a fifth of the CPU of a warm round). So the Asio
    // timer is only ever moved earlier; when it fires before curl's latest deadline it is
    // re-armed for it, and "now" is a posted handler rather than a timer. Curl does not
    // repeat a deadline it already reported, so after each timeout action the deadline is
    // read back with curl_multi_timeout instead of waiting for the callback.
    static int on_curl_timer(CURLM*, long timeout_ms, void* user) noexcept {
        static_cast<impl*>(user)->want_timeout(timeout_ms);
        return 0;
    }

    void want_timeout(long timeout_ms) noexcept {
        if (timeout_ms < 0) {
            // Nothing left to time: a pending wait would keep io_context::run() busy until
            // it fires (a --once round or `newswatch fetch` would wait for it).
            wanted_deadline.reset();
            if (timer_armed) {
                timer_armed = false;
                timer.cancel();
            }
            return;
        }
        if (timeout_ms == 0) {
            wanted_deadline.reset();
            if (!immediate_pending) {
                immediate_pending = true;
                asio::post(executor, [weak = weak_from_this()] {
                    if (auto s = weak.lock()) {
                        s->immediate_pending = false;
                        s->on_timeout();
                    }
                });
            }
            return;
        }
        wanted_deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
        if (timer_armed && timer_deadline <= *wanted_deadline) return;
        timer_armed = true;
        timer_deadline = *wanted_deadline;
        timer.expires_at(timer_deadline);
        timer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
            if (ec == asio::error::operation_aborted) return;  // moved earlier: a newer wait runs
            auto s = weak.lock();
            if (!s) return;
            s->timer_armed = false;
            if (!s->wanted_deadline) return;
            if (clock_type::now() < *s->wanted_deadline) {
                // Early: curl's deadline moved later meanwhile.
                const auto left =
                    std::chrono::ceil<std::chrono::milliseconds>(*s->wanted_deadline - clock_type::now());
                s->want_timeout(std::max<long>(1, static_cast<long>(left.count())));
                return;
            }
            s->on_timeout();
        });
    }

    void on_timeout() {
        if (multi == nullptr) return;
        wanted_deadline.reset();
        int still_running = 0;
        curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &still_running);
        collect_done();
        if (multi == nullptr || wanted_deadline || immediate_pending) return;
        long ms = -1;
        curl_multi_timeout(multi, &ms);
        want_timeout(ms);
    }

    void arm(const std::shared_ptr<socket_watch>& watch) {
        if (watch->closed) return;
        if ((watch->want & CURL_POLL_IN) && !watch->reading) {
            watch->reading = true;
            watch->descriptor.async_wait(asio::posix::descriptor_base::wait_read,
                                         [weak = weak_from_this(), watch](boost::system::error_code ec) {
                                             watch->reading = false;
                                             if (auto s = weak.lock())
                                                 s->on_ready(watch, CURL_CSELECT_IN, ec);
                                         });
        }
        if ((watch->want & CURL_POLL_OUT) && !watch->writing) {
            watch->writing = true;
            watch->descriptor.async_wait(asio::posix::descriptor_base::wait_write,
                                         [weak = weak_from_this(), watch](boost::system::error_code ec) {
                                             watch->writing = false;
                                             if (auto s = weak.lock())
                                                 s->on_ready(watch, CURL_CSELECT_OUT, ec);
                                         });
        }
    }

    void on_ready(const std::shared_ptr<socket_watch>& watch, int direction, boost::system::error_code ec) {
        if (watch->closed || ec == asio::error::operation_aborted || multi == nullptr) return;
        if ((watch->want & direction) == 0) return;  // curl no longer cares about this direction
        // A descriptor that keeps failing (closed behind our back) must not spin the loop;
        // curl's own timeouts still end its transfer.
        watch->errors = ec ? watch->errors + 1 : 0;
        int still_running = 0;
        curl_multi_socket_action(multi, watch->fd, ec ? CURL_CSELECT_ERR : direction, &still_running);
        collect_done();
        if (watch->errors <= 3) arm(watch);
    }

    void collect_done() {
        CURLMsg* msg = nullptr;
        int left = 0;
        while (multi != nullptr && (msg = curl_multi_info_read(multi, &left)) != nullptr) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* easy = msg->easy_handle;
            const CURLcode rc = msg->data.result;
            transfer* t = nullptr;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
            if (t != nullptr && running.count(t) > 0) on_hop_done(*t, rc);
        }
        pump();
    }

    asio::any_io_executor executor;
    client_options options;
    asio::steady_timer timer;
    CURLM* multi = nullptr;
    std::unordered_map<curl_socket_t, std::shared_ptr<socket_watch>> sockets;
    std::unordered_map<transfer*, std::unique_ptr<transfer>> running;
    std::unordered_map<std::string, host_state> hosts;
    std::deque<std::string> runnable_hosts;
    std::unordered_set<std::string> private_endpoints;  // host:port reached at a non-public address
    std::vector<CURL*> idle_easy;
    std::size_t active = 0;
    std::function<bool()> start_gate;
    std::unordered_map<std::string, std::optional<origin>> origin_cache;
    bool pumping = false;
    bool timer_armed = false;
    bool immediate_pending = false;
    clock_type::time_point timer_deadline{};
    std::optional<clock_type::time_point> wanted_deadline;  // curl's latest deadline
};

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
        impl_->post_completion(std::move(done), std::move(r));
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

void http_client::set_start_gate(std::function<bool()> may_start) { impl_->start_gate = std::move(may_start); }

void http_client::resume() { impl_->pump(); }

}  // namespace newswatch::fetcher
