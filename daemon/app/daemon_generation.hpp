#pragma once
// Everything newswatchd builds from one configuration: watches, stance model, sinks, HTTP
// client, processor, dispatcher, monitor. SIGHUP builds a new generation and swaps it in
// only when the new configuration is good; the state store outlives generations.
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "newswatch/config/config.hpp"
#include "newswatch/dedup/story_index.hpp"
#include "newswatch/http/http_client.hpp"
#include "newswatch/matcher/watch_set.hpp"
#include "newswatch/pipeline/compute_pool.hpp"
#include "newswatch/pipeline/feed_monitor.hpp"
#include "newswatch/pipeline/state_journal.hpp"
#include "newswatch/stance/stance_model.hpp"
#include "newswatch/store/state_store.hpp"

namespace newswatch::app {

struct daemon_generation {
    config::configuration cfg;
    std::shared_ptr<const matcher::watch_set> watches;  // always set once built
    std::optional<stance::stance_model> stance_model;
    std::vector<pipeline::watch_binding> bindings;
    pipeline::pipeline_options options;
    // The client before the sinks: HTTP sinks use it, so it is destroyed after them.
    std::unique_ptr<http::http_client> client;
    std::map<std::string, std::unique_ptr<sinks::alert_sink>> sinks;
    std::unique_ptr<pipeline::state_journal> journal;  // declared before its users: destroyed after them
    std::unique_ptr<pipeline::article_fetcher> articles;
    std::unique_ptr<pipeline::item_processor> processor;
    std::unique_ptr<pipeline::outbox_dispatcher> dispatcher;
    std::unique_ptr<pipeline::feed_monitor> monitor;
};

// Startup only: throws config_error / runtime_error naming what is wrong. Must be called
// on `executor`'s thread. `compute`, `stories` (the dedup memory) and `storms` (the storm
// guard; both shared by every generation) must outlive the result.
std::unique_ptr<daemon_generation> build_generation(config::configuration cfg, boost::asio::any_io_executor executor,
                                                    store::state_store& store, pipeline::compute_pool& compute,
                                                    dedup::story_index& stories,
                                                    pipeline::storm_guard& storms,
                                                    const std::filesystem::path& state_dir,
                                                    const std::optional<std::string>& model_option);

// The worker threads a configuration asks for (worker_threads, or one per CPU).
std::size_t worker_threads_of(const config::configuration& cfg);

}  // namespace newswatch::app
