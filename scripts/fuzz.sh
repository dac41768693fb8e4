#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz preset, clang + ASan + UBSan) and runs each from its corpus.
#   scripts/fuzz.sh          each harness for FUZZ_SECONDS (default 20): part of `make test`
#   scripts/fuzz.sh --long   each harness for FUZZ_SECONDS (default 600), new inputs merged into the corpus
# Any crash, leak or timeout fails the run; the reproducer is left in build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
long=0
[[ "${1:-}" == "--long" ]] && long=1
seconds=${FUZZ_SECONDS:-$([[ $long == 1 ]] && echo 600 || echo 20)}

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target voxd_fuzzers
mkdir -p build/fuzz/artifacts
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

status=0
for harness in build/fuzz/fuzz/fuzz_*; do
  [[ -x "$harness" ]] || continue
  name=${harness##*/fuzz_}
  corpus=fuzz/corpus/$name
  work=build/fuzz/corpus-$name
  mkdir -p "$work"
  dict=()
  [[ -f fuzz/dict/$name.dict ]] && dict=(-dict="fuzz/dict/$name.dict")
  echo "--- fuzz $name for ${seconds}s"
  seed=(); [[ $long == 0 ]] && seed=(-seed=1)  # reproducible in `make test`
  if ! "$harness" "$work" "$corpus" "${dict[@]}" "${seed[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=262144 -artifact_prefix=build/fuzz/artifacts/"$name"- -print_final_stats=1 \
      >"build/fuzz/$name.log" 2>&1; then
    echo "fuzz $name FAILED; log: build/fuzz/$name.log"
    tail -40 "build/fuzz/$name.log"
    status=1
    continue
  fi
  grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|cov:" "build/fuzz/$name.log" | tail -3
  if [[ $long == 1 ]]; then
    "$harness" -merge=1 "$corpus" "$work" "${dict[@]}" >/dev/null 2>&1
    echo "merged new inputs into $corpus"
  fi
done
exit $status
