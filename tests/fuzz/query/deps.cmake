set(FUZZ_DEPS newswatch::matcher)
