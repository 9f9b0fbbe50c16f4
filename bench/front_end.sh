#!/usr/bin/env bash
# Front-end benchmarks: parse, check + IR lowering, checking with many errors, and formatting of
# a generated ~5000-line spec (compiler/benches/front_end.rs, generator in
# compiler/benches/support/spec_gen.rs). Builds in release (cargo's `bench` profile) and prints
# the median of each benchmark. The requirement it measures: checking a generated 5000-line spec
# takes under 100 ms in release mode on the project's 2-core machine.
#
# Usage: bench/front_end.sh [--cli] [criterion arguments...]
#   --cli   also build the `qdf` binary and time `qdf check` end to end on the generated specs
#           (process start, file read, compile, rendering), median of 20 runs.
#   Other arguments go to criterion, e.g. `bench/front_end.sh compile` runs only the compile group.
# Criterion's own reports land in target/criterion/.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}

cli=0
args=()
for a in "$@"; do
  if [[ $a == --cli ]]; then cli=1; else args+=("$a"); fi
done

dump=$(mktemp -d)
trap 'rm -rf "$dump"' EXIT

echo "== building and running: cargo bench -p qdf-compiler --bench front_end (nproc: $(nproc))"
QDF_BENCH_DUMP=$dump cargo bench -p qdf-compiler --bench front_end -- "${args[@]}" 2>&1 | tee "$dump/log"

# The median of one benchmark from criterion's estimates.json, in milliseconds.
median_ms() {
  local file=$target_dir/criterion/$1/new/estimates.json
  [[ -f $file ]] || { echo "-"; return; }
  if command -v jq >/dev/null; then
    jq -r '.median.point_estimate / 1e6 | . * 1000 | round / 1000' "$file"
  else
    sed -E 's/.*"median":\{"confidence_interval":\{[^}]*\},"point_estimate":([0-9.eE+-]+).*/\1/' "$file" |
      awk '{ printf "%.3f\n", $1 / 1e6 }'
  fi
}

echo
echo "== inputs"
sed -n '/^front_end bench inputs:/,/^    fmt\/5000_lines/p' "$dump/log" | sed 1d
echo
echo "== criterion medians (ms), from $target_dir/criterion"
for b in parse/5000_lines compile/5000_lines compile/5000_lines_with_errors lower/5000_lines fmt/5000_lines; do
  printf '  %-34s %s\n' "$b" "$(median_ms "$b")"
done
if [[ -f $dump/bench_5000.qdf ]]; then
  printf '  spec: %s lines, %s bytes (broken copy: %s bytes)\n' \
    "$(wc -l <"$dump/bench_5000.qdf")" "$(wc -c <"$dump/bench_5000.qdf")" "$(wc -c <"$dump/bench_5000_errors.qdf")"
fi
compile=$(median_ms compile/5000_lines)
if [[ $compile != - ]]; then
  awk -v t="$compile" 'BEGIN { verdict = (t < 100) ? "meets" : "MISSES"; printf "  compile/5000_lines %.1f ms %s the 100 ms budget\n", t, verdict }'
fi

if ((cli)); then
  echo
  echo "== qdf check end to end (median of 20 runs, ms)"
  cargo build --release --bin qdf
  qdf=$target_dir/release/qdf
  for spec in bench_5000.qdf bench_5000_errors.qdf; do
    times=()
    for _ in $(seq 20); do
      start=$(date +%s%N)
      "$qdf" check "$dump/$spec" >/dev/null 2>&1 || true
      end=$(date +%s%N)
      times+=($(((end - start) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v s="$spec" '{ a[NR] = $1 } END { printf "  qdf check %-24s %.1f\n", s, (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2000 }'
  done
fi
