# Warnings and sanitizer flags shared by every target of ours.
add_library(newswatch_warnings INTERFACE)
target_compile_options(newswatch_warnings INTERFACE -Wall -Wextra -Wpedantic
  $<$<BOOL:${NEWSWATCH_WERROR}>:-Werror>
  # GCC 12 reports a false positive on every Asio coroutine frame (awaitable_frame's
  # operator delete); see GCC bug 109224.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>
  # GCC 12 at -O3 (the release preset) reports impossible overlapping memcpy sizes inside
  # std::string's inlined append/insert; see GCC bug 105651. Release only: the other
  # presets build at -O2 or below, where it does not fire.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<CONFIG:Release>>:-Wno-restrict>)
if(NEWSWATCH_SANITIZE)
  target_compile_options(newswatch_warnings INTERFACE -fsanitize=address,undefined
    -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(newswatch_warnings INTERFACE -fsanitize=address,undefined)
endif()
target_compile_definitions(newswatch_warnings INTERFACE BOOST_ASIO_NO_DEPRECATED
  BOOST_ASIO_HAS_CO_AWAIT)

# newswatch_module(<name> DEPS <targets...>)
# One static library per module: daemon/<name>/*.cpp, public headers in
# include/newswatch/<name>/. The DEPS list is the module's allowed dependencies
# (see ARCHITECTURE.md); linking is how the boundaries are enforced.
function(newswatch_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(NOT sources)
    set(sources ${PROJECT_SOURCE_DIR}/cmake/empty_module.cpp)
  endif()
  add_library(newswatch_${name} STATIC ${sources})
  add_library(newswatch::${name} ALIAS newswatch_${name})
  target_include_directories(newswatch_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include ${CMAKE_BINARY_DIR}/generated
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(newswatch_${name} PUBLIC ${ARG_DEPS} PRIVATE newswatch_warnings)
endfunction()

# newswatch_unit_tests(<module>): tests/unit/<module>/*_test.cpp into one binary.
# TIMEOUT <seconds>: a limit for each test of the module (tests that must not run away,
# such as the hostile-item tests, fail instead of hanging the suite).
function(newswatch_unit_tests module)
  cmake_parse_arguments(ARG "" "TIMEOUT" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_executable(${module}_tests ${sources})
  target_link_libraries(${module}_tests PRIVATE newswatch::${module} ${ARG_DEPS}
    newswatch_test_support GTest::gtest_main newswatch_warnings)
  set(timeout)
  if(ARG_TIMEOUT)
    set(timeout TIMEOUT ${ARG_TIMEOUT})
  endif()
  gtest_discover_tests(${module}_tests DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "NEWSWATCH_SOURCE_DIR=${PROJECT_SOURCE_DIR};NEWSWATCH_BIN_DIR=${CMAKE_BINARY_DIR}/bin"
    ${timeout})
endfunction()
