set(FUZZ_DEPS newswatch::config)
