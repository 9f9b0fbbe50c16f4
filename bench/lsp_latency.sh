#!/usr/bin/env bash
# Language-server latency: diagnostics after an edit and completion on a generated 2000-line spec,
# measured through the real `qdf lsp` binary over stdio (bench/lsp_latency.rs). Builds in release
# (cargo's `bench` profile). The requirements it checks: diagnostics arrive within 50 ms of an
# edit and completion within 20 ms (medians), on the project's 2-core machine.
#
# Usage: bench/lsp_latency.sh
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== cargo bench --bench lsp_latency (nproc: $(nproc))"
cargo bench --bench lsp_latency
