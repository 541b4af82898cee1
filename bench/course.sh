#!/usr/bin/env bash
# Build speed of the real course (issue targets, on a 2-core machine):
#   cold build, empty cache ........................ <= 3 s
#   warm rebuild, nothing changed .................. <= 100 ms
#   rebuild after a prose-only edit ................ <= 150 ms
#   rebuild after editing one cell ................. <= 0.6 s
# Copies Lectures/ to a scratch folder and times whole `lectern build` runs of
# the release binary: best of 3 for the warm cases, each cold run from an
# empty cache. Usage: bench/course.sh [LECTURE-FOR-EDITS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
cp -r Lectures "$work/Lectures"
cd "$work"
lectures=$(ls Lectures/*.md | wc -l)
target=${1:-$(ls Lectures/*.md | head -1)}


cold=999999
for _ in 1 2 3; do
  rm -rf .lectern-cache Output
  m=$(ms "$bin" build)
  [ "$m" -lt "$cold" ] && cold=$m
done
"$bin" build >/dev/null 2>&1 || true
warm=$(best ":")
n=0
prose=$(best 'n=$((n+1)); printf "\nA sentence added to the prose, edit %s.\n" "$n" >> "$target"')
# A cell edit: a new statement in the lecture's first cell, different each time.
cell=$(best 'n=$((n+1)); awk -v n="$n" '"'"'!done && /^```swift/ {print; print "let benchEdit" n " = " n; done=1; next} {print}'"'"' "$target" > "$target.tmp" && mv "$target.tmp" "$target"')

printf '%-52s %8s %8s\n' "case ($lectures lectures; edits in $(basename "$target"))" ms target
printf '%-52s %8d %8d\n' "cold build, empty cache" "$cold" 3000
printf '%-52s %8d %8d\n' "warm rebuild, nothing changed" "$warm" 100
printf '%-52s %8d %8d\n' "rebuild after a prose-only edit" "$prose" 150
printf '%-52s %8d %8d\n' "rebuild after editing one cell" "$cell" 600
