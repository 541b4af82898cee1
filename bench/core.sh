#!/usr/bin/env bash
# Times the same linear-algebra and BPTT work in LecternCore (release build) and numpy,
# both on one OpenBLAS thread, and prints a table: ms for each and numpy/Swift.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1
swift build -c release --product lectern-bench-core >&2
BIN="$(swift build -c release --show-bin-path)/lectern-bench-core"
SW=$(mktemp); NP=$(mktemp); trap 'rm -f "$SW" "$NP"' EXIT
"$BIN" > "$SW"
python3 bench/core_numpy.py > "$NP"
python3 - "$SW" "$NP" <<'PY'
import sys
sw = dict(l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if "\t" in l)
np_ = dict(l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if "\t" in l)
print(f"| {'task':<32} | {'Swift ms':>10} | {'numpy ms':>10} | {'numpy/Swift':>11} |")
print(f"|{'-'*34}|{'-'*12}|{'-'*12}|{'-'*13}|")
for k, v in sw.items():
    s = float(v)
    if k in np_:
        n = float(np_[k]); print(f"| {k:<32} | {s:>10.2f} | {n:>10.2f} | {n/s:>10.1f}x |")
    else:
        print(f"| {k:<32} | {s:>10.2f} | {'—':>10} | {'—':>11} |")
PY
