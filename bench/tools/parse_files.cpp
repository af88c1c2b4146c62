// bench/run's parse step: parses feed files already in memory, the way the daemon does per
// fetched feed, and prints what it cost in CPU time, so the figure is the library's and not
// file reading's or process start's.
//
//   parse_files [--pugixml] [--repeat N] LIST_FILE
//
// LIST_FILE holds one feed path per line. Default mode: newswatch::parser::parse_feed (XML,
// charset, HTML to text) over every file. --pugixml: a bare pugixml load of the same bytes
// (pugi::parse_default, no decoding, no feed model): the floor any XML-based parser starts
// from. Prints one JSON object: {"files", "bytes", "items", "cpu_s", "repeat"}; bytes and
// items count every repetition.
#include <pugixml.hpp>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "newswatch/parser/feed_parser.hpp"

namespace {

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return std::move(ss).str();
}

std::size_t pugixml_items(const pugi::xml_document& doc) {
    std::size_t n = 0;
    for (const pugi::xpath_node& x : doc.select_nodes("//item | //*[local-name()='entry']"))
        n += x.node() ? 1 : 0;
    return n;
}

}  // namespace

int main(int argc, char** argv) {
    bool pugixml = false;
    int repeat = 1;
    std::string list;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--pugixml") {
            pugixml = true;
        } else if (a == "--repeat" && i + 1 < argc) {
            repeat = std::max(1, std::atoi(argv[++i]));
        } else {
            list = a;
        }
    }
    if (list.empty()) {
        std::cerr << "usage: parse_files [--pugixml] [--repeat N] LIST_FILE\n";
        return 2;
    }
    std::vector<std::string> files;
    std::ifstream paths(list);
    for (std::string p; std::getline(paths, p);)
        if (!p.empty()) files.push_back(read_file(p));
    std::size_t bytes = 0, items = 0, items_per_pass = 0;
    // A bare load has no feed model: its items are counted in an untimed pass.
    if (pugixml)
        for (const std::string& f : files) {
            pugi::xml_document doc;
            if (doc.load_buffer(f.data(), f.size())) items_per_pass += pugixml_items(doc);
        }
    const double start = cpu_seconds();
    for (int r = 0; r < repeat; ++r) {
        for (const std::string& f : files) {
            bytes += f.size();
            if (pugixml) {
                pugi::xml_document doc;
                doc.load_buffer(f.data(), f.size());
            } else {
                items += newswatch::parser::parse_feed(f).items.size();
            }
        }
    }
    const double cpu = cpu_seconds() - start;
    if (pugixml) items = items_per_pass * static_cast<std::size_t>(repeat);
    std::cout << "{\"files\":" << files.size() << ",\"bytes\":" << bytes << ",\"items\":" << items
              << ",\"cpu_s\":" << cpu << ",\"repeat\":" << repeat << "}\n";
    return 0;
}
