// PLACEHOLDER until the module's owner implements `newswatch stance-train`.
#include "commands.hpp"

namespace newswatch::app {

int run_stance_train(cli_args&) { throw usage_error("'stance-train' is not implemented yet"); }

}  // namespace newswatch::app
