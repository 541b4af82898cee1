#!/usr/bin/env bash
# Cost of typesetting the math at build time (issue targets, 2-core machine):
#   warm rebuild of the course, nothing changed ............. <= 60 ms
#   rebuild after a prose-only edit (no new formula) ........ <= 80 ms
# and what it adds: the cold build's extra time (every formula through one
# node process; the runs come from the cache, so only the math is cold), a
# prose edit that adds one formula (node starts for that one), and the same
# warm rebuild with the math left to the browser (LECTERN_NODE pointing
# nowhere), for comparison. Best of 5; the machine's load is printed, since
# other work on it moves every number.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
cp -r Lectures course.yml "$work/"
cd "$work"
target=$(ls Lectures/*.md | head -1)
"$bin" build >/dev/null 2>&1 || true   # runs cached, formulas cached

tries=5
n=0
warm=$(best ":")
prose=$(best 'n=$((n+1)); printf "\nA sentence added to the prose, edit %s.\n" "$n" >> "$target"')
formula=$(best 'n=$((n+1)); printf "\nA new formula \$x_{%s}^2\$.\n" "$n" >> "$target"')
# Both with the page memos gone, so that every page is rendered again (a build
# skips unchanged lectures before it looks at their math).
rerender=$(best 'rm -rf .lectern-cache/pages')
coldmath=$(best 'rm -rf .lectern-cache/math .lectern-cache/pages')
env LECTERN_NODE=/nonexistent "$bin" build >/dev/null 2>&1 || true
browser=$(best ":" LECTERN_NODE=/nonexistent)
"$bin" build >/dev/null 2>&1 || true
formulas=$(grep -o 'class="katex"' Output/*.html | wc -l)
cache=$(du -k .lectern-cache/math | tail -1 | awk '{print $1}')

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-60s %8s %8s\n' "case ($(ls Lectures/*.md | wc -l) lectures, $formulas formulas; edits in $(basename "$target"))" ms target
printf '%-60s %8d %8d\n' "warm rebuild, nothing changed" "$warm" 60
printf '%-60s %8d %8d\n' "rebuild after a prose-only edit" "$prose" 80
printf '%-60s %8d %8s\n' "rebuild after a prose edit adding one formula (node runs)" "$formula" ""
printf '%-60s %8d %8s\n' "every page rendered again, math cached" "$rerender" ""
printf '%-60s %8d %8s\n' "every page rendered again, empty math cache (one node)" "$coldmath" ""
printf '%-60s %8d %8s\n' "  so the cold build's extra for math is about" "$(( coldmath - rerender ))" ""
printf '%-60s %8d %8s\n' "warm rebuild, math left to the browser (no node)" "$browser" ""
printf '%-60s %6d KB\n' "math cache" "$cache"
