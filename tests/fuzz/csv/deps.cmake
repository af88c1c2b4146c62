set(FUZZ_DEPS newswatch::stance)
