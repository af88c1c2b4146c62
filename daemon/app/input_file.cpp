#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <sstream>

namespace newswatch::app {

bool read_input(const std::string& path, std::string& out, std::string& why) {
    if (path == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        if (std::cin.bad()) {
            why = "cannot read standard input";
            return false;
        }
        out = std::move(ss).str();
        return true;
    }
    // A regular file is read with one read() into `out`'s own storage: a caller reading many
    // files into one string reuses its capacity (no fresh pages per file: page faults and
    // the stream layer were a tenth of `parse --json`, issue 16).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        why = "cannot open file";
        return false;
    }
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } close_fd{fd};
    struct stat st {};
    std::size_t size = 0;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        size = static_cast<std::size_t>(st.st_size);
    out.clear();
    std::size_t have = 0;
    for (;;) {
        // Sized files fill the buffer in one call; pipes and growing files grow it.
        if (have == out.size())
            out.resize(std::max<std::size_t>(have + (size > have ? size - have : 0) + 1, have * 2 + 4096));
        const ssize_t n = ::read(fd, out.data() + have, out.size() - have);
        if (n < 0) {
            if (errno == EINTR) continue;
            why = S_ISDIR(st.st_mode) ? "is a directory" : "cannot read file";
            out.clear();
            return false;
        }
        if (n == 0) break;
        have += static_cast<std::size_t>(n);
    }
    out.resize(have);
    return true;
}

}  // namespace newswatch::app
