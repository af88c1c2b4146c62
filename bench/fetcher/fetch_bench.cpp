// The fetcher alone against a local server: one round over every URL in a file, as
// `newswatchd --once` would fetch them (all at once, capped by the client's limits), with
// the validators of the previous round when a state file exists (so the first run is the
// cold round and the second the warm, all-304 one). Prints one line of figures; wall time,
// CPU and peak RSS of the whole process come from bench/fetcher/run.sh (GNU time).
//
// fetcher_bench --urls FILE [--state FILE] [--max-connections N] [--max-per-host N]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>

#include "newswatch/http/http_client.hpp"

namespace {

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
    std::string urls_file, state_file;
    newswatch::http::client_options options;
    options.max_connections = 64;
    options.max_per_host = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--urls")
            urls_file = v;
        else if (a == "--state")
            state_file = v;
        else if (a == "--max-connections")
            options.max_connections = std::stoul(v);
        else if (a == "--max-per-host")
            options.max_per_host = std::stoul(v);
        else {
            std::fprintf(stderr, "fetcher_bench: unknown option %s\n", a.c_str());
            return 2;
        }
    }
    if (urls_file.empty()) {
        std::fprintf(
            stderr,
            "usage: fetcher_bench --urls FILE [--state FILE] [--max-connections N] [--max-per-host N]\n");
        return 2;
    }
    spdlog::set_level(spdlog::level::warn);  // one line per fetch at info would dominate

    std::vector<std::string> urls;
    {
        std::ifstream in(urls_file);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) urls.push_back(line);
    }
    std::map<std::string, std::pair<std::string, std::string>> validators;
    if (!state_file.empty()) {
        std::ifstream in(state_file);
        for (std::string line; std::getline(in, line);) {
            auto t1 = line.find('\t'), t2 = line.rfind('\t');
            if (t1 == std::string::npos || t1 == t2) continue;
            validators[line.substr(0, t1)] = {line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)};
        }
    }

    boost::asio::io_context io;
    std::size_t ok = 0, not_modified = 0, failed = 0, body_bytes = 0, wire_bytes = 0;
    std::map<std::string, std::pair<std::string, std::string>> next;
    const double cpu0 = cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    {
        newswatch::http::http_client client(io.get_executor(), options);
        for (const auto& url : urls) {
            newswatch::http::fetch_request r;
            r.url = url;
            if (auto it = validators.find(url); it != validators.end()) {
                r.etag = it->second.first;
                r.last_modified = it->second.second;
            }
            client.async_fetch(std::move(r), [&, url](newswatch::http::fetch_response resp) {
                body_bytes += resp.body_bytes;
                wire_bytes += resp.wire_bytes;
                if (resp.outcome == newswatch::http::fetch_outcome::ok)
                    ++ok;
                else if (resp.outcome == newswatch::http::fetch_outcome::not_modified)
                    ++not_modified;
                else {
                    if (failed++ < 5)
                        std::fprintf(stderr, "%s: %s %s\n", url.c_str(),
                                     std::string(to_string(resp.outcome)).c_str(), resp.error.c_str());
                }
                if (resp.succeeded()) next[url] = {resp.etag, resp.last_modified};
            });
        }
        io.run();
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    if (!state_file.empty()) {
        std::ofstream out(state_file, std::ios::trunc);
        for (const auto& [url, v] : next) out << url << '\t' << v.first << '\t' << v.second << '\n';
    }
    std::printf(
        "fetcher_bench feeds=%zu ok=%zu not_modified=%zu failed=%zu loop_wall_s=%.3f loop_cpu_s=%.3f "
        "req_per_s=%.0f cpu_us_per_fetch=%.1f decoded_mb=%.1f wire_mb=%.1f peak_rss_mb=%.1f\n",
        urls.size(), ok, not_modified, failed, wall, cpu, static_cast<double>(urls.size()) / wall,
        cpu * 1e6 / static_cast<double>(std::max<std::size_t>(urls.size(), 1)), body_bytes / 1e6,
        wire_bytes / 1e6, static_cast<double>(peak_rss_kib()) / 1024.0);
    return failed == 0 ? 0 : 1;
}
