// PLACEHOLDER until the module's owner implements `newswatch parse`.
#include "commands.hpp"

namespace newswatch::app {

int run_parse(cli_args&) { throw usage_error("'parse' is not implemented yet"); }

}  // namespace newswatch::app
