#!/usr/bin/env bash
# big-brief.sh — a very large brief builds with linear cost and bounded memory.
#
# Writes four Markdown briefs of generated prose into a scratch folder: 5 MB and 10 MB, each as
# many ordinary paragraphs and as one giant paragraph (no blank line anywhere), builds each
# with the release binary (PDF only by default; FORMATS=pdf,docx,epub for all three) under GNU
# time, and prints peak resident memory and wall time per case, with the 10 MB / 5 MB ratios.
# Linear cost means a ratio near 2 (the issue allows up to about 2.3); the memory target is
# under 500 MB at 10 MB.
#
# usage: tests/bench/big-brief.sh [BINARY]     (default: target/release/briefpress, built
#        when missing; set CARGO_TARGET_DIR to use another target folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/binary.sh
formats="${FORMATS:-pdf}"

python3 - "$work" <<'PY'
import sys, random
out = sys.argv[1]
rng = random.Random(7)
words = ("the region has built physical links of an integrated electricity system without rules "
         "that would make anyone rely on them reservoirs drought interconnection transmission "
         "contracts emergency compensation protocol commission regulator Colombia Ecuador Peru "
         "financing lenders conditioning megawatt-hour levy governments blackout rationing "
         "hospitals generators factories shifts ministry revenue quarter capacity").split()
def sentence():
    n = rng.randint(8, 30)
    s = " ".join(rng.choice(words) for _ in range(n))
    return s[0].upper() + s[1:] + "."
def body(size, paragraphs):
    parts, total, para = [], 0, []
    while total < size:
        s = sentence()
        para.append(s)
        total += len(s) + 1
        if paragraphs and len(para) >= rng.randint(3, 8):
            parts.append(" ".join(para))
            para = []
    if para:
        parts.append(" ".join(para))
    return ("\n\n" if paragraphs else " ").join(parts)
for mb in (5, 10):
    for kind, paragraphs in (("paragraphs", True), ("one-paragraph", False)):
        with open(f"{out}/big-{mb}mb-{kind}.md", "w") as f:
            f.write(f"---\ntitle: A {mb} MB brief, {kind}\nlanguage: en\n---\n\n")
            f.write(body(mb * 1_000_000, paragraphs))
            f.write("\n")
PY

printf '%-28s %10s %10s\n' "case (-f $formats)" "peak MB" "wall s"
declare -A rss wall
for kind in paragraphs one-paragraph; do
    for mb in 5 10; do
        src="$work/big-${mb}mb-${kind}.md"
        /usr/bin/time -v "$bin" build "$src" -f "$formats" -o "$work/out" \
            >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt" >&2; exit 1; }
        kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
        el=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
        secs=$(python3 -c "import sys; p='$el'.split(':'); print(sum(float(x)*60**i for i,x in enumerate(reversed(p))))")
        rss[$kind$mb]=$((kb / 1024))
        wall[$kind$mb]=$secs
        printf '%-28s %10s %10.2f\n' "${mb} MB, ${kind}" "$((kb / 1024))" "$secs"
    done
    python3 -c "print('%-28s %10.2f %10.2f' % ('  10 MB / 5 MB', ${rss[${kind}10]}/max(1,${rss[${kind}5]}), ${wall[${kind}10]}/max(0.01,${wall[${kind}5]})))"
done
