#!/usr/bin/env bash
# The speed benchmark: briefpress against pandoc and Typst on the same articles, whole
# processes timed with hyperfine, peak memory with GNU time. Writes tests/bench/results.md.
#
# Needs (installed here when missing and running as root, as .ci/run does):
#   Rust 1.88+ (cargo), and the Debian packages hyperfine, time (/usr/bin/time), pandoc;
#   python3 with the PyPI package typst (`python3 -m pip install typst`, bundles the compiler);
#   pdfinfo (poppler-utils, as .ci/run installs) for the page counts, optional.
#
# usage: tests/bench/run.sh            # from anywhere in a clone
# env:   RUNS (default 20, at least 20 for the published table), WARMUP (default 3),
#        BATCH (default 100 briefs), RESULTS (default tests/bench/results.md),
#        BENCH_MAX_LOAD (on a shared machine: before each case, wait until the 1-minute load
#        average is below this, at most BENCH_WAIT seconds, default 900),
#        CARGO_TARGET_DIR (where the release build goes; default target/),
#        BENCH_WORK (a folder to build the inputs and outputs in, kept afterwards; default: a
#        temporary folder, removed)
#
# Cases (every briefpress figure is also given as a ratio to the peers timed in the same run):
#   sample  source/us-colombia-ties-edited.md: briefpress PDF+DOCX+EPUB in one process and each
#           format alone; pandoc md->docx, pandoc md->epub3, Typst (PDF) on the same article
#   long    the same article ten times over (body repeated under "## Section k"), same commands
#   pngphoto  the sample with its photo as a PNG (converted with Pillow), same commands
#   charts  the sample with three PNG bar charts (RGB, palette, RGBA on a transparent ground)
#           as figures and its JPEG photo, same commands
#   plain   the sample without its photo: what `charts` is measured against
#   batch   `briefpress build` with $BATCH sources, all cores, RAYON_NUM_THREADS=1 and =2
#   memory  peak RSS (`/usr/bin/time -v`) of the sample and of the batch, peers for reference
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BENCH=$ROOT/tests/bench
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
BATCH=${BATCH:-100}
RESULTS=${RESULTS:-$BENCH/results.md}
SAMPLE=$ROOT/source/us-colombia-ties-edited.md

