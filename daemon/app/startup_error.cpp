#include "startup_error.hpp"

#include <cstdio>
#include <exception>

#include "cli_args.hpp"
#include "instance_lock.hpp"
#include "newswatch/config/config_error.hpp"

namespace newswatch::app {

int run_guarded(const std::string& who, const std::function<int()>& body) noexcept {
    try {
        return body();
    } catch (const usage_error& e) {
        std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
        return 2;
    } catch (const config::config_error& e) {
        std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
        return 2;
    } catch (const refusal_error& e) {
        std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
        return 2;
    } catch (const instance_conflict& e) {
        std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
        return 1;
    } catch (...) {
        std::fprintf(stderr, "%s: unknown error\n", who.c_str());
        return 1;
    }
}

}  // namespace newswatch::app
