// PLACEHOLDER until the module's owner implements `newswatch fetch`.
#include "commands.hpp"

namespace newswatch::app {

int run_fetch(cli_args&) { throw usage_error("'fetch' is not implemented yet"); }

}  // namespace newswatch::app
