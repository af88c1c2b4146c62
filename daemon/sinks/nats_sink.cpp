#include "newswatch/sinks/nats_sink.hpp"

#include <nats/nats.h>

#include <fstream>
#include <mutex>
#include <thread>
#include <utility>

#include <boost/asio/post.hpp>

#include "newswatch/config/config_error.hpp"
#include "newswatch/core/output_text.hpp"
#include "newswatch/core/time.hpp"
#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

namespace newswatch::sinks {
namespace asio = boost::asio;

namespace {

constexpr auto reconnect_wait = std::chrono::seconds(2);
// A delivery finds the connection closed for good (cnats gave up, or the first attempt
// failed outright): start a new one, at most this often.
constexpr auto connect_again_after = std::chrono::seconds(5);

std::string status_text(natsStatus s) {
    return natsStatus_GetText(s);
}

long long milliseconds(core::seconds s) {
    return std::chrono::milliseconds(s).count();
}

}  // namespace

// What cnats's threads share with the loop. cnats calls back with a closure that names the
// sink by a number; the registry below turns it into this state, or into nothing once the
// sink is gone, so a late callback never touches freed memory.
struct nats_sink::shared_state {
    explicit shared_state(core::lifetime_token::watcher alive) : sink_alive(std::move(alive)) {}

    asio::any_io_executor executor;
    core::lifetime_token::watcher sink_alive;  // read on the executor only
    nats_sink* sink = nullptr;                 // valid while sink_alive has not expired
    std::shared_ptr<spdlog::logger> logger;
    std::string name;
    std::string servers_for_logs;
    std::string subject;
    std::uintptr_t id = 0;

    std::mutex mutex;
    bool closed = false;  // the sink is being destroyed: post nothing more
    std::unordered_map<const natsMsg*, std::uint64_t> tokens;  // published, awaiting the ack

    // Runs `f` on the executor, unless the sink has gone by then. Call with `mutex` held.
    template <class F>
    void post_locked(std::shared_ptr<shared_state> self, F f) {
        if (closed) return;
        asio::post(executor, [self = std::move(self), f = std::move(f)]() mutable {
            if (self->sink_alive.expired()) return;
            f(*self->sink);
        });
    }

    void log(spdlog::level::level_enum level, std::string_view message, std::string_view outcome,
             std::string_view error = {}) noexcept {
        logging::log_fields fields{.event = "nats_connection",
                                   .sink = name,
                                   .outcome = outcome,
                                   .extra = {{"server", servers_for_logs}}};
        if (!error.empty()) fields.extra.push_back({"error", error});
        logging::log(*logger, level, message, fields);
    }
};

namespace {

class state_registry {
public:
    // Never destroyed: cnats's threads may still call back while the process exits.
    static state_registry& instance() {
        static auto* registry = new state_registry;
        return *registry;
    }
    std::uintptr_t add(std::weak_ptr<nats_sink::shared_state> state) {
        std::lock_guard lock(mutex_);
        states_.emplace(++last_id_, std::move(state));
        return last_id_;
    }
    void remove(std::uintptr_t id) {
        std::lock_guard lock(mutex_);
        states_.erase(id);
    }
    std::shared_ptr<nats_sink::shared_state> find(void* closure) {
        std::lock_guard lock(mutex_);
        auto it = states_.find(reinterpret_cast<std::uintptr_t>(closure));
        return it == states_.end() ? nullptr : it->second.lock();
    }

private:
    std::mutex mutex_;
    std::uintptr_t last_id_ = 0;
    std::unordered_map<std::uintptr_t, std::weak_ptr<nats_sink::shared_state>> states_;
};

}  // namespace

// cnats's callbacks, on cnats's threads: nothing here touches the sink itself.
struct nats_callbacks {
    static void on_ack(jsCtx*, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error, void* closure) {
        if (auto state = state_registry::instance().find(closure)) {
            delivery_result result = ack ? acked(*ack) : failed(*error, *state);
            std::lock_guard lock(state->mutex);
            if (auto it = state->tokens.find(msg); it != state->tokens.end()) {
                const std::uint64_t token = it->second;
                state->tokens.erase(it);
                state->post_locked(state, [token, result = std::move(result)](nats_sink& sink) mutable {
                    sink.complete(token, std::move(result));
                });
            }
        }
        natsMsg_Destroy(msg);  // ours to destroy once the handler is called (cnats's contract)
    }

    static delivery_result acked(const jsPubAck& ack) {
        std::string detail = "stored in stream " + core::payload_text(ack.Stream ? ack.Stream : "") + " as " +
                             std::to_string(ack.Sequence);
        // A message id the stream has seen within its duplicate window: the alert is there.
        if (ack.Duplicate) detail += " (duplicate, already stored)";
        return delivery_result::ok(std::move(detail));
    }

