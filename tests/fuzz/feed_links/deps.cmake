set(FUZZ_DEPS newswatch::parser)
