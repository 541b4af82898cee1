#!/usr/bin/env bash
# Compile once, run many (issue targets, on a 2-core machine):
#   build -P name=value of a lecture built once .... no compiler, <= 100 ms + the program's run
#   a lecture with one explorable param of 5 values, cold
#                                      ............ <= its plain cold build + 5 runs on 2 cores + 200 ms
#   the course, cold (once) and warm (best of 5) ... warm <= 60 ms
# The -P builds run with a SWIFTC that fails when called, so a compile would show.
# Prints the load average: the numbers mean little on a loaded machine.
# Usage: bench/explore.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
root=$PWD
real_swiftc=$(command -v swiftc)
cat > "$work/failing-swiftc" <<SH
#!/bin/sh
if [ "\$1" = "--version" ]; then exec "$real_swiftc" --version; fi
echo "swiftc called" >&2; exit 1
SH
chmod +x "$work/failing-swiftc"


peer() {  # a small lecture: $1 is the front matter's rho line
  mkdir -p "$2/Lectures"
  cat > "$2/Lectures/01-peer.md" <<MD
---
title: Peer
params:
$1
---
# Peer

\`\`\`swift {#fig-norm}
var rng = Xoshiro256(seed: 1)
let net = RNN.random(hidden: 16, input: 1, spectralRadius: rho, using: &rng)
let xs = (0..<40).map { _ in Vector.gaussian(1, using: &rng) }
let norms = net.jacobianNorms(net.forward(xs))
var f = Figure(title: "gradient norm", x: "L", y: "norm", yScale: .log)
f.line(0...40, norms, label: "rho = \(rho)")
show(f)
\`\`\`

The norm after 40 steps is \`{swift} norms[40]\`.
MD
}

# 1. -P on a built lecture.
peer "  rho: 0.9" "$work/plain"
cd "$work/plain"
plain_cold=$(ms "$bin" build)
p=999999; compiled=0
for v in 1.1 1.2 1.3; do
  m=$(ms env SWIFTC="$work/failing-swiftc" "$bin" build -P rho=$v)
  SWIFTC="$work/failing-swiftc" "$bin" build -P rho=$v >/dev/null 2>&1 || compiled=1
  [ "$m" -lt "$p" ] && p=$m
done
# The program's own run time: the stored executable run directly.
exe=$(ls -d .lectern-cache/programs/*/lecture | head -1)
t0=$(date +%s%N); LECTERN_RECORDS=/dev/null LECTERN_PARAMS='{"rho":"1.4"}' "$exe" >/dev/null 2>&1 || true; t1=$(date +%s%N)
program_ms=$(( (t1 - t0) / 1000000 ))

# 2. One explorable param of five values, cold.
peer "  rho: {value: 0.9, values: [0.5, 0.9, 1.0, 1.1, 1.5]}" "$work/explore"
cd "$work/explore"
explore_cold=$(ms "$bin" build)
size=$(stat -c %s Output/peer.html)

# 3. The course.
mkdir -p "$work/course"
cp -r "$root/Lectures" "$root/course.yml" "$work/course/"
cd "$work/course"
course_cold=$(ms "$bin" build)
"$bin" build >/dev/null 2>&1 || true
warm=999999
for _ in 1 2 3 4 5; do m=$(ms "$bin" build); [ "$m" -lt "$warm" ] && warm=$m; done

printf '%-62s %8s %s\n' case ms target
printf '%-62s %8d %s\n' "build -P rho=v of a built lecture (no compiler: $([ $compiled = 0 ] && echo yes || echo NO))" "$p" "<= 100 + the program's ${program_ms} ms"
printf '%-62s %8d %s\n' "plain lecture, cold (compile and one run)" "$plain_cold" ""
printf '%-62s %8d %s\n' "same lecture, one explorable param of 5 values, cold" "$explore_cold" "<= $plain_cold + 2 × ${program_ms} + 200"
printf '%-62s %8s %s\n' "  its page" "$size B" ""
printf '%-62s %8d %s\n' "course, cold (empty cache)" "$course_cold" ""
printf '%-62s %8d %s\n' "course, warm rebuild" "$warm" "<= 60"
for f in "$work"/course/Output/*.html; do
  grep -q 'id="lectern-explore"' "$f" && printf '%-62s %8s\n' "  explorable page $(basename "$f")" "$(stat -c %s "$f") B"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
