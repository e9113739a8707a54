#!/usr/bin/env bash
# The briefing-pack benchmark: a pack of 20 briefs against building the same 20
# briefs one by one, whole processes timed with hyperfine. The issue's bar: the pack costs no
# more than 1.2 × the one-by-one sum. Writes tests/bench/pack-results.md.
#
# Needs: Rust 1.88+ (cargo), hyperfine, bash; pdfinfo (poppler-utils) for page counts,
# optional. Run from anywhere in a clone.
#
# env: RUNS (default 10), WARMUP (default 2), BRIEFS (default 20),
#      RESULTS (default tests/bench/pack-results.md),
#      BENCH_MAX_LOAD (wait, at most BENCH_WAIT seconds (900), for the 1-minute load average
#      to drop below it before each case: the machine may be shared),
#      CARGO_TARGET_DIR (where the release build goes; default target/),
#      BRIEFPRESS_BIN (time this binary instead of building one),
#      BENCH_WORK (a folder for the inputs and outputs, kept; default a temporary one)
#
# Inputs: the sample, the conformance fixtures and the pack fixtures (eight briefs from 1 to
# 8 pages, Markdown and wire text, with photos and figures), cycled to $BRIEFS sources.
#
# Cases (all formats, PDF + DOCX + EPUB, unless the name says otherwise):
#   one by one     `briefpress build brief-NN…` once per brief, in sequence (20 processes)
#   pack           `briefpress pack brief-01… brief-20 -o pack.pdf` (one process, all cores)
#   pack, 1 thread the same with RAYON_NUM_THREADS=1: what parallelism does not hide
#   and the same three for the PDF alone (-f pdf), where binding does the most work.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
N=${BRIEFS:-20}
RESULTS=${RESULTS:-$ROOT/tests/bench/pack-results.md}

