// PLACEHOLDER until the module's owner implements `newswatch match`.
#include "commands.hpp"

namespace newswatch::app {

int run_match(cli_args&) { throw usage_error("'match' is not implemented yet"); }

}  // namespace newswatch::app
