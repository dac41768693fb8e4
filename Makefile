# The two commands of the README, plus a few conveniences. Everything real lives in scripts/.
.PHONY: run test build lint fuzz-long bench clean

run:            ## build (release) and start the daemon on its embedded defaults
	bash scripts/run.sh

test:           ## build everything and pass every test: ASan+UBSan, TSan, fuzzers, lint, interop
	bash scripts/test.sh

build:
	bash scripts/install-deps.sh --run && cmake --preset release -DVOXD_BUILD_TESTS=OFF -DVOXD_BUILD_BENCH=OFF && cmake --build --preset release

lint:
	bash scripts/lint.sh

bench:          ## benchmarks side by side with their references (OpenVDB, bare ZeroMQ)
	bash scripts/bench.sh

fuzz-long:      ## long fuzzing sessions that grow the corpora (FUZZ_SECONDS per harness, default 600)
	bash scripts/fuzz.sh --long

clean:
	rm -rf build
