#pragma once
// The sockets curl opens, seen from our open-socket callbacks. Internal to the http module.
#include <curl/curl.h>

#include <optional>

#include <boost/asio/ip/address.hpp>

namespace newswatch::http {

// IPv4/IPv6 address of a socket address; nullopt for any other family (AF_UNIX ...).
std::optional<boost::asio::ip::address> to_address(const struct sockaddr* sa);

// The socket curl asked for, close-on-exec: a child the daemon spawns (the exec sink) must
// not inherit connections.
curl_socket_t open_cloexec_socket(const struct curl_sockaddr* addr) noexcept;

}  // namespace newswatch::http
