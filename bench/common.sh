# Sourced by the bench scripts (from the repository root): builds the release
# tool and kit, sets $bin, and makes a scratch folder $work, removed on exit.
swift build -c release --product lectern >/dev/null
swift build -c release --product LecternKit >/dev/null
bin="$PWD/.build/release/lectern"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OPENBLAS_NUM_THREADS=1
