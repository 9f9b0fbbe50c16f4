#!/usr/bin/env python3
"""Table for bench/sim_vs_peers.sh: per workload, each peer's best time, qdf's time, the ratios
(peer / qdf; > 1 means qdf is faster) and qdf's fraction of the memory-bandwidth limit.

usage: sim_table.py raw.jsonl bandwidth.txt    (or: sim_table.py --echo records.jsonl, one line each)

Bandwidth limit: the least memory traffic the workload needs at the measured bandwidth (layers:
one in-place read+write pass over the state, 32 * 2^n bytes, at the RMW rate; expect: the reads of
the state qdf's schedule makes, `extra.passes` x 16 * 2^n bytes, at the read rate: one per chunk
plus half a read per distinct high X part, fewer than the one pass per X mask of a per-term loop). vqe-grad at n=12 lives in cache,
so no fraction is given. Peers' partial variants (gradient without energy) are left out; qsim is
single precision and is listed, but the "fastest double-precision peer" excludes it.
"""
import json
import re
import sys

if sys.argv[1] == "--echo":
    for line in open(sys.argv[2]):
        r = json.loads(line)
        print(f"qdf  {r['workload']:9s} n={r['n']:2d} {r['variant'][:44]:44s} median {r['median_s'] * 1e3:9.3f} ms  "
              f"min {r['min_s'] * 1e3:9.3f} ms  check={r['check']}")
    sys.exit(0)
raw, bwfile = sys.argv[1], sys.argv[2]
recs = [json.loads(line) for line in open(raw) if line.strip()]
bw = {}
for line in open(bwfile):
    m = re.match(r"\s*(Copy|Scale|Triad|RMW\(in-place r\+w\)|Read\(sum\))\s+([\d.]+) GB/s", line)
    if m:
        bw[m.group(1).split("(")[0]] = float(m.group(2)) * 1e9

for r in recs:
    if r["workload"] == "expect" and "(total)" in r["variant"]:
        r["workload"] = "expect+circuit"
best = {}
for r in recs:
    if "partial" in r["variant"] or (r.get("extra") or {}).get("partial"):
        continue
    if r["lib"] == "qdf" and "interpreter" in r["variant"]:
        key = (r["workload"], r["n"], "qdf-interp")
    else:
        key = (r["workload"], r["n"], r["lib"])
    if key not in best or r["median_s"] < best[key]["median_s"]:
        best[key] = r

libs_present = sorted({k[2] for k in best})
peers = [p for p in libs_present if p not in ("qdf", "qdf-interp")]
double = [p for p in peers if not p.startswith("qsim")]
qsim = next((p for p in peers if p.startswith("qsim")), None)
order = {"layers": 0, "expect": 1, "expect+circuit": 2, "vqe-grad": 3}
rows = sorted({(k[0], k[1]) for k in best}, key=lambda x: (order.get(x[0], 9), x[1]))


def ms(t):
    return f"{t * 1e3:.2f}" if t < 10 else f"{t:.2f} s"


print(f"bandwidth (2 threads): " + ", ".join(f"{k} {v / 1e9:.1f} GB/s" for k, v in bw.items()))
head = ["workload", "n"] + [f"{p} ms" for p in peers] + ["qdf ms (min)", "qdf interp ms", "fastest f64 peer / qdf", "qsim / qdf", "qdf BW fraction"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for wl, n in rows:
    q = best.get((wl, n, "qdf"))
    cells = [wl, str(n)]
    for p in peers:
        r = best.get((wl, n, p))
        cells.append(ms(r["median_s"]) if r else "-")
    cells.append(f"{ms(q['median_s'])} ({ms(q['min_s'])})" if q else "-")
    qi = best.get((wl, n, "qdf-interp"))
    cells.append(ms(qi["median_s"]) if qi else "-")
    dp = [best[(wl, n, p)]["median_s"] for p in double if (wl, n, p) in best]
    cells.append(f"{min(dp) / q['median_s']:.2f}x" if q and dp else "-")
    qs = best.get((wl, n, qsim))
    cells.append(f"{qs['median_s'] / q['median_s']:.2f}x" if q and qs else "-")
    frac = "-"
    if q and wl == "layers" and "RMW" in bw:
        frac = f"{32 * 2 ** n / bw['RMW'] / q['median_s']:.3f}"
    elif q and wl == "expect" and "Read" in bw:
        passes = (q.get("extra") or {}).get("passes", 1)
        frac = f"{16 * 2 ** n * passes / bw['Read'] / q['median_s']:.3f}"
    cells.append(frac)
    print("| " + " | ".join(cells) + " |")
print("\nTimes: median of each library's best variant (ms). Ratios > 1: qdf faster. "
      "Peers' rows may be flagged as contaminated in their own output above.")