    static delivery_result failed(const jsPubAckErr& error, const nats_sink::shared_state& state) {
        switch (error.Err) {
            case NATS_NO_RESPONDERS:
                // Nothing listens on the subject: no stream stores it (yet). The operator may
                // create it later, and the retries then get through.
                return delivery_result::retry("no JetStream stream stores subject '" + state.subject +
                                              "' (no responders): create the stream");
            case NATS_TIMEOUT:
                return delivery_result::retry("no publish ack from " + state.servers_for_logs + " in time");
            default: {
                std::string detail = "JetStream publish failed: " + status_text(error.Err);
                if (error.ErrCode != 0) detail += " (error " + std::to_string(error.ErrCode) + ")";
                if (error.ErrText && *error.ErrText) detail += ": " + core::payload_text(error.ErrText);
                return delivery_result::retry(std::move(detail));
            }
        }
    }

    static void on_event(natsConnection*, void* closure, spdlog::level::level_enum level,
                         std::string_view message, std::string_view outcome) {
        if (auto state = state_registry::instance().find(closure)) state->log(level, message, outcome);
    }
    static void on_connected(natsConnection* c, void* closure) {
        on_event(c, closure, spdlog::level::info, "connected to NATS", "connected");
    }
    static void on_disconnected(natsConnection* c, void* closure) {
        on_event(c, closure, spdlog::level::warn, "disconnected from NATS, reconnecting", "disconnected");
    }
    static void on_reconnected(natsConnection* c, void* closure) {
        on_event(c, closure, spdlog::level::info, "reconnected to NATS", "reconnected");
    }
    static void on_closed(natsConnection* c, void* closure) {
        on_event(c, closure, spdlog::level::warn, "NATS connection closed", "closed");
    }
    static void on_error(natsConnection*, natsSubscription*, natsStatus s, void* closure) {
        if (auto state = state_registry::instance().find(closure))
            state->log(spdlog::level::warn, "NATS error", "error", status_text(s));
    }

    // A connection (possibly still trying in the background) and its JetStream context, or
    // the reason there is none. Destroys what it still holds, so a connection handed to the
    // loop in a handler that never runs (the sink or the loop went first) is closed too.
    struct connection {
        natsConnection* nc = nullptr;
        jsCtx* js = nullptr;
        natsStatus status = NATS_OK;

        connection() = default;
        connection(connection&& other) noexcept
            : nc(std::exchange(other.nc, nullptr)),
              js(std::exchange(other.js, nullptr)),
              status(other.status) {}
        connection& operator=(connection&&) = delete;
        ~connection() {
            if (js) jsCtx_Destroy(js);
            if (nc) natsConnection_Destroy(nc);
        }
    };

    // On the connector thread.
    static connection connect(const config::nats_sink_options& options, void* closure) {
        connection out;
        natsOptions* opts = nullptr;
        natsStatus s = natsOptions_Create(&opts);
        const int connect_timeout =
            static_cast<int>(std::min<long long>(milliseconds(options.timeout), 5000));
        if (s == NATS_OK) s = natsOptions_SetURL(opts, options.server.c_str());
        if (s == NATS_OK) s = natsOptions_SetName(opts, "newswatch");
        if (s == NATS_OK) s = natsOptions_SetTimeout(opts, connect_timeout);
        if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);  // forever: alerts wait in the outbox
        if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, milliseconds(reconnect_wait));
        if (s == NATS_OK) s = natsOptions_SetReconnectJitter(opts, 500, 1000);
        if (s == NATS_OK) s = natsOptions_SetRetryOnFailedConnect(opts, true, &on_connected, closure);
        if (s == NATS_OK) s = natsOptions_SetDisconnectedCB(opts, &on_disconnected, closure);
        if (s == NATS_OK) s = natsOptions_SetReconnectedCB(opts, &on_reconnected, closure);
        if (s == NATS_OK) s = natsOptions_SetClosedCB(opts, &on_closed, closure);
        if (s == NATS_OK) s = natsOptions_SetErrorHandler(opts, &on_error, closure);
        if (s == NATS_OK && options.creds_file)
            s = natsOptions_SetUserCredentialsFromFiles(opts, options.creds_file->c_str(), nullptr);
        if (s == NATS_OK) s = natsConnection_Connect(&out.nc, opts);
        natsOptions_Destroy(opts);
        out.status = s;
        if (s != NATS_OK && s != NATS_NOT_YET_CONNECTED) return out;  // no connection object
        jsOptions js_options;
        jsOptions_Init(&js_options);
        js_options.PublishAsync.AckHandler = &on_ack;
        js_options.PublishAsync.AckHandlerClosure = closure;
        js_options.PublishAsync.MaxPending = 0;  // no stall: the dispatcher bounds what is in flight
        if (natsStatus js = natsConnection_JetStream(&out.js, out.nc, &js_options); js != NATS_OK) {
            natsConnection_Destroy(std::exchange(out.nc, nullptr));
            out.status = js;
        }
        return out;
    }
};

