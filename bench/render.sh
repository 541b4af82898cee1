#!/usr/bin/env bash
# Parsing and rendering speed (issue targets: a 1 MB lecture without cells in
# at most 100 ms; a rebuild of ten lectures with nothing changed in at most 50 ms).
# Parse and render are timed in process (bench/render/main.swift, best of 10);
# whole `lectern build` runs of the release binary, best of N, show what a user
# waits for, process start and file writes included.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product lectern >/dev/null
swift build -c release --product lectern-bench-render >/dev/null
bin="$PWD/.build/release/lectern"
phases="$PWD/.build/release/lectern-bench-render"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best_ms() {  # best of $1 runs of the rest of the command line, in ms
  local n=$1; shift
  local best=999999
  for _ in $(seq "$n"); do
    local t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    local t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 ))
    [ "$ms" -lt "$best" ] && best=$ms
  done
  echo "$best"
}

# One 1 MB lecture: prose, math, tables, lists, inline code; no cells.
mkdir -p "$work/big/Lectures"
python3 - "$work/big/Lectures/01-big.md" <<'PY'
import sys
block = """## Section {i}

The bound $(\\gamma\\rho)^L$ with $\\rho = \\|W_h\\|_2$ decays when *both* factors are small;
see [the notes](https://example.org/{i}) and `code_{i}`. Dollars like $5 and $10 stay text.

$$
\\frac{{\\partial \\mathcal L}}{{\\partial h_t}} = \\prod_{{k=t+1}}^T J_k
$$

| L | bound | note |
|---|---:|---|
| 1 | 0.9 | **small** |
| 10 | 0.35 | _smaller_ |

- [x] item one with $x_i$
- [ ] item two

"""
out, i = [], 0
while sum(len(b) for b in out) < 1_000_000:
    out.append(block.format(i=i)); i += 1
open(sys.argv[1], "w").write("---\ntitle: Big\n---\n\n" + "".join(out))
PY
(cd "$work/big" && "$bin" build >/dev/null 2>&1 || true)
inproc=$("$phases" "$work/big/Lectures/01-big.md" 10)
field() { echo "$inproc" | awk -F'\t' -v k="$1" '$1 == k { printf "%d", $2 + 0.5 }'; }
big=$(cd "$work/big" && best_ms 5 sh -c "rm -f Output/big.html Output/big.md; '$bin' build")

# Ten small lectures, rebuilt with nothing changed.
mkdir -p "$work/ten/Lectures"
for i in $(seq -w 1 10); do
  printf -- '---\ntitle: Lecture %s\n---\n\n## Part\n\nText with $x^%s$ and a table.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n' "$i" "$i" > "$work/ten/Lectures/$i-l$i.md"
done
(cd "$work/ten" && "$bin" build >/dev/null 2>&1)
ten=$(cd "$work/ten" && best_ms 10 "$bin" build)

printf '%-56s %8s %8s\n' "case" "ms" "target"
printf '%-56s %8s %8s\n' "1 MB lecture (no cells): parse" "$(field parse)" ""
printf '%-56s %8s %8s\n' "1 MB lecture (no cells): render HTML and Markdown" "$(field render)" ""
printf '%-56s %8s %8s\n' "1 MB lecture (no cells): parse + render" "$(field parse+render)" "100"
printf '%-56s %8s %8s\n' "1 MB lecture: whole lectern build (start, write, exit)" "$big" ""
printf '%-56s %8s %8s\n' "rebuild 10 lectures, nothing changed" "$ten" "50"
