# The two commands of the README, plus a few conveniences. Everything real lives in scripts/.
.PHONY: run test build lint fuzz-long bench clean

run:            ## build (release) and start the daemon on its embedded defaults
	scripts/run.sh

test:           ## build everything and pass every test: ASan+UBSan, TSan, fuzzers, lint, interop
	scripts/test.sh

build:
	scripts/install-deps.sh && cmake --preset release && cmake --build --preset release

lint:
	scripts/lint.sh

bench:          ## benchmarks side by side with their references (OpenVDB, bare ZeroMQ)
	scripts/bench.sh

fuzz-long:      ## long fuzzing sessions that grow the corpora (FUZZ_SECONDS per harness, default 600)
	scripts/fuzz.sh --long

clean:
	rm -rf build