command -v hyperfine >/dev/null 2>&1 || { echo "error: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }

if [ -n "${BENCH_WORK:-}" ]; then
  WORK=$BENCH_WORK
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/briefpress-pack-bench.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
fi

if [ -n "${BRIEFPRESS_BIN:-}" ]; then
  SRC_BIN=$BRIEFPRESS_BIN
else
  echo "building the release binary" >&2
  cargo build --release --quiet
  TARGET=${CARGO_TARGET_DIR:-target}
  case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
  SRC_BIN=$TARGET/release/briefpress
fi
# A copy: a target folder shared with other branches may get their binary while cases run.
cp "$SRC_BIN" "$WORK/briefpress"
BIN=$WORK/briefpress
"$BIN" pack --help >/dev/null 2>&1 || { echo "error: $SRC_BIN has no pack command (another branch's build replaced it?); build again or set BRIEFPRESS_BIN" >&2; exit 1; }

# --- inputs: 20 briefs in one folder, images beside them -----------------------------------
IN=$WORK/briefs
rm -rf "$IN" && mkdir -p "$IN"
C=$ROOT/tests/fixtures/conformance
P=$ROOT/tests/fixtures/pack
cp "$ROOT/source/us-colombia-ties.jpg" "$C"/*.png "$C"/*.jpg "$P"/*.png "$IN/"
SOURCES=(
  "$ROOT/source/us-colombia-ties-edited.md"
  "$C/long-brief.md"
  "$P/trade-corridors.md"
  "$C/informe-breve.txt"
  "$ROOT/source/us-colombia-ties.txt"
  "$C/hard-brief.md"
  "$P/port-security.txt"
)
LIST=()
for ((i = 0; i < N; i++)); do
  src=${SOURCES[$((i % ${#SOURCES[@]}))]}
  ext=${src##*.}
  name=$(printf 'brief-%02d' $((i + 1)))
  cp "$src" "$IN/$name.$ext"
  # A wire brief's photo is the image with its own stem.
  stem=${src%.*}
  for img in "$stem.jpg" "$stem.png"; do
    [ "$ext" = txt ] && [ -f "$img" ] && cp "$img" "$IN/$name.${img##*.}"
  done
  LIST+=("$IN/$name.$ext")
done

ONE_BY_ONE="for f in ${LIST[*]}; do $BIN build \$f -o $WORK/single >/dev/null 2>&1 || exit 1; done"
ONE_BY_ONE_PDF="for f in ${LIST[*]}; do $BIN build \$f -f pdf -o $WORK/single >/dev/null 2>&1 || exit 1; done"
PACK="$BIN pack ${LIST[*]} -o $WORK/pack/pack.pdf"
PACK_PDF="$BIN pack ${LIST[*]} -f pdf -o $WORK/pack/pack.pdf"

echo "checking every command once" >&2
bash -c "$ONE_BY_ONE" || { echo "error: a brief does not build" >&2; exit 1; }
$PACK >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}' || true; }
SINGLE_PAGES=0
for f in "$WORK"/single/*.pdf; do SINGLE_PAGES=$((SINGLE_PAGES + $(pages "$f" || echo 0))); done
PACK_PAGES=$(pages "$WORK/pack/pack.pdf")

# --- timing --------------------------------------------------------------------------------
load() { cut -d' ' -f1 /proc/loadavg; }
quiet() {
  [ -n "${BENCH_MAX_LOAD:-}" ] || return 0
  local until=$(($(date +%s) + ${BENCH_WAIT:-900}))
  while awk -v l="$(load)" -v m="$BENCH_MAX_LOAD" 'BEGIN { exit !(l >= m) }' &&
    [ "$(date +%s)" -lt "$until" ]; do
    sleep 10
  done
}
LOADS=""
hyper() { # name, json, then "label" "command" pairs
  local name=$1 json=$2
  shift 2
  quiet
  LOADS+="$name $(load), "
  echo "timing: $name" >&2
  hyperfine --style basic --warmup "$WARMUP" --min-runs "$RUNS" --export-json "$json" "$@" >&2
}
hyper "all formats" "$WORK/all.json" \
  -n "one by one" "bash -c '$ONE_BY_ONE'" \
  -n "pack" "$PACK" \
  -n "pack, 1 thread" "env RAYON_NUM_THREADS=1 $PACK"
hyper "pdf" "$WORK/pdf.json" \
  -n "one by one, pdf" "bash -c '$ONE_BY_ONE_PDF'" \
  -n "pack, pdf" "$PACK_PDF" \
  -n "pack, pdf, 1 thread" "env RAYON_NUM_THREADS=1 $PACK_PDF"
LOADS+="end $(load)"

# --- report --------------------------------------------------------------------------------
python3 - "$WORK" "$N" "$SINGLE_PAGES" "$PACK_PAGES" "$LOADS" "$RUNS" "$WARMUP" \
  "$("$BIN" --version) ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no git'))" \
  "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores" \
  "$(hyperfine --version)" >"$RESULTS" <<'EOF'
import json, sys
work, n, single_pages, pack_pages, loads, runs, warmup, version, cpu, hf = sys.argv[1:]
def medians(name):
    with open(f"{work}/{name}.json") as f:
        return {r["command"]: (r["median"], r["stddev"] or 0.0) for r in json.load(f)["results"]}
rows = []
for case, base in [("all", "one by one"), ("pdf", "one by one, pdf")]:
    m = medians(case)
    b = m[base][0]
    for cmd, (med, sd) in m.items():
        rows.append((cmd, med, sd, med / b))
print(f"# Briefing pack benchmark ({n} briefs)\n")
print("Written by `tests/bench/pack.sh`. Whole processes, hyperfine medians; the ratio is to")
print("building the same briefs one by one in the same run (the issue's bar: pack ≤ 1.2×).\n")
print("| case | median | ± sd | × one by one |")
print("|---|---|---|---|")
for cmd, med, sd, ratio in rows:
    print(f"| {cmd} | {med * 1000:.0f} ms | {sd * 1000:.0f} ms | {ratio:.2f} |")
print()
print(f"- pages: {pack_pages} in the pack; {single_pages} in the briefs built alone (the pack adds a cover and its contents)")
print(f"- {version}; {cpu}; {hf}")
print(f"- {runs} runs after {warmup} warm-up runs; 1-minute load average as each case started: {loads}")
EOF
echo "wrote $RESULTS" >&2
cat "$RESULTS"