# --- tools ---------------------------------------------------------------------------------
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
command -v pandoc >/dev/null 2>&1 || need+=(pandoc)
if ((${#need[@]})); then
  echo "installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
python3 -c "import typst" 2>/dev/null ||
  python3 -m pip install -q --disable-pip-version-check typst
python3 -c "import PIL" 2>/dev/null ||
  python3 -m pip install -q --disable-pip-version-check pillow

# --- the release binary --------------------------------------------------------------------
echo "building the release binary" >&2
cargo build --release --quiet
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
[ -x "$TARGET/release/briefpress" ] || { echo "error: no binary at $TARGET/release/briefpress" >&2; exit 1; }

# --- inputs --------------------------------------------------------------------------------
if [ -n "${BENCH_WORK:-}" ]; then
  WORK=$BENCH_WORK
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/briefpress-bench.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
fi
# A copy, taken right after the build: with a target folder shared by several checkouts, the
# file under release/ is whichever checkout built last, and the run takes minutes.
BIN=$WORK/briefpress
cp "$TARGET/release/briefpress" "$BIN"
CASES="sample long pngphoto charts plain"
for case in $CASES; do mkdir -p "$WORK/$case"; done
cp "$SAMPLE" "$WORK/sample/sample.md"
python3 "$BENCH/inputs.py" photo "$SAMPLE" "$WORK/sample"
python3 "$BENCH/inputs.py" long "$SAMPLE" "$WORK/long/long.md" 10
python3 "$BENCH/inputs.py" photo "$SAMPLE" "$WORK/long"
python3 "$BENCH/inputs.py" pngphoto "$SAMPLE" "$WORK/pngphoto/pngphoto.md"
python3 "$BENCH/inputs.py" charts "$SAMPLE" "$WORK/charts/charts.md"
python3 "$BENCH/inputs.py" plain "$SAMPLE" "$WORK/plain/plain.md"
python3 "$BENCH/inputs.py" batch "$SAMPLE" "$WORK/batch" "$BATCH"
for case in $CASES; do
  python3 "$BENCH/inputs.py" pandoc "$WORK/$case/$case.md" "$WORK/$case/peer.md"
  python3 "$BENCH/inputs.py" typst "$WORK/$case/$case.md" "$WORK/$case/peer.typ"
done
mapfile -t BRIEFS < <(ls "$WORK"/batch/brief-*.md)

# The commands of one article case, as "name<TAB>command" lines (no shell: hyperfine -N).
commands() {
  local d=$WORK/$1 src=$WORK/$1/$1.md
  printf '%s\t%s\n' \
    "briefpress pdf+docx+epub" "$BIN build $src -o $d/out-all" \
    "briefpress pdf" "$BIN build $src -f pdf -o $d/out-pdf" \
    "briefpress docx" "$BIN build $src -f docx -o $d/out-docx" \
    "briefpress epub" "$BIN build $src -f epub -o $d/out-epub" \
    "pandoc docx" "pandoc $d/peer.md --resource-path=$d -o $d/peer.docx" \
    "pandoc epub3" "pandoc $d/peer.md --resource-path=$d -t epub3 -o $d/peer.epub" \
    "typst pdf" "python3 $BENCH/typst-compile.py $d/peer.typ $d/peer.pdf $ROOT/fonts" \
    "python3 + import typst" "python3 $BENCH/typst-compile.py --import-only"
}

# Every command once, outside the timing: it must succeed, and its outputs are described.
echo "checking every command once" >&2
for case in $CASES; do
  while IFS=$'\t' read -r name cmd; do
    $cmd >/dev/null 2>"$WORK/err" || { echo "error: $case / $name failed:" >&2; cat "$WORK/err" >&2; exit 1; }
  done < <(commands "$case")
done
"$BIN" build "${BRIEFS[@]}" -o "$WORK/batch-out" >/dev/null
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}' || true; }
{
  for case in $CASES; do
    d=$WORK/$case
    printf '%s\twords\t%s\n' "$case" "$(wc -w <"$d/$case.md")"
    printf '%s\tbriefpress pages\t%s\n' "$case" "$(pages "$d/out-all/$case.pdf")"
    printf '%s\ttypst pages\t%s\n' "$case" "$(pages "$d/peer.pdf")"
  done
} >"$WORK/inputs.tsv"

# --- timing --------------------------------------------------------------------------------
hyper() { # hyperfine over "name<TAB>command" lines on stdin, JSON to $1
  local json=$1 args=()
  while IFS=$'\t' read -r name cmd; do args+=(-n "$name" "$cmd"); done
  hyperfine -N --style basic --warmup "$WARMUP" --min-runs "$RUNS" --export-json "$json" "${args[@]}" >&2
}
load() { cut -d' ' -f1 /proc/loadavg; }
quiet() { # with BENCH_MAX_LOAD set, wait (at most BENCH_WAIT seconds) for the load to drop below it
  [ -n "${BENCH_MAX_LOAD:-}" ] || return 0
  local until=$(($(date +%s) + ${BENCH_WAIT:-900}))
  while awk -v l="$(load)" -v m="$BENCH_MAX_LOAD" 'BEGIN { exit !(l >= m) }' &&
    [ "$(date +%s)" -lt "$until" ]; do
    sleep 10
  done
}
LOADS=""
for case in $CASES; do
  quiet
  echo "timing: $case" >&2
  LOADS+="$case $(load), "
  commands "$case" | hyper "$WORK/$case.json"
done
quiet
echo "timing: batch of $BATCH" >&2
LOADS+="batch $(load), "
printf '%s\t%s\n' \
  "batch, RAYON_NUM_THREADS=1" "env RAYON_NUM_THREADS=1 $BIN build ${BRIEFS[*]} -o $WORK/batch-out" \
  "batch, RAYON_NUM_THREADS=2" "env RAYON_NUM_THREADS=2 $BIN build ${BRIEFS[*]} -o $WORK/batch-out" \
  "batch, all cores" "$BIN build ${BRIEFS[*]} -o $WORK/batch-out" |
  hyper "$WORK/batch.json"
LOADS+="end $(load)"

# --- peak memory ---------------------------------------------------------------------------
echo "peak memory" >&2
rss() { # largest "Maximum resident set size" (kB) over 3 runs of the command
  local best=0 kb
  for _ in 1 2 3; do
    kb=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}')
    ((kb > best)) && best=$kb
  done
  echo "$best"
}
{
  while IFS=$'\t' read -r name cmd; do
    case $name in python3*) continue ;; esac
    # shellcheck disable=SC2086 # the command is split into words on purpose, as hyperfine -N does
    printf 'sample\t%s\t%s\n' "$name" "$(rss $cmd)"
  done < <(commands sample)
  printf 'long\tbriefpress pdf+docx+epub\t%s\n' "$(rss "$BIN" build "$WORK/long/long.md" -o "$WORK/long/out-all")"
  printf 'batch\tbatch, all cores\t%s\n' "$(rss "$BIN" build "${BRIEFS[@]}" -o "$WORK/batch-out")"
  printf 'batch\tbatch, RAYON_NUM_THREADS=1\t%s\n' "$(rss env RAYON_NUM_THREADS=1 "$BIN" build "${BRIEFS[@]}" -o "$WORK/batch-out")"
} >"$WORK/rss.tsv"

# --- the machine ---------------------------------------------------------------------------
{
  printf 'cpu\t%s\n' "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  printf 'cores\t%s\n' "$(nproc)"
  printf 'ram\t%s\n' "$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  printf 'os\t%s\n' "$(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
  printf 'briefpress\t%s\n' "$("$BIN" --version) ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no git'))"
  printf 'rustc\t%s\n' "$(rustc --version)"
  printf 'pandoc\t%s\n' "$(pandoc --version | head -1)"
  printf 'typst\t%s\n' "PyPI typst $(python3 -c 'import typst; print(typst.__version__)'), $(python3 --version)"
  printf 'hyperfine\t%s\n' "$(hyperfine --version)"
  printf 'load\t1-minute load average as each case started: %s\n' "$LOADS"
  printf 'runs\t%s (after %s warm-up runs)\n' "$RUNS" "$WARMUP"
  printf 'batch\t%s\n' "$BATCH"
} >"$WORK/machine.tsv"

python3 "$BENCH/report.py" "$WORK" >"$RESULTS"
echo "wrote $RESULTS" >&2
cat "$RESULTS"
