# Every dependency comes from a Debian 12 package (scripts/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS json url)
find_package(CURL REQUIRED)
find_package(pugixml REQUIRED)
find_package(spdlog REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(Threads REQUIRED)
# Time zones for digests and quiet hours (libhowardhinnant-date-dev over the system tzdata):
# libstdc++ 12 has no std::chrono::tzdb.
find_package(date REQUIRED)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)  # extract: the HTML5 parser
# cnats (libnats-dev): the nats sink publishes to JetStream with it.
pkg_check_modules(NATS REQUIRED IMPORTED_TARGET libnats)
find_library(STEMMER_LIBRARY NAMES stemmer REQUIRED)
find_path(STEMMER_INCLUDE_DIR NAMES libstemmer.h REQUIRED)
add_library(newswatch_stemmer INTERFACE)
target_link_libraries(newswatch_stemmer INTERFACE ${STEMMER_LIBRARY})
target_include_directories(newswatch_stemmer INTERFACE ${STEMMER_INCLUDE_DIR})
