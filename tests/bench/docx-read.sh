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

# The Word-idiom fixture (tests/fixtures/docx/word-365.docx: rsids, paraIds, fields, tracked
# changes, a text box with its VML copy, pictures) scaled up: its body repeated COPIES times
# (default 36, about fifty pages), every other part as it is.
python3 - "$ROOT/tests/fixtures/docx/word-365.docx" "$WORK/word-scaled.docx" "${COPIES:-36}" <<'PY'
import re, sys, zipfile
src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
    for info in z.infolist():
        data = z.read(info.filename)
        if info.filename == "word/document.xml":
            text = data.decode("utf-8")
            m = re.search(r"<w:body>(.*)(<w:sectPr .*</w:sectPr>)</w:body>", text, re.S)
            text = text[: m.start(1)] + m.group(1) * copies + text[m.start(2) :]
            data = text.encode("utf-8")
        out.writestr(info, data)
PY
echo "Word-idiom document: $(du -k "$WORK/word-scaled.docx" | cut -f1) KiB"

hyperfine --warmup "$WARMUP" --runs "$RUNS" --style basic \
  -n "briefpress inspect --json" "$BIN inspect --json $WORK/fifty.docx" \
  -n "pandoc -f docx -t json" "pandoc -f docx -t json $WORK/fifty.docx" \
  -n "briefpress inspect --json (Word idioms)" "$BIN inspect --json $WORK/word-scaled.docx"

# Peak resident memory against the file's size; the floor is the same command on the
# one-page fixture (the program, its fonts' tables and the allocator before any document).
peak() { /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null 2>&1; awk '/Maximum resident/ {print $6}' "$WORK/time.txt"; }
floor=$(peak "$BIN" inspect --json "$ROOT/tests/fixtures/docx/word-365.docx")
echo "floor: ${floor} KiB (inspect --json of the one-page word-365.docx)"
for doc in "$WORK/fifty.docx" "$WORK/word-scaled.docx"; do
  for tool in briefpress pandoc; do
    if [ "$tool" = briefpress ]; then cmd="$BIN inspect --json $doc"; else cmd="pandoc -f docx -t json $doc"; fi
    rss=$(peak $cmd)
    size=$(du -k "$doc" | cut -f1)
    xml=$(python3 -c "import sys, zipfile; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()) // 1024)" "$doc")
    echo "peak memory: ${rss} KiB for a ${size} KiB file (${xml} KiB inflated): $(( rss / size )) x the file, $(( (rss - floor) / size )) x above the floor  ($tool, $(basename "$doc"))"
  done
done
