#!/usr/bin/env bash
# Instruction-count profile of the release binary with valgrind's callgrind (stable on a noisy
# machine, unlike wall time): the sample and the 10x article, each built to PDF + DOCX + EPUB
# in one process. Prints total instructions and the top inclusive costs by function (below the
# frames that hold the whole run).
#
# Needs: valgrind (Debian package; installed here when missing and running as root), python3.
# usage: tests/bench/profile.sh [TOP]        (default: the top 25 inclusive functions)
# env:   CARGO_TARGET_DIR, PROFILE_DIR (keep the callgrind.out files there; default: a temp dir)
#
# RAYON_NUM_THREADS=1: callgrind runs threads one at a time anyway, and idle rayon workers
# would add spin-loop instructions that are not work.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TOP=${1:-25}
command -v valgrind >/dev/null 2>&1 || {
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind >/dev/null
}
# The release binary as run.sh times it (its symbol table names the functions).
cargo build --release --quiet
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
WORK=${PROFILE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/briefpress-profile.XXXXXX")}
# A copy, taken right after the build (a target folder shared by several checkouts holds the
# binary of whichever built last).
BIN=$WORK/briefpress
cp "$TARGET/release/briefpress" "$BIN"
mkdir -p "$WORK/sample" "$WORK/long"
cp source/us-colombia-ties-edited.md "$WORK/sample/sample.md"
python3 tests/bench/inputs.py photo source/us-colombia-ties-edited.md "$WORK/sample"
python3 tests/bench/inputs.py long source/us-colombia-ties-edited.md "$WORK/long/long.md" 10
python3 tests/bench/inputs.py photo source/us-colombia-ties-edited.md "$WORK/long"

for case in sample long; do
  out=$WORK/callgrind.$case.out
  RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$BIN" build "$WORK/$case/$case.md" -o "$WORK/$case/out" >/dev/null 2>"$WORK/$case.log"
  echo "== $case: $(grep -o 'Collected : [0-9]*' "$WORK/$case.log" | tr -dc 0-9) instructions"
  # Frames holding 99 % or more (the process start, main, the CLI) and the thread and rayon
  # plumbing around the jobs (the formats render in parallel) say nothing; the list leaves
  # them out.
  callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null |
    awk -v top="$TOP" '/^-+$/ {n++} n >= 3 && /^ *[0-9,]+ \( *[0-9.]+%\)/ {
      pct = $0; sub(/^[^(]*\( */, "", pct); sub(/%.*/, "", pct)
      if ($0 ~ /start_thread|thread_start|rayon|vtable\.shim|ld-linux|consume_iter/) next
      if (pct + 0 < 99 && shown++ < top) print }'
done
echo "callgrind files: $WORK" >&2
