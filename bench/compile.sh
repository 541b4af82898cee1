#!/usr/bin/env bash
# Where a cold build's time goes, lecture by lecture: swiftc's frontend split
# into parsing/import, type checking and code generation (-stats-output-dir),
# the link, the run, and the slowest expressions to type-check
# (-warn-long-expression-type-checking). Compiles each lecture's generated
# program again with the command lectern used (kept by LECTERN_KEEP_WORK=1).
# Usage: bench/compile.sh [MS]   (MS: report expressions slower than this; 20)
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-20}
source bench/common.sh
cp -r Lectures "$work/Lectures"
cd "$work"
LECTERN_KEEP_WORK=1 "$bin" build --no-cache >/dev/null 2>&1 || true
printf '%-16s %8s %8s %8s %8s %8s %8s %8s\n' lecture total frontend import typeck codegen link+rest run
slow=""
for dir in .lectern-cache/work/*/; do
  # Only the folders that compiled (the other combinations of an explorable lecture only ran).
  [ -f "$dir/swiftc.args" ] || continue
  name=$(basename "$dir" | sed 's/-[0-9]*-[0-9A-Fa-f]*$//')
  # The same command without -suppress-warnings, which would hide the slow-expression warnings.
  mapfile -t cmd < <(grep -vx -- "-suppress-warnings" "$dir/swiftc.args")
  stats="$dir/stats"; mkdir -p "$stats"
  t0=$(date +%s%N)
  "${cmd[@]}" -Xfrontend -stats-output-dir -Xfrontend "$stats" \
    -Xfrontend -warn-long-expression-type-checking="$limit" \
    >/dev/null 2>"$dir/warnings" || true
  t1=$(date +%s%N)
  read -r fe imp tc gen < <(python3 - "$stats" <<'PY'
import json, glob, sys
fe = imp = tc = gen = 0.0
for f in glob.glob(sys.argv[1] + "/*.json"):
    d = json.load(open(f))
    for k, v in d.items():
        if not k.endswith(".wall"): continue
        if k.startswith("time.swift-frontend."): fe += v
        elif k == "time.swift.Import resolution.wall": imp += v
        elif k == "time.swift.Type checking and Semantic analysis.wall": tc += v
        elif k in ("time.swift.SILGen.wall", "time.swift.SIL optimization.wall", "time.swift.IRGen.wall",
                   "time.swift.LLVM pipeline.wall", "time.swift.LLVM optimization.wall", "time.swift.LLVM output.wall"):
            gen += v
print(f"{fe*1000:.0f} {imp*1000:.0f} {tc*1000:.0f} {gen*1000:.0f}")
PY
)
  total=$(( (t1 - t0) / 1000000 ))
  # Link: the driver's time beyond the frontend.
  link=$(( total - ${fe%.*} ))
  t2=$(date +%s%N); (cd "$dir" && LECTERN_RECORDS=/dev/null LECTERN_PARAMS="$(cat params.json 2>/dev/null || echo '{}')" ./lecture >/dev/null 2>&1 || true); t3=$(date +%s%N)
  printf '%-16s %8s %8s %8s %8s %8s %8s %8s\n' "$name" "$total" "$fe" "$imp" "$tc" "$gen" "$link" "$(( (t3 - t2) / 1000000 ))"
  slow+=$(grep -h "expression took" "$dir/warnings" | sed "s|^.*Lectures/|  Lectures/|" || true)$'\n'
done
echo
echo "expressions slower than ${limit} ms to type-check:"
printf '%s' "$slow" | grep -v '^$' | sort -t'(' -k2 || echo "  none"
