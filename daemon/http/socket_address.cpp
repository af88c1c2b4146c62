#include "socket_address.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace newswatch::http {

std::optional<boost::asio::ip::address> to_address(const struct sockaddr* sa) {
    namespace ip = boost::asio::ip;
    if (sa->sa_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, sa, sizeof in);
        return ip::address_v4{ntohl(in.sin_addr.s_addr)};
    }
    if (sa->sa_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, sa, sizeof in6);
        ip::address_v6::bytes_type bytes;
        std::memcpy(bytes.data(), &in6.sin6_addr, 16);
        return ip::address_v6{bytes};
    }
    return std::nullopt;
}

curl_socket_t open_cloexec_socket(const struct curl_sockaddr* addr) noexcept {
    return ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

}  // namespace newswatch::http
