#!/usr/bin/env bash
# Parse and render speed beside what a user waits for (2-core machine):
#   one 200 KB lecture (the course's lectures one after another, cells not run),
#   parse + render in process, best of 20 ..................... <= 20 ms
#   the course (Lectures/), `lectern build` of the release binary:
#   cold, empty cache, best of 3; warm rebuild, nothing changed, best of 10
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
swift build -c release --product lectern-bench-render >/dev/null
inproc=$("$PWD/.build/release/lectern-bench-render" 200 20 Lectures/*.md)
field() { echo "$inproc" | awk -F'\t' -v k="$1" '$1 == k { printf "%.1f", $2 }'; }
cp -r Lectures "$work/Lectures"
cd "$work"

best_build() {  # best of $1 runs of: the setup command $2, then a timed build; in ms
  local best=999999 t0 t1
  for _ in $(seq "$1"); do
    eval "$2"
    t0=$(date +%s%N)
    "$bin" build >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    if [ $(( (t1 - t0) / 1000000 )) -lt "$best" ]; then best=$(( (t1 - t0) / 1000000 )); fi
  done
  echo "$best"
}
cold=$(best_build 3 'rm -rf .lectern-cache Output')
warm=$(best_build 10 ':')

kb=$(( $(field bytes | cut -d. -f1) / 1024 ))
printf '%-58s %8s %8s\n' "case" "ms" "target"
printf '%-58s %8s %8s\n' "$kb KB lecture, in process: parse" "$(field parse)" ""
printf '%-58s %8s %8s\n' "$kb KB lecture, in process: render HTML page and Markdown" "$(field render)" ""
printf '%-58s %8s %8s\n' "$kb KB lecture, in process: parse + render" "$(field parse+render)" "20"
printf '%-58s %8s %8s\n' "course ($(ls Lectures/*.md | wc -l) lectures): cold build, empty cache" "$cold" ""
printf '%-58s %8s %8s\n' "course: warm rebuild, nothing changed" "$warm" ""