nats_sink::nats_sink(std::string name, asio::any_io_executor executor, config::nats_sink_options options)
    : alert_sink(std::move(name)),
      executor_(std::move(executor)),
      options_(std::move(options)),
      servers_for_logs_(loggable_servers(options_.server)) {
    state_ = std::make_shared<shared_state>(lifetime_.watch());
    state_->executor = executor_;
    state_->sink = this;
    state_->logger = logging::module_logger("sinks");
    state_->name = this->name();
    state_->servers_for_logs = servers_for_logs_;
    state_->subject = options_.subject;
    state_->id = state_registry::instance().add(state_);
    // No executor: built only to be validated (`newswatch check`), so no connection.
    if (executor_) connect();
}

nats_sink::~nats_sink() {
    {
        std::lock_guard lock(state_->mutex);
        state_->closed = true;
        state_->tokens.clear();
    }
    state_registry::instance().remove(state_->id);
    // Not detached: a thread still inside cnats when the process exits crashes it. It sees
    // `closed` and returns after one connect attempt (at most the connect timeout, 5 s).
    if (connector_.joinable()) connector_.join();
    nats_callbacks::connection current;
    current.nc = connection_;
    current.js = js_;
}

std::string nats_sink::loggable_servers(std::string_view servers) {
    std::string out;
    while (!servers.empty()) {
        const auto comma = servers.find(',');
        std::string_view url = servers.substr(0, comma);
        servers = comma == std::string_view::npos ? std::string_view{} : servers.substr(comma + 1);
        const auto scheme = url.find("://");
        const auto host_start = scheme == std::string_view::npos ? 0 : scheme + 3;
        const auto at = url.find('@', host_start);
        const auto slash = url.find('/', host_start);
        if (at != std::string_view::npos && (slash == std::string_view::npos || at < slash))
            out.append(url.substr(0, host_start)).append(url.substr(at + 1));  // without user:password@
        else
            out.append(url);
        if (!servers.empty()) out += ',';
    }
    return core::payload_text(out);
}

void nats_sink::connect() {
    if (connecting_) return;
    connecting_ = true;
    last_connect_ = std::chrono::steady_clock::now();
    // The first attempt can take a DNS lookup and a TCP connect timeout: on a thread of
    // its own. The outcome is handed to the loop, which alone uses and destroys the
    // connection.
    if (connector_.joinable()) connector_.join();  // done: it has handed over
    connector_ = std::thread([state = state_, options = options_] {
        auto c = nats_callbacks::connect(options, reinterpret_cast<void*>(state->id));
        std::lock_guard lock(state->mutex);  // released before `c` closes a connection nobody wants
        if (state->closed) return;
        if (!c.js)
            state->log(spdlog::level::warn, "cannot connect to NATS", "failed", status_text(c.status));
        else if (c.status == NATS_OK)
            state->log(spdlog::level::info, "connected to NATS", "connected");
        else
            state->log(spdlog::level::warn, "NATS not reachable yet, connecting in the background",
                       "connecting");
        // If the sink dies before this runs, the connection dies with the handler.
        state->post_locked(state, [c = std::move(c)](nats_sink& sink) mutable {
            sink.connecting_ = false;
            std::optional<delivery_result> failure;
            if (c.js) {
                nats_callbacks::connection old;  // a closed one this replaces
                old.nc = std::exchange(sink.connection_, std::exchange(c.nc, nullptr));
                old.js = std::exchange(sink.js_, std::exchange(c.js, nullptr));
                failure = sink.not_ready();
            } else {
                failure = delivery_result::retry("cannot connect to " + sink.servers_for_logs_ + ": " +
                                                 status_text(c.status));
            }
            // Deliveries that waited for this connection.
            auto parked = std::move(sink.parked_);
            sink.parked_.clear();
            for (auto& [token, message] : parked) {
                if (!sink.in_flight_.contains(token)) continue;  // timed out or cancelled meanwhile
                if (failure)
                    sink.complete(token, *failure);
                else
                    sink.publish(token, message);
            }
        });
    });
}

std::optional<delivery_result> nats_sink::not_ready() {
    if (js_ && natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED) return std::nullopt;
    const bool given_up = !js_ || natsConnection_Status(connection_) == NATS_CONN_STATUS_CLOSED;
    if (given_up && !connecting_ && std::chrono::steady_clock::now() - last_connect_ >= connect_again_after)
        connect();
    std::string detail = "not connected to " + servers_for_logs_;
    if (connection_) {
        const char* text = nullptr;
        const natsStatus last = natsConnection_GetLastError(connection_, &text);
        if (last != NATS_OK) detail += " (" + status_text(last) + ")";
        detail += given_up ? ", connecting again" : ", reconnecting";
    }
    return delivery_result::retry(std::move(detail));
}

