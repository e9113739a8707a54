#!/usr/bin/env bash
# Reading a Word document: `briefpress inspect --json` (the .docx read into the article model
# and printed) against `pandoc -f docx -t json` (pandoc's reader and its AST printed) on a
# generated document of about fifty pages, with footnotes, lists and tables, written by pandoc
# (so neither side reads a file of its own writing). Whole processes timed with hyperfine,
# peak memory with GNU time; the page count is LibreOffice's, when soffice is installed.
#
# usage: tests/bench/docx-read.sh      # from anywhere in a clone; needs hyperfine, pandoc,
#                                      # /usr/bin/time and a release build (built here)
# env:   RUNS (default 20), WARMUP (default 3), CARGO_TARGET_DIR (default target/),
#        PAGES_SECTIONS (sections of the document, default 24: about fifty A4 pages)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
SECTIONS=${PAGES_SECTIONS:-24}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release --quiet
BIN=$TARGET/release/briefpress
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# A long brief: each section a heading, six paragraphs (one with a footnote), a bulleted list
# with a nested level, a numbered list and a five-row table.
python3 - "$SECTIONS" > "$WORK/fifty.md" <<'PY'
import random, sys
random.seed(7)
words = ("corridor customs border trade port freight inspection agency tariff region transit "
         "shipper broker declaration pilot crossing hours delay agreement cargo truck queue "
         "risk management recognition policy ministry budget evidence revenue volume").split()
def sentence(n):
    s = " ".join(random.choice(words) for _ in range(n))
    return s[0].upper() + s[1:] + "."
print("---\ntitle: Fifty pages of corridors\nsubtitle: A generated brief for the reading benchmark\n"
      "author:\n  - Ana Ruiz\n  - Bo Li\nlang: en\n---\n")
note = 0
for k in range(int(sys.argv[1])):
    print(f"# Section {k + 1}: {sentence(4)[:-1]}\n")
    for p in range(6):
        text = " ".join(sentence(random.randint(12, 24)) for _ in range(5))
        if p == 2:
            note += 1
            text += f" Emphasis on *{sentence(3)[:-1]}* and **{sentence(2)[:-1]}**.[^n{note}]"
        print(text + "\n")
    for i in range(4):
        print(f"- {sentence(10)}")
        if i == 1:
            print(f"    - {sentence(8)}\n    - {sentence(8)}")
    print()
    for i in range(3):
        print(f"{i + 1}. {sentence(12)}")
    print("\n| Crossing | Hours | Trend |\n|:--|--:|:-:|")
    for i in range(5):
        print(f"| {sentence(2)[:-1]} | {random.randint(1, 99)} | {random.choice(['up', 'down'])} |")
    print(f"\n: Waiting hours, section {k + 1}\n")
    print(f"[^n{note}]: {sentence(20)}\n")
PY
pandoc "$WORK/fifty.md" -o "$WORK/fifty.docx"
echo "document: $(du -k "$WORK/fifty.docx" | cut -f1) KiB, $(wc -w < "$WORK/fifty.md") words in its source"
if command -v soffice >/dev/null 2>&1; then
  soffice --headless --convert-to pdf --outdir "$WORK" "$WORK/fifty.docx" >/dev/null 2>&1 || true
  if [ -f "$WORK/fifty.pdf" ] && command -v pdfinfo >/dev/null 2>&1; then
    echo "pages (LibreOffice): $(pdfinfo "$WORK/fifty.pdf" | awk '/^Pages/ {print $2}')"
  fi
fi

hyperfine --warmup "$WARMUP" --runs "$RUNS" --style basic \
  -n "briefpress inspect --json" "$BIN inspect --json $WORK/fifty.docx" \
  -n "pandoc -f docx -t json" "pandoc -f docx -t json $WORK/fifty.docx"

for cmd in "$BIN inspect --json $WORK/fifty.docx" "pandoc -f docx -t json $WORK/fifty.docx"; do
  rss=$( { /usr/bin/time -v $cmd >/dev/null; } 2>&1 | awk '/Maximum resident/ {print $6}')
  echo "peak memory: ${rss} KiB  ($cmd)"
done
