#!/usr/bin/env bash
# The simulator benchmark in one go (workloads: /work/shared/bench/SPEC.md): memory bandwidth,
# qdf (runtime/examples/bench_sim.rs) and the peers (Qulacs, Qiskit Aer, PennyLane Lightning,
# qsim) on the same inputs in the same invocation, then a table of times, ratios and qdf's
# fraction of the bandwidth limit (bench/sim_table.py).
#
# usage: bench/sim_vs_peers.sh [--no-peers]
#   SIMBENCH_DIR   the shared benchmark (default /work/shared/bench; read only: scripts are copied)
#   SIMBENCH_VENV  a venv with the peers (default: created under /tmp with the pinned versions)
#   SIMBENCH_LAYER_NS, SIMBENCH_QUIET_WAIT, SIMBENCH_CONTAM_MAX  as for the peers (common.py); on a
#   busy machine SIMBENCH_QUIET_WAIT=1 SIMBENCH_CONTAM_MAX=1.0 keeps the peers from retrying for minutes
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SIMBENCH_DIR:-/work/shared/bench}
VENV=${SIMBENCH_VENV:-/tmp/simpeers/venv}
PEERS=1
[ "${1:-}" = "--no-peers" ] && PEERS=0
WORK=$(mktemp -d /tmp/simbench.XXXXXX)
cp "$SHARED"/*.py "$WORK"/
ln -s "$SHARED/inputs" "$WORK/inputs"
mkdir -p "$WORK/results"
export OMP_NUM_THREADS=2 QULACS_NUM_THREADS=2 RAYON_NUM_THREADS=2 OMP_PROC_BIND=false
export OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONWARNINGS=ignore
export SIMBENCH_QUIET_WAIT=${SIMBENCH_QUIET_WAIT:-45}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), load: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "=== memory bandwidth (2 threads, 3 x 512 MiB arrays) ==="
gcc -O3 -march=native -ffast-math -fopenmp "$SHARED/bw/stream.c" -o "$WORK/stream"
OMP_NUM_THREADS=2 "$WORK/stream" 536870912 5 | tee "$WORK/results/bandwidth.txt"

echo "=== qdf ==="
(cd "$ROOT" && cargo build --release -q -p qdf-runtime --example bench_sim)
"$ROOT/target/release/examples/bench_sim" "$WORK/inputs" > "$WORK/results/qdf.jsonl"
cat "$WORK/results/qdf.jsonl" >> "$WORK/results/raw.jsonl"
python3 "$ROOT/bench/sim_table.py" --echo "$WORK/results/qdf.jsonl"

if [ $PEERS = 1 ]; then
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q numpy==2.4.6 scipy==1.17.1 qulacs==0.6.14 qiskit==2.6.2 qiskit-aer==0.18.2 \
      qiskit-algorithms==0.4.0 pennylane==0.45.1 pennylane-lightning==0.45.0 cirq-core==1.7.0 qsimcirq==0.22.1
  fi
  for b in qulacs qiskit pennylane qsim; do
    echo "=== $b ==="
    (cd "$WORK" && timeout 2400 "$VENV/bin/python" "bench_$b.py" 2>&1 | grep -v -i -E "warn|^\s*$") || echo "bench_$b failed or timed out"
  done
fi
echo "=== table (raw records: $WORK/results/raw.jsonl) ==="
python3 "$ROOT/bench/sim_table.py" "$WORK/results/raw.jsonl" "$WORK/results/bandwidth.txt"
