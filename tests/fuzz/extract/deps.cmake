# The extractor alone (gumbo, text, parser for dates): no fetcher, no Asio.
set(FUZZ_DEPS newswatch::extract)
