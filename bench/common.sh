# Sourced by the bench scripts (from the repository root): builds the release
# tool and kit, sets $bin, and makes a scratch folder $work, removed on exit. ms and best time builds.
swift build -c release --product lectern >/dev/null
swift build -c release --product LecternKit >/dev/null
bin="$PWD/.build/release/lectern"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OPENBLAS_NUM_THREADS=1

ms() {  # wall time of one command, in ms
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
best() {  # best of $tries (3 unless set): a setup command ($1), then a whole `lectern build`, with VAR=value... ($2...) in its environment
  local b=999999 m
  for _ in $(seq "${tries:-3}"); do
    eval "$1"
    if [ $# -gt 1 ]; then m=$(ms env "${@:2}" "$bin" build); else m=$(ms "$bin" build); fi
    [ "$m" -lt "$b" ] && b=$m
  done
  echo "$b"
}
