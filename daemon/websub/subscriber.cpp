#include "newswatch/websub/subscriber.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <random>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include "newswatch/core/feed_url.hpp"
#include "newswatch/core/metrics_registry.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"
#include "newswatch/websub/content_signature.hpp"
#include "newswatch/websub/hub_discovery.hpp"

namespace newswatch::websub {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

// 32 random bytes as hex: callback ids and secrets (§5.1: the secret is under 200 bytes).
std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
        // OpenSSL's generator failed (it does not in practice): the random device instead.
        std::random_device device;
        for (char& c : raw) c = static_cast<char>(device());
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

// application/x-www-form-urlencoded (§5.1).
std::string form_encode(std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string form_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// The query of a request target, decoded; the first of a repeated name counts.
std::map<std::string, std::string> query_of(std::string_view target) {
    std::map<std::string, std::string> out;
    const auto q = target.find('?');
    if (q == std::string_view::npos) return out;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const auto eq = pair.find('=');
        out.emplace(form_decode(pair.substr(0, eq)),
                    eq == std::string_view::npos ? std::string() : form_decode(pair.substr(eq + 1)));
        if (amp == std::string_view::npos) break;
        rest.remove_prefix(amp + 1);
    }
    return out;
}

// The last path segment of a request target: the callback id.
std::string_view callback_id_of(std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

service::http_response_message reply(bhttp::status status, std::string body) {
    service::http_response_message r;
    r.result(status);
    r.set(bhttp::field::server, "newswatchd");
    r.set(bhttp::field::cache_control, "no-store");
    r.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    r.body() = std::move(body);
    return r;
}

// Seconds before the lease ends at which a subscription is renewed: a quarter of the lease,
// at most an hour (a hub that grants days gets asked an hour before the end).
core::seconds renew_margin(std::int64_t lease_seconds) {
    return core::seconds{std::clamp<std::int64_t>(lease_seconds / 4, 1, 3600)};
}

// Backoff after failed requests: 1 min, doubling, at most 6 h.
core::seconds retry_delay(std::int64_t failures) {
    const std::int64_t shift = std::clamp<std::int64_t>(failures - 1, 0, 9);
    return core::seconds{std::min<std::int64_t>(60LL << shift, 6 * 3600)};
}

constexpr core::seconds denied_retry{86400};

}  // namespace

subscriber::subscriber(asio::any_io_executor executor, http::http_client& client, store::state_store& store,
                       subscriber_options options, push_handler on_push)
    : executor_(std::move(executor)),
      client_(client),
      subscriptions_(store),
      options_(std::move(options)),
      on_push_(std::move(on_push)),
      timer_(executor_),
      logger_(logging::module_logger("websub")) {
    while (!options_.callback_base.empty() && options_.callback_base.back() == '/')
        options_.callback_base.pop_back();
}

subscriber::~subscriber() {
    stop();
}

void subscriber::stop() {
    stopped_ = true;
    timer_.cancel();
    for (auto& [key, e] : entries_)
        if (e.in_flight) client_.cancel(*std::exchange(e.in_flight, std::nullopt));
}

void subscriber::start(const std::vector<std::string>& feed_urls) {
    auto stored = subscriptions_.all();
    if (!stored) {
        logging::log(*logger_, spdlog::level::err, "cannot read the WebSub subscriptions",
                     {.event = "state_error", .extra = {{"error", stored.err().message}}});
    } else {
        const auto now = core::now_utc();
        for (auto& s : *stored) {
            entry e;
            e.sub = std::move(s);
            // What comes next for each state (see run_due).
            if (e.sub.state == "active" && e.sub.expires_at)
                e.next_action = *e.sub.expires_at - renew_margin(e.sub.lease_seconds);
            else if (e.sub.state == "denied")
                e.next_action = e.sub.requested_at + denied_retry;
            else if (e.sub.state == "failed")
                e.next_action = e.sub.requested_at + retry_delay(e.sub.failures);
            else
                e.next_action = now;  // requested or unsubscribing when we stopped: ask again
            logging::log(
                *logger_, spdlog::level::info, "WebSub subscription loaded",
                {.event = "websub_subscription",
                 .feed = e.sub.feed_url,
                 .outcome = e.sub.state,
                 .extra = {{"hub", core::redact_credentials(e.sub.hub)},
                           {"expires", e.sub.expires_at ? core::format_rfc3339(*e.sub.expires_at) : ""}}});
            const entry_key key = key_of(e);
            entries_.emplace(key, std::move(e));
        }
    }
    set_feeds(feed_urls);
    schedule();
}

void subscriber::set_feeds(const std::vector<std::string>& feed_urls) {
    feeds_ = std::set<std::string>(feed_urls.begin(), feed_urls.end());
    std::vector<entry_key> gone;
    for (auto& [key, e] : entries_)
        if (!feeds_.contains(key.first) && e.sub.state != "unsubscribing") gone.push_back(key);
    for (const auto& key : gone) end(key);
    schedule();
}

void subscriber::end(const entry_key& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    if (it->second.sub.state == "active" || it->second.sub.state == "requested")
        unsubscribe(it->second);
    else
        forget(key);
}

void subscriber::observe(const std::string& feed_url, const std::string& fetched_url,
                         const core::feed_meta& document, const std::vector<std::string>& link_headers) {
    if (stopped_ || !feeds_.contains(feed_url)) return;
    const discovery found = discover(link_headers, document, fetched_url);
    // §4: a subscriber MAY subscribe to one or more of the hubs named; the first few, each
    // on its own (callback, secret, lease).
    std::vector<std::string> hubs;
    for (const auto& hub : found.hubs)
        if (hubs.size() < max_hubs_per_feed && std::find(hubs.begin(), hubs.end(), hub) == hubs.end())
            hubs.push_back(hub);
    // Subscriptions at hubs the feed names no more are of no use.
    std::vector<entry_key> gone;
    for (auto it = entries_.lower_bound({feed_url, ""}); it != entries_.end() && it->first.first == feed_url;
         ++it)
        if (it->second.sub.state != "unsubscribing" &&
            std::find(hubs.begin(), hubs.end(), it->first.second) == hubs.end())
            gone.push_back(it->first);
    for (const auto& key : gone) {
        logging::log(*logger_, spdlog::level::info, "feed names this WebSub hub no more: unsubscribing",
                     {.event = "websub_subscription",
                      .feed = feed_url,
                      .outcome = "hub_gone",
                      .extra = {{"hub", core::redact_credentials(key.second)}}});
        end(key);
    }
    bool changed = !gone.empty();
    for (const auto& hub : hubs) {
        const entry_key key{feed_url, hub};
        if (auto it = entries_.find(key); it != entries_.end()) {
            entry& e = it->second;
            if (e.sub.topic == found.topic && e.sub.state != "unsubscribing") continue;
            if (e.sub.state == "active" || e.sub.state == "requested") {
                // Another topic: end the old subscription (best effort, not waited for).
                entry old = e;
                old.in_flight.reset();
                send(old, "unsubscribe");
            }
            if (e.in_flight) client_.cancel(*std::exchange(e.in_flight, std::nullopt));
            entries_.erase(it);
        }
        entry e;
        e.sub.feed_url = feed_url;
        e.sub.hub = hub;
        e.sub.topic = found.topic;
        e.sub.callback_id = random_hex(16);
        e.sub.secret = random_hex(32);
        e.sub.lease_seconds = options_.lease.count();
        auto [pos, inserted] = entries_.emplace(key, std::move(e));
        (void)inserted;
        subscribe(pos->second, "discovered");
        changed = true;
    }
    if (changed && found.hubs.size() > hubs.size())
        logging::log(*logger_, spdlog::level::info, "feed names more WebSub hubs than are subscribed to",
                     {.event = "websub_subscription",
                      .feed = feed_url,
                      .outcome = "hubs_capped",
                      .extra = {{"hubs_named", found.hubs.size()}, {"subscribed", hubs.size()}}});
    if (changed) schedule();
}

void subscriber::subscribe(entry& e, std::string_view why) {
    // A renewal keeps the subscription active (pushed, polled seldom) until its lease ends.
    if (e.sub.state != "active") e.sub.state = "requested";
    e.sub.requested_at = core::now_utc();
    e.next_action = e.sub.requested_at + options_.verify_timeout;
    save(e);
    logging::log(*logger_, spdlog::level::info, "asking the WebSub hub for a subscription",
                 {.event = "websub_subscription",
                  .feed = e.sub.feed_url,
                  .outcome = e.sub.state == "active" ? "renewing" : "requested",
                  .extra = {{"hub", core::redact_credentials(e.sub.hub)},
                            {"topic", core::redact_credentials(e.sub.topic)},
                            {"reason", why}}});
    send(e, "subscribe");
}

void subscriber::unsubscribe(entry& e) {
    if (e.in_flight) client_.cancel(*std::exchange(e.in_flight, std::nullopt));
    e.sub.state = "unsubscribing";
    e.sub.requested_at = core::now_utc();
    e.next_action = e.sub.requested_at + options_.verify_timeout;  // then forgotten anyway
    save(e);
    logging::log(*logger_, spdlog::level::info, "feed removed: ending its WebSub subscription",
                 {.event = "websub_subscription",
                  .feed = e.sub.feed_url,
                  .outcome = "unsubscribing",
                  .extra = {{"hub", core::redact_credentials(e.sub.hub)}}});
    send(e, "unsubscribe");
}

// §5.1: a form-encoded POST to the hub. The completion finds the entry again by feed URL:
// the entry may have been replaced or forgotten meanwhile.
void subscriber::send(entry& e, const std::string& mode) {
    http::http_request request;
    request.method = "POST";
    request.url = e.sub.hub;
    request.timeout = options_.request_timeout;
    request.max_response_bytes = 16 * 1024;
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.guard = http::address_guard{e.sub.feed_url, options_.allow_private_addresses};
    request.body = "hub.mode=" + mode + "&hub.topic=" + form_encode(e.sub.topic) +
                   "&hub.callback=" + form_encode(options_.callback_base + "/" + e.sub.callback_id);
    if (mode == "subscribe")
        request.body += "&hub.lease_seconds=" + std::to_string(options_.lease.count()) +
                        "&hub.secret=" + form_encode(e.sub.secret);
    core::metrics_registry::process().websub_event(mode == "subscribe" ? "subscribe_sent"
                                                                       : "unsubscribe_sent");
    const std::string feed_url = e.sub.feed_url, callback_id = e.sub.callback_id;
    const entry_key key = key_of(e);
    const bool tracked = entries_.contains(key) && &entries_.at(key) == &e;
    auto id = client_.async_request(std::move(request), [this, alive = lifetime_.watch(), key, feed_url,
                                                         callback_id, mode, tracked](http::http_response r) {
        if (alive.expired() || stopped_) return;
        auto it = entries_.find(key);
        entry* current =
            it != entries_.end() && it->second.sub.callback_id == callback_id ? &it->second : nullptr;
        if (current && tracked) current->in_flight.reset();
        if (r.outcome == http::fetch_outcome::cancelled) return;
        if (r.outcome == http::fetch_outcome::ok) {
            // 202 Accepted: the verification comes (or came already) to the callback.
            logging::log(*logger_, spdlog::level::debug, "the WebSub hub accepted the request",
                         {.event = "websub_request",
                          .feed = feed_url,
                          .outcome = mode,
                          .extra = {{"status", r.status}}});
            return;
        }
        core::metrics_registry::process().websub_event(mode + "_failed");
        logging::log(*logger_, spdlog::level::warn, "WebSub hub request failed",
                     {.event = "websub_request",
                      .feed = feed_url,
                      .outcome = std::string(http::to_string(r.outcome)),
                      .extra = {{"mode", mode},
                                {"hub", core::redact_credentials(key.second)},
                                {"status", r.status},
                                {"error", r.error}}});
        // A failed subscribe is retried with backoff, unless a verification came meanwhile;
        // a failed renewal too, the subscription staying active until its lease ends.
        if (!current || !tracked || mode != "subscribe") return;
        if (current->sub.state != "requested" && current->sub.state != "active") return;
        if (current->sub.state == "requested") current->sub.state = "failed";
        ++current->sub.failures;
        current->sub.last_error = r.error.empty() ? std::string(http::to_string(r.outcome)) : r.error;
        current->next_action = core::now_utc() + retry_delay(current->sub.failures);
        save(*current);
        schedule();
    });
    if (tracked) e.in_flight = id;
}

void subscriber::save(const entry& e) {
    if (auto r = subscriptions_.save(e.sub); !r)
        logging::log(*logger_, spdlog::level::warn, "cannot write the WebSub subscription",
                     {.event = "state_error", .feed = e.sub.feed_url, .extra = {{"error", r.err().message}}});
}

void subscriber::forget(const entry_key& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    if (it->second.in_flight) client_.cancel(*it->second.in_flight);
    entries_.erase(it);
    if (auto r = subscriptions_.erase(key.first, key.second); !r)
        logging::log(*logger_, spdlog::level::warn, "cannot remove the WebSub subscription",
                     {.event = "state_error", .feed = key.first, .extra = {{"error", r.err().message}}});
}

void subscriber::schedule() {
    if (stopped_) return;
    core::timestamp next = core::timestamp::max();
    for (const auto& [key, e] : entries_) next = std::min(next, e.next_action);
    if (next == core::timestamp::max()) {
        timer_.cancel();
        return;
    }
    const auto delay = std::clamp(next - core::now_utc(), core::seconds{0}, core::seconds{86400});
    timer_.expires_after(delay);
    timer_.async_wait([this, alive = lifetime_.watch()](const boost::system::error_code& ec) {
        if (ec || alive.expired() || stopped_) return;
        run_due();
    });
}

void subscriber::run_due() {
    const auto now = core::now_utc();
    std::vector<entry_key> due;
    for (const auto& [key, e] : entries_)
        if (e.next_action <= now) due.push_back(key);
    for (const auto& key : due) {
        auto it = entries_.find(key);
        if (it == entries_.end()) continue;
        entry& e = it->second;
        const std::string state = e.sub.state;
        if (state == "unsubscribing") {
            if (e.sub.requested_at + options_.verify_timeout <= now) {
                forget(key);  // the hub never confirmed; its lease runs out by itself
            } else {
                send(e, "unsubscribe");  // after a restart: ask again
                e.next_action = e.sub.requested_at + options_.verify_timeout;
            }
        } else if (!feeds_.contains(key.first)) {
            forget(key);
        } else if (state == "active") {
            core::metrics_registry::process().websub_event("renewal_due");
            subscribe(e, "renewal");
        } else if (state == "requested") {
            ++e.sub.failures;
            subscribe(
                e, e.sub.requested_at + options_.verify_timeout <= now ? "no verification came" : "restart");
        } else {  // failed, denied: ask again
            subscribe(e, state == "denied" ? "retry after denial" : "retry");
        }
    }
    schedule();
}

subscriber::entry* subscriber::by_callback(std::string_view id) {
    if (id.empty()) return nullptr;
    for (auto& [key, e] : entries_)
        if (e.sub.callback_id == id) return &e;
    return nullptr;
}

bool subscriber::is_active(const entry& e, core::timestamp now) {
    return e.sub.state == "active" && e.sub.expires_at && now < *e.sub.expires_at;
}

bool subscriber::active(const std::string& feed_url) const {
    const auto now = core::now_utc();
    for (auto it = entries_.lower_bound({feed_url, ""}); it != entries_.end() && it->first.first == feed_url;
         ++it)
        if (is_active(it->second, now)) return true;
    return false;
}

std::size_t subscriber::active_count() const {
    const auto now = core::now_utc();
    std::size_t n = 0;
    for (const auto& [key, e] : entries_) n += is_active(e, now) ? 1 : 0;
    return n;
}

service::http_response_message subscriber::handle(const service::http_request_message& request) {
    const std::string_view target = request.target();
    entry* e = by_callback(callback_id_of(target));
    if (request.method() == bhttp::verb::get) {
        if (!e) {
            core::metrics_registry::process().websub_event("unknown_verification");
            logging::log(*logger_, spdlog::level::warn, "WebSub verification for an unknown callback: 404",
                         {.event = "websub_verification", .outcome = "unknown"});
            return reply(bhttp::status::not_found, "no such subscription\n");
        }
        return verify(*e, query_of(target));
    }
    if (request.method() == bhttp::verb::post) {
        if (!e) {
            // §7: 410 Gone tells the hub that this subscription is no more.
            core::metrics_registry::process().websub_event("push_unknown");
            return reply(bhttp::status::gone, "no such subscription\n");
        }
        return distribute(*e, request);
    }
    auto r = reply(bhttp::status::method_not_allowed, "GET or POST\n");
    r.set(bhttp::field::allow, "GET, POST");
    return r;
}

// §5.3 (verification of intent) and §5.2 (denial): answer the challenge only for what we
// asked for, with the topic we asked for.
service::http_response_message subscriber::verify(entry& e, const std::map<std::string, std::string>& query) {
    const auto value = [&](const char* name) {
        auto it = query.find(name);
        return it == query.end() ? std::string() : it->second;
    };
    const std::string mode = value("hub.mode"), topic = value("hub.topic"),
                      challenge = value("hub.challenge");
    const auto refuse = [&](std::string_view why) {
        core::metrics_registry::process().websub_event("unknown_verification");
        logging::log(*logger_, spdlog::level::warn, "WebSub verification refused: 404",
                     {.event = "websub_verification",
                      .feed = e.sub.feed_url,
                      .outcome = "refused",
                      .extra = {{"mode", mode}, {"reason", why}}});
        return reply(bhttp::status::not_found, "not a subscription we asked for\n");
    };
    if (topic != e.sub.topic) return refuse("topic differs");
    if (mode == "denied") {
        e.sub.state = "denied";
        e.sub.last_error = value("hub.reason");
        e.sub.expires_at.reset();
        e.next_action = core::now_utc() + denied_retry;
        save(e);
        core::metrics_registry::process().websub_event("denied");
        logging::log(*logger_, spdlog::level::warn, "the WebSub hub denied the subscription; polling goes on",
                     {.event = "websub_subscription",
                      .feed = e.sub.feed_url,
                      .outcome = "denied",
                      .extra = {{"hub", core::redact_credentials(e.sub.hub)}, {"reason", e.sub.last_error}}});
        schedule();
        return reply(bhttp::status::ok, "");
    }
    if (challenge.empty()) return refuse("no hub.challenge");
    if (mode == "subscribe") {
        if (e.sub.state == "unsubscribing") return refuse("unsubscribing");
        std::int64_t lease = options_.lease.count();
        if (const std::string text = value("hub.lease_seconds"); !text.empty()) {
            std::int64_t parsed = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
            if (ec == std::errc{} && end == text.data() + text.size() && parsed > 0) lease = parsed;
        }
        const bool renewal = e.sub.verified_at.has_value() && e.sub.state == "active";
        const auto now = core::now_utc();
        e.sub.state = "active";
        e.sub.lease_seconds = lease;
        e.sub.verified_at = now;
        e.sub.expires_at = now + core::seconds{lease};
        e.sub.failures = 0;
        e.sub.last_error.clear();
        e.next_action = *e.sub.expires_at - renew_margin(lease);
        save(e);
        core::metrics_registry::process().websub_event(renewal ? "renewed" : "verified");
        logging::log(
            *logger_, spdlog::level::info,
            renewal ? "WebSub subscription renewed" : "WebSub subscription active: content is pushed",
            {.event = "websub_subscription",
             .feed = e.sub.feed_url,
             .outcome = "active",
             .extra = {{"hub", core::redact_credentials(e.sub.hub)},
                       {"lease_seconds", lease},
                       {"expires", core::format_rfc3339(*e.sub.expires_at)}}});
        schedule();
        auto r = reply(bhttp::status::ok, challenge);
        return r;
    }
    if (mode == "unsubscribe") {
        if (e.sub.state != "unsubscribing") return refuse("not unsubscribing");
        const entry_key key = key_of(e);
        core::metrics_registry::process().websub_event("unsubscribed");
        logging::log(*logger_, spdlog::level::info, "WebSub subscription ended",
                     {.event = "websub_subscription",
                      .feed = key.first,
                      .outcome = "unsubscribed",
                      .extra = {{"hub", core::redact_credentials(key.second)}}});
        forget(key);  // e is gone from here
        schedule();
        return reply(bhttp::status::ok, challenge);
    }
    return refuse("unknown hub.mode");
}

// §7 and §8: content is taken only with a valid signature under the subscription's secret;
// a bad or missing one is acknowledged (2xx, so the hub does not retry it) and ignored.
service::http_response_message subscriber::distribute(entry& e,
                                                      const service::http_request_message& request) {
    if (e.sub.state == "unsubscribing" || !feeds_.contains(e.sub.feed_url))
        return reply(bhttp::status::gone, "subscription ended\n");
    const std::string_view signature = request["X-Hub-Signature"];
    if (!signature_valid(signature, e.sub.secret, request.body())) {
        core::metrics_registry::process().websub_event("push_bad_signature");
        logging::log(*logger_, spdlog::level::warn, "WebSub content ignored: missing or bad X-Hub-Signature",
                     {.event = "websub_push",
                      .feed = e.sub.feed_url,
                      .outcome = "bad_signature",
                      .extra = {{"bytes", request.body().size()},
                                {"signature_given", signature.empty() ? "no" : "yes"}}});
        return reply(bhttp::status::accepted, "ignored\n");
    }
    core::metrics_registry::process().websub_event("push_accepted");
    logging::log(*logger_, spdlog::level::info, "WebSub content received",
                 {.event = "websub_push",
                  .feed = e.sub.feed_url,
                  .outcome = "accepted",
                  .extra = {{"hub", core::redact_credentials(e.sub.hub)}, {"bytes", request.body().size()}}});
    on_push_(e.sub.feed_url, request.body(), std::string(request[bhttp::field::content_type]));
    return reply(bhttp::status::accepted, "accepted\n");
}

}  // namespace newswatch::websub
