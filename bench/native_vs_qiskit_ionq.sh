#!/usr/bin/env bash
# qdf's trapped-ion lowering against qiskit-ionq's (optimisation level 1 plus its trapped-ion
# optimiser) on UCCSD circuits for H2, frozen-core LiH and frozen-core BeH2, for Aria and Forte.
# Needs python3 with qiskit and qiskit-ionq (pip install qiskit qiskit-ionq); no network.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-/tmp/qdf_native_bench}"
mkdir -p "$dir"
cargo run --release -q -p qdf-runtime --example bench_native -- "$dir" > "$dir/qdf.jsonl"
python3 bench/native_vs_qiskit_ionq.py "$dir" "$dir/qdf.jsonl"
