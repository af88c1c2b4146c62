#include "daemon_generation.hpp"

#include <algorithm>
#include <thread>

#include "newswatch/logging/module_logger.hpp"
#include "newswatch/logging/structured_log.hpp"

#include "newswatch/config/config_error.hpp"
#include "runtime_setup.hpp"

namespace newswatch::app {

std::unique_ptr<daemon_generation> build_generation(config::configuration cfg,
                                                    boost::asio::any_io_executor executor,
                                                    store::state_store& store,
                                                    pipeline::compute_pool& compute,
                                                    dedup::story_index& stories,
                                                    pipeline::storm_guard& storms,
                                                    const std::filesystem::path& state_dir,
                                                    const std::optional<std::string>& model_option) {
    auto g = std::make_unique<daemon_generation>();
    g->cfg = std::move(cfg);
    const config::configuration& c = g->cfg;
    g->watches = c.compiled_watches;  // compiled (and checked) by the configuration loader
    if (!g->watches) throw std::logic_error("configuration not made by config::load_configuration");
    auto stance = load_stance_model(c, model_option);
    if (!stance) throw config::config_error(stance.err().message);
    if (*stance) {
        logging::log(
            *logging::module_logger("daemon"), spdlog::level::info, "stance model loaded",
            {.event = "stance_model",
             .extra = {{"version", (*stance)->model.version()}, {"path", (*stance)->path.string()}}});
        g->stance_model = std::move((*stance)->model);
    }
    g->bindings = watch_bindings_of(c);
    g->options = pipeline_options_of(c);
    // Enough queued documents to keep every worker busy through a journal write or a
    // burst of fetch completions on the loop thread, few enough to bound memory.
    g->options.processing_backlog = std::max<std::size_t>(16, 8 * compute.threads());
    auto feeds = feed_definitions_of(c);  // reads password files: may throw
    g->client = std::make_unique<http::http_client>(executor, client_options_of(c));
    g->sinks =
        make_sinks(c, sinks::sink_context{.executor = executor, .http = g->client.get(), .state_dir = state_dir});
    g->journal = std::make_unique<pipeline::state_journal>(executor, store);
    g->articles =
        std::make_unique<pipeline::article_fetcher>(executor, *g->client, store, compute, g->options);
    g->processor = std::make_unique<pipeline::item_processor>(
        g->options, *g->watches, g->bindings, g->stance_model ? &*g->stance_model : nullptr, store,
        *g->journal, compute, &stories, g->articles.get(), &storms);
    std::map<std::string, pipeline::sink_binding> sink_refs;
    const auto policies = delivery_policies_of(c);
    for (auto& [name, sink] : g->sinks) sink_refs[name] = {sink.get(), policies.at(name)};
    g->dispatcher = std::make_unique<pipeline::outbox_dispatcher>(executor, store, std::move(sink_refs),
                                                                  c.daemon.alert_retention);
    g->monitor = std::make_unique<pipeline::feed_monitor>(executor, *g->client, *g->processor, *g->dispatcher,
                                                          store, *g->journal, std::move(feeds), g->options);
    return g;
}

std::size_t worker_threads_of(const config::configuration& cfg) {
    if (cfg.daemon.worker_threads) return *cfg.daemon.worker_threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace newswatch::app
