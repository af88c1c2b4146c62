# The OPML reader alone (core + pugixml): linking newswatch::config would pull in the
# fetcher, whose coroutine code clang's fuzzing build cannot assemble with debug info
# ("Cannot represent a difference across sections").
target_sources(fuzz_opml PRIVATE ${PROJECT_SOURCE_DIR}/daemon/config/opml.cpp)
set(FUZZ_DEPS newswatch::core pugixml::pugixml)
