// PLACEHOLDER until the module's owner implements `newswatch stance`.
#include "commands.hpp"

namespace newswatch::app {

int run_stance(cli_args&) { throw usage_error("'stance' is not implemented yet"); }

}  // namespace newswatch::app
