#!/usr/bin/env bash
# Cold builds against the compiler's floor (issue targets, on a 2-core machine,
# whole-process wall time of the release `lectern`):
#   the peer-style lecture (bench/peer/peer.md), cold ........ <= 0.45 s
#   ten such lectures, cold ................................... <= 2.3 s
#   the course, cold: compile part ............................ <= 2.5 s (its runs reported apart)
#   one cell edited in the peer lecture ....................... <= 0.4 s
#   the course, warm rebuild and prose-only edit .............. <= 50 ms each
# "Cold" is an empty cache. The course's compile part is its programs compiled
# again with the jobs lectern ran, two at a time; its runs are a build that
# finds every program compiled and nothing else in the cache (it runs every
# program and typesets the math). Best of 3 for
# each case. Prints the load average: the numbers mean little on a loaded machine.
# Usage: bench/cold.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
root=$PWD


# The peer lecture, and ten copies that differ in one comment (so no two share a program).
mkdir -p "$work/one/Lectures" "$work/ten/Lectures"
cp bench/peer/peer.md "$work/one/Lectures/01-peer.md"
for i in $(seq -w 1 10); do
  sed "s|^let a: Matrix = |// copy $i\nlet a: Matrix = |" bench/peer/peer.md > "$work/ten/Lectures/$i-peer-$i.md"
done
cd "$work/one"
one=$(best 'rm -rf .lectern-cache Output')
n=0
edit=$(best 'n=$((n+1)); sed -i "s|^let scale = clipByNorm.*|&; let benchEdit$n = $n|" Lectures/01-peer.md')
cd "$work/ten"
ten=$(best 'rm -rf .lectern-cache Output')

mkdir -p "$work/course"
cp -r "$root/Lectures" "$root/course.yml" "$work/course/"
cd "$work/course"
cold=$(best 'rm -rf .lectern-cache Output')
runs=$(best 'find .lectern-cache -mindepth 1 -maxdepth 1 ! -name programs -exec rm -rf {} +; rm -rf Output')
# The compile part on its own: each lecture's program (kept by LECTERN_KEEP_WORK)
# compiled again with the jobs lectern learned, two at a time as on two cores.
rm -rf .lectern-cache Output
LECTERN_KEEP_WORK=1 "$bin" build >/dev/null 2>&1 || true
python3 - .lectern-cache > "$work/compiles.sh" <<'PY2'
import glob, json, os, shlex, sys
cache = sys.argv[1]
jobs = json.load(open([f for f in glob.glob(cache + "/compile-jobs/*") if "/autolink-" not in f][0]))
for d in sorted(glob.glob(cache + "/work/*/")):
    if not os.path.exists(d + "swiftc.args"): continue
    module = open(d + "swiftc.args").read().split("\n")
    module = module[module.index("-module-name") + 1]
    work = d.rstrip("/")
    line = " && ".join(" ".join(shlex.quote(a.replace("/LECTERN-WORK-PLACEHOLDER", work).replace("LecternModulePlaceholder", module))
                                for a in c) for c in jobs)
    print(line + " >/dev/null 2>&1")
PY2
compiles=$(wc -l < "$work/compiles.sh")
# Best of 3, as every other case.
compile_wall=999999; compile_serial=999999
for _ in 1 2 3; do
  m=$(ms sh -c "tr '\\n' '\\0' < '$work/compiles.sh' | xargs -0 -P 2 -I{} sh -c '{}'")
  [ "$m" -lt "$compile_wall" ] && compile_wall=$m
  m=$(ms sh "$work/compiles.sh")
  [ "$m" -lt "$compile_serial" ] && compile_serial=$m
done
"$bin" build >/dev/null 2>&1 || true
warm=$(best ':')
target=$(ls Lectures/*.md | head -1)
prose=$(best 'n=$((n+1)); printf "\nA sentence added to the prose, edit %s.\n" "$n" >> "$target"')

printf '%-56s %8s %8s\n' case ms target
printf '%-56s %8d %8d\n' "peer lecture, cold" "$one" 450
printf '%-56s %8d %8d\n' "ten peer lectures, cold" "$ten" 2300
printf '%-56s %8d %8s\n' "course ($(ls Lectures/*.md | wc -l) lectures), cold" "$cold" ""
printf '%-56s %8d %8d\n' "  its compile part: $compiles programs, two at a time" "$compile_wall" 2500
printf '%-56s %8d %8s\n' "  the same compiles one after another" "$compile_serial" ""
printf '%-56s %8d %8s\n' "  its runs and math (every program compiled, nothing else)" "$runs" ""
printf '%-56s %8d %8d\n' "one cell edited in the peer lecture" "$edit" 400
printf '%-56s %8d %8d\n' "course, warm rebuild" "$warm" 50
printf '%-56s %8d %8d\n' "course, prose-only edit ($(basename "$target"))" "$prose" 50
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