void nats_sink::deliver_(const delivery_message& message, completion done) {
    if (!js_ && connecting_) {
        // The first connection is being made (the daemon has just started, or `--once`,
        // or `sink test`): wait for it up to `timeout` rather than fail at once.
        const std::uint64_t token = track(
            std::move(done), options_.timeout,
            "not connected to " + servers_for_logs_ + " within " + core::format_duration(options_.timeout));
        parked_.push_back({token, message});  // the views live until the completion
        return;
    }
    if (auto r = not_ready()) return done(std::move(*r));
    const std::uint64_t token = track(std::move(done), {}, {});
    publish(token, message);
}

std::uint64_t nats_sink::track(completion done, std::chrono::milliseconds wait, std::string expired) {
    const std::uint64_t token = ++next_token_;
    in_flight_[token].done = std::move(done);
    if (wait.count() > 0) arm_deadline(token, wait, std::move(expired));
    return token;
}

void nats_sink::arm_deadline(std::uint64_t token, std::chrono::milliseconds wait, std::string expired) {
    auto& entry = in_flight_.at(token);
    entry.deadline = std::make_unique<asio::steady_timer>(executor_, wait);
    entry.deadline->async_wait([this, token, expired = std::move(expired),
                                alive = lifetime_.watch()](const boost::system::error_code& ec) {
        if (alive.expired() || ec) return;
        complete(token, delivery_result::retry(expired));
    });
}

void nats_sink::publish(std::uint64_t token, const delivery_message& message) {
    natsMsg* msg = nullptr;
    if (natsStatus s = natsMsg_Create(&msg, options_.subject.c_str(), nullptr, message.payload.data(),
                                      static_cast<int>(message.payload.size()));
        s != NATS_OK)
        return complete(token, delivery_result::retry("cannot build the NATS message: " + status_text(s)));
    const std::string id(message.id);
    jsPubOptions publish;
    jsPubOptions_Init(&publish);
    publish.MsgId = id.c_str();  // sets the Nats-Msg-Id header
    publish.MaxWait = milliseconds(options_.timeout);
    {
        std::lock_guard lock(state_->mutex);
        state_->tokens[msg] = token;  // before publishing: the ack may come at once
    }
    in_flight_.at(token).msg = msg;
    // Our own bound as well as cnats's MaxWait: a connection that closes with publishes
    // pending would never call them back.
    arm_deadline(
        token, options_.timeout + std::chrono::seconds(1),
        "no publish ack from " + servers_for_logs_ + " within " + core::format_duration(options_.timeout));

    const natsStatus s = js_PublishMsgAsync(js_, &msg, &publish);
    if (s == NATS_OK) return;  // cnats owns msg now
    natsMsg_Destroy(msg);
    if (s == NATS_MAX_PAYLOAD)
        return complete(token,
                        delivery_result::permanent("payload of " + std::to_string(message.payload.size()) +
                                                   " bytes exceeds the server's max_payload"));
    complete(token, delivery_result::retry("publish to " + servers_for_logs_ + " failed: " + status_text(s)));
}

void nats_sink::complete(std::uint64_t token, delivery_result result) {
    auto it = in_flight_.find(token);
    if (it == in_flight_.end()) return;  // already answered (deadline, cancel_all)
    auto done = std::move(it->second.done);
    const natsMsg* msg = it->second.msg;
    in_flight_.erase(it);  // the timer's handler sees operation_aborted
    {
        // Answered by our own deadline: a late ack must not find it (the address may even
        // belong to a newer message by then, hence the token check).
        std::lock_guard lock(state_->mutex);
        if (auto t = state_->tokens.find(msg); t != state_->tokens.end() && t->second == token)
            state_->tokens.erase(t);
    }
    if (done) done(std::move(result));
}

void nats_sink::cancel_all() noexcept {
    auto pending = std::move(in_flight_);
    in_flight_.clear();
    parked_.clear();
    {
        std::lock_guard lock(state_->mutex);
        state_->tokens.clear();
    }
    for (auto& [token, entry] : pending)
        if (entry.done) entry.done(delivery_result::retry("cancelled"));
}

std::unique_ptr<alert_sink> make_nats_sink(const config::sink_config& config, const sink_context& context) {
    const auto& options = std::get<config::nats_sink_options>(config.options);
    if (options.creds_file) {
        // cnats reads the file at every (re)connect; a missing one is a startup error here.
        std::ifstream creds(*options.creds_file);
        if (!creds)
            throw config::config_error(config.where.to_string() + ": sink '" + config.name +
                                       "': cannot read creds_file " + options.creds_file->string());
    }
    return std::make_unique<nats_sink>(config.name, context.executor, options);
}

}  // namespace newswatch::sinks
