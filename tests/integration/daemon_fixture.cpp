#include "daemon_fixture.hpp"

#include <sqlite3.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <thread>

namespace newswatch::testing {

std::string rfc822(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buffer;
}

std::string xml_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string rss_document(const std::string& title, const std::vector<rss_item>& items) {
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>" +
                      xml_escape(title) +
                      "</title><link>https://news.example/</link><description>test</description>\n";
    for (const auto& item : items) {
        xml += "<item><guid isPermaLink=\"false\">" + xml_escape(item.guid) + "</guid><title>" +
               xml_escape(item.title) + "</title><link>" + xml_escape(item.link) + "</link><description>" +
               xml_escape(item.description) + "</description>";
        if (item.has_date) xml += "<pubDate>" + rfc822(item.published) + "</pubDate>";
        xml += "</item>\n";
    }
    xml += "</channel></rss>\n";
    return xml;
}

std::string quote(const std::filesystem::path& p) {
    return "'" + p.string() + "'";
}

command_result run_daemon(const std::string& arguments) {
    return run_command(quote(bin_dir() / "newswatchd") + " " + arguments);
}

command_result run_tool(const std::string& arguments) {
    return run_command(quote(bin_dir() / "newswatch") + " " + arguments);
}

std::vector<boost::json::object> read_json_lines(const std::filesystem::path& file) {
    std::vector<boost::json::object> out;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        out.push_back(boost::json::parse(line).as_object());
    }
    return out;
}

running_daemon::running_daemon(const std::filesystem::path& config, const std::filesystem::path& log,
                               std::vector<std::string> extra_arguments, std::vector<std::string> env) {
    const std::string bin = (bin_dir() / "newswatchd").string();
    std::vector<std::string> arguments{bin, "--config", config.string()};
    arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
    std::vector<char*> argv;
    for (auto& a : arguments) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
        for (auto& variable : env) putenv(variable.data());
        if (!freopen(log.c_str(), "w", stderr)) _exit(127);
        execv(bin.c_str(), argv.data());
        _exit(127);
    }
}

running_daemon::~running_daemon() {
    if (pid_ > 0 && !reaped_) kill_now();
}

void running_daemon::signal(int signo) {
    ::kill(pid_, signo);
}

int running_daemon::wait(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    do {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            reaped_ = true;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (std::chrono::steady_clock::now() < deadline);
    return -1000;
}

int running_daemon::terminate(std::chrono::milliseconds limit) {
    signal(SIGTERM);
    return wait(limit);
}

void running_daemon::kill_now() {
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    reaped_ = true;
}

long long count_rows(const std::filesystem::path& db, const std::string& table) {
    if (!std::filesystem::exists(db)) return -1;
    sqlite3* handle = nullptr;
    const std::string uri = "file:" + db.string() + "?mode=ro";
    if (sqlite3_open_v2(uri.c_str(), &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
        sqlite3_close(handle);
        return -1;
    }
    sqlite3_busy_timeout(handle, 2000);
    long long count = -1;
    sqlite3_stmt* statement = nullptr;
    const std::string sql = "SELECT COUNT(*) FROM " + table;
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
        count = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(handle);
    return count;
}

}  // namespace newswatch::testing
